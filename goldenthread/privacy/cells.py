"""Make a value safe to put in a spreadsheet cell (CSV or XLSX) that someone will open in Excel.

Text in an export comes from people: theme names typed in a workshop, areas and
user groups from an imported file, action owners. A spreadsheet program treats a
cell that *starts* with ``=``, ``+``, ``-`` or ``@`` (or with a tab or carriage
return before one of them) as a formula, so ``=HYPERLINK("http://…","Click")``
typed as a theme name would become a live link, or worse, in the commissioner's
copy of the data. This is "CSV injection" (OWASP: *CSV Injection*). The rule
OWASP gives, and this module follows:

* a text cell whose first character, or first character after leading spaces,
  is one of ``= + - @`` or a tab or carriage return gets a leading apostrophe
  (``'``), so it is shown as the text it is;
* numbers stay numbers (an ``int``/``float``, and in CSV a string that *is*
  just a number such as ``-3`` or ``+4.5``), so counts still add up.

XLSX files also cannot hold most ASCII control characters at all (openpyxl
refuses ``\\x00``–``\\x08``, ``\\x0b``, ``\\x0c``, ``\\x0e``–``\\x1f``, and the
export would fail); :func:`safe_cell` removes them from every text cell.

Plain Python, no Django: every CSV or XLSX writer in the project calls
:func:`safe_cell` (one cell) or :func:`safe_row` (a list of cells).

>>> safe_cell('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> safe_cell("-3"), safe_cell(-3), safe_cell("I can get a bus")
('-3', -3, 'I can get a bus')
"""
from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

#: Characters that start a formula (or smuggle one in) when they begin a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The characters openpyxl cannot write to an XLSX file (its ILLEGAL_CHARACTERS_RE).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NUMBER_RE = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")


def strip_illegal(text: str) -> str:
    """Remove the control characters a spreadsheet file cannot hold (tab, newline and return stay)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could read ``text`` as a formula."""
    return text.lstrip(" ").startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS)


def safe_cell(value):
    """``value`` made safe for a CSV or XLSX cell: formulas neutralised, illegal characters removed.

    ``None``, booleans, numbers, dates and times are returned unchanged; anything
    else is turned into text first.
    """
    if value is None or isinstance(value, (bool, int, float, Decimal, date, datetime, time)):
        return value
    text = strip_illegal(str(value))
    if is_formula_like(text) and not _NUMBER_RE.fullmatch(text):
        return "'" + text
    return text


def safe_row(values) -> list:
    """:func:`safe_cell` applied to every value of a row."""
    return [safe_cell(v) for v in values]


def safe_dict(row: dict) -> dict:
    """:func:`safe_cell` applied to every value of a ``csv.DictWriter`` row."""
    return {k: safe_cell(v) for k, v in row.items()}
