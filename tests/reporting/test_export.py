"""Every data file opens, agrees with the report numbers, hides small counts, and says who made it."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import openpyxl

from goldenthread.reporting.data import build_report
from goldenthread.reporting.export import to_csv, to_json, to_xlsx
from tests.reporting.conftest import BUS, STAFF

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "export-schema.json").read_text())


def _data(world, shared):
    return build_report(world["cycle"], world["workshop"], shared=shared, threshold=5, made_by="cora")


def test_csv_long_rows_in_people(world):
    rows = list(csv.DictReader(io.StringIO(to_csv(_data(world, False)).decode("utf-8-sig"))))
    bus = next(r for r in rows if r["theme"] == BUS and r["breakdown"] == "all")
    assert (bus["people"], bus["priority_dots"], bus["hidden"], bus["made_by"]) == ("8", "7", "no", "cora")
    assert {(r["group"], r["people"]) for r in rows if r["theme"] == BUS and r["breakdown"] == "area"} == {
        ("Harford", "3"), ("Northbrook", "5")}
    assert rows[0]["made_at"] and rows[0]["suppress_below"] == "0"


def test_shared_csv_hides_small_counts(world):
    rows = list(csv.DictReader(io.StringIO(to_csv(_data(world, True)).decode("utf-8-sig"))))
    staff = next(r for r in rows if r["theme"] == STAFF and r["breakdown"] == "all")
    assert staff["people"] == "" and staff["hidden"] == "yes" and rows[0]["suppress_below"] == "5"
    assert not any(r["people"] in {"1", "2", "3", "4"} for r in rows)


def test_xlsx_opens_with_every_sheet(world):
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(_data(world, False))))
    assert wb.sheetnames == ["About", "Themes", "By area", "By user group", "Actions", "Year on year"]
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert about["made by"] == "cora" and about["made at"]
    themes = {r[0]: r[2] for r in wb["Themes"].iter_rows(min_row=2, values_only=True)}
    assert themes[BUS] == 8 and themes[STAFF] == 3
    assert next(wb["Actions"].iter_rows(min_row=2, values_only=True))[0] == "Pay for a later bus"


def test_json_validates_against_the_documented_schema(world):
    for shared in (False, True):
        doc = json.loads(to_json(_data(world, shared)))
        jsonschema.validate(doc, SCHEMA, format_checker=jsonschema.FormatChecker())
    staff = next(t for t in doc["themes"] if t["name"] == STAFF)
    assert staff == {**staff, "people": None, "hidden": True}
    assert doc["metadata"]["made_by"] == "cora" and doc["metadata"]["suppress_below"] == 5


def test_schema_rejects_a_wrong_file():
    import pytest

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema_version": "1.0", "metadata": {}}, SCHEMA)
