"""Spreadsheet cells: formulas neutralised (OWASP CSV-injection rules), numbers kept, illegal characters removed."""
from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.privacy.cells import safe_cell, safe_dict, safe_row


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "  =1+1", " @x",
                                  '=HYPERLINK("http://x","y")', "-cmd|' /C calc'!A0"])
def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [3, -3, 2.5, None, True, dt.date(2026, 1, 2), "-3", "+4.5", " -1e3 ", "0"])
def test_numbers_dates_and_empty_cells_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_ordinary_text_is_unchanged():
    assert safe_cell("I can't get a bus after six - ever") == "I can't get a bus after six - ever"


def test_characters_an_xlsx_cannot_hold_are_removed_but_tabs_and_new_lines_stay():
    assert safe_cell("Bus\x00es\x01 a\x0bfter\x0c six\x1f") == "Buses after six"
    assert safe_cell("one\ttwo\nthree") == "one\ttwo\nthree"
    assert safe_cell("\x01=1") == "'=1"  # removing a control character cannot uncover a formula


def test_rows_and_dict_rows_are_made_safe_cell_by_cell():
    assert safe_row(["=1", 2, "x"]) == ["'=1", 2, "x"]
    assert safe_dict({"a": "@x", "b": 5}) == {"a": "'@x", "b": 5}
