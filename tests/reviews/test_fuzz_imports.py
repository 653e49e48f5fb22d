"""Property-based tests for every review importer (CSV, XLSX, JSON): whatever the bytes, the import either
succeeds whole or fails with its own error (ReviewFileError), and a failed import writes nothing."""
from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from goldenthread.reviews.importing import ReviewFileError, import_reviews
from goldenthread.reviews.models import ImportBatch, Review, Statement

HEADER = ["review_id", "person_id", "person_name", "review_date", "facilitator", "attendees", "location", "area",
          "service", "user_group", "consent", "kind", "perspective", "priority", "text"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])

cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "yes", "no", "working", "not working", "future", "person", "family", "1", "4", "0",
                     "2026-02-03", "31/02/2026", "=HYPERLINK(1)", "\x00", "R1", "P1", "Harford", "Older people"]),
)
rows = st.lists(st.lists(cell, min_size=0, max_size=len(HEADER) + 2), max_size=6)


def _counts():
    return Review.objects.count(), Statement.objects.count(), ImportBatch.objects.count()


def _check(cycle, data: bytes, name: str):
    before = _counts()
    try:
        result = import_reviews(cycle, data, name)
    except ReviewFileError as exc:
        assert exc.problems, "a refused file says what is wrong"
        assert _counts() == before, "a refused import wrote something"
    else:
        reviews, statements, _ = _counts()
        assert (reviews - before[0], statements - before[1]) == (result.reviews_created, result.statements_created)


def _csv(header, body) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
@FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_the_import_error(cycle, suffix, data):
    _check(cycle, data, f"reviews.{suffix}")


@FUZZ
@given(body=rows, header=st.one_of(st.just(HEADER), st.permutations(HEADER), st.lists(st.sampled_from(HEADER))))
def test_csv_shaped_like_a_review_file_imports_whole_or_not_at_all(cycle, header, body):
    _check(cycle, _csv(header, body), "reviews.csv")


@FUZZ
@given(body=rows)
def test_xlsx_shaped_like_a_review_file_imports_whole_or_not_at_all(cycle, body):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for r in body:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in r])  # openpyxl itself refuses control characters
    out = io.BytesIO()
    book.save(out)
    _check(cycle, out.getvalue(), "reviews.xlsx")


json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | cell,
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(cell, inner, max_size=3),
                          max_leaves=12)


@FUZZ
@given(doc=st.one_of(json_value,
                     st.lists(st.dictionaries(st.sampled_from(HEADER + ["statements", "attendees"]), json_value,
                                              max_size=len(HEADER)), max_size=4),
                     st.fixed_dictionaries({"reviews": st.lists(st.dictionaries(
                         st.sampled_from(HEADER + ["statements", "attendees"]), json_value), max_size=3)})))
def test_json_shaped_like_a_review_file_imports_whole_or_not_at_all(cycle, doc):
    _check(cycle, json.dumps(doc, allow_nan=True).encode(), "reviews.json")


def test_deeply_nested_json_is_refused_cleanly(cycle):
    with pytest.raises(ReviewFileError):
        import_reviews(cycle, b"[" * 100_000 + b"]" * 100_000, "reviews.json")
    assert _counts() == (0, 0, 0)
