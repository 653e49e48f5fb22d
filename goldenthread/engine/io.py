"""Read and write statement tables as CSV, with errors people can act on."""
from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Sequence

from goldenthread.engine.themes import InputError


def read_csv_table(path: str | os.PathLike) -> tuple[list[str], list[list[str]]]:
    """Read a UTF-8 CSV file into (header, rows), keeping every row as written.

    Raises :class:`InputError` for an empty file, a file with only a header,
    a file that is not UTF-8 (naming the byte, its offset and line), or a row
    with more fields than the header.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p} is a folder, not a CSV file") from None
    if not data.strip():
        raise InputError(f"{p} is empty: expected a CSV file with a header row and one "
                         "statement per row")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        bad = data[e.start:e.start + 1].hex().upper()
        raise InputError(
            f"{p} is not UTF-8: byte 0x{bad} at line {line}, column {col} (byte offset "
            f"{e.start}) cannot be read. Save the file as UTF-8 (for example in Excel: "
            "File > Save As > 'CSV UTF-8 (Comma delimited)') and try again") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise InputError(f"{p} is not a valid CSV file: {e}") from None
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise InputError(f"{p} is empty")
    header, body = rows[0], rows[1:]
    if not body:
        raise InputError(f"{p} has a header row ({', '.join(header)}) but no statements")
    for i, r in enumerate(body, start=1):
        if len(r) > len(header):
            raise InputError(f"{p}: row {i} has {len(r)} fields but the header has "
                             f"{len(header)}; check for unquoted commas in that row")
        if len(r) < len(header):
            r.extend([""] * (len(header) - len(r)))
    return header, body


def write_csv_table(path: str | os.PathLike, header: Sequence[str],
                    rows: Sequence[Sequence[object]]) -> None:
    """Write a CSV atomically (a temporary file renamed into place)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=p.name + ".", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(list(header))
            w.writerows(rows)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
