"""Waiting out another writer: one policy for every whole change that may meet a locked database.

SQLite lets one connection write at a time. A change that is one transaction (a
workshop move, a whole review import) and meets another writer fails with
"database is locked" (or, with SQLite's shared cache, "database table is
locked") and keeps nothing, so it is safe to try the whole of it again. This
does that, with a short, growing pause, for a bounded time; any other error,
or a lock that outlasts the wait, is raised as it came.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, transaction

T = TypeVar("T")


def retry_when_locked(change: Callable[[], T], wait_seconds: float, max_pause: float = 0.5,
                      first_pause: float = 0.02) -> T:
    """Run ``change()`` (one whole transaction); while the database is locked by another writer, wait and
    run it again, for up to ``wait_seconds``. Inside an outer transaction it runs once: retrying there
    would repeat work the outer transaction still holds."""
    if transaction.get_connection().in_atomic_block:
        return change()
    waited, pause = 0.0, first_pause
    while True:
        try:
            return change()
        except OperationalError as exc:
            if "locked" not in str(exc) or waited >= wait_seconds:
                raise
        time.sleep(pause)
        waited += pause
        pause = min(pause * 2, max_pause)
