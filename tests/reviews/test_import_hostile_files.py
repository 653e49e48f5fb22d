"""Hostile review files are refused cheaply, with a message that names the problem; nothing is saved.

The spreadsheet bombs are built here with zipfile and stay a few kilobytes on disk.
"""
from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from goldenthread.reviews.importing import ReviewFileError, import_reviews, read_csv
from goldenthread.reviews.models import Review

HEADER = ["review_id", "person_id", "review_date", "area", "user_group", "consent", "kind", "text"]


def _workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Reviews"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replace(data: bytes, name: str, new: bytes, compress=zipfile.ZIP_DEFLATED) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compress) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, new if item.filename == name else src.read(item.filename))
        if name not in src.namelist():
            dst.writestr(name, new)
    return out.getvalue()


def _problem(cycle, data, filename="bomb.xlsx") -> str:
    with pytest.raises(ReviewFileError) as caught:
        import_reviews(cycle, data, filename)
    assert Review.objects.count() == 0
    return str(caught.value)


def test_a_sheet_that_claims_every_row_and_column_of_excel_is_refused_at_once(cycle):
    good = _workbook([["R1", "P1", "2026-01-02", "A", "G", "yes", "working", "Fine"]])
    sheet = zipfile.ZipFile(io.BytesIO(good)).read("xl/worksheets/sheet1.xml")
    import re
    bomb = _replace(good, "xl/worksheets/sheet1.xml", re.sub(rb'<dimension ref="[^"]*"\s*/>',
                                                             b'<dimension ref="A1:XFD1048576"/>', sheet))
    assert len(bomb) < 10_000
    started = time.monotonic()
    message = _problem(cycle, bomb)
    assert time.monotonic() - started < 2
    assert "says it has 1,048,576 rows" in message


def test_a_sheet_that_claims_thousands_of_columns_is_refused(cycle):
    good = _workbook([["R1", "P1", "2026-01-02", "A", "G", "yes", "working", "Fine"]])
    sheet = zipfile.ZipFile(io.BytesIO(good)).read("xl/worksheets/sheet1.xml")
    import re
    bomb = _replace(good, "xl/worksheets/sheet1.xml", re.sub(rb'<dimension ref="[^"]*"\s*/>',
                                                             b'<dimension ref="A1:XFD2"/>', sheet))
    assert "says it has 16,384 columns" in _problem(cycle, bomb)


def test_a_huge_shared_string_table_is_refused_before_it_is_unpacked(cycle):
    good = _workbook([["R1", "P1", "2026-01-02", "A", "G", "yes", "working", "Fine"]])
    huge = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="1" uniqueCount="1"><si><t>' + b"A" * (70 * 1024 * 1024) + b"</t></si></sst>")
    bomb = _replace(good, "xl/sharedStrings.xml", huge)
    del huge
    assert len(bomb) < 200_000
    message = _problem(cycle, bomb)
    assert "unpacks" in message and "xl/sharedStrings.xml" in message


def test_a_sheet_with_more_rows_than_the_limit_is_refused_naming_the_limit(cycle, settings):
    settings.GOLDENTHREAD_IMPORT_MAX_ROWS = 50
    rows = [[f"R{i}", f"P{i}", "2026-01-02", "A", "G", "yes", "working", "Fine"] for i in range(60)]
    assert "at most 50 rows can be imported at once" in _problem(cycle, _workbook(rows))


def test_a_sheet_that_hides_its_size_and_skips_to_a_far_row_is_stopped_by_the_row_limit(cycle, settings):
    settings.GOLDENTHREAD_IMPORT_MAX_ROWS = 1000
    good = _workbook([["R1", "P1", "2026-01-02", "A", "G", "yes", "working", "Fine"]])
    sheet = zipfile.ZipFile(io.BytesIO(good)).read("xl/worksheets/sheet1.xml")
    import re
    sheet = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", sheet)
    sheet = re.sub(rb'r="([A-Z]*)2"', rb'r="\g<1>900000"', sheet)
    message = _problem(cycle, _replace(good, "xl/worksheets/sheet1.xml", sheet))
    assert "more than 1,000 rows" in message


def test_a_nul_byte_anywhere_in_a_csv_is_refused(cycle, review_csv):
    data = review_csv + b"R9,P9,,2026-01-02,,,,A,,G,yes,working,person,," + b"x" * 5000 + b"\x00y\n"
    message = _problem(cycle, data, "reviews.csv")
    assert "binary data" in message and "Line 6 has a NUL byte" in message


def test_a_crlf_csv_with_one_semicolon_per_row_is_read_as_commas():
    # Quoted texts with a varying number of commas and one ";" each, CRLF line ends: the sniffer chose ";".
    text = "review_id,person_id,review_date,area,user_group,consent,kind,text\r\n" + "".join(
        f'R{i},P{i},2026-01-02,Harford,Older people,yes,working,"Tea{", cake" * (i % 3)}; really"\r\n'
        for i in range(40))
    table = read_csv(text.encode())
    assert table.columns == HEADER
    assert len(table.rows) == 40 and table.rows[2][1]["text"] == "Tea, cake, cake; really"


def test_a_semicolon_csv_from_european_excel_is_still_read():
    text = ("review_id;person_id;review_date;area;user_group;consent;kind;text\r\n"
            "R1;P1;2026-01-02;Harford;Older people;yes;working;Tea, cake and friends\r\n")
    table = read_csv(text.encode())
    assert table.columns == HEADER and table.rows[0][1]["text"] == "Tea, cake and friends"
