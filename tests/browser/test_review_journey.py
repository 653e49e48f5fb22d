"""A review facilitator enters a review, sees it as cards, and a viewer sees only the anonymised card."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from goldenthread.core import roles
from tests.conftest import make_council_lists


@pytest.fixture
def people(transactional_db):
    from django.contrib.auth.models import Group, User

    from goldenthread.reviews.models import ProgrammeCycle

    roles.ensure_roles()
    make_council_lists()
    for username, role in (("rita", roles.REVIEW_FACILITATOR), ("vic", roles.VIEWER)):
        User.objects.create_user(username, password="a-long-pass-phrase").groups.add(Group.objects.get(name=role))
    return ProgrammeCycle.objects.create(name="Browser town, 2026", slug="browser-2026", year=2026)


def test_enter_a_review_with_keyboard_and_see_its_cards(page, live_server, sign_in, people):
    sign_in("rita")
    page.get_by_role("link", name="Browser town, 2026").click()
    page.get_by_role("link", name="Enter a review").click()

    # Submitting an empty form shows the error summary, focused links to each field.
    page.get_by_role("button", name="Save the review").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()  # waits for the page the button loads
    summary.get_by_role("link", name="Enter the review ID.").click()
    assert page.evaluate("document.activeElement.id") == "id_reference"

    page.get_by_label("Review ID").fill("B-1")
    page.get_by_label("Person ID").fill("P-9")
    page.get_by_label("Person's name").fill("Nell Ward")
    review_date = dt.date.today() - dt.timedelta(days=2)
    dates = page.get_by_role("group", name="Review date")  # the GOV.UK date input: day, month and year boxes
    dates.get_by_label("Day").fill(str(review_date.day))
    dates.get_by_label("Month").fill(str(review_date.month))
    dates.get_by_label("Year").fill(str(review_date.year))
    page.get_by_label("Area").select_option(label="Harford")
    page.get_by_label("User group").select_option(label="Older people")
    page.get_by_label("Who came to the review").fill("Nell Ward (person)\nJo Ward (daughter)")
    page.get_by_role("group", name="Did the person agree").get_by_label("Yes").check()
    page.locator("#id_working-0-text").fill("Jo visits on Sundays and we do the crossword")
    page.locator("#id_working-0-priority").select_option(label="1st choice")
    page.locator("#id_not_working-0-text").fill("Nobody comes between Monday and Friday")
    page.get_by_role("button", name="Save the review").click()

    expect(page.get_by_role("heading", name="Review B-1")).to_be_visible()
    assert "has been saved with 2 statements" in page.locator("[role=status]").inner_text()
    expect(page.get_by_text("On the card: [name] visits on Sundays and we do the crossword")).to_be_visible()
    page.get_by_role("link", name="Browser town, 2026").click()
    page.get_by_role("link", name="See the cards on screen").click()
    cards = page.locator(".card")
    expect(cards).to_have_count(2)
    working = page.locator(".card--working")
    assert "Working" in working.locator(".card__kind").inner_text()  # the kind in words, not colour alone
    assert "1st choice" not in working.inner_text() and "top choice 1" in working.inner_text()


def test_a_viewer_never_sees_names(page, live_server, sign_in, people):
    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.saving import save_reviews

    save_reviews(people, [ReviewDraft(
        reference="B-2", person_ref="P-2", review_date=dt.date(2026, 1, 5), area="Harford", user_group="Older people",
        consent=True, person_name="Olive Dunn", statements=[StatementDraft("working", "Olive loves the garden")])])
    sign_in("vic")
    page.goto(f"{live_server.url}/cycles/browser-2026/reviews/")
    assert "Olive" not in page.content()
    page.get_by_role("link", name="B-2").click()
    expect(page.get_by_text("[name] loves the garden")).to_be_visible()
    assert "Olive" not in page.content()
