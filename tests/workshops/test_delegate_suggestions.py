"""The engine's numbers stay with the facilitator: delegates' phones get the card-call suggestions in words
only, or none at all when the facilitator says so; the suggestions use the wall's numbers (the keys)."""
from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from goldenthread.core import themes
from goldenthread.engine import HashingEmbedder
from goldenthread.workshops import services
from goldenthread.workshops.access import SESSION_KEY
from goldenthread.workshops.consumers import suggestions_message

PERCENT = re.compile(r"\d+\s*%")


@pytest.fixture(autouse=True)
def hashing_engine(monkeypatch):
    themes._embedder.cache_clear()
    themes._kept.clear()
    monkeypatch.setattr(themes, "_embedder", lambda: HashingEmbedder())


@pytest.fixture
def called(workshop, fac_actor):
    """Two not-working clusters on the wall (the second named), the third not-working card being called."""
    services.run(workshop.pk, fac_actor, "set_stage", {"stage": "card_call"})
    for card in workshop.cards.filter(kind="working"):
        services.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    bus, early, _ = workshop.cards.filter(kind="not_working").order_by("order")
    services.run(workshop.pk, fac_actor, "call_card", {"card": bus.pk, "cluster": "new"})
    services.run(workshop.pk, fac_actor, "call_card", {"card": early.pk, "cluster": "new"})
    second = services.main_board(workshop, "not_working").clusters.last()
    services.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": second.pk, "name": "I want to get home"})
    return workshop


def as_delegate(client, workshop):
    sam, _ = services.join(workshop.pk, "Sam", "person")
    session = client.session
    session[SESSION_KEY] = {str(workshop.pk): sam.pk}
    session.save()
    return sam


def _suggestions_section(page):
    start = page.find("data-suggestions")
    return page[start:page.find("</section>", start)] if start >= 0 else ""


def test_the_facilitators_suggestions_name_each_cluster_by_its_key(client, facilitator, called):
    client.force_login(facilitator)
    page = client.get(reverse("workshop:call", args=[called.code])).content.decode()
    section = _suggestions_section(page)
    assert "Put it with 2 – “I want to get home”" in section or "Put it with 1 – " in section
    assert PERCENT.search(section)  # the facilitator keeps the engine's numbers
    # ...and the keys say the same numbers for the same clusters
    assert 'data-key="2"><kbd aria-hidden="true">2</kbd> Put it with “I want to get home”' in page


def test_delegates_payload_has_words_and_no_percentages(called):
    fac = suggestions_message(called.pk, facilitator=True)
    mine = suggestions_message(called.pk, facilitator=False)
    assert fac["ranked"] and all("percent" in r for r in fac["ranked"])
    assert mine["on"] is True and mine["ranked"]
    assert all("percent" not in r for r in mine["ranked"])
    assert not PERCENT.search(json.dumps(mine))
    assert {r["likely"] for r in mine["ranked"]} <= {"very likely", "likely", "fairly likely", "not very likely"}
    assert [r["key"] for r in mine["ranked"]] == [r["key"] for r in fac["ranked"]]


def test_delegates_page_shows_suggestions_in_words_only(client, called):
    as_delegate(client, called)
    page = client.get(reverse("workshop:call", args=[called.code])).content.decode()
    section = _suggestions_section(page)
    assert "The theme engine suggests" in section and "likely" in section
    assert not PERCENT.search(section)


def test_the_facilitator_can_show_delegates_no_suggestions(client, facilitator, called):
    client.force_login(facilitator)
    r = client.post(reverse("workshop:do", args=[called.code, "set_delegate_suggestions"]),
                    {"on": "no", "next": reverse("workshop:call", args=[called.code])})
    assert r.status_code == 302
    called.refresh_from_db()
    assert called.suggestions_to_delegates is False and called.suggestions_on is True
    page = client.get(reverse("workshop:call", args=[called.code])).content.decode()
    assert "The theme engine suggests" in page and "Show delegates the suggestions in words" in page
    mine = suggestions_message(called.pk, facilitator=False)
    assert mine["on"] is False and mine["ranked"] == [] and mine["new"] == ""
    client.logout()
    as_delegate(client, called)
    page = client.get(reverse("workshop:call", args=[called.code])).content.decode()
    assert "The theme engine suggests" not in page


def test_a_delegate_cannot_turn_suggestions_back_on(called):
    sam, _ = services.join(called.pk, "Sam", "person")
    with pytest.raises(services.OpError, match="Only the facilitator"):
        services.run(called.pk, services.Actor("Sam", delegate_id=sam.pk), "set_delegate_suggestions", {"on": True})


@pytest.mark.django_db(transaction=True)
def test_a_delegates_websocket_gets_no_percentages_and_nothing_when_switched_off(workshop, fac_actor):
    from tests.workshops.test_consumer import _connect, run_async

    services.run(workshop.pk, fac_actor, "set_stage", {"stage": "card_call"})
    services.run(workshop.pk, fac_actor, "call_card", {"card": workshop.cards.first().pk, "cluster": "new"})
    sam, _ = services.join(workshop.pk, "Sam", "person")

    async def ask():
        ws = await _connect(workshop, session={SESSION_KEY: {str(workshop.pk): sam.pk}})
        await ws.send_to(text_data=json.dumps({"type": "suggestions", "ref": 1}))
        reply = json.loads(await ws.receive_from())
        await ws.disconnect()
        return reply

    on = run_async(ask)
    assert on["type"] == "suggestions" and on["on"] is True and (on["ranked"] or on["new"])
    assert not PERCENT.search(json.dumps(on)) and all("percent" not in r for r in on["ranked"])
    services.run(workshop.pk, fac_actor, "set_delegate_suggestions", {"on": False})
    off = run_async(ask)
    assert off["on"] is False and off["ranked"] == [] and off["new"] == ""
