"""The numbers behind every report, chart and data file — counted in **people**.

One person may say three things about the bus; that is still one person. So
every count here is the number of distinct ``Review.person_ref`` values, never
the number of statements or cards. The statement count is kept beside it only
for the workshop team.

Where the themes come from
    A theme is a *named* cluster on a workshop's main board for one kind. A
    report is about one workshop of a cycle: the one asked for, or else the
    latest workshop of the cycle that has named themes (:func:`pick_workshop`).

Shared or team version
    ``shared=True`` (the default) hides counts of fewer than
    ``GOLDENTHREAD_SUPPRESS_BELOW`` people, with secondary suppression, using
    :mod:`goldenthread.privacy.suppression`. A hidden count is ``None``. Votes
    are dots from workshop delegates, not people from reviews, so they are not
    hidden.

:func:`build_report` returns a :class:`ReportData`; every output (HTML, PDF,
easy read, CSV, XLSX, JSON, wall sheets) is drawn from it, so they always agree.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import Lower
from django.utils import timezone

from goldenthread.privacy.suppression import suppress_series, suppress_table, suppress_value
from goldenthread.core.models import Kind, Service
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.last_year import themed_workshop
from goldenthread.workshops.models import BOARD_KINDS, Action, Cluster, Placement, Vote, Workshop


def threshold_setting() -> int:
    """Counts below this many people are hidden in shared outputs (``GOLDENTHREAD_SUPPRESS_BELOW``)."""
    return int(getattr(settings, "GOLDENTHREAD_SUPPRESS_BELOW", 5))


@dataclass
class Theme:
    id: int
    name: str
    kind: str
    people: int | None  # distinct people; None when hidden
    statements: int
    dots: int = 0  # priority votes from delegates
    voters: int = 0
    actions: int = 0

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


@dataclass
class KindSummary:
    kind: str
    people: int | None  # distinct people with a statement of this kind in a theme
    themes: list[Theme]

    @property
    def label(self) -> str:
        return Kind(self.kind).label


@dataclass
class Breakdown:
    """People per theme (rows) and per group (columns): areas, user groups or years."""

    kind: str
    by: str  # "area", "user group" or "year"
    groups: list[str]
    themes: list[str]
    cells: list[list[int | None]]
    totals: list[int | None]  # distinct people per group for this kind

    @property
    def label(self) -> str:
        return Kind(self.kind).label


@dataclass
class ActionRow:
    id: int
    text: str
    stakeholder: str
    owner: str
    measure: str
    due: dt.date
    status: str
    themes: list[str]


@dataclass
class YearRow:
    theme: str
    kind: str
    previous_name: str
    before: int | None
    now: int | None
    change: str  # one of goldenthread.reporting.change.RAISED_AGAIN


@dataclass
class ReportData:
    cycle: ProgrammeCycle
    workshop: Workshop | None
    made_at: dt.datetime
    made_by: str
    shared: bool
    threshold: int
    reviews: int
    people: int
    kinds: list[KindSummary]
    by_area: list[Breakdown] = field(default_factory=list)
    by_group: list[Breakdown] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    years: list[YearRow] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # last year's themes a person said have no match this year
    year_on: list = field(default_factory=list)  # change.YearOn: each of last year's themes, a year on
    previous_cycle: ProgrammeCycle | None = None

    def kind(self, kind: str) -> KindSummary | None:
        return next((k for k in self.kinds if k.kind == kind), None)

    @property
    def not_working(self) -> list[Theme]:
        summary = self.kind(Kind.NOT_WORKING)
        return summary.themes if summary else []

    @property
    def privacy_note(self) -> str:
        if not self.shared:
            return "Workshop team version: all counts are shown. Do not share it beyond the team."
        return (f"Counts of fewer than {self.threshold} people are hidden, and so are some other counts, "
                "so that no one can work them out.")


def pick_workshop(cycle: ProgrammeCycle, workshop_id: int | None = None) -> Workshop | None:
    """The workshop a report is about: the one asked for, else the latest with named themes, else the latest."""
    if workshop_id is not None:
        return cycle.workshops.get(pk=workshop_id)
    return themed_workshop(cycle) or cycle.workshops.first()


def in_services(services: set[str] | None):
    """The services whose names (lower-cased) are in ``services``, as a queryset for ``__in`` filters."""
    return Service.objects.annotate(lower=Lower("name")).filter(lower__in=services or ())


def placement_rows(workshop: Workshop, services: set[str] | None = None):
    """(cluster id, person_ref, area, user group) for every card on a named theme of the main boards.

    A card whose person has since withdrawn consent is left out (it stays on the board, shown as withdrawn).
    ``services`` (lower-cased names) keeps only the cards from reviews of those services; None keeps all.
    """
    rows = Placement.objects.filter(board__workshop=workshop, board__is_main=True, cluster__name__gt="",
                                    card__statement__review__consent_given=True)
    if services is not None:
        rows = rows.filter(card__statement__review__service__in=in_services(services))
    return rows.values_list(
        "cluster_id", "card__statement__review__person_ref", "card__statement__review__area__name",
        "card__statement__review__user_group__name")


def theme_people(workshop: Workshop, services: set[str] | None = None) -> dict[int, set[str]]:
    """Distinct people per theme (cluster id) in one workshop (within ``services`` when given)."""
    people: dict[int, set[str]] = defaultdict(set)
    for cluster_id, person, _area, _group in placement_rows(workshop, services):
        people[cluster_id].add(person)
    return people


def _breakdown(kind, by, themes, rows, key_index, threshold) -> Breakdown:
    """A themes × groups table of distinct people, with a totals row, suppressed together."""
    theme_ids = [t.id for t in themes]
    cell_people: dict[tuple[int, str], set[str]] = defaultdict(set)
    total_people: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row[0] in theme_ids:
            cell_people[(row[0], row[key_index])].add(row[1])
            total_people[row[key_index]].add(row[1])
    groups = sorted(total_people)
    table = [[len(cell_people[(tid, g)]) for g in groups] for tid in theme_ids]
    table.append([len(total_people[g]) for g in groups])
    if threshold and groups:
        table = suppress_table(table, threshold)
    return Breakdown(kind=kind, by=by, groups=groups, themes=[t.name for t in themes], cells=table[:-1],
                     totals=table[-1] if groups else [])


def build_report(cycle: ProgrammeCycle, workshop: Workshop | None = None, *, shared: bool = True,
                 threshold: int | None = None, made_by: str = "unknown",
                 services: set[str] | None = None, years: bool = True) -> ReportData:
    """Count everything a report shows for one cycle (and one of its workshops).

    ``services`` (lower-cased names; None for all) narrows the report to the reviews of those services: every
    count is over their people only, and a theme with no card from them is left out, with its actions.
    ``years=False`` skips the comparison with last year (``year_on``, ``years`` and ``gone`` stay empty).
    """
    threshold = threshold_setting() if threshold is None else threshold
    hide = threshold if shared else 0
    statements = cycle.card_statements()
    reviews = cycle.reviews.filter(consent_given=True)
    if services is not None:
        statements = statements.filter(review__service__in=in_services(services))
        reviews = reviews.filter(service__in=in_services(services))
    data = ReportData(
        cycle=cycle, workshop=workshop, made_at=timezone.now(), made_by=made_by, shared=shared, threshold=threshold,
        reviews=reviews.count(),
        people=statements.values("review__person_ref").distinct().count(), kinds=[],
        previous_cycle=cycle.previous,
    )
    if workshop is None:
        if years:
            _add_years(data, None, hide, services)
        return data
    rows = list(placement_rows(workshop, services))
    people: dict[int, set[str]] = defaultdict(set)
    cards: dict[int, int] = defaultdict(int)
    for cluster_id, person, _a, _g in rows:
        people[cluster_id].add(person)
        cards[cluster_id] += 1
    votes = {v["cluster_id"]: v for v in Vote.objects.filter(cluster__board__workshop=workshop)
             .values("cluster_id").annotate(dots=Sum("dots"), voters=Count("delegate", distinct=True))}
    action_counts = dict(Action.themes.through.objects.filter(action__workshop=workshop)
                         .values("cluster_id").annotate(n=Count("action_id")).values_list("cluster_id", "n"))
    clusters = (Cluster.objects.in_workshop(workshop).themes()
                .select_related("board").order_by("board__kind", "position", "id"))
    if services is not None:
        clusters = clusters.filter(pk__in=set(people))
    by_kind: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters:
        by_kind[c.board.kind].append(c)
    for kind in BOARD_KINDS:
        found = sorted(by_kind.get(kind, []), key=lambda c: (-len(people[c.id]), c.name.lower()))
        counts = [len(people[c.id]) for c in found]
        shown = suppress_series(counts, hide) if hide else counts
        themes = [Theme(id=c.id, name=c.name, kind=kind, people=n, statements=cards[c.id],
                        dots=votes.get(c.id, {}).get("dots") or 0, voters=votes.get(c.id, {}).get("voters") or 0,
                        actions=action_counts.get(c.id, 0)) for c, n in zip(found, shown)]
        kind_people = len(set().union(*(people[c.id] for c in found))) if found else 0
        data.kinds.append(KindSummary(kind=kind, people=suppress_value(kind_people, hide) if hide else kind_people,
                                      themes=themes))
        if themes:
            data.by_area.append(_breakdown(kind, "area", themes, rows, 2, hide))
            data.by_group.append(_breakdown(kind, "user group", themes, rows, 3, hide))
    data.actions = [
        ActionRow(id=a.pk, text=a.text, stakeholder=a.get_stakeholder_display(), owner=a.owner, measure=a.measure,
                  due=a.due, status=a.get_status_display(), themes=[t.name for t in a.themes.all()])
        for a in workshop.actions.prefetch_related("themes")
        if services is None or any(t.pk in people for t in a.themes.all())
    ]
    if years:
        _add_years(data, workshop, hide, services)
    return data


def _add_years(data: ReportData, workshop: Workshop | None, hide: int, services: set[str] | None = None) -> None:
    """Last year's themes a year on, compared with this report's workshop: the one computation of change
    (:func:`~goldenthread.reporting.change.year_on`); ``years`` and ``gone`` are drawn from it."""
    from goldenthread.reporting.change import NOT_RAISED, RAISED_AGAIN, hide_where_hidden, year_on

    previous = data.cycle.previous
    earlier = pick_workshop(previous) if previous is not None else None
    hidden = {t.id for k in data.kinds for t in k.themes if t.people is None}
    data.year_on = hide_where_hidden(year_on(earlier, workshop, shared=bool(hide), threshold=hide or data.threshold,
                                             services=services), hidden)
    data.years = [YearRow(theme=r.later_theme, kind=r.kind, previous_name=r.theme, before=r.before, now=r.now,
                          change=r.verdict) for r in data.year_on if r.verdict in RAISED_AGAIN]
    data.gone = [r.theme for r in data.year_on if r.verdict == NOT_RAISED]
