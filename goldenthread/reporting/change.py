"""Change over time, computed once: each of last year's themes, a year on, in one chosen later workshop.

:func:`year_on` is the only place that decides what happened to last year's themes. The report page, the
full report (HTML and PDF), the data files (JSON, XLSX), the API (``/report`` and ``/golden-thread``), the
golden thread (:func:`~goldenthread.reporting.golden_thread.next_year`) and "you said, we did"
(:func:`~goldenthread.reporting.you_said.last_year`) all call it, so they always say the same thing.

The rules:

* The comparison is with **one** later workshop, and says which: the workshop chosen for the report (never
  another workshop of the same year).
* Only a match a person **confirmed** links a theme to a later one, and only when that later theme is in
  the chosen workshop. A suggested, unchecked match links nothing.
* Without a confirmed match a theme is "not matched yet", until a person says that no theme of the later
  workshop matches it (:class:`~goldenthread.reporting.models.NoMatch`): only then is it "not raised again".
* "More", "fewer" or "about as many" people only where both years' counts may be shown; when either is
  hidden (fewer people than the threshold, in shared outputs) the theme was just "raised again".
* While the later workshop is still calling its cards (or has not named its themes), it is "not finished
  yet".
"""
from __future__ import annotations

from dataclasses import dataclass, field

from goldenthread.core.models import Kind
from goldenthread.privacy.suppression import suppress_value
from goldenthread.reporting.models import NoMatch, ThemeMatch
from goldenthread.workshops.models import Cluster, Placement, Workshop

MORE = "raised again by more people"
FEWER = "raised again by fewer people"
SAME = "raised again by about as many people"
RAISED = "raised again"
NOT_MATCHED = "not matched yet"
NOT_RAISED = "not raised again"
NOT_FINISHED = "not finished yet"
NO_LATER = "no workshop to compare with yet"
#: Every verdict, in plain words; nothing else is ever said.
VERDICTS = (MORE, FEWER, SAME, RAISED, NOT_MATCHED, NOT_RAISED, NOT_FINISHED, NO_LATER)
#: The verdicts that mean a person confirmed the theme came up again.
RAISED_AGAIN = (MORE, FEWER, SAME, RAISED)

KIND_ORDER = {Kind.NOT_WORKING: 0, Kind.FUTURE: 1, Kind.WORKING: 2}


@dataclass
class YearOnAction:
    text: str
    owner: str
    status: str
    note: str = ""


@dataclass
class YearOn:
    """One of last year's themes, a year on."""

    theme_id: int
    theme: str  # last year's name
    kind: str
    earlier_workshop: str
    later_workshop: str  # the workshop it was compared with ("" when there is none yet)
    verdict: str  # one of VERDICTS
    later_theme: str = ""  # this year's theme a person confirmed as the same
    later_theme_id: int | None = None
    before: int | None = None  # people last year; None when hidden (or not known)
    now: int | None = None  # people this year; None when hidden, not matched, or not known
    actions: list[YearOnAction] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def counts(self) -> str:
        """Both years' counts in words ("" unless matched); "hidden" for a hidden count."""
        if self.verdict not in RAISED_AGAIN:
            return ""

        def n(v):
            return "hidden" if v is None else str(v)

        return f"last year: {n(self.before)} people, this year: {n(self.now)} people"

    @property
    def sentence(self) -> str:
        where = f'the workshop "{self.later_workshop}"'
        if self.verdict in RAISED_AGAIN:
            said = f'Compared with {where}: {self.verdict}, as "{self.later_theme}"'
            return f"{said} ({self.counts})."
        if self.verdict == NOT_RAISED:
            return f"Compared with {where}: a person checked and no theme there matches this one."
        if self.verdict == NOT_MATCHED:
            return f"Compared with {where}: nobody has checked yet whether one of its themes is this one."
        if self.verdict == NOT_FINISHED:
            return f"Compared with {where}: the workshop has not finished sorting its cards into themes yet."
        return "There is no workshop to compare with yet."


def card_call_finished(workshop: Workshop) -> bool:
    """True once every card of the workshop is on a main board: only then is the workshop's sorting done."""
    placed = Placement.objects.filter(board__workshop=workshop, board__is_main=True).values("card_id")
    return not workshop.cards.exclude(pk__in=placed).exists()


def _verdict(before: int | None, now: int | None) -> str:
    if before is None or now is None:
        return RAISED
    return MORE if now > before else FEWER if now < before else SAME


def _actions(cluster: Cluster) -> list[YearOnAction]:
    from goldenthread.programme.services import action_progress

    out = []
    for a in cluster.actions.all():
        progress = action_progress(a)
        out.append(YearOnAction(a.text, a.owner, progress.status, progress.note))
    return out


