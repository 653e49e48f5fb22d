"""The downloadable review-file template, in each import format.

The example rows are invented. They show one review with a statement of each
kind, the person's top choices, and other people's perspectives. Area, service
and user group are taken from the council's own lists when it has them, so
the template imports as it is (a name not on a list is refused).
"""
from __future__ import annotations

import csv
import io
import json

from goldenthread.reviews.importing import COLUMNS, REVIEW_COLUMNS, STATEMENT_COLUMNS

_REVIEW = {
    "review_id": "EXAMPLE-001",
    "person_id": "P-EX-01",
    "person_name": "Sam Example",
    "review_date": "2026-02-03",
    "facilitator": "Alex Facilitator",
    "attendees": "Sam Example (person); Kim Example (sister); Alex Facilitator (review facilitator)",
    "location": "Day centre",
    "area": "Example Town",
    "service": "Example Supported Living",
    "user_group": "Learning disability",
    "consent": "yes",
}
_STATEMENTS = [
    {"kind": "working", "perspective": "person", "priority": 1, "text": "I like going to the gym on Tuesdays"},
    {"kind": "working", "perspective": "family", "priority": "", "text": "Kim says Sam is more confident"},
    {"kind": "not working", "perspective": "person", "priority": 1, "text": "There is no bus home after 6pm"},
    {"kind": "not working", "perspective": "staff", "priority": "", "text": "Rotas change at short notice"},
    {"kind": "future", "perspective": "person", "priority": 1, "text": "I want a paid job"},
    {"kind": "important now", "perspective": "person", "priority": "", "text": "Seeing my sister every week"},
]


def _example_review() -> dict:
    """The example review, naming the first area, service and user group on the council's lists."""
    from goldenthread.core.lookups import BY_FIELD

    review = dict(_REVIEW)
    for field, fixed in BY_FIELD.items():
        first = fixed.model.objects.order_by("name").first()
        if first is not None:
            review[field] = first.name
    return review


def template_rows() -> list[dict]:
    review = _example_review()
    return [{**review, **s} for s in _STATEMENTS]


def template_csv() -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(template_rows())
    return out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Reviews"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in template_rows():
        sheet.append([row[c] for c in COLUMNS])
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    help_sheet = book.create_sheet("How to fill this in")
    for column, meaning in COLUMN_HELP.items():
        help_sheet.append([column, meaning])
    help_sheet.column_dimensions["A"].width = 16
    help_sheet.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_json() -> bytes:
    review = _example_review()
    review["consent"] = True
    review["statements"] = [
        {c: (s[c] if s[c] != "" else None) for c in STATEMENT_COLUMNS} for s in _STATEMENTS
    ]
    assert set(review) == set(REVIEW_COLUMNS) | {"statements"}
    return (json.dumps({"reviews": [review]}, indent=2) + "\n").encode("utf-8")


TEMPLATES = {"csv": template_csv, "xlsx": template_xlsx, "json": template_json}
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}

COLUMN_HELP = {
    "review_id": "Required. The review's ID in your records. One review can have many rows; each row is one statement.",
    "person_id": "Required. A made-up ID for the person that stays the same every year. Not their name or NHS number.",
    "person_name": "Optional. Only used to hide the person's name in statements. Never shown on cards.",
    "review_date": "Required. The date of the review, like 2026-03-14 or 14/03/2026.",
    "facilitator": "Optional. Who facilitated the review. Hidden in statements.",
    "attendees": "Optional. Who came, like: Kim Example (sister); Jo Bloggs (support worker). Hidden in statements.",
    "location": "Optional. Where the review happened.",
    "area": "Required. One of the council's areas, as listed on the \"Areas, services and user groups\" page.",
    "service": "Optional. One of the council's services, as listed on that page.",
    "user_group": "Required. One of the council's user groups, such as Older people, as listed on that page.",
    "consent": "Required. yes or no: did the person agree their anonymised statements can be used this year?",
    "kind": "Required. working, not working, future (important for the future) or important now.",
    "perspective": "Optional. person (the default), family, staff or professional.",
    "priority": "Optional. 1, 2 or 3 if the person picked this as a top choice for this kind. Each number once per kind.",
    "text": "Required. What was said, in the words used.",
}
