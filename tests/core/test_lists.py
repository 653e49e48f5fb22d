"""The "Areas, services and user groups" pages: see, add, rename, remove; only for those who run cycles."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.core.models import Area, Service, UserGroup
from goldenthread.reviews.models import Review


@pytest.fixture
def keeper(client, make_user, council_lists):
    user = make_user(roles.FACILITATOR)
    client.force_login(user)
    return user


def _review_in(cycle, area):
    return Review.objects.create(cycle=cycle, reference=f"R-{area.pk}", person_ref="P1",
                                 review_date=dt.date(2026, 1, 5), area=area,
                                 user_group=UserGroup.objects.get(name="Older people"), consent_given=True)


def test_the_lists_page_shows_each_list_with_its_count(client, keeper):
    page = client.get(reverse("lists")).content.decode()
    assert "Areas" in page and "Services" in page and "User groups" in page
    assert f"{Area.objects.count()} on the list" in page


def test_a_list_shows_its_names_sorted_and_how_many_reviews_use_each(client, keeper, cycle):
    _review_in(cycle, Area.objects.get(name="Northbrook"))
    page = client.get(reverse("list_page", args=["areas"])).content.decode()
    rows = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)][:2]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)]
    rows = [r for r in rows if r]
    assert rows.index(["Harford", "0"]) < rows.index(["Northbrook", "1"])


def test_adding_an_area_puts_it_on_the_list_and_logs_who(client, keeper):
    response = client.post(reverse("list_page", args=["areas"]), {"name": "  Kelsey   Vale "})
    assert response.status_code == 302
    area = Area.objects.get(name="Kelsey Vale")
    entry = LogEntry.objects.get_for_object(area).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == keeper


def test_adding_a_name_already_there_in_another_case_is_refused(client, keeper):
    page = client.post(reverse("list_page", args=["areas"]), {"name": "harford"}).content.decode()
    assert "There is a problem" in page and "&#x27;Harford&#x27; is already one of the areas." in page
    assert Area.objects.filter(name__iexact="harford").count() == 1


def test_adding_an_empty_name_says_what_to_enter(client, keeper):
    page = client.post(reverse("list_page", args=["user-groups"]), {"name": ""}).content.decode()
    assert "Enter the name of the user group." in page


def test_renaming_keeps_the_reviews_that_use_it(client, keeper, cycle):
    northbrook = Area.objects.get(name="Northbrook")
    review = _review_in(cycle, northbrook)
    response = client.post(reverse("list_rename", args=["areas", northbrook.pk]), {"name": "North Brook"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.area.name == "North Brook"
    assert LogEntry.objects.get_for_object(northbrook).filter(action=LogEntry.Action.UPDATE).exists()


def test_renaming_to_another_entrys_name_is_refused(client, keeper):
    harford = Area.objects.get(name="Harford")
    page = client.post(reverse("list_rename", args=["areas", harford.pk]), {"name": "NORTHBROOK"}).content.decode()
    assert "is already one of the areas" in page
    harford.refresh_from_db()
    assert harford.name == "Harford"


def test_removing_a_name_no_review_uses(client, keeper):
    acorn = Service.objects.get(name="Beech Homes")
    assert "No review uses it" in client.get(reverse("list_remove", args=["services", acorn.pk])).content.decode()
    response = client.post(reverse("list_remove", args=["services", acorn.pk]))
    assert response.status_code == 302 and not Service.objects.filter(name="Beech Homes").exists()


def test_removing_a_name_in_use_is_refused_saying_how_many_reviews_use_it(client, keeper, cycle):
    harford = Area.objects.get(name="Harford")
    _review_in(cycle, harford)
    response = client.post(reverse("list_remove", args=["areas", harford.pk]))
    assert response.status_code == 409
    assert "cannot be removed: 1 review uses it" in response.content.decode()
    assert Area.objects.filter(pk=harford.pk).exists()


def test_an_unknown_list_is_not_found(client, keeper):
    assert client.get(reverse("list_page", args=["colours"])).status_code == 404


@pytest.mark.parametrize("role", [roles.VIEWER, roles.REVIEW_FACILITATOR, roles.PROVIDER_MANAGER])
def test_people_who_do_not_run_cycles_cannot_change_the_lists(client, make_user, council_lists, role):
    client.force_login(make_user(role))
    assert client.get(reverse("lists")).status_code == 403
    assert client.post(reverse("list_page", args=["areas"]), {"name": "Elsewhere"}).status_code == 403
    harford = Area.objects.get(name="Harford")
    assert client.post(reverse("list_rename", args=["areas", harford.pk]), {"name": "X"}).status_code == 403
    assert client.post(reverse("list_remove", args=["areas", harford.pk])).status_code == 403
    assert list(Area.objects.values_list("name", flat=True)) == ["A", "Harford", "Northbrook"]


def test_a_workshop_delegate_without_an_account_is_sent_to_sign_in(client, council_lists):
    response = client.post(reverse("list_page", args=["areas"]), {"name": "Elsewhere"})
    assert response.status_code == 302 and not Area.objects.filter(name="Elsewhere").exists()
