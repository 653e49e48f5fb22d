"""Area, service and user group are fixed lists: every way a review comes in picks from them."""
from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.core.lookups import Lookups, NotOnTheList, closest
from goldenthread.core.models import Area
from goldenthread.reviews.importing import ReviewFileError, import_reviews
from goldenthread.reviews.models import Review
from tests.conftest import as_choices
from tests.reviews.test_pages import review_form_data

HEADER = ("review_id,person_id,person_name,review_date,facilitator,attendees,location,area,service,user_group,"
          "consent,kind,perspective,priority,text\n")


def test_a_typing_slip_is_refused_with_the_close_name(council_lists):
    with pytest.raises(NotOnTheList) as refused:
        Lookups().find("area", "Northbrok")
    assert str(refused.value) == "'Northbrok' is not one of the council's areas. Did you mean 'Northbrook'?"
    assert Lookups().find("area", "  northbrook ").name == "Northbrook"
    assert closest("Zanzibar", ["Harford", "Northbrook"]) is None


def test_the_review_form_refuses_an_area_not_on_the_list(client, make_user, cycle):
    client.force_login(make_user(roles.REVIEW_FACILITATOR))
    data = review_form_data(area="Northbrok")
    page = client.post(reverse("review_new", args=[cycle.slug]), data).content.decode()
    assert not Review.objects.exists()
    assert "Select the area from the list" in page
    assert not Area.objects.filter(name="Northbrok").exists()


def test_the_review_form_offers_the_lists_sorted_by_name_and_says_select(client, make_user, cycle):
    client.force_login(make_user(roles.REVIEW_FACILITATOR))
    page = client.get(reverse("review_new", args=[cycle.slug])).content.decode()
    assert page.index(">Harford</option>") < page.index(">Northbrook</option>")
    data = review_form_data(area="", user_group="")
    page = client.post(reverse("review_new", args=[cycle.slug]), data).content.decode()
    assert "Select the area." in page and "Select the user group." in page


def test_the_person_centred_review_refuses_a_user_group_not_on_the_list(client, make_user, cycle):
    client.force_login(make_user(roles.REVIEW_FACILITATOR))
    data = as_choices({"reference": "PCR-1", "person_ref": "P-50", "person_name": "Nell Ward",
                       "review_date": "2026-03-01", "facilitator": "", "location": "Home", "area": "Harford",
                       "service": "", "attendees": ""}) | {"user_group": "Older peple"}
    page = client.post(reverse("pcr_start", args=[cycle.slug]), data).content.decode()
    assert not Review.objects.exists()
    assert "Select the user group from the list" in page


def test_an_import_naming_an_unknown_area_saves_nothing_and_names_row_column_and_match(cycle):
    data = (HEADER
            + "R1,P1,,2026-02-03,,,,Harford,,Older people,yes,working,,,Fine\n"
            + "R2,P2,,2026-02-03,,,,Northbrok,Acorn Suport,Older people,yes,working,,,Fine\n"
            + "R2,P2,,2026-02-03,,,,Northbrok,Acorn Suport,Older people,yes,future,,,A flat\n").encode()
    with pytest.raises(ReviewFileError) as refused:
        import_reviews(cycle, data, "reviews.csv")
    assert [str(p) for p in refused.value.problems] == [
        "Row 3, column area: 'Northbrok' is not one of the council's areas. Did you mean 'Northbrook'? "
        "It is on 1 more row too.",
        "Row 3, column service: 'Acorn Suport' is not one of the council's services. Did you mean 'Acorn Support'? "
        "It is on 1 more row too.",
    ]
    assert not Review.objects.exists() and not Area.objects.filter(name="Northbrok").exists()


def test_an_import_matches_names_without_regard_to_case(cycle):
    data = (HEADER + "R1,P1,,2026-02-03,,,,harford,,OLDER PEOPLE,yes,working,,,Fine\n").encode()
    import_reviews(cycle, data, "reviews.csv")
    review = Review.objects.get()
    assert (review.area.name, review.user_group.name) == ("Harford", "Older people")
    assert Area.objects.filter(name__iexact="harford").count() == 1

