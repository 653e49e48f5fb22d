"""Issue 23, part 8: "important now" statements are kept with the review for the person's own plan, and the
import, the cards page and the card PDF say plainly that they are not workshop cards.

*Working together for change* puts three kinds of statement on coloured cards: what is working, what is not
working and what is important for the future. Statements are invented.
"""
from __future__ import annotations

import datetime as dt

from django.urls import reverse

from goldenthread.core import roles
from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
from goldenthread.reviews.importing import import_reviews
from goldenthread.reviews.saving import save_reviews
from goldenthread.workshops import services as ops


def _review(cycle):
    draft = ReviewDraft(reference="R1", person_ref="P1", review_date=dt.date(2026, 2, 1), area="Harford",
                        user_group="Older people", consent=True, person_name="Dev Patel", statements=[
                            StatementDraft(kind="working", text="I like the allotment"),
                            StatementDraft(kind="future", text="A job in a bakery"),
                            StatementDraft(kind="important_now", text="Seeing my nan on Sundays")])
    return save_reviews(cycle, [draft]).reviews[0]


def test_the_import_says_how_many_statements_are_important_now_and_that_they_are_not_cards(cycle, review_csv):
    data = review_csv.decode() + ("R9,P9,,2026-02-03,,,,Northbrook,,Learning disability,yes,important now,person,,"
                                  "My cat\n")
    result = import_reviews(cycle, data.encode(), "reviews.csv")
    assert result.important_now == 1
    assert "1 of them say what is important to the person now" in result.summary()
    assert "not workshop cards" in result.summary()


def test_the_cards_page_and_pdf_leave_important_now_out_of_all_workshop_cards(client, cycle, make_user):
    _review(cycle)
    client.force_login(make_user(roles.ADMINISTRATOR, "ada"))
    page = client.get(reverse("cards", args=[cycle.slug])).content.decode()
    assert "All workshop cards (2)" in page and "Seeing my nan" not in page
    assert "are not workshop cards" in page
    assert "Seeing my nan" in client.get(reverse("cards", args=[cycle.slug]) + "?kind=important_now").content.decode()
    pdf = client.get(reverse("cards_pdf", args=[cycle.slug]))
    assert pdf.status_code == 200
    from goldenthread.core.models import AccessRecord

    assert AccessRecord.objects.filter(detail__startswith="Card PDF").latest("at").detail.endswith("2 cards")


def test_a_workshop_takes_no_important_now_cards(cycle, make_user):
    _review(cycle)
    workshop = ops.create_workshop(cycle, "Day", "all", make_user(roles.ADMINISTRATOR, "ada"))
    assert sorted(workshop.cards.values_list("kind", flat=True)) == ["future", "working"]
