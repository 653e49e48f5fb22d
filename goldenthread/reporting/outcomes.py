"""The outcomes page: for one outcome area, the three kinds of evidence side by side, cycle by cycle.

* **Activity** and **results**: the council's own measures (:class:`~goldenthread.outcomes.models.Measure`)
  for exactly the area and user group asked for (none: the whole council, every group).
* **Experience**: the themes a person confirmed as speaking to the outcome
  (:class:`~goldenthread.outcomes.models.ThemeOutcome`), counted in people as the shared report shows them
  (:class:`~goldenthread.reporting.disclosure.PageDisclosures`: small counts hidden, narrowed to the area or
  user group by the report's own cells), with the direction of change worked out once by
  :func:`~goldenthread.reporting.change.year_on`, never here.
* **Actions**: what the workshop agreed to do about those themes, with their latest status.

Only confirmed links count: a suggested, unchecked link puts nothing on the page.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from goldenthread.core.models import Area, Kind, UserGroup
from goldenthread.outcomes.models import Measure, OutcomeArea, ThemeOutcome
from goldenthread.reporting.change import NOT_FINISHED, year_on
from goldenthread.reporting.data import pick_workshop, threshold_setting
from goldenthread.reporting.disclosure import PageDisclosures
from goldenthread.reviews.models import ProgrammeCycle

FIRST_YEAR = "nothing to compare with, as this is the first year"
NEW = "new: not matched with a theme of last year"


@dataclass
class Experience:
    theme_id: int
    theme: str
    kind_label: str
    people: int | None  # None when hidden
    change: str  # a verdict of change.year_on, or FIRST_YEAR / NEW


@dataclass
class ActionDone:
    id: int
    text: str
    owner: str
    status: str


@dataclass
class CycleEvidence:
    cycle: ProgrammeCycle
    workshop_name: str
    experience: list[Experience] = field(default_factory=list)
    actions: list[ActionDone] = field(default_factory=list)


@dataclass
class MeasureRow:
    """One measure across the cycles: ``cells[i]`` lists "value unit (period)" texts for cycle ``i``."""

    name: str
    unit: str
    cells: list[list[str]]


@dataclass
class OutcomePage:
    outcome: OutcomeArea
    shared: bool
    threshold: int
    area: str
    user_group: str
    cycles: list[CycleEvidence]
    activity: list[MeasureRow]
    results: list[MeasureRow]

    @property
    def any_hidden(self) -> bool:
        return any(e.people is None for c in self.cycles for e in c.experience)


def _measure_rows(measures: list[Measure], cycles: list[ProgrammeCycle]) -> list[MeasureRow]:
    index = {c.pk: i for i, c in enumerate(cycles)}
    rows: dict[tuple[str, str], list[list[str]]] = {}
    for m in measures:
        cells = rows.setdefault((m.name, m.unit), [[] for _ in cycles])
        unit = m.unit if m.unit in ("", "%") else " " + m.unit
        cells[index[m.cycle_id]].append(f"{m.shown_value}{unit} ({m.period})")
    return [MeasureRow(name, unit, cells) for (name, unit), cells in rows.items()]


def outcome_page(outcome: OutcomeArea, *, shared: bool = True, area: Area | None = None,
                 user_group: UserGroup | None = None, threshold: int | None = None) -> OutcomePage:
    """Everything the outcomes page shows for one outcome area, in the shared version unless ``shared`` is false."""
    threshold = threshold_setting() if threshold is None else threshold
    measures = list(Measure.objects.filter(outcome=outcome).for_groups(area, user_group)
                    .select_related("cycle").order_by("kind", "name", "period", "pk"))
    links = list(ThemeOutcome.objects.confirmed().filter(outcome=outcome)
                 .select_related("cluster__board__workshop__cycle").prefetch_related("cluster__actions__updates"))
    by_cycle: dict[int, list] = defaultdict(list)
    for link in links:
        by_cycle[link.cluster.board.workshop.cycle_id].append(link.cluster)
    cycle_ids = {m.cycle_id for m in measures} | set(by_cycle)
    cycles = list(ProgrammeCycle.objects.filter(pk__in=cycle_ids).select_related("previous").order_by("year", "pk"))
    told = PageDisclosures(shared=shared, threshold=threshold, made_by="outcomes page")
    evidence = []
    for cycle in cycles:
        workshop = pick_workshop(cycle)
        column = CycleEvidence(cycle, workshop.name if workshop else "")
        # Only the themes of the workshop the cycle's report is about, as everywhere else.
        themes = [c for c in by_cycle.get(cycle.pk, []) if workshop is not None and c.board.workshop_id == workshop.pk]
        changes = _changes(cycle, workshop, shared, threshold) if themes else {}
        seen_actions = set()
        for cluster in sorted(themes, key=lambda c: (c.board.kind, c.position, c.name.lower(), c.pk)):
            disclosure = told.of(workshop)
            people = (disclosure.people(cluster.pk, area.name if area else None,
                                        user_group.name if user_group else None)
                      if cluster.pk in disclosure.themes else 0)
            column.experience.append(Experience(cluster.pk, cluster.name, Kind(cluster.board.kind).label, people,
                                                changes.get(cluster.pk, changes.get(None, NEW))))
            for action in cluster.actions.all():
                if action.pk not in seen_actions:
                    seen_actions.add(action.pk)
                    column.actions.append(_action(action))
        evidence.append(column)
    return OutcomePage(outcome, shared, threshold, area.name if area else "", user_group.name if user_group else "",
                       evidence, _measure_rows([m for m in measures if m.kind == Measure.Kind.ACTIVITY], cycles),
                       _measure_rows([m for m in measures if m.kind == Measure.Kind.RESULTS], cycles))


def _changes(cycle, workshop, shared: bool, threshold: int) -> dict:
    """This cycle's theme id -> what :func:`year_on` says happened to last year's theme it was confirmed as.
    The key None holds the answer for a theme with no such match (the first year, or the workshop unfinished)."""
    earlier = pick_workshop(cycle.previous) if cycle.previous_id else None
    if earlier is None:
        return {None: FIRST_YEAR}
    rows = year_on(earlier, workshop, shared=shared, threshold=threshold)
    out: dict = {r.later_theme_id: r.verdict for r in rows if r.later_theme_id}
    if any(r.verdict == NOT_FINISHED for r in rows):
        out[None] = NOT_FINISHED
    return out


def _action(action) -> ActionDone:
    from goldenthread.programme.services import action_progress

    return ActionDone(action.pk, action.text, action.owner, action_progress(action).status)


@dataclass
class OutcomeMeasures:
    """One outcome an action works towards, with its council-wide measures in every cycle that has them, so a
    reader sees them before and after the action (``cycles`` items have a ``cycle``, as the page's columns)."""

    outcome: OutcomeArea
    cycles: list[CycleEvidence]
    activity: list[MeasureRow]
    results: list[MeasureRow]


def measures_of_action(action) -> list[OutcomeMeasures]:
    """The golden thread from an action to the measures that should move: for each outcome a person confirmed
    for one of its themes, the council-wide activity and results measures, cycle by cycle."""
    out = []
    for outcome in outcomes_of_action(action):
        measures = list(Measure.objects.filter(outcome=outcome).for_groups(None, None)
                        .select_related("cycle").order_by("kind", "name", "period", "pk"))
        cycles = sorted({m.cycle for m in measures}, key=lambda c: (c.year, c.pk))
        out.append(OutcomeMeasures(
            outcome, [CycleEvidence(c, "") for c in cycles],
            _measure_rows([m for m in measures if m.kind == Measure.Kind.ACTIVITY], cycles),
            _measure_rows([m for m in measures if m.kind == Measure.Kind.RESULTS], cycles)))
    return out


def outcomes_of_action(action) -> list[OutcomeArea]:
    """The outcome areas an action works towards: those a person confirmed for any of its themes (the golden
    thread from an action to the measures that should move)."""
    return list(OutcomeArea.objects.filter(theme_links__status=ThemeOutcome.Status.CONFIRMED,
                                           theme_links__cluster__actions=action).distinct())


def outcomes_of_theme(cluster) -> list[OutcomeArea]:
    """The outcome areas a person confirmed this theme speaks to (outcome -> themes -> statements, read back)."""
    return list(OutcomeArea.objects.filter(theme_links__status=ThemeOutcome.Status.CONFIRMED,
                                           theme_links__cluster=cluster).distinct())
