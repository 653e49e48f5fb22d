"""Words the anonymiser was unsure about are kept on the statement and checked by a person before cards print."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
from goldenthread.reviews.models import Statement
from goldenthread.reviews.saving import save_reviews



def _save(cycle, *texts, user=None):
    draft = ReviewDraft(reference="R1", person_ref="P1", review_date=dt.date(2026, 2, 1), area="Harford",
                        user_group="Older people", consent=True, person_name="Dev Patel",
                        statements=[StatementDraft(kind="working", text=t) for t in texts])
    review = save_reviews(cycle, [draft]).reviews[0]
    if user:
        review.facilitated_by = user
        review.save()
    return review


def test_saving_keeps_the_uncertain_words_on_the_statement(cycle):
    # (Not "with Will": "Will" is a short form of William, so "with Will" is now hidden as a name.)
    _save(cycle, "I went to Reading with Zephyrine", "Dev likes the garden")
    flagged, clear = Statement.objects.order_by("position")
    assert flagged.uncertain == [{"start": 23, "end": 32, "text": "Zephyrine", "replaced": False,
                                  "reason": "unknown word after a verb of meeting"}]
    assert flagged.needs_check and clear.uncertain == [] and not clear.needs_check
    assert list(Statement.objects.to_check()) == [flagged]


def test_finishing_a_person_centred_review_keeps_them_too(cycle, make_user):
    from goldenthread.core.models import Area, UserGroup
    from goldenthread.reviews.person_reviews import complete_review, start_review
    from goldenthread.reviews.models import ReviewItem

    review = start_review(cycle, reference="P-1", person_ref="P9", person_name="Nell Ward",
                          review_date=dt.date(2026, 3, 1), area=Area.objects.get_or_create(name="A")[0],
                          user_group=UserGroup.objects.get_or_create(name="G")[0], user=None)
    ReviewItem.objects.create(review=review, section="working", text="We saw Jordan at the shop", priority=1)
    [statement] = complete_review(review)
    assert statement.uncertain[0]["text"] == "Jordan" and statement.needs_check


def test_the_card_pdf_refuses_while_a_flag_is_unchecked_and_links_to_the_list(client, cycle, make_user):
    _save(cycle, "I went to Reading with Zephyrine")
    client.force_login(make_user(roles.VIEWER))
    response = client.get(reverse("cards_pdf", args=[cycle.slug]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "1 card may still name someone" in page and reverse("cards", args=[cycle.slug]) + "#check" in page


def test_a_facilitator_of_the_review_sees_the_list_and_accepts_the_card(client, cycle, make_user):
    rita = make_user(roles.REVIEW_FACILITATOR, "rita")
    _save(cycle, "I went to Reading with Zephyrine", user=rita)
    statement = Statement.objects.get()
    client.force_login(rita)
    page = client.get(reverse("cards", args=[cycle.slug])).content.decode()
    assert "Check before printing" in page and "unknown word after a verb of meeting" in page
    client.post(reverse("card_check", args=[cycle.slug, statement.pk]), {"action": "accept"})
    statement.refresh_from_db()
    assert statement.checked_by == rita and statement.card_text == "I went to Reading with Zephyrine"
    response = client.get(reverse("cards_pdf", args=[cycle.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_card_wording_can_be_corrected_instead(client, cycle, make_user):
    admin = make_user(roles.ADMINISTRATOR)
    _save(cycle, "I went to Reading with Zephyrine")
    statement = Statement.objects.get()
    client.force_login(admin)
    client.post(reverse("card_check", args=[cycle.slug, statement.pk]),
                {"action": "edit", "card_text": "I went to Reading with [name]"})
    statement.refresh_from_db()
    assert statement.card_text == "I went to Reading with [name]" and not statement.needs_check


def test_someone_who_may_not_see_the_review_cannot_check_it_or_read_what_was_said(client, cycle, make_user):
    _save(cycle, "I went to Reading with Zephyrine")
    statement = Statement.objects.get()
    client.force_login(make_user(roles.FACILITATOR))
    page = client.get(reverse("cards", args=[cycle.slug])).content.decode()
    assert "Check before printing" in page and "Said: I went" not in page
    assert client.post(reverse("card_check", args=[cycle.slug, statement.pk]), {"action": "accept"}).status_code == 403
    statement.refresh_from_db()
    assert statement.needs_check
