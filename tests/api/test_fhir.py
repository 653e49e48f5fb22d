"""FHIR R4: the review template as a Questionnaire, and reviews sent as QuestionnaireResponses."""
from __future__ import annotations

import copy

import pytest

from goldenthread.api import fhir
from tests.api.conftest import review_json

QR_URL = "/api/v1/cycles/test-2026/fhir/QuestionnaireResponse"
CANONICAL = "http://testserver/api/v1/fhir/Questionnaire/review-template"


@pytest.fixture
def writer(cycle, make_client):
    return make_client("Review facilitator", write=True)[1]


def _link_ids(items):
    for item in items:
        yield item["linkId"]
        yield from _link_ids(item.get("item", []))


def test_the_questionnaire_covers_every_column_of_the_import(call, writer):
    from goldenthread.reviews.importing import COLUMNS

    response = call("GET", "/api/v1/fhir/Questionnaire/review-template", writer)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    resource = response.json()
    assert resource["resourceType"] == "Questionnaire" and resource["status"] == "active"
    assert resource["url"] == CANONICAL
    columns = {c.replace("_", "-") for c in COLUMNS} - {"attendees", "kind", "perspective", "priority", "text"}
    ids = set(_link_ids(resource["item"]))
    assert columns <= ids
    assert {"statement-kind", "statement-perspective", "statement-priority", "statement-text",
            "attendee-name", "attendee-relationship"} <= ids
    statement = next(i for i in resource["item"] if i["linkId"] == "statement")
    assert statement["repeats"] is True and statement["required"] is True
    kind = next(i for i in statement["item"] if i["linkId"] == "statement-kind")
    assert [o["valueCoding"]["code"] for o in kind["answerOption"]] == \
        ["working", "not_working", "future", "important_now"]


def test_a_review_round_trips_through_a_questionnaire_response(call, writer, cycle):
    """review → QuestionnaireResponse → stored review: the same review as the JSON import makes."""
    from goldenthread.reviews.importing import read_review_file
    from goldenthread.reviews.models import Review

    review = review_json()
    resource = fhir.review_to_response(review, CANONICAL)
    response = call("POST", QR_URL, writer, json=resource, content_type="application/fhir+json")
    assert response.status_code == 201, response.content
    stored = Review.objects.get(cycle=cycle, reference="API-1")
    import json

    expected = read_review_file(json.dumps({"reviews": [review]}).encode(), "x.json")[0]
    assert stored.fingerprint == expected.fingerprint()
    assert [(s.kind, s.perspective, s.priority, s.text) for s in stored.statements.all()] == \
        [(s.kind, s.perspective, s.priority, s.text) for s in expected.statements]
    assert [(a.name, a.relationship) for a in stored.attendees.all()] == [("Lee Rowe", "brother")]
    assert stored.review_date.isoformat() == "2026-02-10" and stored.consent_given is True
    assert stored.area.name == "Northbrook" and stored.service.name == "Acorn Support"
    # The same review sent the other way in is recognised as already there.
    again = call("POST", "/api/v1/cycles/test-2026/reviews", writer, json={"reviews": [review]})
    assert again.status_code == 200 and again.json()["unchanged"] == 1


def test_a_questionnaire_response_sent_twice_adds_nothing(call, writer):
    from goldenthread.reviews.models import Review

    resource = fhir.review_to_response(review_json(), CANONICAL)
    assert call("POST", QR_URL, writer, json=resource).status_code == 201
    count = Review.objects.count()
    again = call("POST", QR_URL, writer, json=resource)
    assert again.status_code == 200 and again.json()["unchanged"] == 1
    assert Review.objects.count() == count


def _item(resource, link_id):
    for i, item in enumerate(resource["item"]):
        if item["linkId"] == link_id:
            return i, item
    raise KeyError(link_id)


def test_fhir_problems_point_into_the_resource(call, writer):
    from goldenthread.reviews.models import Review

    resource = fhir.review_to_response(review_json(), CANONICAL)
    resource["status"] = "in-progress"
    i, date = _item(resource, "review-date")
    date["answer"] = [{"valueString": "yesterday"}]
    s = next(n for n, item in enumerate(resource["item"]) if item["linkId"] == "statement")
    resource["item"][s]["item"][0]["answer"][0]["valueCoding"]["code"] = "meh"
    a, area = _item(resource, "area")
    del resource["item"][a]
    response = call("POST", QR_URL, writer, json=resource)
    assert response.status_code == 422
    listed = response.json()["errors"]
    errors = {e["pointer"]: e for e in listed}
    assert "/status" in errors
    assert f"/item/{i}/answer/0" in errors and "valueDate" in errors[f"/item/{i}/answer/0"]["detail"]
    assert any(p.endswith("/valueCoding/code") and errors[p]["field"] == "statement-kind" for p in errors)
    assert any(e.get("field") == "area" and "required" in e["detail"] for e in listed)
    assert not Review.objects.exists()


def test_a_problem_found_by_the_import_points_at_the_fhir_item(call, writer):
    resource = fhir.review_to_response(review_json(review_date="2999-01-01"), CANONICAL)
    i, _ = _item(resource, "review-date")
    response = call("POST", QR_URL, writer, json=resource)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["pointer"] == f"/item/{i}/answer/0/valueDate"
    assert error["field"] == "review-date" and "future" in error["detail"]


@pytest.mark.parametrize("person, detail", [("943 476 5919", "looks like an NHS number"),
                                            ("Xanthe Fhirwell", "looks like a name")])
def test_fhir_refuses_a_person_id_shaped_like_an_nhs_number_or_a_name(call, writer, person, detail):
    from goldenthread.reviews.models import Review

    resource = fhir.review_to_response(review_json(person=person), CANONICAL)
    i, _ = _item(resource, "person-id")
    response = call("POST", QR_URL, writer, json=resource)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["pointer"].startswith(f"/item/{i}/answer/0") and error["field"] == "person-id"
    assert detail in error["detail"]
    assert not Review.objects.exists()


def test_a_response_to_another_questionnaire_is_refused(call, writer):
    resource = fhir.review_to_response(review_json(), "http://example.org/Questionnaire/phq-9")
    response = call("POST", QR_URL, writer, json=resource)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/questionnaire"


def test_an_unknown_item_is_refused(call, writer):
    resource = fhir.review_to_response(review_json(), CANONICAL)
    bad = copy.deepcopy(resource)
    bad["item"].append({"linkId": "favourite-colour", "answer": [{"valueString": "blue"}]})
    response = call("POST", QR_URL, writer, json=bad)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == f"/item/{len(bad['item']) - 1}/linkId"
