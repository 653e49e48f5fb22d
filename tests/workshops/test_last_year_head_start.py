"""Last year's themes as a head start: the card-call suggestions and "place the rest" offer "Like last year's
‘…’" from the first card when the cycle's previous cycle has named themes; accepting one starts a cluster with
that name; the server checks it is one of last year's themes of the card's kind.

The engine is the real one with a word-hashing embedder (no model to load).
"""
from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse

from goldenthread.core import themes
from goldenthread.engine import HashingEmbedder
from goldenthread.workshops import services
from goldenthread.workshops.access import SESSION_KEY
from goldenthread.workshops.models import Decision, Delegate, RestProposal

#: Last year's cards and the themes the room named (written for this test).
LAST_YEAR = {
    ("working", "I love my allotment"): ["The allotment is my favourite place", "I go to the allotment club each week"],
    ("not_working", "I can't get home from town in the evening"): [
        "There is no bus to town in the evening", "The last bus home leaves before six"],
}


@pytest.fixture(autouse=True)
def hashing_engine(monkeypatch):
    themes._embedder.cache_clear()
    themes._kept.clear()
    themes._last_years.clear()
    monkeypatch.setattr(themes, "_embedder", lambda: HashingEmbedder())


@pytest.fixture
def last_year(workshop, facilitator, fac_actor):
    """Last year's cycle with a workshop whose room named its themes; this year's cycle follows it."""
    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.reviews.saving import save_reviews

    before = ProgrammeCycle.objects.create(name="Test town, 2025", slug="test-2025", year=2025)
    cards = [(kind, text) for (kind, _), texts in LAST_YEAR.items() for text in texts]
    save_reviews(before, [ReviewDraft(reference=f"L-{i}", person_ref=f"Q-{i}", review_date=dt.date(2025, 2, 1 + i),
                                      area="Harford", user_group="Older people", consent=True,
                                      statements=[StatementDraft(kind, text, priority=1)])
                          for i, (kind, text) in enumerate(cards)])
    old = services.create_workshop(before, "Last year's workshop", "all", facilitator)
    services.run(old.pk, fac_actor, "set_stage", {"stage": "card_call"})
    named = {}
    for (kind, name), texts in LAST_YEAR.items():
        cluster = None
        for card in old.cards.filter(kind=kind, statement__card_text__in=texts):
            services.run(old.pk, fac_actor, "call_card", {"card": card.pk, "cluster": cluster or "new"})
            cluster = services.main_board(old, kind).clusters.get().pk
        services.run(old.pk, fac_actor, "rename_cluster", {"cluster": cluster, "name": name})
        named[name] = cluster
    workshop.cycle.previous = before
    workshop.cycle.save()
    services.run(workshop.pk, fac_actor, "set_stage", {"stage": "card_call"})
    return named


def url(name, workshop, *args):
    return reverse(f"workshop:{name}", args=[workshop.code, *args])


def do(client, workshop, op, **data):
    return client.post(url("do", workshop, op), {"next": url("call", workshop), **data}, follow=True)


def test_the_first_card_is_offered_last_years_theme_in_words_and_accepting_it_starts_that_cluster(
        client, facilitator, workshop, last_year):
    client.force_login(facilitator)
    page = unescape(client.get(url("call", workshop)).content.decode())
    # The first card to call is "I love going to the allotment with my friend": nothing on the wall yet.
    assert "Like last year's theme ‘I love my allotment’" in page
    assert "Start ‘I love my allotment’ like last year" in page
    assert "Start last year's theme ‘I love my allotment’ again" in page
    assert "I can't get home from town in the evening" not in page  # another kind's theme is not offered
    card = services.cards_to_call(workshop).first()
    r = do(client, workshop, "call_card", card=card.pk, last_year=last_year["I love my allotment"])
    assert r.status_code == 200
    cluster = services.main_board(workshop, "working").clusters.get()
    assert cluster.name == "I love my allotment" and list(cluster.placements.values_list("card_id", flat=True)) == [
        card.pk]
    assert Decision.objects.get(card=card).action == Decision.Action.NEW
    assert workshop.changes.first().summary.endswith("a new cluster “I love my allotment” (like last year's)")
    # The room's cluster has taken last year's theme over: the next allotment card goes there, not "like last year".
    page = unescape(client.get(url("call", workshop)).content.decode())
    assert "Like last year's theme ‘I love my allotment’" not in page
    assert f'name="cluster" value="{cluster.pk}">Put it with 1 – “I love my allotment”' in page


