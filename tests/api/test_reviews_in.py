"""Reviews in through POST /api/v1/cycles/{slug}/reviews: the JSON import's rules, over HTTP."""
from __future__ import annotations

import pytest

from tests.api.conftest import review_json

URL = "/api/v1/cycles/test-2026/reviews"


def _counts():
    from goldenthread.reviews.models import Attendee, ImportBatch, Review, Statement

    return (Review.objects.count(), Statement.objects.count(), Attendee.objects.count(), ImportBatch.objects.count())


@pytest.fixture
def writer(cycle, make_client):
    return make_client("Review facilitator", write=True)[1]


def test_a_review_sent_is_saved_with_anonymised_cards(call, writer, cycle):
    from goldenthread.reviews.models import Review

    response = call("POST", URL, writer, json={"reviews": [review_json()]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] == 1 and body["statements_created"] == 3
    assert body["reviews"] == [{"review_id": "API-1", "id": body["reviews"][0]["id"], "status": "created"}]
    review = Review.objects.get(cycle=cycle, reference="API-1")
    assert review.source == Review.Source.IMPORT
    cards = {s.kind: s.card_text for s in review.statements.all()}
    assert "Mina" not in cards["working"] and "[name]" in cards["working"]
    assert "01632" not in cards["not_working"]


def test_a_retry_adds_nothing(call, writer):
    first = call("POST", URL, writer, json={"reviews": [review_json()]})
    before = _counts()
    again = call("POST", URL, writer, json={"reviews": [review_json()]})
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["created"] == 0 and again.json()["unchanged"] == 1
    assert again.json()["reviews"][0]["status"] == "unchanged"
    assert _counts() == before


def test_a_retry_with_one_new_review_adds_only_that_one(call, writer):
    call("POST", URL, writer, json={"reviews": [review_json()]})
    response = call("POST", URL, writer, json={"reviews": [review_json(), review_json("API-2", "Q2")]})
    assert response.status_code == 201
    assert [r["status"] for r in response.json()["reviews"]] == ["unchanged", "created"]


def test_a_changed_review_with_a_known_id_is_refused_and_nothing_changes(call, writer):
    call("POST", URL, writer, json={"reviews": [review_json()]})
    before = _counts()
    changed = review_json(area="Harford")
    response = call("POST", URL, writer, json={"reviews": [review_json("API-9", "Q9"), changed]})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/review-id-conflict")
    assert problem["errors"][0]["pointer"] == "/reviews/1/review_id"
    assert _counts() == before


def test_one_bad_statement_saves_nothing_and_names_the_field(call, writer):
    before = _counts()
    bad = review_json("API-2", "Q2")
    bad["statements"][1]["kind"] = "sort of working"
    bad["statements"][2]["priority"] = "7"
    response = call("POST", URL, writer, json={"reviews": [review_json(), bad]})
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422 and problem["title"]
    pointers = {e["pointer"]: e for e in problem["errors"]}
    assert "/reviews/1/statements/1/kind" in pointers
    assert "/reviews/1/statements/2/priority" in pointers
    assert pointers["/reviews/1/statements/1/kind"]["row"] == "Review 2, statement 2"
    assert pointers["/reviews/1/statements/1/kind"]["field"] == "kind"
    assert "not a kind" in pointers["/reviews/1/statements/1/kind"]["detail"]
    assert _counts() == before


def test_the_api_refuses_an_area_not_on_the_council_list_with_422_naming_the_field(call, writer):
    from goldenthread.reviews.models import Review

    response = call("POST", URL, writer,
                    json={"reviews": [review_json(area="Northbrok")]})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["pointer"], e["field"]) for e in errors] == [("/reviews/0/area", "area")]
    assert "Did you mean 'Northbrook'?" in errors[0]["detail"]
    assert not Review.objects.exists()


def test_a_date_in_the_future_is_refused_at_its_pointer(call, writer):
    response = call("POST", URL, writer, json={"reviews": [review_json(review_date="2999-01-01")]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/reviews/0/review_date"


@pytest.mark.parametrize("person, detail", [("943 476 5919", "looks like an NHS number"),
                                            ("Xanthe Fhirwell", "looks like a name")])
def test_the_api_refuses_a_person_id_shaped_like_an_nhs_number_or_a_name_with_422_naming_the_field(
        call, writer, person, detail):
    before = _counts()
    response = call("POST", URL, writer, json={"reviews": [review_json(person=person)]})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert {(e["pointer"], e["field"]) for e in errors} == {("/reviews/0/person_id", "person_id")}
    assert detail in errors[0]["detail"] and "P-0042" in errors[0]["detail"]
    assert _counts() == before


def test_the_api_refuses_a_review_date_before_2000_at_its_pointer(call, writer):
    response = call("POST", URL, writer, json={"reviews": [review_json(review_date="0001-01-01")]})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["pointer"] == "/reviews/0/review_date" and "before 2000" in error["detail"]


def test_a_body_of_the_wrong_shape_is_refused_with_pointers(call, writer):
    before = _counts()
    review = review_json()
    review["consent"] = 1
    del review["area"]
    response = call("POST", URL, writer, json={"reviews": [review]})
    assert response.status_code == 422
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert {"/reviews/0/consent", "/reviews/0/area"} <= pointers
    assert _counts() == before


def test_a_body_that_is_not_json_is_a_bad_request(call, writer):
    response = call("POST", URL, writer, body="{not json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_body_that_is_not_json_by_type_is_refused(call, writer):
    response = call("POST", URL, writer, json={"reviews": [review_json()]}, content_type="text/csv")
    assert response.status_code == 415


def test_a_body_over_the_limit_is_refused_before_it_is_read(call, writer, settings, monkeypatch):
    from django.http import HttpRequest

    settings.GOLDENTHREAD_API_MAX_BODY_BYTES = 1000
    monkeypatch.setattr(HttpRequest, "body", property(lambda self: pytest.fail("the body was read")))
    response = call("POST", URL, writer, json={"reviews": [review_json()] * 5})
    assert response.status_code == 413
    assert "smaller batches" in response.json()["detail"]


def test_a_body_without_a_length_is_refused():
    from django.test import RequestFactory

    from goldenthread.api.problems import ApiProblem
    from goldenthread.api.security import check_body_size

    request = RequestFactory().post(URL, data="{}", content_type="application/json")
    del request.META["CONTENT_LENGTH"]
    with pytest.raises(ApiProblem) as caught:
        check_body_size(request)
    assert caught.value.status == 400  # no body at all
    request.META["HTTP_TRANSFER_ENCODING"] = "chunked"
    with pytest.raises(ApiProblem) as caught:
        check_body_size(request)
    assert caught.value.status == 411  # a body of unknown size


def test_reviews_of_a_cycle_outside_the_scope_are_refused(call, make_client, cycle):
    from goldenthread.reviews.models import ProgrammeCycle

    ProgrammeCycle.objects.create(name="Other", slug="other-2026", year=2026)
    _client, token = make_client("Review facilitator", write=True, cycles=["other-2026"])
    before = _counts()
    assert call("POST", URL, token, json={"reviews": [review_json()]}).status_code == 404
    assert call("POST", "/api/v1/cycles/other-2026/reviews", token,
                json={"reviews": [review_json()]}).status_code == 201
    assert _counts()[0] == before[0] + 1
