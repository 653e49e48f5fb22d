"""The people's panel: personal links, blind scoring on a phone, the server's checks, and scores combined openly."""
from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from goldenthread.tenders import services
from goldenthread.tenders.models import Score, Tender


def _member_client(member) -> tuple[Client, str]:
    """A phone that opened the member's personal link (a new link is made, as the commissioner would)."""
    phone = Client()
    token = services.new_link(member)
    response = phone.get(reverse("tenders:panel_join", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse("tenders:panel_home")
    return phone, token


def test_a_member_scores_a_bid_blind_through_their_personal_link(tender):
    member, bid = tender.panel.first(), tender.bids.get(label="Bid B")
    phone, _ = _member_client(member)
    home = phone.get(reverse("tenders:panel_home")).content.decode()
    assert "Bid A" in home and "Bid B" in home and "4 of 4 answered" not in home
    page = phone.get(reverse("tenders:panel_bid", args=[tender.pk, bid.pk])).content.decode()
    assert all(c.text in page for c in tender.criteria.all())
    assert "Not at all" in page and "Fully" in page
    assert not any(b.bidder in page for b in tender.bids.all()), "the panel must not see who made a bid"
    answers = {f"c{c.pk}": "4" for c in tender.criteria.all()}
    response = phone.post(reverse("tenders:panel_bid", args=[tender.pk, bid.pk]), answers)
    assert response.status_code == 302  # on to the next bid
    assert set(Score.objects.filter(member=member, bid=bid).values_list("value", flat=True)) == {4}


def test_a_missing_answer_is_named_in_the_error_summary_and_nothing_is_saved(tender):
    member, bid = tender.panel.first(), tender.bids.first()
    Score.objects.filter(member=member).delete()
    phone, _ = _member_client(member)
    first = tender.criteria.first()
    response = phone.post(reverse("tenders:panel_bid", args=[tender.pk, bid.pk]), {f"c{first.pk}": "3"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Score.objects.filter(member=member).exists()


def test_someone_not_on_the_panel_cannot_score(tender):
    bid, criterion = tender.bids.first(), tender.criteria.first()
    url = reverse("tenders:panel_bid", args=[tender.pk, bid.pk])
    stranger = Client()
    assert stranger.get(url).status_code == 403
    assert stranger.post(url, {f"c{criterion.pk}": "4"}).status_code == 403
    assert stranger.get(reverse("tenders:panel_join", args=["not-a-real-link"])).status_code == 404
    # A member of another tender's panel is not a member of this one.
    other = Tender.objects.create(name="Another", service_type=tender.service_type, area=tender.area)
    outsider, _token = services.add_member(other, "Sam", "person")
    phone, _ = _member_client(outsider)
    before = Score.objects.count()
    assert phone.post(url, {f"c{c.pk}": "0" for c in tender.criteria.all()}).status_code == 403
    with pytest.raises(services.TenderError):
        services.record_score(outsider, bid, criterion, 0)
    assert Score.objects.count() == before


def test_a_link_made_again_stops_the_old_one_working(tender):
    member = tender.panel.first()
    _phone, old = _member_client(member)
    services.new_link(member)
    assert Client().get(reverse("tenders:panel_join", args=[old])).status_code == 404


def test_scores_after_scoring_closes_are_refused(tender):
    member, bid, criterion = tender.panel.first(), tender.bids.first(), tender.criteria.first()
    phone, _ = _member_client(member)
    before = services.scores_of(member, bid)
    services.set_status(tender, Tender.Status.DECIDED)
    response = phone.post(reverse("tenders:panel_bid", args=[tender.pk, bid.pk]),
                          {f"c{c.pk}": "0" for c in tender.criteria.all()}, follow=True)
    assert "Scoring is closed" in response.content.decode()
    with pytest.raises(services.TenderError, match="closed"):
        services.record_score(member, bid, criterion, 0)
    assert services.scores_of(member, bid) == before


def test_a_score_is_kept_once_per_member_bid_and_criterion_and_its_change_is_logged(tender):
    member, bid, criterion = tender.panel.first(), tender.bids.first(), tender.criteria.first()
    first = services.record_score(member, bid, criterion, 1)
    again = services.record_score(member, bid, criterion, 2)
    assert first.pk == again.pk
    assert Score.objects.filter(member=member, bid=bid, criterion=criterion).count() == 1
    entry = LogEntry.objects.get_for_object(again).order_by("-timestamp", "-pk").first()
    assert entry.changes_dict["value"] == ["1", "2"]
    with pytest.raises(services.TenderError):
        services.record_score(member, bid, criterion, 5)


def test_the_scores_are_combined_by_the_weighted_mean_worked_out_by_hand(tender):
    """The demo panel's scores (goldenthread/demo/tenders.py), weights 3, 3, 2, 2:
    Bid A: means 3.75, 3.75, 2.75, 2.5 -> (3*3.75 + 3*3.75 + 2*2.75 + 2*2.5) / 10 = 3.3
    Bid B: means 1.5, 1.5, 1.75, 1.5  -> (4.5 + 4.5 + 3.5 + 3) / 10 = 1.55
    Bid C: means 2.75, 3.25, 3, 3.75  -> (8.25 + 9.75 + 6 + 7.5) / 10 = 3.15"""
    combined = services.combine(tender)
    got = {r.bid.label: r.weighted for r in combined.bids}
    assert got == pytest.approx({"Bid A": 3.3, "Bid B": 1.55, "Bid C": 3.15})
    assert [r.bid.label for r in combined.ranked] == ["Bid A", "Bid C", "Bid B"]
    assert combined.ranked[0].percent == 82  # 3.3 of 4
    # A member who has not answered a question is left out of its mean, not counted as 0.
    first = tender.criteria.first()
    Score.objects.filter(member=tender.panel.first(), bid__label="Bid A", criterion=first).delete()
    again = next(r for r in services.combine(tender).bids if r.bid.label == "Bid A")
    assert again.criteria[0].mean == pytest.approx((4 + 4 + 3) / 3)
    assert again.criteria[0].scores[0] is None


def test_how_we_decided_shows_every_answer_without_naming_the_panel_or_the_bidders(tender, as_user):
    client = as_user("viewer")
    page = client.get(reverse("tenders:decided", args=[tender.pk])).content.decode()
    assert "Member 1" in page and "3.30" in page and "1.55" in page
    assert not any(m.name in page for m in tender.panel.all())
    assert not any(b.bidder in page for b in tender.bids.all())
    # The commissioner's own page names them, beside the same numbers.
    page = as_user("commissioner").get(reverse("tenders:tender", args=[tender.pk])).content.decode()
    assert all(m.name in page for m in tender.panel.all()) and "3.30" in page


def test_only_commissioners_and_administrators_set_up_tenders(tender, as_user):
    url = reverse("tenders:tender", args=[tender.pk])
    viewer = as_user("viewer")
    assert viewer.get(url).status_code == 200
    assert "Dylan" not in viewer.get(url).content.decode(), "panel members' names are for the commissioner only"
    assert viewer.post(url, {"form": "bid", "bidder": "X", "summary": "Y"}).status_code == 403
    assert viewer.get(reverse("tenders:new")).status_code == 403
    commissioner = as_user("commissioner")
    response = commissioner.post(url, {"form": "member", "name": "Ravi", "role": "family"})
    assert response.status_code == 200 and "/panel/join/" in response.content.decode()
    assert tender.panel.filter(name="Ravi").exists()


def test_bids_and_criteria_cannot_change_once_the_panel_is_scoring(tender, as_user):
    commissioner = as_user("commissioner")
    url = reverse("tenders:tender", args=[tender.pk])
    commissioner.post(url, {"form": "bid", "bidder": "Late Ltd", "summary": "Too late"})
    assert not tender.bids.filter(bidder="Late Ltd").exists()
    with pytest.raises(services.TenderError):
        services.add_criterion(tender, tender.themes.first(), "Another question")


def test_a_bid_is_chosen_only_after_the_panel_has_scored_and_scoring_needs_a_panel(db):
    from goldenthread.core.models import Area
    from goldenthread.market.models import ServiceType

    tender = Tender.objects.create(name="Day support", service_type=ServiceType.objects.create(name="Day support"),
                                   area=Area.objects.create(name="Harford"))
    bid = services.add_bid(tender, "Acme", "We will open a club.")
    assert bid.label == "Bid A" and services.add_bid(tender, "Other", "More").label == "Bid B"
    with pytest.raises(services.TenderError, match="criteria, bids and panel members"):
        services.set_status(tender, Tender.Status.SCORING)
    with pytest.raises(services.TenderError, match="once the panel has scored"):
        services.decide(tender, bid, "It was the best.")
    tender.refresh_from_db()
    assert tender.status == Tender.Status.DRAFTING and tender.chosen_bid is None
