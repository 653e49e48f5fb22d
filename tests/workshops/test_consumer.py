"""The workshop websocket: good changes reach every screen; bad messages get an error to the sender only."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from goldenthread.workshops.models import Workshop
from goldenthread.web.routing import websocket_urlpatterns


def signed_in_session(user):
    """A real, saved session for ``user``, as the sign-in page leaves it (a facilitator's screen needs one)."""
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.save()
    return session


def app_as(user=None, session=None):
    router = URLRouter(websocket_urlpatterns)

    async def app(scope, receive, send):
        from channels.db import database_sync_to_async

        nonlocal session
        if session is None and getattr(user, "is_authenticated", False):
            session = await database_sync_to_async(signed_in_session)(user)
        return await router({**scope, "user": user, "session": session or {}}, receive, send)

    return app


def _is_presence(event) -> bool:
    return event.get("type") == "websocket.send" and '"type": "presence"' in (event.get("text") or "")


class Screen(WebsocketCommunicator):
    """A test screen. Presence counts (sent whenever anyone joins or leaves) are set aside in ``counts``,
    so tests about changes read only the replies and broadcasts they are about."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts: list[int] = []

    async def receive_output(self, timeout=1):
        while True:
            event = await super().receive_output(timeout)
            if not _is_presence(event):
                return event
            self.counts.append(json.loads(event["text"])["count"])

    async def receive_nothing(self, timeout=0.1, interval=0.01):
        await super().receive_nothing(timeout, interval)
        others = []
        while not self.output_queue.empty():
            event = self.output_queue.get_nowait()
            if _is_presence(event):
                self.counts.append(json.loads(event["text"])["count"])
            else:
                others.append(event)
        for event in others:
            self.output_queue.put_nowait(event)
        return not others

    async def presence(self, timeout=2) -> int:
        """The next presence count this screen is told."""
        while True:
            event = await WebsocketCommunicator.receive_output(self, timeout)
            if _is_presence(event):
                return json.loads(event["text"])["count"]


async def _connect(workshop, **who):
    ws = Screen(app_as(**who), f"/ws/workshops/{workshop.code}/")
    connected, _ = await ws.connect()
    assert connected
    hello = json.loads(await ws.receive_from())
    assert hello["type"] == "changed"
    return ws


def run_async(fn):
    """Run a scenario on its own event loop in a fresh thread (Playwright may own this thread's loop).

    The consumer's database work runs in that thread (``database_sync_to_async`` is thread-sensitive), so
    the thread may open its own database connection. It is closed before the thread ends, so a scenario
    that stops half-way (a time-out) cannot leave a PostgreSQL connection behind for the next one
    (``test_websocket_scenarios_leave_no_database_connection_open``).
    """
    from django.db import connections

    def in_thread():
        try:
            return async_to_sync(fn)()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(in_thread).result()


@pytest.fixture
def live_workshop(transactional_db, workshop):
    return workshop


def test_a_move_reaches_every_screen(live_workshop, facilitator):
    w = live_workshop
    card = w.cards.filter(kind="working").first()

    async def scenario():
        a = await _connect(w, user=facilitator)
        b = await _connect(w, user=facilitator)
        await a.send_to(text_data=json.dumps({"type": "call_card", "card": card.pk, "cluster": "new", "ref": 7}))
        replies = [json.loads(await a.receive_from()) for _ in range(2)]
        seen = json.loads(await b.receive_from())
        await a.disconnect()
        await b.disconnect()
        return replies, seen

    replies, seen = run_async(scenario)
    assert {"type": "done", "version": 1, "ref": 7} in replies
    assert seen["type"] == "changed" and seen["version"] == 1 and seen["op"] == "call_card"


@pytest.mark.parametrize("message,error", [
    ("{not json", "not understood"),
    (json.dumps([1, 2]), "not understood"),
    (json.dumps({"type": "explode"}), "does not know"),
    (json.dumps({"type": "move_card", "card": 987654, "cluster": 1}), "not in this workshop"),
    (json.dumps({"type": "rename_cluster", "cluster": 1, "name": "x" * 20000}), "too big"),
])
def test_bad_messages_get_an_error_to_that_screen_only(live_workshop, facilitator, message, error):
    w = live_workshop

    async def scenario():
        a = await _connect(w, user=facilitator)
        b = await _connect(w, user=facilitator)
        await a.send_to(text_data=message)
        reply = json.loads(await a.receive_from())
        quiet = await b.receive_nothing(timeout=0.3)
        await a.disconnect()
        await b.disconnect()
        return reply, quiet

    reply, quiet = run_async(scenario)
    assert reply["type"] == "error" and error in reply["message"]
    assert quiet
    assert Workshop.objects.get(pk=w.pk).version == 0


def test_another_workshops_ids_are_refused(live_workshop, facilitator, workshop_cycle):
    from goldenthread.workshops.services import create_workshop

    foreign_card = create_workshop(workshop_cycle, "Other", "all", facilitator).cards.first().pk
    w = live_workshop

    async def scenario():
        a = await _connect(w, user=facilitator)
        await a.send_to(text_data=json.dumps({"type": "call_card", "card": foreign_card}))
        reply = json.loads(await a.receive_from())
        await a.disconnect()
        return reply

    assert "not in this workshop" in run_async(scenario)["message"]
    assert not w.boards.filter(placements__isnull=False).exists()


def test_strangers_cannot_connect(live_workshop):
    async def scenario():
        ws = WebsocketCommunicator(app_as(), f"/ws/workshops/{live_workshop.code}/")
        connected, _ = await ws.connect()
        return connected

    assert not run_async(scenario)


def test_a_delegate_connects_with_their_session_and_can_vote_but_not_call(live_workshop):
    from goldenthread.workshops.access import SESSION_KEY

    w = live_workshop
    d = w.delegates.create(name="Sam", group="person")
    session = {SESSION_KEY: {str(w.pk): d.pk}}

    async def scenario():
        ws = await _connect(w, session=session)
        await ws.send_to(text_data=json.dumps({"type": "undo_call"}))
        reply = json.loads(await ws.receive_from())
        await ws.disconnect()
        return reply

    assert "Only the facilitator" in run_async(scenario)["message"]


def test_reconnecting_screen_is_told_the_current_version(live_workshop, facilitator):
    from goldenthread.workshops import services as ops

    w = live_workshop
    ops.run(w.pk, ops.Actor("fran", True), "set_stage", {"stage": "card_call"})

    async def scenario():
        ws = Screen(app_as(user=facilitator), f"/ws/workshops/{w.code}/")
        await ws.connect()
        first = json.loads(await ws.receive_from())
        await ws.send_to(text_data=json.dumps({"type": "hello", "version": 0}))
        second = json.loads(await ws.receive_from())
        await ws.disconnect()
        return first, second

    first, second = run_async(scenario)
    assert first["version"] == second["version"] == 1 and second["stage"] == "card_call"


def test_two_people_moving_one_card_at_once_end_in_one_state_everyone_sees(live_workshop, facilitator):
    """Both moves are applied, one after the other: the version goes up twice, the card ends in one of the two
    clusters (the later move), and both screens are told the same final version."""
    import asyncio

    from goldenthread.workshops import services as ops

    w = live_workshop
    fac = ops.Actor("fran", True)
    bus, late, staff = w.cards.filter(kind="not_working").order_by("order")
    for card in (bus, late):
        ops.run(w.pk, fac, "call_card", {"card": card.pk, "cluster": "new"})
    ops.run(w.pk, fac, "call_card", {"card": staff.pk, "cluster": "new"})
    board = ops.main_board(w, "not_working")
    first, second = board.clusters.exclude(placements__card=staff).order_by("position")
    start = Workshop.objects.get(pk=w.pk).version

    async def until_version(ws, version):
        seen = []
        while not any(m["type"] == "changed" and m["version"] == version for m in seen):
            seen.append(json.loads(await ws.receive_from(timeout=3)))
        return seen

    async def scenario():
        a = await _connect(w, user=facilitator)
        b = await _connect(w, user=facilitator)
        await asyncio.gather(
            a.send_to(text_data=json.dumps({"type": "move_card", "card": staff.pk, "cluster": first.pk, "ref": "a"})),
            b.send_to(text_data=json.dumps({"type": "move_card", "card": staff.pk, "cluster": second.pk, "ref": "b"})))
        seen_a, seen_b = await asyncio.gather(until_version(a, start + 2), until_version(b, start + 2))
        await a.disconnect()
        await b.disconnect()
        return seen_a, seen_b

    seen_a, seen_b = run_async(scenario)
    done = {m["ref"]: m["version"] for m in seen_a + seen_b if m["type"] == "done"}
    assert sorted(done.values()) == [start + 1, start + 2]
    assert not [m for m in seen_a + seen_b if m["type"] == "error"]
    final = Workshop.objects.get(pk=w.pk)
    assert final.version == start + 2
    winner = first if done["a"] > done["b"] else second
    assert board.placements.get(card=staff).cluster_id == winner.pk
    for seen in (seen_a, seen_b):
        assert [m["version"] for m in seen if m["type"] == "changed"][-1] == final.version


def test_every_screen_is_told_how_many_people_are_looking(live_workshop, facilitator):
    from goldenthread.workshops.access import remember_delegate
    from goldenthread.workshops.models import Delegate, LiveConnection

    w = live_workshop
    delegate = Delegate.objects.create(workshop=w, name="Ola", group="person")
    session = {}
    remember_delegate(session, w, delegate)

    async def scenario():
        fran = await _connect(w, user=facilitator)
        first = await fran.presence()
        ola = await _connect(w, session=session)
        both = (await fran.presence(), await ola.presence())
        await ola.disconnect()
        after = await fran.presence()
        await fran.disconnect()
        return first, both, after

    first, both, after = run_async(scenario)
    assert first == 1
    assert both == (2, 2)
    assert after == 1
    assert not LiveConnection.objects.exists()


def test_one_person_on_two_screens_counts_once(live_workshop, facilitator):
    w = live_workshop

    async def scenario():
        laptop = await _connect(w, user=facilitator)
        await laptop.presence()
        projector = await _connect(w, user=facilitator)
        counts = (await laptop.presence(), await projector.presence())
        await laptop.disconnect()
        await projector.disconnect()
        return counts

    assert run_async(scenario) == (1, 1)


def test_a_connection_left_by_a_dead_process_stops_counting(live_workshop, facilitator):
    import datetime as dt

    from django.utils import timezone

    from goldenthread.workshops import presence
    from goldenthread.workshops.models import LiveConnection

    from goldenthread.workshops.models import ServerProcess

    w = live_workshop
    ServerProcess.objects.create(name="gone:1:x", beat_at=timezone.now() - presence.STALE_AFTER - dt.timedelta(seconds=1))
    LiveConnection.objects.create(workshop=w, channel_name="gone!1", person="user:gone", process="gone:1:x")
    assert presence.count(w.pk) == 0
    assert presence.join(w.pk, "here!1", "user:fran") == 1
    assert not LiveConnection.objects.filter(channel_name="gone!1").exists()
