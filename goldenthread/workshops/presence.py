"""Live presence: how many people are looking at a workshop right now ("3 people are looking at this workshop").

Working together for change is a room full of people around a wall of cards;
on screens, presence is the reminder that others are there. Each open
websocket is one :class:`~goldenthread.workshops.models.LiveConnection` row,
so the count is right however many server processes share the channel layer.
People are counted, not screens: a facilitator with the board open on a laptop
and a projector counts once. Rows not refreshed for :data:`STALE_AFTER` (a
server process that died without closing its sockets) no longer count, and
are deleted the next time someone joins.

These functions are synchronous (database work); the consumer calls them
through ``database_sync_to_async`` and broadcasts the count to the workshop's
group on every join and leave.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from goldenthread.workshops.models import LiveConnection

#: A connection not refreshed for this long is taken to be gone.
STALE_AFTER = dt.timedelta(seconds=120)
#: Connected screens refresh their row this often (seconds); well inside :data:`STALE_AFTER`.
REFRESH_SECONDS = 40


def person_key(actor) -> str:
    """Who is looking, as a key: ``user:<username>`` for a facilitator, ``delegate:<id>`` for a delegate."""
    if actor.delegate_id is not None:
        return f"delegate:{actor.delegate_id}"
    return f"user:{actor.label}"[:64]


def count(workshop_id: int) -> int:
    """How many different people have this workshop open now."""
    fresh = timezone.now() - STALE_AFTER
    return (LiveConnection.objects.filter(workshop_id=workshop_id, seen_at__gte=fresh)
            .values("person").distinct().count())


def join(workshop_id: int, channel_name: str, person: str) -> int:
    """Record a connection; return the new count."""
    with transaction.atomic():
        LiveConnection.objects.filter(seen_at__lt=timezone.now() - STALE_AFTER).delete()
        LiveConnection.objects.update_or_create(
            channel_name=channel_name,
            defaults={"workshop_id": workshop_id, "person": person, "seen_at": timezone.now()})
    return count(workshop_id)


def leave(workshop_id: int, channel_name: str) -> int:
    """Forget a connection; return the new count."""
    LiveConnection.objects.filter(channel_name=channel_name).delete()
    return count(workshop_id)


def refresh(channel_name: str) -> None:
    """Mark a connection as still open."""
    LiveConnection.objects.filter(channel_name=channel_name).update(seen_at=timezone.now())
