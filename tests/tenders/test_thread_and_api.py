"""Tenders in the golden thread and in the API; the engine's suggested themes for a kind of support."""
from __future__ import annotations

from django.urls import reverse

from goldenthread.api.tokens import create_client
from goldenthread.tenders import services


def test_a_theme_shows_the_tenders_it_informed(tender, as_user):
    theme = tender.themes.first()
    page = as_user("viewer").get(reverse("reports:theme_thread", args=[theme.pk])).content.decode()
    assert "Tenders it informed" in page and tender.name in page
    assert reverse("tenders:tender", args=[tender.pk]) in page


def test_the_api_gives_criteria_and_combined_scores_and_names_no_one(tender, client):
    _c, token = create_client("tender reader", "Viewer", cycles=["all"])
    response = client.get("/api/v1/tenders", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    found = response.json()["results"][0]
    assert found["name"] == tender.name and found["panel_size"] == 4 and found["status"] == "scoring"
    assert [c["text"] for c in found["criteria"]] == list(tender.criteria.values_list("text", flat=True))
    assert {b["label"]: b["weighted"] for b in found["bids"]} == {"Bid A": 3.3, "Bid B": 1.55, "Bid C": 3.15}
    assert sorted(found["themes"]) == sorted(tender.themes.values_list("pk", flat=True))
    body = response.content.decode()
    assert not any(m.name in body for m in tender.panel.all())
    assert not any(b.bidder in body for b in tender.bids.all())
    one = client.get(f"/api/v1/tenders/{tender.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert one.status_code == 200 and one.json() == found
    assert client.get("/api/v1/tenders/999999", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    assert client.get("/api/v1/tenders").status_code == 401


def test_the_engine_suggests_the_themes_most_like_the_kind_of_support(tender, monkeypatch):
    from goldenthread.core import themes

    monkeypatch.setattr(themes, "_engine_vectors", lambda texts: None)  # word overlap stands in for MiniLM
    suggested = [c.name for c, _score in services.suggest_themes(tender)]
    assert suggested and suggested[0] in {"I can't get home at night", "I want to go out in the evenings"}
