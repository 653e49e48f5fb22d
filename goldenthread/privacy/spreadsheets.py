"""Cheap checks that refuse hostile review files before they are parsed.

An uploaded file is read by the server, so a file can be made to cost the
server far more than it costs to send ("spreadsheet bombs"):

* an XLSX is a zip: 1 MB can unpack to 1 GB of shared strings;
* a sheet can *declare* its size (``<dimension ref="A1:XFD1048576"/>``) and a
  reader that trusts it pads every row out to 16,384 columns;
* a sheet can simply have a million rows.

:func:`check_xlsx` looks only at what the zip says about itself (each
member's declared size and compression ratio) and at the first few kilobytes
of each worksheet (its declared dimension), so a bomb is refused in
milliseconds, before anything is unpacked. :class:`RowBudget` then bounds rows
and time *while* reading, for files that declare nothing or lie.

For CSV, :func:`check_csv_bytes` refuses a NUL byte anywhere (binary data),
and :func:`choose_delimiter` picks the separator by which of comma, tab and
semicolon gives the same number of columns on every line, preferring the comma,
instead of guessing from a sample.

Every refusal is a :class:`HostileFile` whose message says what is wrong in
plain words. Plain Python, no Django: the importer passes the limits in.
"""
from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from dataclasses import dataclass

MAX_MEMBERS = 1000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024           # all parts of the workbook together
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024      # the table of all text in the workbook
MAX_RATIO = 200                                   # unpacked size / packed size of one large part
RATIO_APPLIES_ABOVE = 1024 * 1024
MAX_COLUMNS = 200
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Za-z]{1,3})?(\d+)?(?::([A-Za-z]{1,3})(\d+))?"')


class HostileFile(ValueError):
    """The file is refused because reading it would cost too much; the message says why."""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@dataclass(frozen=True)
class Limits:
    max_rows: int = 50_000
    max_seconds: float = 60.0
    max_columns: int = MAX_COLUMNS


def check_xlsx(data: bytes, limits: Limits = Limits()) -> None:
    """Refuse an XLSX whose zip or declared sheet sizes are too big. Reads no more than a few KB of XML."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: the reader says so in its own words
    if len(members) > MAX_MEMBERS:
        raise HostileFile(f"this workbook has {len(members):,} parts inside it; a review workbook has a few dozen")
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise HostileFile(f"this workbook unpacks to {_mb(total)}, more than the {_mb(MAX_UNPACKED_BYTES)} allowed")
    for m in members:
        ratio = m.file_size // max(m.compress_size, 1)
        if m.file_size > RATIO_APPLIES_ABOVE and ratio > MAX_RATIO:
            raise HostileFile(f'the part "{m.filename}" of this workbook unpacks {ratio:,} '
                              f"times bigger than it is packed ({_mb(m.file_size)}); this is not an ordinary "
                              "spreadsheet")
        if m.filename.lower().endswith("sharedstrings.xml") and m.file_size > MAX_SHARED_STRINGS_BYTES:
            raise HostileFile(f"the text in this workbook takes {_mb(m.file_size)}, more than the "
                              f"{_mb(MAX_SHARED_STRINGS_BYTES)} allowed")
    for m in members:
        if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml"):
            with archive.open(m) as f:
                head = f.read(4096)
            found = _DIMENSION.search(head)
            if not found or not found.group(3):
                continue
            rows = int(found.group(4))
            columns = _column_number(found.group(3).decode("ascii"))
            if rows > limits.max_rows + 1:
                raise HostileFile(f"a sheet in this workbook says it has {rows:,} rows; at most "
                                  f"{limits.max_rows:,} rows can be imported at once. Split the file")
            if columns > limits.max_columns:
                raise HostileFile(f"a sheet in this workbook says it has {columns:,} columns; a review sheet has "
                                  f"{limits.max_columns} or fewer. Delete the empty columns and save it again")


class RowBudget:
    """Counts rows and time while a table is read; raises :class:`HostileFile` when either runs out."""

    def __init__(self, limits: Limits = Limits()):
        self.limits = limits
        self.rows = 0
        self.started = time.monotonic()

    def tick(self) -> None:
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise HostileFile(f"this file has more than {self.limits.max_rows:,} rows; at most "
                              f"{self.limits.max_rows:,} can be imported at once. Split the file")
        if self.rows % 500 == 0 and time.monotonic() - self.started > self.limits.max_seconds:
            raise HostileFile(f"reading this file took more than {self.limits.max_seconds:.0f} seconds and was "
                              "stopped. Save it again as a plain table, or split it")


def check_csv_bytes(data: bytes) -> None:
    """Refuse a CSV with a NUL byte anywhere: it is binary data, not text."""
    at = data.find(b"\x00")
    if at >= 0:
        line = data[:at].count(b"\n") + 1
        raise HostileFile("this is not a text table (it contains binary data). "
                          f"Line {line} has a NUL byte. Use a CSV, XLSX or JSON file")


def choose_delimiter(text: str, candidates: str = ",\t;", sample_records: int = 2000) -> str:
    """The separator that splits every line into the same number of columns as the header.

    Tried in order (comma first), over the first ``sample_records`` records, so
    a comma file whose text has one ``;`` per line is still read as commas.
    When none fits every line, the one whose header has the most columns wins.
    """
    best, best_columns = candidates[0], 0
    for delimiter in candidates:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = next(reader, None)
            if not header or len(header) < 2:
                continue
            consistent = True
            for i, row in enumerate(reader):
                if i >= sample_records:
                    break
                if any(v.strip() for v in row) and len(row) != len(header):
                    consistent = False
                    break
        except csv.Error:
            continue
        if consistent:
            return delimiter
        if len(header) > best_columns:
            best, best_columns = delimiter, len(header)
    return best
