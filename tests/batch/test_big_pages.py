"""Pages that list reviews or cards show them a page at a time, with a fixed number of queries
however many there are (the storage-at-scale rules; timings are in benchmarks/page_speed.py)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.batch.bigdb import make_big_db
from goldenthread.core import roles
from goldenthread.reviews.models import ProgrammeCycle, Review, Statement

# GOV.UK Frontend's right-aligned table cell for numbers.
NUMERIC_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">'


@pytest.fixture
def big(db):
    make_big_db(1500, 1, workshop=False)  # about 250 reviews
    return ProgrammeCycle.objects.get()


@pytest.mark.parametrize("role", [roles.ADMINISTRATOR, roles.PROVIDER_MANAGER, roles.REVIEW_FACILITATOR,
                                  roles.VIEWER])
def test_the_review_list_is_paged_with_a_fixed_number_of_queries(client, make_user, big, role,
                                                                 django_assert_max_num_queries):
    client.force_login(make_user(role))
    url = reverse("review_list", args=[big.slug])
    n = Review.objects.filter(cycle=big).count()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert page.count('href="/reviews/') == 50
    with CaptureQueriesContext(connection) as one_page, CaptureQueriesContext(connection):
        client.get(url, {"page": 2})
    with CaptureQueriesContext(connection) as last_page:
        client.get(url, {"page": 5})
    assert len(one_page) == len(last_page)  # queries do not grow with the rows shown
    assert f"Page 1 of {-(-n // 50)}" in page and 'rel="next"' in page and 'rel="prev"' not in page
    last = client.get(url, {"page": -(-n // 50)}).content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert last.count('href="/reviews/') == n - 50 * (n // 50) or n % 50 == 0


def test_review_list_counts_each_reviews_statements_in_the_database(client, make_user, big):
    client.force_login(make_user(roles.ADMINISTRATOR))
    first = Review.objects.filter(cycle=big).order_by("reference").first()
    page = client.get(reverse("review_list", args=[big.slug])).content.decode()
    n = Statement.objects.filter(review=first).count()
    row = page[page.index(f">{first.reference}<"):]
    row = row[:row.index("</tr>")]
    assert f'{NUMERIC_CELL}{n}</td>' in row  # a number, in a right-aligned table cell


def test_cards_are_paged_and_the_kind_filter_is_kept_across_pages(client, make_user, big,
                                                                  django_assert_max_num_queries):
    client.force_login(make_user(roles.VIEWER))
    url = reverse("cards", args=[big.slug])
    # A fixed number whatever the page holds (60 cards here): session, user, permissions, the person-account
    # check, counts by kind, the page, and the check-before-printing count; never one query per card.
    with django_assert_max_num_queries(15):
        page = client.get(url, {"kind": "not_working"}).content.decode()
    assert page.count('class="card card--not_working"') == 60
    assert "?kind=not_working&amp;page=2" in page
    second = client.get(url, {"kind": "not_working", "page": 2}).content.decode()
    assert 'rel="prev"' in second and "card--working" not in second
    # a page number past the end shows the last page, not an error
    assert client.get(url, {"page": 99999}).status_code == 200


def test_the_home_page_pages_cycles_and_counts_reviews_and_people_per_cycle(client, make_user, big,
                                                                            django_assert_max_num_queries):
    for i in range(20):
        ProgrammeCycle.objects.create(name=f"Empty {i:02d}", slug=f"empty-{i:02d}", year=2000)
    client.force_login(make_user(roles.VIEWER))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("home")).content.decode()
    assert "Page 1 of 2" in page and big.name in page  # newest year first
    reviews = Review.objects.filter(cycle=big)
    row = page[page.index(big.name):]
    row = row[:row.index("</tr>")]
    people = reviews.values("person_ref").distinct().count()
    assert f'{NUMERIC_CELL}{reviews.count()}</td>{NUMERIC_CELL}{people}</td>' in row
    assert "Empty 19" in client.get(reverse("home"), {"page": 2}).content.decode()
