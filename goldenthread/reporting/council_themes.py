"""Themes across the whole council: a cycle's confirmed batch themes, counted in people, for the report and downloads.

A batch run (:mod:`goldenthread.batch`) themes every card statement of a cycle; once a person has checked and
confirmed its proposal, the newest confirmed run of the cycle is what the cycle report shows as "Themes across
the whole council", and what its CSV and XLSX downloads hold.

Counts are of **people** (distinct person IDs among the theme's statements of this cycle, consented reviews
only), never statements. The shared version follows the report's rule (:mod:`goldenthread.reporting.disclosure`,
as :func:`~goldenthread.reporting.data.build_report` does for workshop themes): one kind's themes are one
series, suppressed together (a small count is hidden, and one more beside it), and a kind's total of people is
hidden when small; shared outputs give no statement counts. The team version shows every count.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from goldenthread.batch.models import BatchRun, ProposedMembership
from goldenthread.core.models import Kind
from goldenthread.privacy.cells import safe_dict, safe_row
from goldenthread.privacy.suppression import suppress_series, suppress_value
from goldenthread.reporting.data import threshold_setting

#: The kinds shown, in the report's order.
KINDS = (Kind.WORKING, Kind.NOT_WORKING, Kind.FUTURE, Kind.IMPORTANT_NOW)
CSV_COLUMNS = ["cycle", "year", "batch_run", "confirmed_at", "kind", "group", "theme", "people", "hidden",
               "statements", "suppress_below", "made_by", "made_at"]


@dataclass
class CouncilTheme:
    name: str
    kind: str
    group: str
    people: int | None  # None: hidden in the shared version
    statements: int | None  # None in the shared version


@dataclass
class CouncilKind:
    kind: str
    label: str
    people: int | None
    themes: list[CouncilTheme] = field(default_factory=list)


@dataclass
class CouncilThemes:
    cycle: object
    run: BatchRun
    shared: bool
    threshold: int
    made_by: str
    made_at: object
    kinds: list[CouncilKind]

    @property
    def themes(self) -> list[CouncilTheme]:
        return [t for k in self.kinds for t in k.themes]


def confirmed_run(cycle) -> BatchRun | None:
    """The cycle's newest confirmed batch run, or ``None``."""
    return (BatchRun.objects.filter(cycles=cycle, status=BatchRun.Status.CONFIRMED)
            .order_by("-confirmed_at", "-pk").first())


def council_themes(cycle, *, shared: bool = True, threshold: int | None = None,
                   made_by: str = "unknown") -> CouncilThemes | None:
    """The cycle's whole-council themes (its newest confirmed batch run), counted in people; ``None`` if none."""
    run = confirmed_run(cycle)
    if run is None:
        return None
    threshold = threshold_setting() if threshold is None else threshold
    hide = threshold if shared else 0
    people: dict[int, set[str]] = defaultdict(set)
    statements: dict[int, int] = defaultdict(int)
    rows = (ProposedMembership.objects.filter(run=run, statement__cycle=cycle, statement__review__consent_given=True)
            .values_list("theme_id", "statement__review__person_ref"))
    for theme_id, person in rows.iterator(chunk_size=5000):
        people[theme_id].add(person)
        statements[theme_id] += 1
    themes = list(run.themes.filter(pk__in=list(people)).values_list("pk", "name", "kind", "group"))
    kinds = []
    for kind in KINDS:
        found = sorted((t for t in themes if t[2] == kind), key=lambda t: (-len(people[t[0]]), t[1].lower(), t[3]))
        if not found:
            continue
        counts = [len(people[t[0]]) for t in found]
        shown = suppress_series(counts, hide) if hide else counts
        everyone = len(set().union(*(people[t[0]] for t in found)))
        kinds.append(CouncilKind(kind=kind, label=Kind(kind).label, people=suppress_value(everyone, hide) if hide else everyone,
                                 themes=[CouncilTheme(name=name, kind=kind, group=group, people=n,
                                                      statements=None if shared else statements[pk])
                                         for (pk, name, _k, group), n in zip(found, shown)]))
    return CouncilThemes(cycle=cycle, run=run, shared=shared, threshold=threshold, made_by=made_by,
                         made_at=timezone.now(), kinds=kinds)


def _rows(ct: CouncilThemes) -> list[dict]:
    base = {"cycle": ct.cycle.name, "year": ct.cycle.year, "batch_run": ct.run.pk,
            "confirmed_at": ct.run.confirmed_at.isoformat(timespec="seconds") if ct.run.confirmed_at else "",
            "suppress_below": ct.threshold if ct.shared else 0, "made_by": ct.made_by,
            "made_at": ct.made_at.isoformat(timespec="seconds")}
    return [{**base, "kind": Kind(t.kind).label, "group": t.group, "theme": t.name,
             "people": "" if t.people is None else t.people, "hidden": "yes" if t.people is None else "no",
             "statements": "" if t.statements is None else t.statements} for t in ct.themes]


def to_csv(ct: CouncilThemes) -> bytes:
    """One row per theme; every cell neutralised (no formulas), UTF-8 with a byte-order mark for Excel."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in _rows(ct):
        writer.writerow(safe_dict(row))
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(ct: CouncilThemes) -> bytes:
    """An "About" sheet (who made it, when, which run, the suppression rule) and a "Themes" sheet."""
    wb = Workbook()
    about = wb.active
    about.title = "About"
    for key, value in (("cycle", ct.cycle.name), ("year", ct.cycle.year), ("batch run", ct.run.pk),
                       ("confirmed at", ct.run.confirmed_at.isoformat(timespec="seconds") if ct.run.confirmed_at else ""),
                       ("made by", ct.made_by), ("made at", ct.made_at.isoformat(timespec="seconds")),
                       ("shared", "yes" if ct.shared else "no (workshop team: every count shown)"),
                       ("suppress below", ct.threshold if ct.shared else 0),
                       ("counts are", "distinct people (person IDs), not statements")):
        about.append(safe_row([key, value]))
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 70
    ws = wb.create_sheet("Themes")
    header = ["theme", "kind", "area or user group", "people", "statements"]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for t in ct.themes:
        ws.append(safe_row([t.name, Kind(t.kind).label, t.group, "" if t.people is None else t.people,
                            "" if t.statements is None else t.statements]))
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDE", (50, 24, 24, 10, 12)):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
