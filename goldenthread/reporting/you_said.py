"""Feeding back: "you said, we did", and last year's not-working themes a year on.

* :func:`you_said_we_did` — for each theme of the cycle's workshop, what people
  said (a few anonymised card texts and how many people, small counts hidden)
  and what is being done about it (the actions and their latest progress, from
  the programme app). It is written in plain words for everyone who took part,
  and printed in large type (:func:`easy_read_document`).
* :func:`last_year` — each not-working theme of last year's cycle a year on
  (:func:`~goldenthread.reporting.change.year_on`, the one computation of
  change), beside the status of the actions agreed for it.

Built from the golden thread, so only the shown card wording (``Statement.shown_text``) is used, and every
count and quote follows the one rule of :mod:`goldenthread.reporting.disclosure`: a theme's people are the
shared report's number, and its quotes come only from theme × area × user group cells the report shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from goldenthread.core.models import Kind
from goldenthread.programme.pdf import Document, Section
from goldenthread.programme.services import action_progress, comment_invitation
from goldenthread.reporting.change import year_on
from goldenthread.reporting.data import pick_workshop, theme_people
from goldenthread.reporting.disclosure import PageDisclosures
from goldenthread.reporting.golden_thread import theme_cards
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.models import Cluster, Workshop

#: How many things people said are shown for each theme.
EXAMPLES = 3
#: Fewer in the printed easy-read version, to keep it short.
EASY_READ_EXAMPLES = 2
#: Not-working themes without actions shown in full in the printed version (the largest first).
FULL_NOT_WORKING = 3
#: Other themes named in the printed version before "and N more".
OTHERS_LISTED = 8

PLAIN_KIND = {Kind.WORKING: "What is working", Kind.NOT_WORKING: "What is not working",
              Kind.FUTURE: "What matters for the future"}


#: What "We did" says for a theme with no action yet, by kind: what is working is kept going, what is
#: important for the future is a wish to work towards, and what is not working waits for a decision.
NO_ACTION_YET = {
    Kind.WORKING: "People told us this is working. We will keep it going and tell others about it.",
    Kind.NOT_WORKING: "Nothing has been agreed for this yet.",
    Kind.FUTURE: "This is what people want for the future. Nothing has been agreed for it yet.",
}


@dataclass
class WeDid:
    text: str
    owner: str
    status: str
    note: str


@dataclass
class YouSaid:
    theme: str
    kind: str
    people: int | None
    said: list[str]
    did: list[WeDid] = field(default_factory=list)
    withheld: bool = False  # some of its cards are not quoted: they come from a small area or group
    withheld_words: str = ""  # what the page says when they are

    @property
    def kind_label(self) -> str:
        return PLAIN_KIND.get(self.kind, self.kind)

    @property
    def no_action_words(self) -> str:
        """What "We did" says while no action answers this theme: the same on the page and in print."""
        return NO_ACTION_YET.get(self.kind, NO_ACTION_YET[Kind.NOT_WORKING])

    @property
    def people_words(self) -> str:
        if self.people is None:
            return "A few people said this."
        return "1 person said this." if self.people == 1 else f"{self.people} people said this."


def you_said_we_did(cycle: ProgrammeCycle, *, shared: bool = True, threshold: int | None = None) -> list[YouSaid]:
    """One entry per theme, not-working themes first (those are the ones actions answer)."""
    workshop = pick_workshop(cycle)
    if workshop is None:
        return []
    people = theme_people(workshop)
    order = {Kind.NOT_WORKING: 0, Kind.FUTURE: 1, Kind.WORKING: 2}
    clusters = sorted(Cluster.objects.in_workshop(workshop).themes().select_related("board__workshop__cycle")
                      .prefetch_related("actions__updates"),
                      key=lambda c: (order.get(c.board.kind, 3), not c.actions.all(), -len(people.get(c.pk, ())),
                                     c.name.lower()))
    told = PageDisclosures(shared=shared, threshold=threshold)
    out = []
    for c in clusters:
        shown = told.people(c)
        entry = YouSaid(c.name, c.board.kind, shown, [card.text for card in theme_cards(c, told)[:EXAMPLES]],
                        withheld=shown is not None and told.withheld(c))
        entry.withheld_words = told.withheld_words if entry.withheld else ""
        for a in c.actions.all():
            progress = action_progress(a)
            entry.did.append(WeDid(a.text, a.owner, progress.status, progress.note))
        out.append(entry)
    return out


def easy_read_document(cycle: ProgrammeCycle, entries: list[YouSaid]) -> Document:
    """The printed easy-read version: every theme with actions, and the largest few other not-working themes,
    in full; then the names of the other themes in one short list, so the letter stays short."""
    sections, others, full = [], [], 0
    for e in entries:
        full += e.kind == Kind.NOT_WORKING and not e.did
        if not (e.did or (e.kind == Kind.NOT_WORKING and full <= FULL_NOT_WORKING)):
            others.append(f"{e.theme} ({e.kind_label.lower()})")
            continue
        did = [f"{d.text} ({d.owner}). Now: {d.status}." + (f" {d.note}" if d.note else "") for d in e.did]
        sections.append(Section(e.theme, [f"{e.kind_label}. {e.people_words}"],
                                parts=[("You said", e.said[:EASY_READ_EXAMPLES]),
                                       ("We did", did or [e.no_action_words])]))
    withheld = next((e.withheld_words for e in entries if e.withheld), "")
    invite = comment_invitation(cycle)
    if invite and entries:
        sections.append(Section("Tell us what you think", [invite]))
    if others:
        more = len(others) - OTHERS_LISTED
        sections.append(Section("Other things people told us", bullets=others[:OTHERS_LISTED] + (
            [f"And {more} more. You can ask us for the full list."] if more > 0 else [])))
    return Document(
        title=f"You said, we did: {cycle.name}",
        intro="Thank you for your review. Here is what people told us, and what we are doing about it. "
              "We do not use anyone's name. When only a few people said something, we write \"a few people\", "
              "so nobody can be picked out." + (f" {withheld}" if withheld else ""),
        sections=sections or [Section("Not ready yet", ["The workshop has not named its themes yet."])])


@dataclass
class LastYearRow:
    theme: str
    change: str  # one of goldenthread.reporting.change.VERDICTS
    sentence: str
    before: int | None
    now: int | None
    actions: list[WeDid]
    later_workshop: str = ""


def last_year(cycle: ProgrammeCycle, *, shared: bool = True, threshold: int | None = None,
              workshop: Workshop | None = None) -> list[LastYearRow]:
    """Last year's not-working themes a year on, compared with ``workshop`` (by default the one this cycle's
    report shows), beside the status of their actions: from :func:`~goldenthread.reporting.change.year_on`."""
    if cycle.previous is None:
        return []
    later = workshop or pick_workshop(cycle)
    rows = year_on(pick_workshop(cycle.previous), later, shared=shared, threshold=threshold)
    return [LastYearRow(r.theme, r.verdict, r.sentence, r.before, r.now,
                        [WeDid(a.text, a.owner, a.status, a.note) for a in r.actions], r.later_workshop)
            for r in rows if r.kind == Kind.NOT_WORKING]
