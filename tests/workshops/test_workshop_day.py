"""Issue 23, part 4: a workshop day without surprises.

A facilitator's screen keeps their session alive while it is open and says at once when the session has ended;
join codes can be closed, opened again and kept working longer from the workshop's page; someone whose phone
lost its cookie is asked whether they are the person already here; the facilitator can put two copies of one
person together or take someone off the list.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goldenthread.core import sessions
from goldenthread.workshops import presence
from goldenthread.workshops import services as ops
from goldenthread.workshops.models import Delegate, Vote, Workshop
from tests.workshops.test_consumer import Screen, app_as, run_async, signed_in_session


@pytest.fixture
def live_workshop(transactional_db, workshop):
    return workshop


def _facilitator_client(facilitator) -> Client:
    client = Client()
    client.force_login(facilitator)
    return client


# --- the facilitator's session on a workshop day ----------------------------------------------------------------

def test_an_open_workshop_screen_keeps_the_facilitators_session_alive(live_workshop, facilitator, monkeypatch):
    monkeypatch.setattr(presence, "REFRESH_SECONDS", 0.05)
    session = signed_in_session(facilitator)
    session[sessions.LAST_SEEN_KEY] = int(time.time()) - 25 * 60  # 25 minutes with no page request
    session.save()

    async def scenario():
        ws = Screen(app_as(user=facilitator, session=session), f"/ws/workshops/{live_workshop.code}/")
        assert (await ws.connect())[0]
        await asyncio.sleep(0.5)
        await ws.disconnect()

    run_async(scenario)
    stored = type(session)(session.session_key)
    assert int(time.time()) - stored[sessions.LAST_SEEN_KEY] < 10


def test_a_change_from_a_screen_whose_session_ended_is_refused_with_a_sign_in_link(live_workshop, facilitator):
    w = live_workshop
    card = w.cards.first()
    session = signed_in_session(facilitator)

    async def scenario():
        from channels.db import database_sync_to_async

        ws = Screen(app_as(user=facilitator, session=session), f"/ws/workshops/{w.code}/")
        assert (await ws.connect())[0]
        await ws.receive_from()  # hello
        await database_sync_to_async(type(session)(session.session_key).delete)()  # signed out in another tab
        await ws.send_to(text_data=json.dumps({"type": "call_card", "card": card.pk, "cluster": "new", "ref": 4}))
        reply = json.loads(await ws.receive_from())
        await ws.disconnect()
        return reply

    reply = run_async(scenario)
    assert reply["type"] == "signed_out" and reply["ref"] == 4
    assert reply["login_url"] == f"/accounts/login/?next=%2Fworkshops%2F{w.code}%2F"
    assert "not saved" in reply["message"]
    assert Workshop.objects.get(pk=w.pk).version == 0


def test_a_screen_opened_after_the_session_went_idle_is_not_the_facilitators(live_workshop, facilitator):
    session = signed_in_session(facilitator)
    session[sessions.LAST_SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()

    async def scenario():
        ws = Screen(app_as(user=facilitator, session=session), f"/ws/workshops/{live_workshop.code}/")
        connected, code = await ws.connect()
        return connected, code

    connected, code = run_async(scenario)
    assert not connected and code == 4403


# --- join codes ------------------------------------------------------------------------------------------------

def test_joining_can_be_closed_opened_again_and_kept_working_longer_from_the_workshop_page(workshop, facilitator):
    client = _facilitator_client(facilitator)
    home = reverse("workshop:home", args=[workshop.code])
    assert "Joining is open" in client.get(home).content.decode()
    client.post(reverse("workshop:do", args=[workshop.code, "set_joining"]), {"open": "no", "next": home})
    page = client.get(home).content.decode()
    assert "Joining is closed" in page and "Open joining again" in page
    Workshop.objects.filter(pk=workshop.pk).update(joining_open=True,
                                                   expires_at=timezone.now() - dt.timedelta(hours=1))
    assert "ran out at" in client.get(home).content.decode()
    client.post(reverse("workshop:do", args=[workshop.code, "extend_joining"]), {"hours": "4", "next": home})
    workshop.refresh_from_db()
    assert workshop.joining_open and workshop.joining_refusal() is None
    assert dt.timedelta(hours=3, minutes=59) < workshop.expires_at - timezone.now() <= dt.timedelta(hours=4)


def test_a_code_is_kept_working_from_when_it_would_run_out_and_within_bounds(workshop, fac_actor):
    before = Workshop.objects.get(pk=workshop.pk).expires_at
    ops.run(workshop.pk, fac_actor, "extend_joining", {"hours": 24})
    assert Workshop.objects.get(pk=workshop.pk).expires_at == before + dt.timedelta(hours=24)
    for hours in (0, 73):
        with pytest.raises(ops.OpError, match="1 to 72 hours"):
            ops.run(workshop.pk, fac_actor, "extend_joining", {"hours": hours})


def test_a_delegate_may_not_change_joining_or_the_list_of_people(workshop):
    sam = Delegate.objects.create(workshop=workshop, name="Sam", group="person")
    actor = ops.Actor("Sam (delegate)", delegate_id=sam.pk)
    for op, data in (("extend_joining", {"hours": 2}), ("remove_delegate", {"delegate": sam.pk})):
        with pytest.raises(ops.OpError, match="Only the facilitator"):
            ops.run(workshop.pk, actor, op, data)


# --- someone who joins twice -----------------------------------------------------------------------------------

def _join(client, workshop, **extra):
    return client.post(reverse("workshop:join"), {"code": workshop.code, "name": "Sam ", "group": "person",
                                                  **extra})


def test_someone_joining_again_is_asked_if_they_are_the_person_already_here_and_keeps_their_dots(workshop):
    sam = Delegate.objects.create(workshop=workshop, name="Sam", group="person")
    asked = _join(Client(), workshop)
    page = asked.content.decode()
    assert asked.status_code == 200 and "Are you Sam (Person who uses services)?" in page
    phone = Client()
    assert _join(phone, workshop, same="yes").status_code == 302
    assert workshop.delegates.count() == 1
    assert phone.session["goldenthread_workshops"][str(workshop.pk)] == sam.pk
    assert _join(Client(), workshop, same="no").status_code == 302
    assert workshop.delegates.count() == 2


def test_the_facilitator_puts_two_copies_of_one_person_together_and_their_dots_add_up(workshop, fac_actor):
    w = workshop
    for card in w.cards.filter(kind="not_working"):
        ops.run(w.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    themes = list(ops.main_board(w, "not_working").clusters.all())
    for i, c in enumerate(themes):
        ops.run(w.pk, fac_actor, "rename_cluster", {"cluster": c.pk, "name": f"Theme {i}"})
    ops.run(w.pk, fac_actor, "set_stage", {"stage": "analysis"})
    first = Delegate.objects.create(workshop=w, name="Sam", group="person")
    second = Delegate.objects.create(workshop=w, name="Sam", group="person")
    ops.run(w.pk, fac_actor, "vote", {"cluster": themes[0].pk, "dots": 1, "delegate": first.pk})
    ops.run(w.pk, fac_actor, "vote", {"cluster": themes[0].pk, "dots": 1, "delegate": second.pk})
    ops.run(w.pk, fac_actor, "vote", {"cluster": themes[1].pk, "dots": 1, "delegate": second.pk})
    ops.run(w.pk, fac_actor, "merge_delegates", {"delegate": second.pk, "into": first.pk})
    assert list(w.delegates.all()) == [first]
    assert dict(Vote.objects.filter(delegate=first).values_list("cluster_id", "dots")) == {themes[0].pk: 2,
                                                                                          themes[1].pk: 1}


def test_putting_together_more_dots_than_one_person_has_is_refused_naming_the_people(workshop, fac_actor):
    w = workshop
    Workshop.objects.filter(pk=w.pk).update(vote_budget=1)
    a = Delegate.objects.create(workshop=w, name="Ann", group="person")
    b = Delegate.objects.create(workshop=w, name="Bo", group="family")
    card = w.cards.filter(kind="not_working").first()
    ops.run(w.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    theme = ops.main_board(w, "not_working").clusters.get()
    ops.run(w.pk, fac_actor, "rename_cluster", {"cluster": theme.pk, "name": "Buses"})
    ops.run(w.pk, fac_actor, "set_stage", {"stage": "analysis"})
    for d in (a, b):
        ops.run(w.pk, fac_actor, "vote", {"cluster": theme.pk, "dots": 1, "delegate": d.pk})
    with pytest.raises(ops.OpError, match="Together Bo and Ann have 2 dots"):
        ops.run(w.pk, fac_actor, "merge_delegates", {"delegate": b.pk, "into": a.pk})
    assert w.delegates.count() == 2


def test_taking_someone_off_the_list_who_voted_asks_first_and_says_what_goes(workshop, fac_actor):
    w = workshop
    card = w.cards.filter(kind="not_working").first()
    ops.run(w.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    theme = ops.main_board(w, "not_working").clusters.get()
    ops.run(w.pk, fac_actor, "rename_cluster", {"cluster": theme.pk, "name": "Buses"})
    ops.run(w.pk, fac_actor, "set_stage", {"stage": "analysis"})
    sam = Delegate.objects.create(workshop=w, name="Sam", group="person")
    ops.run(w.pk, fac_actor, "vote", {"cluster": theme.pk, "dots": 2, "delegate": sam.pk})
    with pytest.raises(ops.NeedsConfirmation, match="2 dots from 1 person on “Buses”"):
        ops.run(w.pk, fac_actor, "remove_delegate", {"delegate": sam.pk})
    ops.run(w.pk, fac_actor, "remove_delegate", {"delegate": sam.pk}, confirm=True)
    assert not w.delegates.exists() and not Vote.objects.exists()
