"""Telling every connected screen that a workshop changed: the thin web layer over the services.

:func:`goldenthread.workshops.services.run` returns an ``Applied``; the view or
websocket consumer that called it passes it to :func:`announce_after_commit`,
which sends it to the workshop's Channels group once the transaction commits.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from goldenthread.workshops.services import Applied


def group_name(workshop_id: int) -> str:
    return f"workshop-{workshop_id}"


def announce_after_commit(applied: Applied) -> Applied:
    """Tell every screen about ``applied`` once the database has committed it; returns it unchanged."""
    transaction.on_commit(lambda: announce(applied))
    return applied


def announce(applied: Applied) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "workshop.changed", "version": applied.version, "stage": applied.stage, "op": applied.op}
    send = async_to_sync(layer.group_send)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        send(group_name(applied.workshop_id), message)
    else:  # called from a thread that already runs an event loop: send from a helper thread
        with ThreadPoolExecutor(1) as pool:
            pool.submit(send, group_name(applied.workshop_id), message).result()
