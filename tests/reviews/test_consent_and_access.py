"""Consent is enforced on every identifiable view, and every look at identifiable data is logged.

A finished review whose person refused consent is shown with names only to
administrators and to the review facilitator who recorded it.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.core.models import AccessRecord, Area, Service, StaffProfile, UserGroup
from goldenthread.reviews.models import Attendee, OnePageProfile, Review, Statement

SECRET = "Wilhelmina Quartermaine"


@pytest.fixture
def people(make_user):
    service = Service.objects.get_or_create(name="Acorn House")[0]
    admin = make_user(roles.ADMINISTRATOR, "ada")
    rita = make_user(roles.REVIEW_FACILITATOR, "rita")
    other_rf = make_user(roles.REVIEW_FACILITATOR, "otto")
    manager = make_user(roles.PROVIDER_MANAGER, "mani")
    StaffProfile.objects.create(user=manager).services.add(service)
    return {"admin": admin, "rita": rita, "otto": other_rf, "manager": manager,
            "facilitator": make_user(roles.FACILITATOR, "fay"), "commissioner": make_user(roles.COMMISSIONER, "cora"),
            "viewer": make_user(roles.VIEWER, "vic"), "service": service}


def _review(cycle, people, *, consent: bool, ref: str, person_ref: str) -> Review:
    review = Review.objects.create(
        cycle=cycle, reference=ref, person_ref=person_ref, person_name=SECRET, review_date=dt.date(2026, 2, 1),
        area=Area.objects.get_or_create(name="Harford")[0], user_group=UserGroup.objects.get_or_create(name="Older")[0],
        service=people["service"], consent_given=consent, facilitated_by=people["rita"])
    Attendee.objects.create(review=review, name="Bartholomew Quartermaine", relationship="son")
    Statement.objects.create(review=review, kind="working", text=f"{SECRET} likes the garden",
                             card_text="[name] likes the garden")
    OnePageProfile.objects.create(person_ref=person_ref, name=SECRET, appreciate="Kind", important="Garden",
                                  support="Slowly", service=people["service"], source_review=review)
    return review


@pytest.fixture
def refused(cycle, people):
    return _review(cycle, people, consent=False, ref="R-NO", person_ref="P-NO")


@pytest.fixture
def agreed(cycle, people):
    return _review(cycle, people, consent=True, ref="R-YES", person_ref="P-YES")


def _views(review):
    return {
        "review": reverse("review", args=[review.pk]),
        "api": reverse("review_api", args=[review.pk]),
        "profile": reverse("profile", args=[review.person_ref]),
        "profile_print": reverse("profile_print", args=[review.person_ref]),
        "profile_pdf": reverse("profile_pdf", args=[review.person_ref]),
    }


def _shows_name(client, url) -> bool:
    response = client.get(url)
    if response.status_code != 200:
        return False
    if response["Content-Type"].startswith("application/pdf"):
        return True  # a profile PDF is the person's whole profile
    return SECRET in response.content.decode()


@pytest.mark.parametrize("view", ["review", "api", "profile", "profile_print", "profile_pdf"])
@pytest.mark.parametrize("who, sees", [("admin", True), ("rita", True), ("otto", False), ("manager", False),
                                       ("facilitator", False), ("commissioner", False), ("viewer", False)])
def test_a_refused_consent_review_is_shown_in_full_only_to_administrators_and_its_facilitator(
        client, people, refused, view, who, sees):
    client.force_login(people[who])
    assert _shows_name(client, _views(refused)[view]) is sees


@pytest.mark.parametrize("view", ["review", "api", "profile"])
def test_the_service_manager_still_sees_a_consented_review_of_their_service(client, people, agreed, view):
    client.force_login(people["manager"])
    assert _shows_name(client, _views(agreed)[view])


def test_others_see_that_a_refused_review_exists_but_not_what_was_said(client, people, refused):
    client.force_login(people["viewer"])
    page = client.get(reverse("review", args=[refused.pk])).content.decode()
    assert "did not agree" in page and "likes the garden" not in page and SECRET not in page


def test_the_people_page_and_review_list_leave_out_refused_reviews_for_managers(client, people, refused, agreed):
    client.force_login(people["manager"])
    assert list(Review.objects.identifiable_to(people["manager"])) == [agreed]
    listing = client.get(reverse("review_list", args=[refused.cycle.slug])).content.decode()
    assert listing.count(SECRET) == 1  # the consented review only


def test_an_in_progress_review_is_not_refused_yet(people, refused):
    refused.status = Review.Status.IN_PROGRESS
    refused.save()
    assert refused.is_identifiable_to(people["manager"])


@pytest.mark.parametrize("view, action", [("review", "view"), ("api", "export"), ("profile", "view"),
                                          ("profile_print", "view"), ("profile_pdf", "export")])
def test_every_look_at_identifiable_data_is_in_the_access_log(client, people, agreed, view, action):
    client.force_login(people["rita"])
    assert client.get(_views(agreed)[view]).status_code == 200
    record = AccessRecord.objects.get()
    assert (record.actor, record.user, record.action, record.person_ref) == ("user:rita", people["rita"], action,
                                                                              "P-YES")


def test_a_refused_look_is_not_logged_as_a_view(client, people, agreed):
    client.force_login(people["viewer"])
    client.get(reverse("review", args=[agreed.pk]))
    client.get(reverse("review_api", args=[agreed.pk]))
    assert not AccessRecord.objects.exists()


def test_report_downloads_and_the_team_version_are_logged(client, people, agreed):
    client.force_login(people["admin"])
    client.get(reverse("reports:page", args=[agreed.cycle.slug]) + "?version=team")
    client.get(reverse("reports:download", args=[agreed.cycle.slug, "data", "csv"]))
    details = list(AccessRecord.objects.order_by("pk").values_list("action", "detail"))
    assert details[0][0] == "view" and "team version" in details[0][1]
    assert details[1][0] == "export" and details[1][1].startswith("data.csv")