def year_on(earlier: Workshop | None, later: Workshop | None, *, shared: bool = True,
            threshold: int | None = None, services: set[str] | None = None,
            clusters: list[Cluster] | None = None) -> list[YearOn]:
    """Each of ``earlier``'s themes (or just ``clusters``), a year on, compared with the ``later`` workshop.

    Counts are of distinct people (within ``services`` when given, and then only themes with a card from
    them); in shared outputs a count below ``threshold`` people is hidden and no more/fewer is said.
    """
    from goldenthread.reporting.data import theme_people, threshold_setting

    if earlier is None:
        return []
    threshold = threshold_setting() if threshold is None else threshold

    def shown(n: int) -> int | None:
        return suppress_value(n, threshold) if shared else n

    before_people = theme_people(earlier, services)
    if clusters is None:
        clusters = list(Cluster.objects.in_workshop(earlier).themes().select_related("board")
                        .prefetch_related("actions__updates"))
        if services is not None:
            clusters = [c for c in clusters if c.pk in before_people]
    clusters = sorted(clusters, key=lambda c: (KIND_ORDER.get(c.board.kind, 3), c.position, c.name.lower(), c.pk))
    ids = [c.pk for c in clusters]
    earlier_name = earlier.name
    if later is None:
        return [YearOn(c.pk, c.name, c.board.kind, earlier_name, "", NO_LATER,
                       before=shown(len(before_people.get(c.pk, ()))), actions=_actions(c)) for c in clusters]
    matches = {m.previous_cluster_id: m for m in ThemeMatch.objects.filter(
        previous_cluster__in=ids, cluster__board__workshop=later, cluster__board__is_main=True,
        status=ThemeMatch.Status.CONFIRMED).select_related("cluster").order_by("-score", "id").reverse()}
    said_none = set(NoMatch.objects.filter(previous_cluster__in=ids, workshop=later)
                    .values_list("previous_cluster_id", flat=True))
    finished = Cluster.objects.in_workshop(later).themes().exists() and card_call_finished(later)
    now_people = theme_people(later, services) if finished else {}
    out = []
    for c in clusters:
        row = YearOn(c.pk, c.name, c.board.kind, earlier_name, later.name, NOT_FINISHED,
                     before=shown(len(before_people.get(c.pk, ()))), actions=_actions(c))
        m = matches.get(c.pk)
        if not finished:
            pass
        elif m is not None:
            row.later_theme, row.later_theme_id = m.cluster.name, m.cluster_id
            row.now = shown(len(now_people.get(m.cluster_id, ())))
            row.verdict = _verdict(row.before, row.now)
        elif c.pk in said_none:
            row.verdict = NOT_RAISED
        else:
            row.verdict = NOT_MATCHED
        out.append(row)
    if shared and services is None:
        _as_each_report_shows(out, clusters, threshold)
    return out


def _as_each_report_shows(rows: list[YearOn], clusters: list[Cluster], threshold: int) -> None:
    """In shared outputs both numbers are each year's shared report's own (secondary suppression included),
    so a year on never shows a count that last year's or this year's report hides."""
    from goldenthread.reporting.disclosure import PageDisclosures

    told = PageDisclosures(shared=True, threshold=threshold)
    earlier = {c.pk: c for c in clusters}
    later = {c.pk: c for c in Cluster.objects.filter(pk__in=[r.later_theme_id for r in rows if r.later_theme_id])
             .select_related("board__workshop")}
    for row in rows:
        if row.before is not None:
            row.before = told.people(earlier[row.theme_id])
        if row.now is not None and row.later_theme_id in later:
            row.now = told.people(later[row.later_theme_id])
        if row.verdict in RAISED_AGAIN:
            row.verdict = _verdict(row.before, row.now)


def hide_where_hidden(rows: list[YearOn], hidden: set[int]) -> list[YearOn]:
    """Hide this year's count wherever the report hides it (``hidden``: this year's theme ids whose count the
    report hides, e.g. by secondary suppression), so that no format shows a count another hides."""
    for row in rows:
        if row.later_theme_id in hidden and row.now is not None:
            row.now, row.verdict = None, RAISED
    return rows


def later_workshop(cluster: Cluster) -> Workshop | None:
    """The workshop a theme is compared with when none is chosen: the one the next cycle's report shows."""
    from goldenthread.reporting.data import pick_workshop

    for later_cycle in cluster.board.workshop.cycle.next_cycles.all():
        found = pick_workshop(later_cycle)
        if found is not None:
            return found
    return None
