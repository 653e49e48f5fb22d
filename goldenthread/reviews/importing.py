"""Import reviews from CSV, XLSX or JSON, all or nothing.

A review file is a table with one row per statement; the review's own details
repeat on each of its rows (see ``docs/import-format.md`` and the template that
``goldenthread import template`` writes). JSON may instead nest statements
inside each review.

Every problem in the file is collected and reported, each naming its row and
column, and if there is any problem nothing at all is saved. Re-importing a
file is safe: reviews already in the cycle with exactly the same content are
skipped, and a review ID that is already used for different content is a
problem to fix, never a silent overwrite.

Area, service and user group must each be one of the council's fixed lists
(:mod:`goldenthread.core.lookups`); a name that is not on its list is a
problem naming the first row it is on, with the closest name on the list
when there is one, and nothing is saved.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from goldenthread.core.locking import retry_when_locked
from goldenthread.core.lookups import Lookups, NotOnTheList
from goldenthread.core.models import Kind
from goldenthread.privacy import spreadsheets
from goldenthread.privacy.normalise import strip_invisible
from goldenthread.reviews.drafts import (
    InvalidValue,
    ReviewDraft,
    StatementDraft,
    check_in_cycle,
    parse_attendees,
    parse_consent,
    parse_date,
    parse_kind,
    parse_person_ref,
    parse_perspective,
    parse_priority,
)
from goldenthread.reviews.models import ImportBatch, ProgrammeCycle, Review
from goldenthread.reviews.saving import save_reviews

REVIEW_COLUMNS = [
    "review_id", "person_id", "person_name", "review_date", "facilitator", "attendees",
    "location", "area", "service", "user_group", "consent",
]
STATEMENT_COLUMNS = ["kind", "perspective", "priority", "text"]
COLUMNS = REVIEW_COLUMNS + STATEMENT_COLUMNS
REQUIRED_COLUMNS = ["review_id", "person_id", "review_date", "area", "user_group", "consent", "kind", "text"]
FORMATS = ("csv", "xlsx", "json")
MAX_TEXT_LENGTH = 5000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a review file, said so that the person who made the file can fix it."""

    where: str          # "Row 5", "Review 3, statement 2", or "File"
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"{self.where}, column {self.column}: {self.message}"
        return f"{self.where}: {self.message}"


