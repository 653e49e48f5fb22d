"""Themes across the whole council: a cycle's confirmed batch themes in the report and its downloads, in people."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from goldenthread.batch import services as batch
from goldenthread.batch.models import BatchRun, ProposedMembership, ProposedTheme
from goldenthread.reporting.council_themes import council_themes, to_csv, to_xlsx
from goldenthread.reporting.data import build_report
from goldenthread.reporting.models import ExportRecord
from goldenthread.workshops.models import Placement


@pytest.fixture
def council(world, commissioner, tmp_path, settings):
    """A confirmed batch run whose themes hold the same statements as the workshop's themes (known numbers)."""
    settings.GOLDENTHREAD_SUPPRESS_BELOW = 5
    run = batch.start_run([world["cycle"]], work_dir=tmp_path / "run")
    themes = {}
    for number, (statement, name, kind) in enumerate(Placement.objects.filter(
            board__workshop=world["workshop"], board__is_main=True, cluster__name__gt="").values_list(
            "card__statement_id", "cluster__name", "board__kind"), start=1):
        theme = themes.get(name) or themes.setdefault(name, ProposedTheme.objects.create(
            run=run, number=number, kind=kind, name=name, size=0))
        ProposedMembership.objects.create(run=run, theme=theme, statement_id=statement)
    BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.DONE)
    run.refresh_from_db()
    batch.confirm(run, commissioner)
    return run


def _people(ct):
    return {t.name: t.people for t in ct.themes}


def test_whole_council_themes_count_people_not_statements(world, council):
    team = council_themes(world["cycle"], shared=False)
    assert _people(team) == {"I can't get a bus after six": 8, "I don't know my staff": 3,
                             "I love the allotment": 6, "I want my own home": 6}
    bus = next(t for t in team.themes if t.name == "I can't get a bus after six")
    assert bus.statements == 9  # P1 said it twice: 9 cards, 8 people


def test_the_shared_version_hides_what_the_shared_report_hides_for_the_same_people(world, council):
    shared = council_themes(world["cycle"], shared=True)
    report = build_report(world["cycle"], world["workshop"], shared=True)
    assert _people(shared) == {t.name: t.people for k in report.kinds for t in k.themes}
    assert _people(shared)["I don't know my staff"] is None  # 3 people: under 5
    assert _people(shared)["I can't get a bus after six"] is None  # and the one beside it, or 8 - total gives 3 back
    assert all(t.statements is None for t in shared.themes)  # shared outputs give no statement counts


def test_only_a_confirmed_run_is_shown(world, council):
    BatchRun.objects.filter(pk=council.pk).update(status=BatchRun.Status.DONE)
    assert council_themes(world["cycle"]) is None


def test_the_cycle_report_shows_themes_across_the_whole_council(client, commissioner, world, council):
    client.force_login(commissioner)
    page = client.get(reverse("reports:page", args=[world["cycle"].slug])).content.decode()
    assert "Themes across the whole council" in page
    section = page[page.index('id="council-themes"'):]
    assert "I love the allotment" in section and ">6<" in section and ">hidden<" in section
    team = client.get(reverse("reports:page", args=[world["cycle"].slug]) + "?version=team").content.decode()
    assert ">3<" in team[team.index('id="council-themes"'):]


def test_the_downloads_are_in_people_neutralise_formulas_and_are_logged(client, commissioner, world, council):
    ProposedTheme.objects.filter(run=council, name="I love the allotment").update(name='=HYPERLINK("http://x","y")')
    client.force_login(commissioner)
    r = client.get(reverse("reports:council_download", args=[world["cycle"].slug, "csv"]))
    assert r.status_code == 200 and r["Content-Disposition"].endswith('-council-themes.csv"')
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_name = {row["theme"]: row for row in rows}
    assert by_name["'=HYPERLINK(\"http://x\",\"y\")"]["people"] == "6"
    assert by_name["I don't know my staff"]["people"] == "" and by_name["I don't know my staff"]["hidden"] == "yes"
    assert all(not row["theme"].startswith(("=", "+", "-", "@")) for row in rows)
    r = client.get(reverse("reports:council_download", args=[world["cycle"].slug, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    cells = [c for row in book["Themes"].iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert ["'=HYPERLINK(\"http://x\",\"y\")", "Working", None, 6, None] in [
        [c.value for c in row] for row in book["Themes"].iter_rows()]
    assert {r.file_format for r in ExportRecord.objects.filter(output="council_themes")} == {"csv", "xlsx"}


def test_there_is_no_download_before_themes_are_confirmed(client, commissioner, world):
    client.force_login(commissioner)
    assert client.get(reverse("reports:council_download", args=[world["cycle"].slug, "csv"])).status_code == 404
    assert client.get(reverse("reports:council_download", args=[world["cycle"].slug, "pdf"])).status_code == 404


def test_to_csv_and_to_xlsx_agree(world, council):
    ct = council_themes(world["cycle"], shared=False)
    rows = list(csv.DictReader(io.StringIO(to_csv(ct).decode("utf-8-sig"))))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(ct)))
    sheet = [[c.value for c in row] for row in book["Themes"].iter_rows(min_row=2)]
    assert [(r["theme"], int(r["people"])) for r in rows] == [(s[0], s[3]) for s in sheet]
