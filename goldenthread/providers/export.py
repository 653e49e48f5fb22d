"""CSV and XLSX exports of funds and ledgers, with formula and control characters neutralised in every text cell."""
from __future__ import annotations

import csv
import io

from goldenthread.privacy.cells import safe_row

LEDGER_COLUMNS = ["fund", "date", "kind", "category", "description", "with_whom", "hours", "money", "bank_hours",
                  "actual_hours", "band", "explanation", "corrects_line", "approval", "recorded_by", "recorded_at",
                  "line", "management"]
FUND_COLUMNS = ["fund", "person_ref", "service", "shared_by", "weekly_hours", "weekly_money", "hourly_rate",
                "hours_left", "money_left", "bank_hours", "split_from"]


def ledger_rows(funds) -> list[list]:
    rows = []
    for fund in funds:
        for e in fund.entries.select_related("recorded_by", "approval"):
            rows.append([fund.name, e.occurred_on.isoformat(), e.kind, e.category, e.description, e.with_whom,
                         e.hours, e.money, e.bank_hours, "" if e.actual_hours is None else e.actual_hours,
                         e.band, e.explanation,
                         e.corrects_id or "", e.approval.reason if e.approval else "",
                         e.recorded_by.get_username() if e.recorded_by else "", e.recorded_at.isoformat(), e.pk,
                         e.management])
    return rows  # numbers stay Decimal, so a negative amount is a number, never quoted text


def fund_rows(funds) -> list[list]:
    rows = []
    for f in funds:
        b = f.balances()
        rows.append([f.name, f.person.ref if f.person else "", str(f.service),
                     "; ".join(p.ref for p in f.shared_by.all()), f.weekly_hours, f.weekly_money,
                     f.hourly_rate, b["hours"], b["money"], b["bank"],
                     f.split_from.name if f.split_from else ""])
    return rows


PLAN_COLUMNS = ["fund", "what", "when", "with_whom", "hours_per_week", "rate", "band", "weekly_cost"]


def plan_rows(funds) -> list[list]:
    return [[f.name, p.what, p.when, p.with_whom, p.hours_per_week, p.rate, p.band, p.weekly_cost]
            for f in funds for p in f.plan_lines.all()]


def to_csv(columns: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(safe_row(row))
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, (columns, rows) in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(columns)
        for row in rows:
            ws.append(safe_row(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
