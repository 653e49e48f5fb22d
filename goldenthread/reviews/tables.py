"""Tables of the council's own figures and lists (not reviews), brought in all or nothing from a CSV or XLSX file
or as JSON rows from the API: the outcome framework and its measures, the market directory.

Files are read by the review import's readers (:mod:`goldenthread.reviews.importing`): the same CSV decoding
(UTF-8, Windows-1252, UTF-16), the same guards against hostile spreadsheets, and the same way of naming a
problem ("Row 4, column value: is not a number"). Each app that imports tables names its own error class (a
:class:`~goldenthread.reviews.importing.ReviewFileError`), passed as ``error`` here.
"""
from __future__ import annotations

from dataclasses import dataclass

from goldenthread.privacy.normalise import strip_invisible
from goldenthread.reviews.importing import Problem, ReviewFileError, Table, guess_format, read_csv, read_xlsx


@dataclass
class ImportSummary:
    created: int
    updated: int
    what: str  # "outcome areas", "measures", "service types"…

    def __str__(self) -> str:
        if not self.created and not self.updated:
            return f"Nothing changed: every one of the {self.what} in the file was already held."
        return f"{self.created} {self.what} added and {self.updated} updated."


def file_problem(message: str, error: type[ReviewFileError] = ReviewFileError) -> ReviewFileError:
    return error([Problem("File", None, message)])


def read_table(data: bytes, filename: str, file_format: str | None = None, *,
               error: type[ReviewFileError] = ReviewFileError) -> Table:
    """A CSV or XLSX file as a table, by the review import's readers (their problems raised as ``error``)."""
    if not data.strip():
        raise file_problem("the file is empty", error)
    try:
        file_format = (file_format or guess_format(filename)).lower()
        if file_format not in ("csv", "xlsx"):
            raise file_problem(f'"{file_format}" files cannot be imported here. Use a .csv or .xlsx file', error)
        return read_csv(data) if file_format == "csv" else read_xlsx(data)
    except error:
        raise
    except ReviewFileError as exc:
        raise error(exc.problems) from None


def table_of(rows: list[dict], where: str) -> Table:
    """Rows sent as JSON (the API) as a table; each row is named "<where> <n>"."""
    columns = sorted({key for row in rows for key in row})
    return Table(columns=columns, rows=[(f"{where} {n}", {k: ("" if v is None else v) for k, v in row.items()})
                                        for n, row in enumerate(rows, start=1)])


def cell_text(value) -> str:
    """A cell as clean text: invisible characters removed, spaces trimmed."""
    return strip_invisible(str(value)).strip() if value is not None else ""


def check_columns(table: Table, columns: list[str], required: list[str], what: str,
                  error: type[ReviewFileError] = ReviewFileError) -> None:
    """Refuse a table that lacks a required column, or has no rows, naming what it should hold."""
    if not table.rows and not any(c in columns for c in table.columns):
        raise file_problem(f"the file is empty or is not a table of {what}", error)
    missing = [c for c in required if c not in table.columns]
    if missing and len(missing) == len(required):
        raise file_problem(f"this does not look like a table of {what}: the first row should hold the column "
                           f"names ({', '.join(columns)})", error)
    if missing:
        raise error([Problem("Row 1", c, "this column is missing") for c in missing])
    if not table.rows:
        raise file_problem(f"the file has column names but no {what}", error)