@pytest.mark.parametrize("data, message", [
    ({"last_year": "this-year"}, "That is not one of last year's themes for these cards."),
    ({"last_year": "other-kind"}, "That is not one of last year's themes for these cards."),
    ({"last_year": 999999}, "That is not one of last year's themes for these cards."),
    ({"last_year": "ok", "cluster": "this-year"}, "Choose either a cluster on the board or last year's theme"),
])
def test_only_one_of_last_years_themes_of_the_cards_kind_can_be_started(
        client, facilitator, workshop, last_year, fac_actor, data, message):
    first = services.cards_to_call(workshop).first()
    services.run(workshop.pk, fac_actor, "call_card", {"card": first.pk, "cluster": "new"})
    mine = services.main_board(workshop, "working").clusters.get().pk
    ids = {"this-year": mine, "other-kind": last_year["I can't get home from town in the evening"],
           "ok": last_year["I love my allotment"]}
    data = {k: ids.get(v, v) for k, v in data.items()}
    card = services.cards_to_call(workshop).first()
    before = (workshop.changes.count(), Decision.objects.count())
    client.force_login(facilitator)
    r = do(client, workshop, "call_card", card=card.pk, **data)
    assert message in unescape(r.content.decode())
    assert (workshop.changes.count(), Decision.objects.count()) == before


def test_without_a_previous_cycle_nothing_is_said_about_last_year(client, facilitator, workshop, fac_actor):
    services.run(workshop.pk, fac_actor, "set_stage", {"stage": "card_call"})
    client.force_login(facilitator)
    page = unescape(client.get(url("call", workshop)).content.decode())
    assert "The theme engine suggests" in page and "last year" not in page


def test_delegates_see_last_years_theme_in_words_without_percentages(client, workshop, last_year, fac_actor):
    services.run(workshop.pk, fac_actor, "set_delegate_suggestions", {"on": "yes"})
    sam = Delegate.objects.create(workshop=workshop, name="Sam", group="person")
    session = client.session
    session[SESSION_KEY] = {str(workshop.pk): sam.pk}
    session.save()
    page = unescape(client.get(url("call", workshop)).content.decode())
    assert "Like last year's theme ‘I love my allotment’, a new cluster here" in page
    assert "%" not in page.split('id="suggest-title"')[1].split("</section>")[0]
    message = services.card_call_suggestions(workshop, services.cards_to_call(workshop).first())
    assert message.last_year_first and message.last_year[0].name == "I love my allotment"


def test_place_the_rest_proposes_last_years_theme_and_accepting_starts_it_with_its_name(
        client, facilitator, workshop, last_year, fac_actor):
    client.force_login(facilitator)
    do(client, workshop, "place_rest", kind="not_working")
    proposal = RestProposal.objects.get(workshop=workshop, kind="not_working", open=True)
    name = "I can't get home from town in the evening"
    group = next(int(g) for g, theme in proposal.group_last_year.items() if theme == last_year[name])
    assert proposal.group_names[str(group)] == name
    bus = list(proposal.places.filter(new_group=group).order_by("card__order"))
    assert {p.card.statement.card_text for p in bus} == {"I can't get a bus to town after six",
                                                         "The bus stops too early in the evening"}
    page = unescape(client.get(url("place_rest", workshop, "not_working")).content.decode())
    assert f"New theme {group}: like last year's ‘I can't get home from town in the evening’, 2 cards" in page
    do(client, workshop, "accept_place", proposal=proposal.pk, card=bus[0].card_id)
    do(client, workshop, "accept_place", proposal=proposal.pk, card=bus[1].card_id)
    cluster = services.main_board(workshop, "not_working").clusters.get(name=name)
    assert set(cluster.placements.values_list("card_id", flat=True)) == {p.card_id for p in bus}
