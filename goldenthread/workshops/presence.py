"""Live presence: how many people are looking at a workshop right now ("3 people are looking at this workshop").

Working together for change is a room full of people around a wall of cards;
on screens, presence is the reminder that others are there. Each open
websocket is one :class:`~goldenthread.workshops.models.LiveConnection` row,
so the count is right however many server processes share the channel layer.
People are counted, not screens: a facilitator with the board open on a laptop
and a projector counts once.

A server process that dies (killed, out of memory, the machine restarted) cannot
close its sockets' rows. So each process that holds websockets writes a
heartbeat (:class:`~goldenthread.workshops.models.ServerProcess`) every
:data:`HEARTBEAT_SECONDS`, and the count takes only connections whose process
beat within :data:`STALE_AFTER`: a dead process's screens stop counting within
seconds, and its rows are deleted the next time someone joins. (Before, each
connection had its own 120-second time-out, so after a crash the first screen
back was told 21 people were looking, 20 of them gone.) Processes on several
machines compare times, so keep their clocks in step (NTP), well inside
:data:`STALE_AFTER`.

These functions are synchronous (database work); the consumer calls them
through ``database_sync_to_async`` and broadcasts the count to the workshop's
group on every join and leave. :func:`started` and :func:`stopped` keep this
process's heartbeat task running while it holds at least one websocket.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import uuid

from django.db import transaction
from django.utils import timezone

from goldenthread.workshops.models import LiveConnection, ServerProcess

log = logging.getLogger(__name__)

#: This server process, as its heartbeat row names it (new at every start, so a restarted process is a new one).
PROCESS = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
#: Each process holding websockets says it is alive this often (seconds).
HEARTBEAT_SECONDS = 5.0
#: A process not heard from for this long is taken to be gone, and its connections stop counting.
STALE_AFTER = dt.timedelta(seconds=15)
#: Connected screens refresh their own row this often (seconds); it also keeps a facilitator's session alive.
REFRESH_SECONDS = 40


def person_key(actor) -> str:
    """Who is looking, as a key: ``user:<username>`` for a facilitator, ``delegate:<id>`` for a delegate."""
    if actor.delegate_id is not None:
        return f"delegate:{actor.delegate_id}"
    return f"user:{actor.label}"[:64]


def beat(process: str | None = None) -> None:
    """Record that ``process`` (this one by default) is alive now."""
    ServerProcess.objects.update_or_create(name=process or PROCESS, defaults={"beat_at": timezone.now()})


def _live_processes():
    return ServerProcess.objects.filter(beat_at__gte=timezone.now() - STALE_AFTER).values("name")


def count(workshop_id: int) -> int:
    """How many different people have this workshop open now, on processes that are alive."""
    return (LiveConnection.objects.filter(workshop_id=workshop_id, process__in=_live_processes())
            .values("person").distinct().count())


def forget_dead() -> int:
    """Delete the connections (and heartbeat rows) of processes that stopped beating; return connections deleted."""
    dead = ServerProcess.objects.filter(beat_at__lt=timezone.now() - STALE_AFTER)
    gone, _ = LiveConnection.objects.filter(process__in=dead.values("name")).delete()
    orphans, _ = LiveConnection.objects.exclude(process__in=ServerProcess.objects.values("name")).delete()
    dead.delete()
    return gone + orphans


def join(workshop_id: int, channel_name: str, person: str, process: str | None = None) -> int:
    """Record a connection held by ``process`` (this one by default); return the new count."""
    with transaction.atomic():
        beat(process)
        forget_dead()
        LiveConnection.objects.update_or_create(
            channel_name=channel_name,
            defaults={"workshop_id": workshop_id, "person": person, "seen_at": timezone.now(),
                      "process": process or PROCESS})
    return count(workshop_id)


def leave(workshop_id: int, channel_name: str) -> int:
    """Forget a connection; return the new count."""
    LiveConnection.objects.filter(channel_name=channel_name).delete()
    return count(workshop_id)


def refresh(channel_name: str) -> None:
    """Mark a connection as still open."""
    LiveConnection.objects.filter(channel_name=channel_name).update(seen_at=timezone.now())


# --- This process's heartbeat -------------------------------------------------------------------

_held = {"sockets": 0, "task": None}


def started() -> None:
    """A websocket of this process joined: make sure the heartbeat runs (on the running event loop)."""
    _held["sockets"] += 1
    task = _held["task"]
    loop = asyncio.get_running_loop()
    if task is None or task.done() or task.get_loop() is not loop:
        _held["task"] = loop.create_task(_heartbeat(), name="presence-heartbeat")


def stopped() -> None:
    """A websocket of this process left; the heartbeat stops with the last one."""
    _held["sockets"] = max(0, _held["sockets"] - 1)
    task = _held["task"]
    if _held["sockets"] == 0 and task is not None and not task.done():
        task.cancel()
        _held["task"] = None


async def _heartbeat() -> None:
    from channels.db import database_sync_to_async

    while _held["sockets"] > 0:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        try:
            await database_sync_to_async(beat)()
        except Exception:  # the count is a courtesy: a database hiccup must not end the heartbeat
            log.exception("presence heartbeat could not be written")
