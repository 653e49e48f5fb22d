"""Consent on the review form is a required yes/no question: nothing is chosen at first, and no answer saves nothing."""
from __future__ import annotations

from django.urls import reverse

from goldenthread.core import roles
from goldenthread.reviews.models import Review
from tests.reviews.test_pages import review_form_data

CONSENT_ERROR = ("Select yes if the person agreed to what they said being used, or no if they did not")


def test_the_review_form_asks_consent_as_yes_or_no_with_nothing_chosen(client, make_user, cycle):
    client.force_login(make_user(roles.REVIEW_FACILITATOR))
    page = client.get(reverse("review_new", args=[cycle.slug])).content.decode()
    assert 'type="radio" name="consent_given" class="govuk-radios__input" value="yes"' in page
    assert 'type="radio" name="consent_given" class="govuk-radios__input" value="no"' in page
    assert "checked" not in page.split('name="consent_given"', 1)[1].split("</fieldset>", 1)[0]
    assert '<label class="govuk-label govuk-radios__label" for="id_consent_given_0">Yes</label>' in page


def test_the_review_form_refuses_a_missing_consent_and_saves_nothing(client, make_user, cycle):
    client.force_login(make_user(roles.REVIEW_FACILITATOR))
    data = review_form_data()
    del data["consent_given"]
    response = client.post(reverse("review_new", args=[cycle.slug]), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Review.objects.exists()
    assert f'<a href="#id_consent_given_0">{CONSENT_ERROR}</a>' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {CONSENT_ERROR}' in page


def test_no_to_consent_saves_the_review_with_consent_refused(client, make_user, cycle):
    client.force_login(make_user(roles.REVIEW_FACILITATOR))
    response = client.post(reverse("review_new", args=[cycle.slug]), review_form_data(consent_given="no"))
    review = Review.objects.get(reference="W1")
    assert response.status_code == 302 and review.consent_given is False
    assert not cycle.card_statements().exists()


def test_yes_to_consent_saves_the_review_with_consent_given(client, make_user, cycle):
    client.force_login(make_user(roles.REVIEW_FACILITATOR))
    response = client.post(reverse("review_new", args=[cycle.slug]), review_form_data(consent_given="yes"))
    assert response.status_code == 302 and Review.objects.get(reference="W1").consent_given is True
