"""Bring in an outcome framework and its measures (all or nothing), and suggest which themes speak to which outcome.

Files are read by the review import's readers (:mod:`goldenthread.reviews.importing`): the same CSV decoding
(UTF-8, Windows-1252, UTF-16), the same guards against hostile spreadsheets, and the same way of naming a
problem ("Row 4, column value: is not a number"). Every problem in a file is listed and, if there is any,
nothing at all is saved. The API sends the same rows as JSON (``where`` is then "Outcome 2" or "Measure 3").

Importing a framework again updates the statement of each code it names and adds new codes; it removes
nothing. Importing measures again replaces the value of a figure already held (same outcome, cycle, name,
period, area and user group) and adds the rest.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from goldenthread.core.lookups import Lookups, NotOnTheList
from goldenthread.core.themes import similarity
from goldenthread.outcomes.models import Measure, OutcomeArea, ThemeOutcome
from goldenthread.privacy.normalise import strip_invisible
from goldenthread.reviews.importing import Problem, ReviewFileError, Table, guess_format, read_csv, read_xlsx
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.models import Cluster, Workshop

OUTCOME_COLUMNS = ["code", "statement", "description"]
OUTCOME_REQUIRED = ["code", "statement"]
MEASURE_COLUMNS = ["outcome", "name", "kind", "unit", "value", "period", "cycle", "area", "user_group"]
MEASURE_REQUIRED = ["outcome", "name", "kind", "value", "period", "cycle"]
KIND_WORDS = {"activity": Measure.Kind.ACTIVITY, "results": Measure.Kind.RESULTS, "result": Measure.Kind.RESULTS}


class OutcomeFileError(ReviewFileError):
    """The file (or API body) cannot be imported. ``problems`` lists every reason; nothing was saved."""


@dataclass
class ImportSummary:
    created: int
    updated: int
    what: str  # "outcome areas" or "measures"

    def __str__(self) -> str:
        if not self.created and not self.updated:
            return f"Nothing changed: every one of the {self.what} in the file was already held."
        return f"{self.created} {self.what} added and {self.updated} updated."


def _fail(message: str) -> OutcomeFileError:
    return OutcomeFileError([Problem("File", None, message)])


def read_table(data: bytes, filename: str, file_format: str | None = None) -> Table:
    """A CSV or XLSX file as a table, by the review import's readers (their problems become ours)."""
    if not data.strip():
        raise _fail("the file is empty")
    try:
        file_format = (file_format or guess_format(filename)).lower()
        if file_format not in ("csv", "xlsx"):
            raise _fail(f'"{file_format}" files cannot be imported here. Use a .csv or .xlsx file')
        return read_csv(data) if file_format == "csv" else read_xlsx(data)
    except OutcomeFileError:
        raise
    except ReviewFileError as exc:
        raise OutcomeFileError(exc.problems) from None


def table_of(rows: list[dict], where: str) -> Table:
    """Rows sent as JSON (the API) as a table; each row is named "<where> <n>"."""
    columns = sorted({key for row in rows for key in row})
    return Table(columns=columns, rows=[(f"{where} {n}", {k: ("" if v is None else v) for k, v in row.items()})
                                        for n, row in enumerate(rows, start=1)])


def _text(value) -> str:
    return strip_invisible(str(value)).strip() if value is not None else ""


def _check_columns(table: Table, columns: list[str], required: list[str], what: str) -> None:
    if not table.rows and not any(c in columns for c in table.columns):
        raise _fail(f"the file is empty or is not a table of {what}")
    missing = [c for c in required if c not in table.columns]
    if missing and len(missing) == len(required):
        raise _fail(f"this does not look like a table of {what}: the first row should hold the column names "
                    f"({', '.join(columns)})")
    if missing:
        raise OutcomeFileError([Problem("Row 1", c, "this column is missing") for c in missing])
    if not table.rows:
        raise _fail(f"the file has column names but no {what}")


# --- The outcome framework ----------------------------------------------------------------------

def check_outcomes(table: Table) -> list[dict]:
    _check_columns(table, OUTCOME_COLUMNS, OUTCOME_REQUIRED, "outcome areas")
    problems, out, seen = [], [], {}
    for where, row in table.rows:
        code, statement = _text(row.get("code")), _text(row.get("statement"))
        description = _text(row.get("description"))
        for column, value, longest in (("code", code, 20), ("statement", statement, 300)):
            if not value:
                problems.append(Problem(where, column, "is empty"))
            elif len(value) > longest:
                problems.append(Problem(where, column, f"is longer than {longest} characters"))
        if len(description) > 2000:
            problems.append(Problem(where, "description", "is longer than 2000 characters"))
        if code and code.casefold() in seen:
            problems.append(Problem(where, "code", f'"{code}" is used on {seen[code.casefold()].lower()} too'))
            continue
        seen[code.casefold()] = where
        out.append({"code": code, "statement": statement, "description": description})
    if problems:
        raise OutcomeFileError(problems)
    return out


