"""Telling every connected screen that a workshop changed: the thin web layer over the services.

:func:`goldenthread.workshops.services.run` returns an ``Applied``. The message every
screen gets is small (``version``, ``stage``, ``op``); a screen that sees a version
it has not got fetches the page or asks the websocket for the whole state
(``sync``), so it never depends on hearing every change.

Under load, changes are **coalesced**: the websocket consumer calls
:func:`announce_soon`, which sends at most one message per workshop every
:data:`COALESCE_SECONDS` (the first at once, then the latest version at the end of
each window), instead of one per move. With 100 screens and 60 moves a second that
is 10 messages a second to each screen instead of 60 (each one a fresh look at the board, more than a
person can follow), and the last one always carries the final version. Pages (plain forms, a few changes a minute) call
:func:`announce_after_commit`, which sends once the transaction commits.
"""
from __future__ import annotations

import asyncio
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from goldenthread.workshops.services import Applied

#: At most one "changed" message per workshop in this many seconds (from one server process).
COALESCE_SECONDS = 0.1
#: When changes stop, the final version is sent again after these pauses (seconds). A screen whose queue was
#: full under load (the channel layer drops messages to a full channel) still hears the final version; a
#: screen that already has it is not told twice (the consumer skips versions it has sent).
SETTLE_SECONDS = (0.5, 1.5, 4.0)


def group_name(workshop_id: int) -> str:
    return f"workshop-{workshop_id}"


def message(applied: Applied) -> dict:
    return {"type": "workshop.changed", "version": applied.version, "stage": applied.stage, "op": applied.op}


def announce_after_commit(applied: Applied) -> Applied:
    """Tell every screen about ``applied`` once the database has committed it; returns it unchanged."""
    transaction.on_commit(lambda: announce(applied))
    return applied


def announce(applied: Applied) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    send = async_to_sync(layer.group_send)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        send(group_name(applied.workshop_id), message(applied))
    else:  # called from a thread that already runs an event loop: send from a helper thread
        with ThreadPoolExecutor(1) as pool:
            pool.submit(send, group_name(applied.workshop_id), message(applied)).result()


class _Window:
    __slots__ = ("latest", "sent_version", "sent_at", "timer", "settle")

    def __init__(self):
        self.latest: Applied | None = None
        self.sent_version = -1
        self.sent_at = 0.0
        self.timer = None
        self.settle: list = []


#: Per event loop (one per server process), per workshop: what was sent last and what is waiting.
_windows: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, _Window]]" = weakref.WeakKeyDictionary()


async def announce_soon(applied: Applied, layer=None) -> None:
    """Tell every screen about ``applied`` (already committed), coalescing bursts of changes.

    The first change after a quiet spell is sent at once; changes inside the next
    :data:`COALESCE_SECONDS` are held and only the latest version is sent when the window ends.
    """
    layer = layer or get_channel_layer()
    if layer is None:
        return
    loop = asyncio.get_running_loop()
    window = _windows.setdefault(loop, {}).setdefault(applied.workshop_id, _Window())
    if window.latest is None or applied.version > window.latest.version:
        window.latest = applied
    for handle in window.settle:  # changes are still coming: settle later
        handle.cancel()
    window.settle = []
    if window.timer is not None:
        return  # a send is already due at the end of this window, with the latest version
    wait = window.sent_at + COALESCE_SECONDS - time.monotonic()
    window.timer = loop.call_later(max(wait, COALESCE_SECONDS if wait <= 0 else wait),
                                   lambda: loop.create_task(_flush_later(window, layer)))
    if wait <= 0:  # quiet until now: send at once; the timer sends whatever comes in during the window
        await _flush(window, layer)


async def _flush_later(window: _Window, layer) -> None:
    window.timer = None
    loop = asyncio.get_running_loop()
    if await _flush(window, layer):  # sent: look once more at the end of the next window
        if window.timer is None:
            window.timer = loop.call_later(COALESCE_SECONDS, lambda: loop.create_task(_flush_later(window, layer)))
    elif window.latest is not None and not window.settle:  # quiet: repeat the final version a few times
        latest = window.latest
        window.settle = [loop.call_later(pause, lambda: loop.create_task(
            layer.group_send(group_name(latest.workshop_id), message(latest)))) for pause in SETTLE_SECONDS]


async def _flush(window: _Window, layer) -> bool:
    """Send the latest version if it has not been sent; says whether it sent."""
    latest = window.latest
    if latest is None or latest.version <= window.sent_version:
        return False
    window.sent_version, window.sent_at = latest.version, time.monotonic()
    await layer.group_send(group_name(latest.workshop_id), message(latest))
    return True
