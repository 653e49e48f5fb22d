"""Programme input checked as the council works (issue 26, part 7).

The population import uses the council's lists with the closest name, as the review import does, and reads a
semicolon or tab file saying so; dates are checked against the cycle and the fund; errors are GOV.UK-style
sentences tied to their fields; a comment that meets the limit comes back in the form, and the limit is per code.
"""
from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.test import override_settings
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.programme import services
from goldenthread.programme.models import Comment
from tests.programme.test_views import cycle_url, people  # noqa: F401


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


DJANGO_WORDING = ("This field is required", "Ensure this value", "Enter a number.", "Enter a valid",
                  "Select a valid choice")


def upload(client, cycle, content: bytes, name="population.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(cycle_url("sample", cycle), {"form": "file", "file-file": SimpleUploadedFile(
        name, content, content_type="text/csv")}, follow=True)


# --- the population import ----------------------------------------------------------------------------------------

def test_a_misspelt_area_in_a_population_file_is_refused_with_the_councils_closest_name(cycle):
    with pytest.raises(services.PopulationFileError) as refused:
        services.import_population(cycle, b"dimension,group,count\narea,Northbrok,60\nuser group,Older people,9\n")
    assert refused.value.problems == ["Row 2, group: 'Northbrok' is not one of the council's areas. Did you mean "
                                      "'Northbrook'? Names must be on the council's areas list."]
    assert not cycle.population.exists()


def test_a_population_group_is_kept_as_the_councils_list_spells_it(cycle):
    services.import_population(cycle, b"dimension,group,count\narea, northbrook ,60\nage band,65 to 74,12\n")
    assert set(cycle.population.values_list("value", flat=True)) == {"Northbrook", "65 to 74"}


@pytest.mark.parametrize("separator,words", [(";", "semicolons"), ("\t", "tabs")])
def test_a_semicolon_or_tab_population_file_is_read_and_the_page_says_how(client, people, cycle, separator,  # noqa
                                                                         words):
    client.force_login(people["commissioner"])
    content = separator.join(["dimension", "group", "count"]) + "\n" + separator.join(["area", "Harford", "7"])
    page = text(upload(client, cycle, content.encode()))
    assert f"The file has {words} between its columns, not commas, and was read that way" in page
    assert list(cycle.population.values_list("value", "count")) == [("Harford", 7)]


def test_typing_a_misspelt_area_on_the_population_form_names_the_field_and_the_closest_name(client, people,  # noqa
                                                                                         cycle):
    client.force_login(people["commissioner"])
    response = client.post(cycle_url("sample", cycle), {"form": "population", "pop-dimension": "area",
                                                        "pop-value": "Northbrok", "pop-count": "5"})
    assert "Did you mean 'Northbrook'?" in text(response)
    assert 'href="#id_pop-value"' in response.content.decode() and not cycle.population.exists()


# --- dates against the cycle and the fund -------------------------------------------------------------------------

@pytest.mark.parametrize("date,words", [
    ("1990-03-01", "Review date: 01/03/1990 is before 2000 — check the year"),
    ("2019-03-01", "Review date must be in 2025 or 2026 for the 2026 cycle: check the year")])
def test_a_review_from_long_before_the_2026_cycle_is_refused_on_the_date(client, make_user, cycle, date, words):
    from tests.reviews.test_pages import review_form_data

    client.force_login(make_user(roles.REVIEW_FACILITATOR))
    data = review_form_data() | {"review_date": date}
    data.pop("review_date_0", None)
    response = client.post(reverse("review_new", args=[cycle.slug]), data)
    assert words in text(response)
    assert 'href="#id_review_date_0"' in response.content.decode()
    assert not cycle.reviews.exists()


@pytest.mark.parametrize("year", ["2026", "2025"])
def test_the_next_cycle_must_come_after_this_one(client, people, cycle, year):  # noqa: F811
    client.force_login(people["commissioner"])
    response = client.post(cycle_url("next_cycle", cycle), {"name": "Test town again", "slug": "again",
                                                            "year": year})
    assert "Year must be after 2026, the year of this cycle" in text(response)
    assert 'href="#id_year"' in response.content.decode()


@pytest.mark.parametrize("start,words", [(("1", "1", "1900"), "Starts on must be on or after 1 January 2000"),
                                         (("1", "1", "2099"), "Starts on must be no later than")])
