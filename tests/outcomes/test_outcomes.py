"""Outcome areas and measures: imported all or nothing, linked to themes by a person, shown beside what people said."""
from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.outcomes import services
from goldenthread.outcomes.models import Measure, OutcomeArea, ThemeOutcome
from goldenthread.outcomes.services import OutcomeFileError, import_measures, import_outcomes, read_table
from goldenthread.reporting.change import MORE, RAISED
from goldenthread.reporting.outcomes import outcome_page
from goldenthread.workshops import theme_links
from tests.reporting.conftest import ALLOTMENT, BUS, HOME, STAFF, build_world

FRAMEWORK_CSV = (b"code,statement,description\n"
                 b"O1,I can get where I want to go,Transport and getting about\n"
                 b"O2,I have people who know me,\n")


def _framework():
    return import_outcomes(read_table(FRAMEWORK_CSV, "framework.csv"))


def _measures_csv(*rows: str) -> bytes:
    return ("outcome,name,kind,unit,value,period,cycle,area,user_group\n" + "\n".join(rows) + "\n").encode()


def _confirm(cluster, outcome, user):
    link = ThemeOutcome.objects.create(cluster=cluster, outcome=outcome, score=0.8)
    link.decide(user, same=True)
    return link


# --- Imports -------------------------------------------------------------------------------------

def test_a_framework_file_adds_outcome_areas_and_importing_it_again_updates_without_duplicates(db):
    summary = _framework()
    assert (summary.created, summary.updated) == (2, 0)
    changed = FRAMEWORK_CSV.replace(b"I have people who know me", b"I have people who know me well")
    again = import_outcomes(read_table(changed, "framework.csv"))
    assert (again.created, again.updated) == (0, 1)
    assert list(OutcomeArea.objects.values_list("code", "statement")) == [
        ("O1", "I can get where I want to go"), ("O2", "I have people who know me well")]


def test_a_bad_framework_file_names_every_row_and_column_and_saves_nothing(db):
    bad = b"code,statement\nO1,I can get about\n,No code here\nO1,Twice\nO3,\n"
    with pytest.raises(OutcomeFileError) as caught:
        import_outcomes(read_table(bad, "framework.csv"))
    said = [str(p) for p in caught.value.problems]
    assert said == ["Row 3, column code: is empty", 'Row 4, column code: "O1" is used on row 2 too',
                    "Row 5, column statement: is empty"]
    assert not OutcomeArea.objects.exists()


def test_a_measures_file_with_problems_lists_each_and_keeps_nothing_of_the_good_rows(cycle):
    _framework()
    data = _measures_csv("O1,Bus passes issued,activity,passes,1200,2025-26,test-2026,,",
                         "O9,Unknown outcome,activity,,1,2025-26,test-2026,,",
                         "O1,Journeys,sometimes,,12,2025-26,test-2026,,",
                         "O1,Journeys made,results,,lots,2025-26,no-such-cycle,Atlantis,")
    with pytest.raises(OutcomeFileError) as caught:
        import_measures(read_table(data, "measures.csv"))
    said = [str(p) for p in caught.value.problems]
    assert said[0].startswith('Row 3, column outcome: "O9" is not the code of an outcome area')
    assert "Row 4, column kind: must be \"activity\" or \"results\"" in said
    assert 'Row 5, column cycle: there is no cycle with the short name "no-such-cycle"' in said
    assert 'Row 5, column value: "lots" is not a number' in said
    assert any(p.startswith("Row 5, column area:") for p in said)
    assert not Measure.objects.exists()  # the good first row was not saved either


