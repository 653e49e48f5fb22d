"""Issue 24: after a crash, a dead process's screens stop counting as "people looking" within seconds."""
from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from django.utils import timezone

from goldenthread.workshops import presence
from goldenthread.workshops.models import LiveConnection, ServerProcess
from tests.workshops.test_consumer import Screen, app_as, run_async


@pytest.fixture
def live_workshop(transactional_db, workshop):
    return workshop


def test_a_process_that_stops_heartbeating_drops_out_of_the_count_within_the_limit(db, workshop, monkeypatch):
    monkeypatch.setattr(presence, "STALE_AFTER", dt.timedelta(seconds=0.5))
    for n in range(20):  # the process that crashed held 20 screens
        presence.join(workshop.pk, f"dead!{n}", f"delegate:{n}", process="web-1:100:dead")
    assert presence.join(workshop.pk, "alive!1", "user:fran", process="web-2:200:alive") == 21
    deadline = time.monotonic() + 3
    while presence.count(workshop.pk) != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
        presence.beat("web-2:200:alive")  # only the live process keeps beating
    assert presence.count(workshop.pk) == 1


def test_the_first_screen_back_after_a_crash_is_told_only_the_living(db, workshop):
    old = timezone.now() - presence.STALE_AFTER - dt.timedelta(seconds=1)
    ServerProcess.objects.create(name="web-1:100:dead", beat_at=old)
    LiveConnection.objects.bulk_create(LiveConnection(workshop=workshop, channel_name=f"dead!{n}",
                                                      person=f"delegate:{n}", process="web-1:100:dead")
                                       for n in range(20))
    assert presence.join(workshop.pk, "back!1", "user:fran") == 1
    assert not LiveConnection.objects.filter(process="web-1:100:dead").exists()
    assert not ServerProcess.objects.filter(name="web-1:100:dead").exists()


def test_the_stale_limit_is_seconds_not_minutes():
    assert presence.STALE_AFTER <= dt.timedelta(seconds=30)
    assert presence.HEARTBEAT_SECONDS * 2 < presence.STALE_AFTER.total_seconds()


def test_a_server_process_beats_while_it_holds_a_websocket_and_stops_after_the_last(live_workshop, facilitator,
                                                                                    monkeypatch):
    monkeypatch.setattr(presence, "HEARTBEAT_SECONDS", 0.05)
    w = live_workshop

    async def scenario():
        ws = Screen(app_as(user=facilitator), f"/ws/workshops/{w.code}/")
        assert (await ws.connect())[0]
        first = await _beat_at()
        await asyncio.sleep(0.4)
        later = await _beat_at()
        await ws.disconnect()
        await asyncio.sleep(0.1)
        return first, later, presence._held["task"]

    from channels.db import database_sync_to_async

    @database_sync_to_async
    def _beat_at():
        return ServerProcess.objects.get(name=presence.PROCESS).beat_at

    first, later, task = run_async(scenario)
    assert later > first
    assert task is None and presence._held["sockets"] == 0
