"""Feeding back: "you said, we did", and last year's not-working themes a year on.

* :func:`you_said_we_did` — for each theme of the cycle's workshop, what people
  said (a few anonymised card texts and how many people, small counts hidden)
  and what is being done about it (the actions and their latest progress, from
  the programme app). It is written in plain words for everyone who took part,
  and printed in large type (:func:`easy_read_document`).
* :func:`last_year` — each not-working theme of last year's cycle: did it grow,
  shrink or vanish this year (the golden thread's :func:`next_year`), beside the
  status of the actions agreed for it.

Built from the golden thread, so only the shown card wording (``Statement.shown_text``) is used, and every
count and quote follows the one rule of :mod:`goldenthread.reporting.disclosure`: a theme's people are the
shared report's number, and its quotes come only from theme × area × user group cells the report shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from goldenthread.core.models import Kind
from goldenthread.programme.pdf import Document, Section
from goldenthread.programme.services import action_progress, comment_invitation
from goldenthread.reporting.data import pick_workshop, theme_people
from goldenthread.reporting.disclosure import PageDisclosures
from goldenthread.reporting.golden_thread import next_year, theme_cards
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.models import Cluster

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
                                       ("We did", did or ["Nothing has been agreed for this yet."])]))
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
    change: str  # grew, shrank, stayed the same, vanished, not checked yet, no later cycle yet
    sentence: str
    before: int | None
    now: int | None
    actions: list[WeDid]


def last_year(cycle: ProgrammeCycle, *, shared: bool = True, threshold: int | None = None) -> list[LastYearRow]:
    """Last year's not-working themes: how each changed this year, beside the status of its actions."""
    if cycle.previous is None:
        return []
    earlier = pick_workshop(cycle.previous)
    if earlier is None:
        return []
    told = PageDisclosures(shared=shared, threshold=threshold)
    rows = []
    for c in (Cluster.objects.in_workshop(earlier).themes().filter(board__kind=Kind.NOT_WORKING)
              .select_related("board__workshop__cycle").prefetch_related("actions__updates")):
        ny = next_year(c, shared=shared, threshold=threshold, told=told)
        actions = []
        for a in c.actions.all():
            progress = action_progress(a)
            actions.append(WeDid(a.text, a.owner, progress.status, progress.note))
        change, sentence = ny.status, ny.sentence
        if change == "no later cycle yet":  # this cycle is the later one: its workshop has no themes yet
            change, sentence = "not known yet", "This year's workshop has not named its themes yet."
        rows.append(LastYearRow(c.name, change, sentence, ny.before, ny.now, actions))
    return rows
