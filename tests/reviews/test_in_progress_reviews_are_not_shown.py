"""Statements of a review still in progress are not cards, and its page shows them only to those who may see it
with names; once it is finished they are cards like any other."""
from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.reviews.models import Review, Statement
from tests.reviews.test_consent_and_access import agreed, people  # noqa: F401  (fixtures)

CARD = "[name] likes the garden"


@pytest.fixture
def unfinished(agreed):  # noqa: F811
    agreed.status = Review.Status.IN_PROGRESS
    agreed.save(update_fields=["status"])
    return agreed


def _finish(review):
    review.status = Review.Status.COMPLETE
    review.save(update_fields=["status"])


def test_for_cards_leaves_out_an_unfinished_review_until_it_is_finished(unfinished):
    assert not Statement.objects.for_cards().filter(review=unfinished).exists()
    assert not unfinished.cycle.card_statements().exists()
    _finish(unfinished)
    assert list(Statement.objects.for_cards().values_list("card_text", flat=True)) == [CARD]


def test_the_cards_page_leaves_out_an_unfinished_review_until_it_is_finished(client, people, unfinished):  # noqa: F811
    client.force_login(people["admin"])
    url = reverse("cards", args=[unfinished.cycle.slug])
    assert CARD not in client.get(url).content.decode()
    _finish(unfinished)
    assert CARD in client.get(url).content.decode()


def test_an_unfinished_review_page_shows_only_that_it_is_in_progress_to_others(client, people, unfinished):  # noqa: F811
    client.force_login(people["viewer"])
    page = client.get(reverse("review", args=[unfinished.pk])).content.decode()
    assert "This review is still in progress, so what was said is not shown." in page
    assert CARD not in page and "In progress" in page
    client.force_login(people["rita"])  # its facilitator may see it with names
    assert "likes the garden" in client.get(reverse("review", args=[unfinished.pk])).content.decode()
