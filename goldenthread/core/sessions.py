"""Signed-in sessions that end when idle, shared by pages and the workshop's websocket.

A page request notes the time in the session (``goldenthread.web.security.IdleTimeoutMiddleware``) and
signs the user out after ``GOLDENTHREAD_SESSION_IDLE_SECONDS`` without one. A workshop day is mostly
websocket work -- a facilitator's projector can run for an hour with no page request -- so an open workshop
screen keeps its session alive (:func:`touch`, from the websocket consumer), and a screen whose session has
ended (signed out in another tab, or idle before the screen opened) is told at once (:func:`is_signed_in`).
"""
from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError

#: When the session was last used, in seconds since the epoch.
LAST_SEEN_KEY = "goldenthread_last_seen"
#: The time is written at most this often, so busy pages and sockets do not write the session every time.
WRITE_EVERY_SECONDS = 60


def idle_too_long(session, now: int | None = None) -> bool:
    """True when the session has gone unused for longer than the idle limit."""
    last = session.get(LAST_SEEN_KEY) if session is not None else None
    now = int(time.time()) if now is None else now
    return last is not None and now - int(last) > settings.GOLDENTHREAD_SESSION_IDLE_SECONDS


def is_signed_in(session) -> bool:
    """The session still exists in the store (not signed out, not expired) and has not been idle too long."""
    if session is None or not session.session_key or not session.exists(session.session_key):
        return False
    # A fresh read (another tab may have signed out). The socket's session may be a lazy wrapper, so the store
    # comes from the settings, as Django's own session middleware does.
    session_store = import_module(settings.SESSION_ENGINE).SessionStore(session.session_key)
    return bool(session_store.get("_auth_user_id")) and not idle_too_long(session_store)


def touch(session, now: int | None = None) -> bool:
    """Note that the session is in use (at most once a minute); False when it has already ended."""
    try:
        if not is_signed_in(session):
            return False
    except DatabaseError:  # cannot tell now (the database is busy): the change itself will wait or fail
        return True
    now = int(time.time()) if now is None else now
    last = session.get(LAST_SEEN_KEY)
    if last is None or now - int(last) >= WRITE_EVERY_SECONDS:
        session[LAST_SEEN_KEY] = now
        try:
            session.save()
        except (UpdateError, DatabaseError):
            # Django reports a busy database (a big import holding SQLite) as an UpdateError too: only a
            # session that is really gone means signed out; otherwise the next touch writes the time.
            try:
                return session.exists(session.session_key)
            except DatabaseError:
                return True
    return True
