"""The API's cards leave out the statements of a review still in progress, and include them once it is finished."""
from __future__ import annotations

from goldenthread.reviews.models import Review

BASE = "/api/v1/cycles/test-2026"


def _card_texts(call, token) -> list[str]:
    return [c["card_text"] for c in call("GET", f"{BASE}/cards?limit=500", token).json()["results"]]


def test_the_api_cards_leave_out_an_unfinished_review_until_it_is_finished(call, world, make_client):
    token = make_client("Administrator", identifiable=True)[1]  # nothing withheld by small-number suppression
    review = Review.objects.get(cycle=world["cycle"], reference="R9")  # one card: "I don't know my staff"
    review.status = Review.Status.IN_PROGRESS
    review.save(update_fields=["status"])
    assert len(_card_texts(call, token)) == 16
    review.status = Review.Status.COMPLETE
    review.save(update_fields=["status"])
    assert len(_card_texts(call, token)) == 17
