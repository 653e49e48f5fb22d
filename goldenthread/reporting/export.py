"""Data files for a Joint Strategic Needs Assessment: CSV, XLSX and JSON.

All three are made from one :class:`~goldenthread.reporting.data.ReportData`, so
they agree with the printed report. Counts are of **people**. In the shared
version a hidden count is empty (CSV, XLSX) or ``null`` with ``"hidden": true``
(JSON). Every file says who made it and when: the CSV in its ``made_by`` and
``made_at`` columns, the XLSX on its "About" sheet, the JSON in ``metadata``.

The JSON layout is documented by the JSON Schema in ``docs/export-schema.json``.
"""
from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.styles import Font

from goldenthread.core.models import Kind
from goldenthread.privacy.cells import safe_dict, safe_row
from goldenthread.reporting.data import ReportData

SCHEMA_VERSION = "1.0"
CSV_COLUMNS = ["cycle", "year", "workshop", "kind", "theme", "breakdown", "group", "people", "hidden",
               "priority_dots", "actions", "suppress_below", "made_by", "made_at"]


def metadata(data: ReportData) -> dict:
    return {
        "cycle": data.cycle.name, "cycle_slug": data.cycle.slug, "year": data.cycle.year,
        "workshop": data.workshop.name if data.workshop else None,
        "made_by": data.made_by, "made_at": data.made_at.isoformat(timespec="seconds"),
        "shared": data.shared, "suppress_below": data.threshold if data.shared else 0,
        "reviews": data.reviews, "people": data.people, "note": data.privacy_note,
        "counts_are": "distinct people (person IDs), not statements",
    }


def theme_rows(data: ReportData) -> list[dict]:
    """One row per theme and per theme-and-area / theme-and-user-group, in long ("tidy") form."""
    rows = []
    base = {"cycle": data.cycle.name, "year": data.cycle.year, "workshop": data.workshop.name if data.workshop else ""}
    for summary in data.kinds:
        for t in summary.themes:
            rows.append({**base, "kind": Kind(t.kind).label, "theme": t.name, "breakdown": "all", "group": "",
                         "people": t.people, "priority_dots": t.dots, "actions": t.actions})
    for table in data.by_area + data.by_group:
        for name, cells in zip(table.themes, table.cells):
            for group, n in zip(table.groups, cells):
                rows.append({**base, "kind": table.label, "theme": name, "breakdown": table.by, "group": group,
                             "people": n, "priority_dots": "", "actions": ""})
    return rows


def to_csv(data: ReportData) -> bytes:
    meta = metadata(data)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in theme_rows(data):
        hidden = row["people"] is None
        writer.writerow(safe_dict({**row, "people": "" if hidden else row["people"], "hidden": "yes" if hidden else "no",
                         "suppress_below": meta["suppress_below"], "made_by": meta["made_by"],
                         "made_at": meta["made_at"]}))
    return out.getvalue().encode("utf-8-sig")  # the byte-order mark lets Excel read the text as UTF-8


def _sheet(wb, title, header, rows):
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(safe_row(row))  # formulas neutralised, control characters removed
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGH", (45, 22, 22, 14, 14, 14, 14, 14)):
        ws.column_dimensions[col].width = width
    return ws


def to_xlsx(data: ReportData) -> bytes:
    meta = metadata(data)
    wb = Workbook()
    about = wb.active
    about.title = "About"
    for key, value in meta.items():
        about.append(safe_row([key.replace("_", " "), value if value is not None else ""]))
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 90
    _sheet(wb, "Themes", ["theme", "kind", "people", "priority dots", "actions"],
           [[t.name, Kind(t.kind).label, t.people, t.dots, t.actions] for s in data.kinds for t in s.themes])
    for title, tables in (("By area", data.by_area), ("By user group", data.by_group)):
        rows = []
        for table in tables:
            for name, cells in zip(table.themes, table.cells):
                rows += [[name, table.label, g, n] for g, n in zip(table.groups, cells)]
        _sheet(wb, title, ["theme", "kind", title[3:], "people"], rows)
    _sheet(wb, "Actions", ["what will be done", "who", "how we will know", "by when", "status", "themes"],
           [[a.text, a.owner, a.measure, a.due, a.status, "; ".join(a.themes)] for a in data.actions])
    _sheet(wb, "Year on year", ["last year's theme", "a year on", "compared with workshop", "this year's theme",
                                "people last year", "people this year", "last year's actions (who: status)"],
           [[r.theme, r.verdict, r.later_workshop, r.later_theme, r.before, r.now,
             "; ".join(f"{a.text} ({a.owner}: {a.status})" for a in r.actions)] for r in data.year_on])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_dict(data: ReportData) -> dict:
    def count(n):
        return {"people": n, "hidden": n is None}

    return {
        "schema_version": SCHEMA_VERSION,
        "metadata": metadata(data),
        "themes": [{"id": t.id, "name": t.name, "kind": t.kind, **count(t.people), "priority_dots": t.dots,
                    "actions": t.actions} for s in data.kinds for t in s.themes],
        "breakdowns": [{"kind": b.kind, "by": b.by, "theme": name, "group": g, **count(n)}
                       for b in data.by_area + data.by_group for name, cells in zip(b.themes, b.cells)
                       for g, n in zip(b.groups, cells)],
        "actions": [{"id": a.id, "text": a.text, "stakeholder": a.stakeholder, "owner": a.owner,
                     "measure": a.measure, "due": a.due.isoformat(), "status": a.status, "themes": a.themes}
                    for a in data.actions],
        "year_on_year": [{"theme": y.theme, "previous_theme": y.previous_name, "people_before": y.before,
                          "people_now": y.now, "change": y.change} for y in data.years],
        "a_year_on": [year_on_dict(r) for r in data.year_on],
    }


def year_on_dict(r) -> dict:
    """One of last year's themes a year on (a :class:`~goldenthread.reporting.change.YearOn`), for JSON."""
    return {"previous_theme": r.theme, "kind": r.kind, "earlier_workshop": r.earlier_workshop,
            "compared_with": r.later_workshop, "verdict": r.verdict, "theme": r.later_theme or None,
            "people_before": r.before, "people_now": r.now,
            "actions": [{"text": a.text, "owner": a.owner, "status": a.status, "note": a.note} for a in r.actions]}


def to_json(data: ReportData) -> bytes:
    return json.dumps(to_dict(data), indent=2, ensure_ascii=False).encode("utf-8")