def import_outcomes(table: Table) -> ImportSummary:
    """Add or update outcome areas from a table, all or nothing."""
    rows = check_outcomes(table)
    held = {o.code.casefold(): o for o in OutcomeArea.objects.all()}
    created = updated = 0
    with transaction.atomic():
        for position, row in enumerate(rows, start=len(held) + 1):
            existing = held.get(row["code"].casefold())
            if existing is None:
                OutcomeArea.objects.create(position=position, **row)
                created += 1
            elif (existing.statement, existing.description) != (row["statement"], row["description"]):
                existing.statement, existing.description = row["statement"], row["description"]
                existing.save(update_fields=["statement", "description"])
                updated += 1
    return ImportSummary(created, updated, "outcome areas")


# --- Measures ------------------------------------------------------------------------------------

def check_measures(table: Table) -> list[dict]:
    _check_columns(table, MEASURE_COLUMNS, MEASURE_REQUIRED, "measures")
    outcomes = {o.code.casefold(): o for o in OutcomeArea.objects.all()}
    cycles = {c.slug.casefold(): c for c in ProgrammeCycle.objects.all()}
    lookups = Lookups()
    problems, out, seen = [], [], {}
    for where, row in table.rows:
        values = {c: _text(row.get(c)) for c in MEASURE_COLUMNS}
        for column in MEASURE_REQUIRED:
            if not values[column]:
                problems.append(Problem(where, column, "is empty"))
        outcome = outcomes.get(values["outcome"].casefold())
        if values["outcome"] and outcome is None:
            problems.append(Problem(where, "outcome", f'"{values["outcome"][:40]}" is not the code of an outcome '
                                                      "area. Import the outcome framework first"))
        cycle = cycles.get(values["cycle"].casefold())
        if values["cycle"] and cycle is None:
            problems.append(Problem(where, "cycle", f'there is no cycle with the short name "{values["cycle"][:40]}"'))
        kind = KIND_WORDS.get(values["kind"].casefold())
        if values["kind"] and kind is None:
            problems.append(Problem(where, "kind", 'must be "activity" or "results"'))
        value = None
        if values["value"]:
            try:
                value = Decimal(values["value"].replace(",", ""))
                if not value.is_finite() or abs(value) >= Decimal("1e12"):
                    raise InvalidOperation
                value = value.quantize(Decimal("0.01"))
            except InvalidOperation:
                problems.append(Problem(where, "value", f'"{values["value"][:20]}" is not a number'))
                value = None
        for column, longest in (("name", 200), ("unit", 40), ("period", 40)):
            if len(values[column]) > longest:
                problems.append(Problem(where, column, f"is longer than {longest} characters"))
        found = {}
        for column in ("area", "user_group"):
            if values[column]:
                try:
                    found[column] = lookups.find(column, values[column])
                except NotOnTheList as exc:
                    problems.append(Problem(where, column, str(exc)))
        key = (values["outcome"].casefold(), values["cycle"].casefold(), values["name"].casefold(),
               values["period"].casefold(), values["area"].casefold(), values["user_group"].casefold())
        if key in seen:
            problems.append(Problem(where, None, f"is the same measure, period, area and user group as "
                                                 f"{seen[key].lower()}"))
        seen.setdefault(key, where)
        out.append({"outcome": outcome, "cycle": cycle, "name": values["name"], "kind": kind, "unit": values["unit"],
                    "value": value, "period": values["period"], "area": found.get("area"),
                    "user_group": found.get("user_group")})
    if problems:
        raise OutcomeFileError(problems)
    return out


def import_measures(table: Table) -> ImportSummary:
    """Add measures from a table, or replace the values already held for the same figure; all or nothing."""
    rows = check_measures(table)
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            key = {k: row[k] for k in ("outcome", "cycle", "name", "period", "area", "user_group")}
            measure, made = Measure.objects.get_or_create(**key, defaults={"kind": row["kind"], "unit": row["unit"],
                                                                          "value": row["value"]})
            if made:
                created += 1
            elif (measure.kind, measure.unit, measure.value) != (row["kind"], row["unit"], row["value"]):
                measure.kind, measure.unit, measure.value = row["kind"], row["unit"], row["value"]
                measure.save(update_fields=["kind", "unit", "value"])
                updated += 1
    return ImportSummary(created, updated, "measures")


# --- Themes to outcomes --------------------------------------------------------------------------

def suggest_links(workshop: Workshop, *, at_least: float = 0.3) -> int:
    """Suggest, for each named theme of the workshop, the outcome area most like it. Nothing counts until a
    person confirms it; a link a person already decided is left as it is."""
    outcomes = list(OutcomeArea.objects.all())
    themes = list(Cluster.objects.in_workshop(workshop).themes())
    if not outcomes or not themes:
        return 0
    scores = similarity([c.name for c in themes], [o.statement for o in outcomes])
    made = 0
    for cluster, row in zip(themes, scores):
        best = max(range(len(outcomes)), key=lambda i: row[i])
        if row[best] >= at_least:
            _link, created = ThemeOutcome.objects.get_or_create(
                cluster=cluster, outcome=outcomes[best], defaults={"score": round(min(max(row[best], 0.0), 1.0), 3)})
            made += created
    return made


def link_by_hand(cluster: Cluster, outcome: OutcomeArea, user) -> ThemeOutcome:
    """A person links a theme to an outcome the engine did not suggest: confirmed at once."""
    link, _ = ThemeOutcome.objects.get_or_create(cluster=cluster, outcome=outcome)
    link.decide(user, same=True)
    return link