def test_a_measures_workbook_is_imported_and_a_second_import_replaces_the_value(cycle):
    from openpyxl import Workbook

    _framework()
    book = Workbook()
    sheet = book.active
    sheet.append(["outcome", "name", "kind", "unit", "value", "period", "cycle", "area", "user_group"])
    sheet.append(["O1", "Bus passes issued", "activity", "passes", 1200, "2025-26", "test-2026", "Harford", ""])
    sheet.append(["o1", "Journeys that were on time", "Results", "%", 81.5, "2025-26", "TEST-2026", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    assert import_measures(read_table(buffer.getvalue(), "measures.xlsx")).created == 2
    passes = Measure.objects.get(name="Bus passes issued")
    assert (passes.kind, passes.area.name, passes.user_group, passes.shown_value) == ("activity", "Harford", None, "1,200")
    again = import_measures(read_table(_measures_csv("O1,Bus passes issued,activity,passes,1300,2025-26,test-2026,"
                                                     "Harford,"), "measures.csv"))
    assert (again.created, again.updated) == (0, 1)
    assert Measure.objects.get(name="Bus passes issued").shown_value == "1,300"


def test_a_file_that_is_not_a_table_is_refused_with_the_review_imports_words(db):
    with pytest.raises(OutcomeFileError) as caught:
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "framework.xls")
    assert "old Excel .xls file" in str(caught.value)


# --- Suggested, then confirmed -------------------------------------------------------------------

@pytest.fixture
def world(cycle, make_user):
    user = make_user(roles.COMMISSIONER, "cora")
    workshop, clusters, action = build_world(cycle, user)
    _framework()
    return {"cycle": cycle, "workshop": workshop, "clusters": clusters, "action": action, "user": user,
            "o1": OutcomeArea.objects.get(code="O1"), "o2": OutcomeArea.objects.get(code="O2")}


def test_the_engine_suggests_links_and_only_a_confirmed_one_reaches_the_outcomes_page(world, monkeypatch):
    def fake_similarity(themes, outcomes):  # the bus theme is like O1; the staff theme like O2; others like nothing
        return [[0.9 if (t == BUS and o.startswith("I can get")) or (t == STAFF and "know me" in o) else 0.1
                 for o in outcomes] for t in themes]

    monkeypatch.setattr(theme_links, "similarity", fake_similarity)
    assert services.suggest_links(world["workshop"]) == 2
    assert services.suggest_links(world["workshop"]) == 0  # suggesting again adds nothing
    link = ThemeOutcome.objects.get(outcome=world["o1"])
    assert (link.cluster.name, link.status, link.score) == (BUS, "suggested", 0.9)
    assert outcome_page(world["o1"]).cycles == []  # a suggestion counts for nothing

    link.decide(world["user"], same=True)
    ThemeOutcome.objects.get(outcome=world["o2"]).decide(world["user"], same=False)
    [year] = outcome_page(world["o1"], shared=False).cycles
    assert [(e.theme, e.people) for e in year.experience] == [(BUS, 8)]
    assert [a.text for a in year.actions] == ["Pay for a later bus"]
    assert outcome_page(world["o2"]).cycles == []  # rejected: still nothing


def test_the_links_page_lets_a_commissioner_confirm_and_refuses_a_viewer(world, make_user, monkeypatch):
    monkeypatch.setattr(theme_links, "similarity", lambda a, b: [[0.9] + [0.0] * (len(b) - 1) for _ in a])
    url = reverse("outcomes:links", args=[world["cycle"].slug])
    viewer = Client()
    viewer.force_login(make_user(roles.VIEWER, "vera"))
    assert viewer.post(url, {"suggest": "1"}).status_code == 403
    assert not ThemeOutcome.objects.exists()
    commissioner = Client()
    commissioner.force_login(world["user"])
    assert commissioner.post(url, {"suggest": "1"}).status_code == 302
    link = ThemeOutcome.objects.get(cluster=world["clusters"][BUS])
    assert commissioner.post(url, {"link": str(link.pk), "decision": "confirm"}).status_code == 302
    link.refresh_from_db()
    assert (link.status, link.decided_by) == ("confirmed", world["user"])
    assert commissioner.post(url, {"link": "1 OR 1=1", "decision": "confirm"}).status_code == 400


# --- The outcomes page ---------------------------------------------------------------------------

def test_the_shared_outcomes_page_hides_a_small_count_that_the_team_version_shows(world, make_user):
    _confirm(world["clusters"][STAFF], world["o2"], world["user"])  # 3 people: below the limit of 5
    _confirm(world["clusters"][HOME], world["o2"], world["user"])   # 6 people
    shared = {e.theme: e.people for e in outcome_page(world["o2"]).cycles[0].experience}
    team = {e.theme: e.people for e in outcome_page(world["o2"], shared=False).cycles[0].experience}
    assert shared == {STAFF: None, HOME: 6} and team == {STAFF: 3, HOME: 6}

    viewer = Client()
    viewer.force_login(make_user(roles.VIEWER, "vera"))
    url = reverse("reports:outcome", args=[world["o2"].pk])
    text = viewer.get(url + "?version=team").content.decode()  # a viewer cannot ask for the team version
    assert "Fewer than 5 people (number hidden)" in text and "3 people" not in text
    assert "6 people" in text


def test_narrowing_to_an_area_uses_the_reports_own_cells_and_hides_what_they_hide(world):
    from goldenthread.core.models import Area

    _confirm(world["clusters"][ALLOTMENT], world["o1"], world["user"])  # 6 people: 4 in Northbrook, 2 in Harford
    _confirm(world["clusters"][HOME], world["o1"], world["user"])  # 6 people, all in Harford

    def people(**narrow):
        return {e.theme: e.people for e in outcome_page(world["o1"], **narrow).cycles[0].experience}

    northbrook, harford = Area.objects.get(name="Northbrook"), Area.objects.get(name="Harford")
    assert people() == {ALLOTMENT: 6, HOME: 6}
    assert people(area=harford) == {ALLOTMENT: None, HOME: 6}
    assert people(area=northbrook) == {ALLOTMENT: None, HOME: 0}
    assert people(area=northbrook, shared=False) == {ALLOTMENT: 4, HOME: 0}


def test_measures_sit_beside_each_cycle_for_exactly_the_area_asked_for(world):
    from goldenthread.core.models import Area

    import_measures(read_table(_measures_csv("O1,Bus passes issued,activity,passes,1200,2025-26,test-2026,,",
                                             "O1,Bus passes issued,activity,passes,300,2025-26,test-2026,Harford,",
                                             "O1,Journeys on time,results,%,81.5,2025-26,test-2026,,"),
                               "m.csv"))
    page = outcome_page(world["o1"])
    assert [(r.name, r.cells) for r in page.activity] == [("Bus passes issued", [["1,200 passes (2025-26)"]])]
    assert [(r.name, r.cells) for r in page.results] == [("Journeys on time", [["81.5% (2025-26)"]])]
    harford = outcome_page(world["o1"], area=Area.objects.get(name="Harford"))
    assert [r.cells for r in harford.activity] == [[["300 passes (2025-26)"]]] and harford.results == []


def test_the_direction_of_change_is_year_ons_verdict(world, make_user):
    from goldenthread.reporting.models import ThemeMatch
    from goldenthread.reviews.models import ProgrammeCycle

    earlier = ProgrammeCycle.objects.create(name="Test town, 2025", slug="test-2025", year=2025)
    _w, before, _a = build_world(earlier, world["user"], year_offset=-1, bus_people=range(1, 7), name_suffix=" 2025")
    world["cycle"].previous = earlier
    world["cycle"].save()
    match = ThemeMatch.objects.create(previous_cluster=before[BUS], cluster=world["clusters"][BUS], score=1)
    match.decide(world["user"], same=True)
    _confirm(world["clusters"][BUS], world["o1"], world["user"])
    _confirm(before[BUS], world["o1"], world["user"])
    _confirm(world["clusters"][ALLOTMENT], world["o1"], world["user"])
    first, second = outcome_page(world["o1"], shared=False).cycles
    assert [e.change for e in first.experience] == ["nothing to compare with, as this is the first year"]
    changes = {e.theme: e.change for e in second.experience}
    assert changes[BUS] == MORE  # 6 people, then 8 people
    assert changes[ALLOTMENT].startswith("new")
    # Shared: this year's bus count is hidden (beside the small staff theme), so no more or fewer is said.
    assert {e.theme: e.change for e in outcome_page(world["o1"]).cycles[1].experience}[BUS] == RAISED


def test_the_outcome_page_escapes_hostile_names(world, make_user):
    OutcomeArea.objects.filter(pk=world["o1"].pk).update(statement='<script>alert("x")</script>')
    client = Client()
    client.force_login(make_user(roles.VIEWER, "vera"))
    text = client.get(reverse("reports:outcome", args=[world["o1"].pk])).content.decode()
    assert "<script>alert" not in text and "&lt;script&gt;" in text


def test_only_people_who_run_cycles_may_import(world, make_user):
    url = reverse("outcomes:import", args=["framework"])
    upload = io.BytesIO(b"code,statement\nO7,I feel safe at home\n")
    upload.name = "framework.csv"
    for role, status in ((roles.VIEWER, 403), (roles.PROVIDER_MANAGER, 403), (roles.FACILITATOR, 302)):
        client = Client()
        client.force_login(make_user(role))
        upload.seek(0)
        assert client.post(url, {"file": upload}).status_code == status, role
    assert OutcomeArea.objects.filter(code="O7").count() == 1


def test_the_import_page_shows_each_problem_and_nothing_is_saved(world):
    client = Client()
    client.force_login(world["user"])
    upload = io.BytesIO(_measures_csv("O1,Bus passes,activity,,12x,2025-26,test-2026,,"))
    upload.name = "measures.csv"
    response = client.post(reverse("outcomes:import", args=["measures"]), {"file": upload})
    assert response.status_code == 200
    assert "Row 2, column value: &quot;12x&quot; is not a number" in response.content.decode()
    assert not Measure.objects.exists()


def test_the_golden_thread_runs_from_an_action_and_a_theme_to_their_outcome_only_once_confirmed(world, make_user):
    client = Client()
    client.force_login(make_user(roles.VIEWER, "vera"))
    action_url = reverse("reports:action_thread", args=[world["action"].pk])
    theme_url = reverse("reports:theme_thread", args=[world["clusters"][BUS].pk])
    outcome_url = reverse("reports:outcome", args=[world["o1"].pk])
    link = ThemeOutcome.objects.create(cluster=world["clusters"][BUS], outcome=world["o1"], score=0.7)
    assert outcome_url not in client.get(action_url).content.decode()  # only suggested
    link.decide(world["user"], same=True)
    assert outcome_url in client.get(action_url).content.decode()
    assert outcome_url in client.get(theme_url).content.decode()
    assert theme_url in client.get(outcome_url).content.decode()  # and back: outcome -> theme -> its statements


def test_an_action_shows_the_council_wide_measures_of_the_outcomes_its_themes_were_confirmed_for(world, make_user):
    import_measures(read_table(_measures_csv("O1,Bus passes issued,activity,passes,1200,2025-26,test-2026,,",
                                             "O1,Journeys on time,results,%,81.5,2025-26,test-2026,,",
                                             "O1,Journeys on time,results,%,12,2025-26,test-2026,Harford,",
                                             "O2,Friends made,results,people,7,2025-26,test-2026,,"), "m.csv"))
    client = Client()
    client.force_login(make_user(roles.VIEWER, "vera"))
    action_url = reverse("reports:action_thread", args=[world["action"].pk])
    assert "Bus passes issued" not in client.get(action_url).content.decode()  # no confirmed outcome yet
    _confirm(world["clusters"][BUS], world["o1"], world["user"])
    page = client.get(action_url).content.decode()
    assert "Bus passes issued" in page and "1,200 passes (2025-26)" in page and "81.5% (2025-26)" in page
    assert "12% (2025-26)" not in page  # one area's figure is not the whole council's
    assert "Friends made" not in page  # O2 was never confirmed for the action's themes


def test_the_import_command_brings_in_a_framework_and_refuses_a_bad_measures_file(cycle, tmp_path):
    from click.testing import CliRunner

    from goldenthread.cli.main import cli

    framework = tmp_path / "framework.csv"
    framework.write_bytes(FRAMEWORK_CSV)
    result = CliRunner().invoke(cli, ["import", "outcomes", str(framework)])
    assert result.exit_code == 0 and "2 outcome areas added" in result.output
    measures = tmp_path / "measures.csv"
    measures.write_bytes(_measures_csv("O1,Bus passes,activity,,12,2025-26,test-2026,,",
                                       "O1,Journeys,activity,,,2025-26,test-2026,,"))
    result = CliRunner().invoke(cli, ["import", "measures", str(measures)])
    assert result.exit_code == 1
    assert "Row 3, column value: is empty" in result.output and not Measure.objects.exists()
