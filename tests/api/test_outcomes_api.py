"""Outcome areas and measures through the API: all or nothing, problems with JSON Pointers, tokens' scopes."""
from __future__ import annotations

from goldenthread.outcomes.models import Measure, OutcomeArea

FRAMEWORK = {"outcomes": [{"code": "O1", "statement": "I can get where I want to go"},
                          {"code": "O2", "statement": "I have people who know me", "description": "Staff who stay"}]}


def _measure(**changes) -> dict:
    return {"outcome": "O1", "name": "Bus passes issued", "kind": "activity", "unit": "passes", "value": 1200,
            "period": "2025-26", "cycle": "test-2026", **changes}


def test_a_writing_token_sends_the_framework_and_measures_and_reads_them_back(call, make_client, world):
    _c, token = make_client("Facilitator", write=True)
    response = call("POST", "/api/v1/outcomes", token, json=FRAMEWORK)
    assert response.status_code == 201 and response.json() == {"created": 2, "updated": 0}
    assert call("POST", "/api/v1/outcomes", token, json=FRAMEWORK).json() == {"created": 0, "updated": 0}
    response = call("POST", "/api/v1/measures", token, json={"measures": [_measure(), _measure(
        name="Journeys on time", kind="results", unit="%", value="81.5", area="Harford")]})
    assert response.status_code == 201, response.content
    listed = call("GET", "/api/v1/measures?outcome=o1", token).json()
    assert [(m["name"], m["value"], m["area"]) for m in listed["results"]] == [
        ("Bus passes issued", 1200.0, ""), ("Journeys on time", 81.5, "Harford")]
    outcomes = call("GET", "/api/v1/outcomes", token).json()["results"]
    assert [(o["code"], o["themes"]) for o in outcomes] == [("O1", []), ("O2", [])]


def test_a_bad_measure_is_refused_with_its_pointer_and_nothing_is_saved(call, make_client, world):
    _c, token = make_client("Facilitator", write=True)
    call("POST", "/api/v1/outcomes", token, json=FRAMEWORK)
    response = call("POST", "/api/v1/measures", token, json={"measures": [
        _measure(), _measure(name="Other", value="lots"), _measure(name="Third", outcome="O9")]})
    assert response.status_code == 422
    errors = {(e["pointer"], e["row"]) for e in response.json()["errors"]}
    assert errors == {("/measures/1/value", "Measure 2"), ("/measures/2/outcome", "Measure 3")}
    assert not Measure.objects.exists()


def test_a_token_that_may_not_write_or_is_limited_to_other_cycles_changes_nothing(call, make_client, world):
    from goldenthread.reviews.models import ProgrammeCycle

    ProgrammeCycle.objects.create(name="Other, 2026", slug="other-2026", year=2026)
    _c, reader = make_client("Facilitator")
    assert call("POST", "/api/v1/outcomes", reader, json=FRAMEWORK).status_code == 403
    _c, provider = make_client("Provider manager", write=True)  # sends reviews, but does not run cycles
    assert call("POST", "/api/v1/outcomes", provider, json=FRAMEWORK).status_code == 403
    _c, other = make_client("Facilitator", write=True, cycles=["other-2026"])
    assert call("POST", "/api/v1/outcomes", other, json=FRAMEWORK).status_code == 403
    assert not OutcomeArea.objects.exists()
    _c, everything = make_client("Facilitator", write=True)
    call("POST", "/api/v1/outcomes", everything, json=FRAMEWORK)
    response = call("POST", "/api/v1/measures", other, json={"measures": [_measure()]})
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/measures/0/cycle"
    call("POST", "/api/v1/measures", everything, json={"measures": [_measure()]})
    assert call("GET", "/api/v1/measures", other).json()["count"] == 0  # test-2026's figures are out of its scope


def test_the_golden_thread_names_the_outcomes_an_action_and_its_themes_work_towards_once_confirmed(
        call, make_client, world):
    from goldenthread.outcomes.models import ThemeOutcome
    from goldenthread.workshops.models import Action

    _c, token = make_client("Facilitator", write=True)
    call("POST", "/api/v1/outcomes", token, json=FRAMEWORK)
    theme = Action.objects.get(text="Pay for a later bus").themes.first()
    link = ThemeOutcome.objects.create(cluster=theme, outcome=OutcomeArea.objects.get(code="O1"), score=0.9)
    [thread] = call("GET", "/api/v1/cycles/test-2026/golden-thread", token).json()["results"]
    assert thread["outcomes"] == [] and thread["themes"][0]["outcomes"] == []  # only suggested: nothing yet
    link.decide(None, same=True)
    [thread] = call("GET", "/api/v1/cycles/test-2026/golden-thread", token).json()["results"]
    assert thread["outcomes"] == ["O1"]
    assert [t["outcomes"] for t in thread["themes"] if t["id"] == theme.pk] == [["O1"]]


def test_measures_filtered_by_an_unknown_outcome_or_cycle_are_refused_not_answered_empty(call, make_client, world):
    _c, token = make_client("Facilitator", write=True)
    call("POST", "/api/v1/outcomes", token, json=FRAMEWORK)
    assert call("GET", "/api/v1/measures?outcome=O9", token).status_code == 400
    assert call("GET", "/api/v1/measures?cycle=null", token).status_code == 404
    assert call("GET", "/api/v1/measures?cycle=TEST-2026", token).status_code == 200