class ReviewFileError(Exception):
    """The file cannot be imported. ``problems`` lists every reason; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[str, dict]] = field(default_factory=list)  # (where, {column: value})
    #: How the file's text was read, when that is worth saying ("Windows-1252"), else "".
    read_as: str = ""


@dataclass
class ImportResult:
    reviews_created: int
    reviews_unchanged: int
    statements_created: int
    batch: ImportBatch | None
    #: Of ``statements_created``, how many say what is important to the person now (not workshop cards).
    important_now: int = 0
    #: How the file's text was read when it was not UTF-8 ("Windows-1252", "UTF-16"), else "".
    read_as: str = ""

    def summary(self) -> str:
        if not self.reviews_created:
            return f"Nothing new to import: all {self.reviews_unchanged} reviews in the file are already in this cycle."
        text = f"Imported {self.reviews_created} reviews with {self.statements_created} statements."
        if self.important_now:
            text += (f" {self.important_now} of them say what is important to the person now: they are kept with "
                     "the reviews for the person's own plan, and are not workshop cards.")
        if self.reviews_unchanged:
            text += f" {self.reviews_unchanged} reviews were already in this cycle and were left as they were."
        if self.read_as:
            text += (f" The file was read as {self.read_as} text ({ENCODING_NOTES.get(self.read_as, '')}): check "
                     "that names and words with accents look right on the cards.")
        return text


def _fail(message: str) -> ReviewFileError:
    return ReviewFileError([Problem("File", None, message)])


def _column_name(header) -> str:
    return "_".join(str(header or "").replace("\ufeff", "").strip().lower().replace("-", " ").split())


# --- Readers: bytes in, a Table out -------------------------------------------------------------

def _limits() -> spreadsheets.Limits:
    from django.conf import settings

    return spreadsheets.Limits(max_rows=getattr(settings, "GOLDENTHREAD_IMPORT_MAX_ROWS", 50_000),
                               max_seconds=getattr(settings, "GOLDENTHREAD_IMPORT_MAX_SECONDS", 60))


#: Why a CSV might come in each encoding other than UTF-8, for the import's summary.
ENCODING_NOTES = {"Windows-1252": "how Excel on Windows saves a plain CSV", "UTF-16": "Excel's \"Unicode text\""}


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and how it was read ("" for UTF-8).

    Councils' CSVs come from Excel: "CSV UTF-8" (with or without a byte-order mark), plain "CSV" on Windows,
    which is Windows-1252 in the UK, and "Unicode text", which is UTF-16 with a byte-order mark. A UTF-16 file
    is recognised by its mark; anything else is read as UTF-8 if it can be, else as Windows-1252 (a file
    that is neither is refused, naming the line). A NUL character is refused in every encoding.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, read_as = data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise _fail("the file starts as UTF-16 text but cannot be read as it. Save it again as "
                        '"CSV UTF-8" and import it again') from None
    else:
        try:
            spreadsheets.check_csv_bytes(data)  # a NUL byte anywhere, not only in the first 4 KB
        except spreadsheets.HostileFile as exc:
            raise _fail(str(exc)) from None
        try:
            text, read_as = data.decode("utf-8-sig"), ""
        except UnicodeDecodeError:
            try:
                text, read_as = data.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                raise _fail(
                    f"the file is neither UTF-8 nor Windows-1252 text: byte 0x{data[exc.start]:02X} on line "
                    f'{line} cannot be read. Save the file again as "CSV UTF-8" and import it again'
                ) from None
    at = text.find("\x00")
    if at >= 0:
        raise _fail("this is not a text table (it contains binary data). "
                    f"Line {text[:at].count(chr(10)) + 1} has a NUL character. Use a CSV, XLSX or JSON file")
    return text.lstrip("\ufeff"), read_as


def read_csv(data: bytes) -> Table:
    text, read_as = decode_csv(data)
    # Comma, tab or semicolon: the one that gives every line the header's number of columns, comma first.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=spreadsheets.choose_delimiter(text))
    try:
        header = next(reader, None)
        if header is None:
            raise _fail("the file is empty")
        table = Table(columns=[_column_name(h) for h in header], read_as=read_as)
        problems = []
        for values in reader:
            where = f"Row {reader.line_num}"
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                problems.append(Problem(where, None, f"has {len(values)} values but there are only "
                                                     f"{len(header)} column names"))
                continue
            table.rows.append((where, dict(zip(table.columns, values))))
    except csv.Error as exc:
        raise _fail(f"this is not a readable CSV table (line {reader.line_num}: {exc})") from None
    if problems:
        raise ReviewFileError(problems)
    return table


def _review_sheet(book):
    """The sheet named "Reviews"; else the first whose first row has the review columns; else the first."""
    if "Reviews" in book.sheetnames:
        return book["Reviews"]
    for sheet in book.worksheets:
        header = next(sheet.iter_rows(values_only=True, max_row=1, max_col=spreadsheets.MAX_COLUMNS), None) or ()
        if {_column_name(h) for h in header} & set(REQUIRED_COLUMNS):
            return sheet
    if len(book.worksheets) > 1:
        names = ", ".join(f'"{name}"' for name in book.sheetnames[:10])
        raise _fail(f"none of the sheets ({names}) has the review columns ({', '.join(REQUIRED_COLUMNS)}) in "
                    'its first row. Put the reviews on a sheet named "Reviews"')
    return book.worksheets[0]


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise _fail("this is an old Excel .xls file. Save it as an Excel Workbook (.xlsx) and import it again")
        raise _fail("this is not an Excel .xlsx workbook")
    limits = _limits()
    try:
        spreadsheets.check_xlsx(data, limits)  # declared sizes only: a bomb is refused before it is unpacked
    except spreadsheets.HostileFile as exc:
        raise _fail(str(exc)) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise _fail(f"this Excel workbook cannot be opened ({exc.__class__.__name__})") from None
    sheet = _review_sheet(book)
    rows = sheet.iter_rows(values_only=True,
                           max_col=min(spreadsheets.MAX_COLUMNS, sheet.max_column or spreadsheets.MAX_COLUMNS))
    budget = spreadsheets.RowBudget(limits)
    header = next(rows, None)
    if header is None or not any(h not in (None, "") for h in header):
        raise _fail(f'the sheet "{sheet.title}" is empty')
    table = Table(columns=[_column_name(h) for h in header])
    for number, values in enumerate(rows, start=2):
        try:
            budget.tick()  # rows and seconds, for sheets that declare no size or the wrong one
        except spreadsheets.HostileFile as exc:
            book.close()
            raise _fail(str(exc)) from None
        if not any(v not in (None, "") for v in values):
            continue
        table.rows.append((f"Row {number}", {c: ("" if v is None else v) for c, v in zip(table.columns, values)}))
    book.close()
    return table


def read_json(data: bytes) -> Table:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _fail('the file is not UTF-8 text. Save it again as UTF-8 and import it again') from None
    except json.JSONDecodeError as exc:
        raise _fail(f"this is not valid JSON (line {exc.lineno}, character {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise _fail("the JSON is nested too deeply to be a review file") from None
    reviews = doc.get("reviews") if isinstance(doc, dict) else doc
    if not isinstance(reviews, list):
        raise _fail('the JSON must be an object with a "reviews" list, or a list of reviews')
    table = Table(columns=list(COLUMNS))
    problems = []
    for r, review in enumerate(reviews, start=1):
        if not isinstance(review, dict):
            problems.append(Problem(f"Review {r}", None, "is not a JSON object"))
            continue
        statements = review.get("statements")
        if not isinstance(statements, list) or not statements:
            problems.append(Problem(f"Review {r}", "statements", "must be a list with at least one statement"))
            continue
        base = {c: review.get(c, "") for c in REVIEW_COLUMNS}
        for s, statement in enumerate(statements, start=1):
            where = f"Review {r}, statement {s}"
            if not isinstance(statement, dict):
                problems.append(Problem(where, None, "is not a JSON object"))
                continue
            row = dict(base)
            row.update({c: statement.get(c, "") for c in STATEMENT_COLUMNS})
            row["_review_index"] = r
            table.rows.append((where, row))
    if problems:
        raise ReviewFileError(problems)
    return table


READERS: dict[str, Callable[[bytes], Table]] = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json}


def guess_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix == "xls":
        raise _fail("this is an old Excel .xls file. Save it as an Excel Workbook (.xlsx) and import it again")
    raise _fail(f'cannot tell the format of "{Path(filename).name}". Use a .csv, .xlsx or .json file')


# --- Checking: a Table in, drafts out -----------------------------------------------------------

def _text(value) -> str:
    return "" if value is None else str(value).strip()


def check_table(table: Table, lookups: Lookups | None = None) -> list[ReviewDraft]:
    """Turn a table into review drafts, or raise :class:`ReviewFileError` listing every problem.

    With ``lookups``, area, service and user group must be on the council's lists; each name that is not
    is one problem, on the first row that has it (a review's details repeat on each of its rows).
    """
    if not table.rows and not any(c in COLUMNS for c in table.columns):
        raise _fail("the file is empty or is not a table of reviews")
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing and len(missing) == len(REQUIRED_COLUMNS):
        raise _fail(
            "this does not look like a table of reviews: the first row should hold the column names "
            f"({', '.join(REQUIRED_COLUMNS)})"
        )
    if missing:
        raise ReviewFileError([Problem("Row 1", c, "this column is missing") for c in missing])
    if not table.rows:
        raise _fail("the file has column names but no reviews")

    problems: list[Problem] = []
    drafts: dict[str, ReviewDraft] = {}
    first_row: dict[str, str] = {}
    json_index: dict[str, int] = {}

    def check(where, column, parse, value):
        try:
            return parse(value)
        except InvalidValue as exc:
            problems.append(Problem(where, column, str(exc)))
            return None

    def required(value):
        text = _text(value)
        if not text:
            raise InvalidValue("is empty")
        return text

    not_on_list: dict[tuple[str, str], tuple[str, str, int]] = {}  # (column, name) -> (first row, message, rows)

    def on_list(where, column, value):
        if lookups is None or not value:
            return
        try:
            lookups.find(column, value)
        except NotOnTheList as exc:
            key = (column, value.casefold())
            first, message, rows = not_on_list.get(key, (where, str(exc), 0))
            not_on_list[key] = (first, message, rows + 1)

    for where, row in table.rows:
        # Invisible characters (zero-width, direction overrides, NUL) go before anything reads the row.
        row = {key: strip_invisible(value) if isinstance(value, str) else value for key, value in row.items()}
        reference = check(where, "review_id", required, row.get("review_id"))
        if reference and len(reference) > 64:
            problems.append(Problem(where, "review_id", "is longer than 64 characters"))
        person_ref = check(where, "person_id", parse_person_ref, row.get("person_id"))
        review_date = check(where, "review_date", parse_date, row.get("review_date"))
        area = check(where, "area", required, row.get("area"))
        user_group = check(where, "user_group", required, row.get("user_group"))
        consent = check(where, "consent", parse_consent, row.get("consent"))
        attendees = check(where, "attendees", parse_attendees, row.get("attendees"))
        kind = check(where, "kind", parse_kind, row.get("kind"))
        perspective = check(where, "perspective", parse_perspective, row.get("perspective"))
        priority = check(where, "priority", parse_priority, row.get("priority"))
        text = check(where, "text", required, row.get("text"))
        on_list(where, "area", area)
        on_list(where, "service", _text(row.get("service")))
        on_list(where, "user_group", user_group)
        if text and len(text) > MAX_TEXT_LENGTH:
            problems.append(Problem(where, "text", f"is longer than {MAX_TEXT_LENGTH} characters"))
        if reference is None:
            continue
        if "_review_index" in row:  # JSON: one object per review, so a repeated ID is a duplicate.
            seen = json_index.setdefault(reference, row["_review_index"])
            if seen != row["_review_index"]:
                problems.append(Problem(where, "review_id", f'"{reference}" is used by review {seen} too'))
                continue
        review = ReviewDraft(
            reference=reference,
            person_ref=person_ref or "",
            review_date=review_date,
            area=area or "",
            user_group=user_group or "",
            consent=consent,
            person_name=_text(row.get("person_name")),
            facilitator=_text(row.get("facilitator")),
            location=_text(row.get("location")),
            service=_text(row.get("service")),
            attendees=attendees or [],
        )
        if reference not in drafts:
            drafts[reference] = review
            first_row[reference] = where
        else:
            earlier = drafts[reference]
            for column, attr in (("person_id", "person_ref"), ("person_name", "person_name"),
                                 ("review_date", "review_date"), ("facilitator", "facilitator"),
                                 ("attendees", "attendees"), ("location", "location"), ("area", "area"),
                                 ("service", "service"), ("user_group", "user_group"), ("consent", "consent")):
                mine, theirs = getattr(review, attr), getattr(earlier, attr)
                if mine is not None and theirs is not None and mine != theirs:
                    problems.append(Problem(
                        where, column,
                        f'review "{reference}" has a different {column} here than on '
                        f'{first_row[reference].lower()}. Each review ID must be used for one review only',
                    ))
        if kind and text:
            drafts[reference].statements.append(
                StatementDraft(kind=kind, text=text, perspective=perspective or "person", priority=priority)
            )

    for (column, _name), (where, message, rows) in not_on_list.items():
        more = rows - 1
        problems.append(Problem(where, column, message + (f" It is on {more} more row{'s' if more != 1 else ''} "
                                                          "too." if more else "")))
    for reference, draft in drafts.items():
        for message in draft.priority_problems():
            problems.append(Problem(f'Review "{reference}"', "priority", message))
    if problems:
        raise ReviewFileError(problems)
    return list(drafts.values())


# --- The whole import ---------------------------------------------------------------------------

def read_review_file(data: bytes, filename: str, file_format: str | None = None, *,
                     lookups: Lookups | None = None, info: dict | None = None) -> list[ReviewDraft]:
    """Read and check a review file without saving anything (against the council's lists, given ``lookups``)."""
    if not data.strip():
        raise _fail("the file is empty")
    file_format = (file_format or guess_format(filename)).lower()
    if file_format not in READERS:
        raise _fail(f'"{file_format}" is not a format that can be imported. Use csv, xlsx or json')
    table = READERS[file_format](data)
    if info is not None:
        info["read_as"] = table.read_as  # how the text was read (a CSV not in UTF-8), for the summary
    return check_table(table, lookups)


def import_reviews(
    cycle: ProgrammeCycle,
    data: bytes,
    filename: str,
    *,
    file_format: str | None = None,
    user=None,
) -> ImportResult:
    """Import a review file into a cycle, all or nothing. Raises :class:`ReviewFileError`."""
    info: dict = {}
    drafts = read_review_file(data, filename, file_format, lookups=Lookups(), info=info)
    existing = dict(
        Review.objects.filter(cycle=cycle, reference__in=[d.reference for d in drafts])
        .values_list("reference", "fingerprint")
    )
    new, unchanged, problems = [], 0, []
    for draft in drafts:
        try:
            check_in_cycle(draft.review_date, cycle.year)
        except InvalidValue as exc:
            problems.append(Problem(f'Review "{draft.reference}"', "review_date", str(exc)))
            continue
        if draft.reference not in existing:
            new.append(draft)
        elif existing[draft.reference] == draft.fingerprint():
            unchanged += 1
        else:
            problems.append(Problem(
                f'Review "{draft.reference}"', "review_id",
                f"this review ID is already used in {cycle.name} for a review with different details. "
                "Give this review a new ID, or change the review on the web instead",
            ))
    if problems:
        raise ReviewFileError(problems)
    if not new:
        return ImportResult(0, unchanged, 0, None, read_as=info.get("read_as", ""))
    # Another writer may hold the database (SQLite: a live workshop saving a move). The import is one
    # transaction, so a locked database keeps nothing: it waits and tries the whole of it again, for a while.
    result = retry_when_locked(lambda: _save_import(cycle, data, filename, file_format, user, new, unchanged),
                               IMPORT_LOCK_WAIT_SECONDS, max_pause=1.0, first_pause=0.05)
    result.read_as = info.get("read_as", "")
    return result


#: How long an import waits for another writer before it gives up (the file is then not imported at all).
IMPORT_LOCK_WAIT_SECONDS = 60


def _save_import(cycle, data, filename, file_format, user, new, unchanged) -> ImportResult:
    import hashlib

    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                cycle=cycle,
                filename=Path(filename).name[:255],
                file_format=(file_format or guess_format(filename)).lower(),
                sha256=hashlib.sha256(data).hexdigest(),
                imported_by=user if (user is not None and user.is_authenticated) else None,
            )
            result = save_reviews(cycle, new, user=user, source=Review.Source.IMPORT, batch=batch)
            batch.reviews_created = len(result.reviews)
            batch.reviews_unchanged = unchanged
            batch.statements_created = result.statements_created
            batch.save(update_fields=["reviews_created", "reviews_unchanged", "statements_created"])
    except IntegrityError as exc:  # another import of the same reviews finished first
        raise _fail(f"the reviews could not be saved because the data changed while importing ({exc}). "
                    "Nothing was saved; try again") from None
    important_now = sum(1 for draft in new for s in draft.statements if s.kind == Kind.IMPORTANT_NOW)
    return ImportResult(len(result.reviews), unchanged, result.statements_created, batch, important_now)
