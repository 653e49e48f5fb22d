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

from decimal import Decimal, InvalidOperation

from django.db import transaction

from goldenthread.core.lookups import Lookups, NotOnTheList
from goldenthread.outcomes.models import Measure, OutcomeArea, ThemeOutcome
from goldenthread.reviews import tables
from goldenthread.reviews.importing import Problem, ReviewFileError, Table
from goldenthread.reviews.tables import ImportSummary, table_of  # noqa: F401  (table_of: the API's)
from goldenthread.reviews.tables import cell_text as _text
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops import theme_links
from goldenthread.workshops.models import Cluster, Workshop

OUTCOME_COLUMNS = ["code", "statement", "description"]
OUTCOME_REQUIRED = ["code", "statement"]
MEASURE_COLUMNS = ["outcome", "name", "kind", "unit", "value", "period", "cycle", "area", "user_group"]
MEASURE_REQUIRED = ["outcome", "name", "kind", "value", "period", "cycle"]
KIND_WORDS = {"activity": Measure.Kind.ACTIVITY, "results": Measure.Kind.RESULTS, "result": Measure.Kind.RESULTS}


class OutcomeFileError(ReviewFileError):
    """The file (or API body) cannot be imported. ``problems`` lists every reason; nothing was saved."""


def read_table(data: bytes, filename: str, file_format: str | None = None) -> Table:
    """A CSV or XLSX file as a table (:func:`goldenthread.reviews.tables.read_table`), problems as ours."""
    return tables.read_table(data, filename, file_format, error=OutcomeFileError)


def _check_columns(table: Table, columns: list[str], required: list[str], what: str) -> None:
    tables.check_columns(table, columns, required, what, OutcomeFileError)


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
    return theme_links.suggest_links(ThemeOutcome, "outcome", theme_links.themes_of(workshop), outcomes,
                                     [o.statement for o in outcomes], at_least=at_least)


def link_by_hand(cluster: Cluster, outcome: OutcomeArea, user) -> ThemeOutcome:
    """A person links a theme to an outcome the engine did not suggest: confirmed at once."""
    link, _ = ThemeOutcome.objects.get_or_create(cluster=cluster, outcome=outcome)
    link.decide(user, same=True)
    return link
