"""A review facilitator completes a person-centred review with the keyboard and prints the one-page profile."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from goldenthread.core import roles
from tests.conftest import make_council_lists

#: Set GOLDENTHREAD_SCREENSHOTS to a folder to keep screenshots and the PDF for a person to look at.
SHOTS = os.environ.get("GOLDENTHREAD_SCREENSHOTS")


def fill_date(group, date):
    """The GOV.UK date input: day, month and year boxes inside a group named by its legend."""
    group.get_by_label("Day").fill(str(date.day))
    group.get_by_label("Month").fill(str(date.month))
    group.get_by_label("Year").fill(str(date.year))


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def people(transactional_db):
    from django.contrib.auth.models import Group, User

    from goldenthread.reviews.models import ProgrammeCycle

    roles.ensure_roles()
    make_council_lists()
    User.objects.create_user("rita", password="a-long-pass-phrase").groups.add(
        Group.objects.get(name=roles.REVIEW_FACILITATOR))
    return ProgrammeCycle.objects.create(name="Browser town, 2026", slug="browser-2026", year=2026)


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()


def test_complete_a_person_centred_review_and_print_the_profile(page, live_server, sign_in, people):
    from goldenthread.reviews.models import OnePageProfile, Review

    sign_in("rita")
    page.get_by_role("link", name="Browser town, 2026").click()
    page.get_by_role("link", name="Start a person-centred review with the person").click()
    page.get_by_label("Review ID").fill("PCR-7")
    page.get_by_label("Person ID").fill("P-70")
    page.get_by_label("Person's name").fill("Nell Ward")
    fill_date(page.get_by_role("group", name="Review date"), dt.date.today() - dt.timedelta(days=1))
    page.get_by_label("Area").select_option(label="Harford")
    page.get_by_label("Service").select_option(label="Acorn House")
    page.get_by_label("User group").select_option(label="Older people")
    shot(page, "01-start")
    save_and_continue(page)

    page.get_by_label("What do people like and admire about the person?").fill(
        "Nell makes everyone laugh\nShe knows every bird in the garden")
    shot(page, "02-one-question")
    # Stop for now: the draft is kept and the task list shows it.
    page.get_by_role("button", name="Save and come back later").click()
    assert "You can come back to this review later" in page.locator("[role=status]").inner_text()
    page.get_by_role("link", name="Important now", exact=True).click()
    page.get_by_label("What is important to the person now?").fill("Seeing Jo on Sundays\nMy cat, Biscuit")
    save_and_continue(page)
    page.get_by_label("What is important to the person for the future?").fill("A trip to the sea")
    save_and_continue(page)
    page.get_by_label("How can we best support the person?").fill("Speak slowly and face me\nTablets at 8am")
    save_and_continue(page)
    save_and_continue(page)  # no questions
    page.get_by_label("What is working").fill("Jo visits on Sundays")
    page.get_by_label("What is not working").fill("Nell is lonely in the week")
    save_and_continue(page)
    for _ in range(3):  # family, staff, other professionals: nothing this time
        save_and_continue(page)
    page.get_by_label("What will happen").first.fill("Find a weekday lunch club")
    page.get_by_label("Who will do it").first.fill("Sam")
    fill_date(page.get_by_role("group", name="When by").first, dt.date(2026, 12, 31))
    save_and_continue(page)

    # Top choices: an unanswered consent question is named in the error summary and the link moves focus.
    page.get_by_role("group", name="What is working", exact=True).get_by_label("1st choice").select_option(
        label="Jo visits on Sundays")
    page.get_by_role("group", name="What is not working").get_by_label("1st choice").select_option(
        label="Nell is lonely in the week")
    save_and_continue(page)
    summary = page.locator("[data-error-summary]")
    shot(page, "03-choices-error")
    summary.get_by_role("link", name="Say whether the person agrees", exact=False).click()
    assert page.evaluate("document.activeElement.id") == "id_consent_0"
    page.keyboard.press("Space")
    save_and_continue(page)

    expect(page.get_by_role("heading", name="Person-centred review PCR-7")).to_be_visible()
    shot(page, "04-check")
    page.get_by_role("button", name="Finish the review").click()
    assert "2 top choices go forward" in page.locator("[role=status]").inner_text()
    # The profile's own consent is asked apart from council use.
    page.get_by_role("group", name="Can the service that supports the person see this profile?").get_by_label(
        "Yes", exact=False).check()
    page.get_by_role("button", name="Make the profile").click()
    expect(page.get_by_role("heading", name="Nell Ward: one-page profile")).to_be_visible()
    review = Review.objects.get(reference="PCR-7")
    assert review.status == Review.Status.COMPLETE and review.statements.count() == 2
    assert OnePageProfile.objects.get(person_ref="P-70").source_review == review
    assert OnePageProfile.objects.get(person_ref="P-70").shared_with_supporters is True

    page.get_by_role("link", name="Print the profile (easy read, one page)").click()
    expect(page.get_by_role("img", name="A helping hand")).to_be_visible()
    expect(page.get_by_text("Tablets at 8am")).to_be_visible()
    shot(page, "05-profile-print")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).not_to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1  # the printed profile fits on one page
    assert "Speak slowly and face me" in reader.pages[0].extract_text()
    if SHOTS:
        (Path(SHOTS) / "profile-print.pdf").write_bytes(pdf)
