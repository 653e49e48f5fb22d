"""What each token may see and do: cycles, services, write, identifiable data and suppression."""
from __future__ import annotations

import pytest

from tests.api.conftest import ALLOTMENT, BUS, STAFF, review_json


@pytest.fixture
def other_cycle(db):
    from goldenthread.reviews.models import ProgrammeCycle

    return ProgrammeCycle.objects.create(name="Other, 2026", slug="other-2026", year=2026)


def test_a_token_sees_only_the_cycles_in_its_scope(call, make_client, world, other_cycle):
    _c, token = make_client("Viewer", cycles=["other-2026"])
    listed = call("GET", "/api/v1/cycles", token).json()
    assert [c["slug"] for c in listed["results"]] == ["other-2026"]
    assert call("GET", "/api/v1/cycles/test-2026", token).status_code == 404
    assert call("GET", "/api/v1/cycles/test-2026/themes", token).status_code == 404
    assert call("GET", "/api/v1/cycles/other-2026", token).status_code == 200


def test_an_all_cycles_token_sees_every_cycle(call, make_client, world, other_cycle):
    _c, token = make_client("Viewer")
    listed = call("GET", "/api/v1/cycles", token).json()
    assert {c["slug"] for c in listed["results"]} == {"test-2026", "other-2026"}


def test_a_read_only_token_cannot_send_reviews(call, make_client, world):
    _c, token = make_client("Review facilitator", write=False)
    response = call("POST", "/api/v1/cycles/test-2026/reviews", token, json={"reviews": [review_json()]})
    assert response.status_code == 403
    assert response.json()["type"].endswith("/forbidden")


def test_a_service_token_sends_only_its_services_reviews(call, make_client, world):
    from goldenthread.reviews.models import Review

    _c, token = make_client("Provider manager", write=True, services=["Acorn Support"])
    before = Review.objects.count()
    refused = call("POST", "/api/v1/cycles/test-2026/reviews", token,
                   json={"reviews": [review_json(), review_json("API-2", "Q2", service="Beech Homes")]})
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["pointer"] == "/reviews/1/service"
    assert Review.objects.count() == before
    allowed = call("POST", "/api/v1/cycles/test-2026/reviews", token, json={"reviews": [review_json()]})
    assert allowed.status_code == 201


def test_a_service_token_reads_only_its_services_cards(call, make_client, world):
    _c, token = make_client("Administrator", identifiable=True, services=["Acorn Support"])
    cards = call("GET", "/api/v1/cycles/test-2026/cards?limit=500", token).json()
    assert cards["count"] == 9  # odd-numbered people: bus P1, P3, P5, P7; staff P1, P9; allotment P3, P5, P7
    assert {c["service"] for c in cards["results"]} == {"Acorn Support"}


def test_a_token_without_identifiable_data_gets_card_wording_only(call, make_client, world):
    _c, token = make_client("Commissioner")
    card = call("GET", "/api/v1/cycles/test-2026/cards", token).json()["results"][0]
    assert "[name]" in card["card_text"]
    assert card["text"] is None and card["review_id"] is None and card["person_id"] is None


def test_an_identifiable_token_gets_the_words_as_recorded(call, make_client, world):
    _c, token = make_client("Administrator", identifiable=True)
    card = call("GET", "/api/v1/cycles/test-2026/cards", token).json()["results"][0]
    assert card["text"].startswith(card["card_text"].split(",")[0]) and "Person" in card["text"]
    assert card["review_id"].startswith("R") and card["person_id"].startswith("P")


def test_small_counts_are_hidden_for_tokens_without_identifiable_data(call, make_client, world):
    _c, token = make_client("Viewer")
    themes = {t["name"]: t for t in call("GET", "/api/v1/cycles/test-2026/themes", token).json()["results"]}
    assert themes[STAFF]["people"] is None  # 3 people, below the threshold of 5
    # Secondary suppression, as in the shared report: with the 3 hidden, the 8 beside it is hidden too.
    assert themes[BUS]["people"] is None
    assert themes[ALLOTMENT]["people"] == 6
    report = call("GET", "/api/v1/cycles/test-2026/report", token).json()
    assert report["shared"] is True
    not_working = next(k for k in report["kinds"] if k["kind"] == "not_working")
    assert {t["name"]: t["people"] for t in not_working["themes"]} == {BUS: None, STAFF: None}


def test_the_report_numbers_are_the_shared_reports_numbers(call, make_client, world):
    from goldenthread.reporting.data import build_report

    _c, token = make_client("Viewer")
    api = call("GET", "/api/v1/cycles/test-2026/report", token).json()
    shared = build_report(world["cycle"], world["workshop"], shared=True)
    assert [[t["people"] for t in k["themes"]] for k in api["kinds"]] == \
        [[t.people for t in k.themes] for k in shared.kinds]
    assert [b["cells"] for b in api["by_area"]] == [b.cells for b in shared.by_area]
    assert [b["totals"] for b in api["by_user_group"]] == [b.totals for b in shared.by_group]


def test_an_identifiable_token_gets_the_team_numbers(call, make_client, world):
    _c, token = make_client("Administrator", identifiable=True)
    themes = {t["name"]: t for t in call("GET", "/api/v1/cycles/test-2026/themes", token).json()["results"]}
    assert themes[STAFF]["people"] == 3
    report = call("GET", "/api/v1/cycles/test-2026/report", token).json()
    assert report["shared"] is False
    assert any(t["people"] == 3 for k in report["kinds"] for t in k["themes"])


def test_the_golden_thread_hides_small_counts_too(call, make_client, world):
    from goldenthread.workshops.models import Action

    action = Action.objects.create(workshop=world["workshop"], stakeholder="providers", text="Introduce staff",
                                   owner="Provider forum", measure="Everyone knows their staff", due="2026-10-01")
    action.themes.add(world["clusters"][STAFF])
    _c, shared = make_client("Viewer")
    _c, team = make_client("Administrator", identifiable=True)
    url = "/api/v1/cycles/test-2026/golden-thread"
    shared_people = {t["name"]: t["people"] for a in call("GET", url, shared).json()["results"] for t in a["themes"]}
    team_people = {t["name"]: t["people"] for a in call("GET", url, team).json()["results"] for t in a["themes"]}
    # The same numbers as /themes and /report: BUS is hidden beside STAFF there (secondary suppression), so the
    # golden thread does not give its 8 back either.
    assert shared_people == {BUS: None, STAFF: None}
    assert team_people == {BUS: 8, STAFF: 3}