def test_a_fund_starting_in_1900_or_far_ahead_is_refused_on_the_date(client, db, make_user, start, words):
    from goldenthread.core.models import Service, StaffProfile
    from goldenthread.providers.models import Fund, SupportedPerson

    service = Service.objects.create(name="Brookside Support")
    manager = make_user(roles.PROVIDER_MANAGER, "manager")
    StaffProfile.objects.create(user=manager).services.add(service)
    sally = SupportedPerson.objects.create(ref="P-1", name="Sally", service=service)
    client.force_login(manager)
    response = client.post(reverse("providers:fund_new", args=[sally.pk]), {
        "name": "Sally's fund", "weekly_hours": "24", "hourly_rate": "20", "starts_on_0": start[0],
        "starts_on_1": start[1], "starts_on_2": start[2]})
    assert words in text(response) and 'href="#id_starts_on_0"' in response.content.decode()
    assert not Fund.objects.exists()


# --- plain-English errors tied to fields --------------------------------------------------------------------------

def test_a_tiny_amount_gets_govuk_wording_and_an_empty_form_names_each_field(client, db, make_user):
    from decimal import Decimal as D

    from goldenthread.core.models import Service, StaffProfile
    from goldenthread.providers.models import Fund, SupportedPerson

    service = Service.objects.create(name="Brookside Support")
    manager = make_user(roles.PROVIDER_MANAGER, "manager")
    StaffProfile.objects.create(user=manager).services.add(service)
    sally = SupportedPerson.objects.create(ref="P-1", name="Sally", service=service)
    fund = Fund.objects.create(name="Sally's fund", service=service, person=sally, starts_on=dt.date(2026, 10, 1),
                               weekly_money=D("15"), hourly_rate=D("20"))
    client.force_login(manager)
    url = reverse("providers:record", args=[fund.pk])
    tiny = client.post(url, {"kind": "purchase", "amount": "0.001", "description": "Bus fare",
                             "occurred_on_0": "2", "occurred_on_1": "11", "occurred_on_2": "2026"})
    zero = client.post(url, {"kind": "purchase", "amount": "0", "description": "Bus fare",
                             "occurred_on_0": "2", "occurred_on_1": "11", "occurred_on_2": "2026"})
    assert "Enter an amount of at least £0.01" in text(zero)
    assert "Enter the amount in pounds and pence, like 7.50" in text(tiny)
    empty = client.post(url, {"hours": ""})
    body = text(empty)
    assert not any(words in body for words in DJANGO_WORDING), body
    assert "Select what happened" in body and 'href="#id_kind_0"' in empty.content.decode()
    assert body.count("Select what happened") == 2  # once in the summary, once at the field


@pytest.mark.parametrize("name", ["sample", "next_cycle", "decisions"])
def test_programme_forms_sent_empty_use_no_django_wording(client, people, cycle, name):  # noqa: F811
    client.force_login(people["commissioner"])
    data = {"form": "sample"} if name == "sample" else {"form": "decisions"} if name == "decisions" else {"name": ""}
    body = text(client.post(cycle_url(name, cycle), data))
    assert "There is a problem" in body
    assert not any(words in body for words in DJANGO_WORDING), body


# --- a comment kept when the limit is reached ---------------------------------------------------------------------

@override_settings(GOLDENTHREAD_COMMENTS_PER_HOUR=1)
def test_a_comment_over_the_limit_comes_back_in_the_form_with_a_plain_message(client, themed):
    from django.core.cache import cache

    cache.clear()
    _, _, action = themed
    url = reverse("programme:comment", args=[services.plan_for(action.workshop.cycle).comment_code])
    client.post(url, {"action": action.pk, "came_from": "reviewed", "text": "First one"})
    response = client.post(url, {"action": action.pk, "came_from": "reviewed",
                                 "text": "The minibus should stop at the library"})
    page = response.content.decode()
    assert response.status_code == 429 and "<form" in page and "There is a problem" in page
    assert re.search(r">\s*The minibus should stop at the library</textarea>", page)
    assert "Your comment is still here" in text(response)
    assert Comment.objects.count() == 1


@override_settings(GOLDENTHREAD_COMMENTS_PER_HOUR=3)
def test_people_on_one_shared_tablet_are_not_limited_as_one_address(client, themed):
    from django.core.cache import cache

    cache.clear()
    _, _, action = themed
    url = reverse("programme:comment", args=[services.plan_for(action.workshop.cycle).comment_code])
    for n in range(3):
        assert client.post(url, {"action": action.pk, "came_from": "reviewed", "text": f"Comment {n}"},
                           REMOTE_ADDR="10.0.0.7").status_code == 302
    assert Comment.objects.count() == 3
