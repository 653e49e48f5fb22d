"""Input that used to give a 500 (issue 22): each now gets a 4xx that names the problem."""
from __future__ import annotations

import pytest

from tests.api.conftest import review_json


@pytest.mark.parametrize("param", ["theme", "workshop"])
def test_a_key_too_big_for_the_database_is_a_bad_parameter_not_a_server_error(call, make_client, cycle, param):
    token = make_client("Administrator")[1]
    response = call("GET", f"/api/v1/cycles/{cycle.slug}/root-causes?{param}=99999999999999999999", token)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"].endswith("bad-parameter") and [e["field"] for e in body["errors"]] == [param]


def test_a_nul_character_in_a_statement_is_refused_naming_the_field(call, make_client, cycle):
    from goldenthread.reviews.models import Review

    token = make_client("Review facilitator", write=True)[1]
    review = review_json()
    review["statements"][0]["text"] = "I like the \u0000 lunch club"
    response = call("POST", f"/api/v1/cycles/{cycle.slug}/reviews", token, json={"reviews": [review]})
    assert response.status_code == 422, response.content
    assert any(e.get("field") == "text" and "/statements/0/text" in e.get("pointer", "")
               for e in response.json()["errors"])
    assert not Review.objects.exists()


@pytest.mark.parametrize("path", ["/workshops/AB%00CDE/", "/cycles/a%00b/", "/?q=%00"])
def test_a_nul_character_in_the_address_is_a_bad_request(client, path):
    assert client.get(path).status_code == 400
