"""The websocket for one workshop: changes in, "something changed" out to every screen.

A message is one JSON object ``{"type": <operation>, ...fields}``. Besides the
operations of :mod:`goldenthread.workshops.services` there are two more:

* ``{"type": "hello", "version": n}`` after (re)connecting, answered with the current version;
* ``{"type": "suggestions"}``, answered with ``{"type": "suggestions", ...}``: the theme engine's learnt
  ranking for the card being called, each with its reason in words (see :func:`suggestions_message`);
  when the facilitator has turned suggestions off it says so and carries none (none are worked out);
* ``{"type": "sync"}``, answered with ``{"type": "state", ...}``: the whole current state
  (stage, version, every board's clusters and cards). A screen that sees a gap in the
  versions it was told about asks for this, so every screen converges on the latest
  version even when it missed messages (broadcasts are coalesced, see
  :mod:`goldenthread.workshops.broadcast`).

Every screen is also told how many people have the workshop open,
``{"type": "presence", "count": n}``, whenever someone connects or leaves
(:mod:`goldenthread.workshops.presence`; the count is kept in the database so it is
right across server processes).

An edit of text already saved (a theme's name, its notes, an action) carries ``"base"``, the version it
started from; if someone saved since, it is answered with ``{"type": "conflict", "message": "Kim saved
“X”; you wrote “Y”. ...", "theirs": {...}, "mine": {...}, "base": ...}`` and changes nothing: sending it again
with the new ``base`` keeps mine.

A change that would remove names, votes, reasons or actions is answered with
``{"type": "needs_confirmation", "summary": ...}`` and changes nothing; sending it
again with ``"confirm": true`` makes it.

Anything wrong gets ``{"type": "error", "message": ...}`` to that screen only and
changes nothing: a frame over 16 KB, JSON nested deeper than a few levels,
``Infinity``/``NaN``, numbers too big to be an id, a field of the wrong type (the
message names the field), an unknown type, ids from another workshop, or a change
this person may not make at this stage. Nothing a client sends can make the
consumer raise: the database work runs in a worker thread (``database_sync_to_async``)
and any unexpected failure is logged and answered with a plain error.
"""
from __future__ import annotations

import asyncio
import json
import logging
import math
import re

from channels.db import database_sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

from goldenthread.core import sessions
from goldenthread.privacy.normalise import strip_invisible
from goldenthread.workshops import applier, broadcast, presence, services
from goldenthread.workshops.access import actor_for
from goldenthread.workshops.models import Workshop

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 16 * 1024
#: Changes one screen may have waiting to be applied; beyond that it is asked to wait.
MAX_PENDING = 50
#: A facilitator's session is checked (and kept alive) at most this often while their screen makes changes.
CHECK_SESSION_SECONDS = 5.0
MAX_DEPTH = 4
MAX_INT_DIGITS = 12
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


class BadMessage(Exception):
    """A message that is refused before it reaches the services; the text names what is wrong."""


class _Rejected:
    """A value the JSON reader refused (kept so the error can name the field it was in)."""

    def __init__(self, why: str):
        self.why = why


def _reject_constant(name):
    return _Rejected(f"is {name}, which is not a number that can be used")


def _bounded_int(text: str):
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return _Rejected("is too big a number")
    return int(text)


def _finite_float(text: str):
    value = float(text)
    return value if math.isfinite(value) else _Rejected("is too big a number")


def _rejected_in(value) -> _Rejected | None:
    if isinstance(value, _Rejected):
        return value
    if isinstance(value, list):
        return next((r for r in map(_rejected_in, value) if r), None)
    if isinstance(value, dict):
        return next((r for r in map(_rejected_in, value.values()) if r), None)
    return None


def parse(text) -> dict:
    """Read one message, bounded: size first, then nesting depth, then JSON without Infinity/NaN/huge numbers."""
    if not isinstance(text, str):
        raise BadMessage("Messages must be text.")
    if len(text) > MAX_MESSAGE_BYTES or len(text.encode("utf-8", "replace")) > MAX_MESSAGE_BYTES:
        raise BadMessage(f"That message was too big (at most {MAX_MESSAGE_BYTES // 1024} KB).")
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            raise BadMessage(f"That message was nested too deeply (at most {MAX_DEPTH} levels).")
    try:
        message = json.loads(text, parse_constant=_reject_constant, parse_int=_bounded_int,
                             parse_float=_finite_float)
    except (ValueError, RecursionError):
        raise BadMessage("That message was not understood: it is not JSON.") from None
    if not isinstance(message, dict):
        raise BadMessage("That message was not understood: it must be a JSON object.")
    if not isinstance(message.get("type"), str):
        raise BadMessage("That message was not understood: “type” must be the name of a change.")
    for key, value in message.items():
        rejected = _rejected_in(value)
        if rejected:
            raise BadMessage(f"“{key}” {rejected.why}.")
    return _visible(message)


def _visible(value):
    """Every string in a message without invisible characters (zero-width, direction overrides, NUL)."""
    if isinstance(value, str):
        return strip_invisible(value)
    if isinstance(value, list):
        return [_visible(v) for v in value]
    if isinstance(value, dict):
        return {_visible(k): _visible(v) for k, v in value.items()}
    return value


def _ref(value):
    """The client's reference for its message, echoed back (only small plain values)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int) or isinstance(value, str) and len(value) <= 64:
        return value
    return None


def suggestions_message(workshop_id: int, ref=None, facilitator: bool = True) -> dict:
    """The card-call suggestions for the card being called, as a websocket message.

    ``{"type": "suggestions", "on": bool, "card": id or null, "new": reason or "", "ranked": [{"cluster": id,
    "key": its number on the wall (1 to 9, or null), "likely": "likely (61%)", "percent": n,
    "reason": "Like 4 cards in ‘I feel lonely’"}, ...], "last_year": [{"theme": last year's cluster id, "name",
    "likely", "percent", "reason": "Like last year's theme ‘I feel lonely’"}, ...]}`` (``last_year`` only when
    suggestions are shown). The engine's numbers stay with the facilitator:
    for a delegate ``likely`` is in words only ("likely") and there is no ``percent``; and when the
    facilitator has turned suggestions off for delegates, ``on`` is false for them and they get none. With
    suggestions off for everyone, ``on`` is false, ``ranked`` is empty and nothing is asked of the engine.
    """
    from goldenthread.workshops.templatetags.workshop_words import suggestion_words

    workshop = Workshop.objects.get(pk=workshop_id)
    card = services.cards_to_call(workshop).first()
    on = workshop.suggestions_on and (facilitator or workshop.suggestions_to_delegates)
    message = {"type": "suggestions", "ref": ref, "on": on, "card": card and card.pk, "new": "", "ranked": []}
    learnt = services.card_call_suggestions(workshop, card) if card and on else None
    if learnt is not None:
        board = services.main_board(workshop, card.kind)
        words = suggestion_words(learnt, list(board.clusters.prefetch_related("placements__card__statement")),
                                 numbers=facilitator)
        message["new"] = words["new"]
        message["ranked"] = [{"cluster": r["cluster"].pk, "key": r["key"], "likely": r["likely"],
                              "reason": r["reason"], **({"percent": r["percent"]} if facilitator else {})}
                             for r in words["rows"]]
        message["last_year"] = [{"theme": r["theme"], "name": r["name"], "likely": r["likely"], "reason": r["reason"],
                                 **({"percent": r["percent"]} if facilitator else {})} for r in words["last_year"]]
    return message


class WorkshopConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message):
        """Hand each message to its handler, without Channels' own database tidy-up before every message.

        Channels closes stale database connections before each message it hands to a consumer, by a hop to the
        database thread. A busy room sends each screen a "changed" message many times a second, none of which
        touch the database, so those hops (thousands a second, queued behind the room's writes) were most of
        the delay between a change and every screen hearing of it. Every database call here goes through
        ``database_sync_to_async``, which closes stale connections itself before and after the call.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        code = self.scope["url_route"]["kwargs"]["code"]
        self.workshop, self.actor = await database_sync_to_async(self._who)(code)
        if not self.actor:
            await self.close(code=4403)
            return
        self.group = broadcast.group_name(self.workshop.pk)
        self.told = 0
        # Changes are applied by a worker task, in the order they came, so this consumer keeps passing
        # "changed" messages to its screen while its own changes wait for the database.
        self.pending: asyncio.Queue = asyncio.Queue(MAX_PENDING)
        self.worker = asyncio.get_running_loop().create_task(self._work())
        await self.channel_layer.group_add(self.group, self.channel_name)
        # Recorded before the screen hears anything, so that the write is over by the time the screen
        # (or a test) goes on to do something else with the database.
        try:
            count = await database_sync_to_async(presence.join)(self.workshop.pk, self.channel_name,
                                                                presence.person_key(self.actor))
        except Exception:  # the count is a courtesy: it must never stop a screen from taking part
            log.exception("presence could not be recorded")
            count = None
        else:
            presence.started()  # this process's heartbeat keeps the row counting
            self.present = True
        await self.accept()
        await self._send_version()
        if count is not None:
            await self._announce_presence(count)
        self.heartbeat = asyncio.get_running_loop().create_task(self._refresh_presence())

    def _who(self, code):
        workshop = Workshop.objects.filter(code=code).first()
        user, session = self.scope.get("user"), self.scope.get("session")
        if user is not None and user.is_authenticated and not sessions.is_signed_in(session):
            user = None  # idle too long before this screen opened (the next page would sign them out too)
        actor = workshop and actor_for(user, session, workshop)
        if workshop:
            from urllib.parse import urlencode

            from django.conf import settings
            from django.shortcuts import resolve_url

            self.login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': workshop.get_absolute_url()})}"
        return workshop, actor

    def _still_signed_in(self) -> bool:
        """A facilitator's screen keeps their session alive while it is open; False once it has ended (signed out
        in another tab, or the session was removed). Delegates have no account and are always "in"."""
        if not self.actor.is_facilitator:
            return True
        import time

        now = time.monotonic()
        if now - getattr(self, "checked_at", -CHECK_SESSION_SECONDS) < CHECK_SESSION_SECONDS:
            return True  # checked a moment ago: a card call every second costs no extra queries
        if sessions.touch(self.scope.get("session")):
            self.checked_at = now
            return True
        return False

    async def _signed_out(self, ref=None):
        self.gone = True
        await self._send({"type": "signed_out", "ref": ref, "login_url": self.login_url,
                          "message": "You have been signed out, so that change was not saved. Sign in again "
                                     "(in a new tab, to keep this page as it is), then make the change again."})

    async def disconnect(self, code):
        for task in (getattr(self, "heartbeat", None), getattr(self, "worker", None)):
            if task is not None:
                task.cancel()
        if getattr(self, "present", False):
            self.present = False
            presence.stopped()
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            try:
                count = await database_sync_to_async(presence.leave)(self.workshop.pk, self.channel_name)
            except Exception:  # the count is a courtesy: a database hiccup must not break the goodbye
                log.exception("presence could not be updated")
            else:
                await self._announce_presence(count)

    async def _announce_presence(self, count: int) -> None:
        await self.channel_layer.group_send(self.group, {"type": "workshop.presence", "count": count})

    async def _refresh_presence(self):
        while True:
            await asyncio.sleep(presence.REFRESH_SECONDS)
            try:
                await database_sync_to_async(presence.refresh)(self.channel_name)
                if not getattr(self, "gone", False) and not await database_sync_to_async(self._still_signed_in)():
                    await self._signed_out()
            except Exception:
                log.exception("presence could not be refreshed")

    async def workshop_presence(self, event):
        await self._send({"type": "presence", "count": event["count"]})

    async def receive(self, text_data=None, bytes_data=None):
        try:
            self.pending.put_nowait((text_data, bytes_data))
        except asyncio.QueueFull:
            await self._error("Too many changes at once from this screen. Please wait a moment and try again.")

    async def _work(self):
        while True:
            text_data, bytes_data = await self.pending.get()
            try:
                await self._handle(text_data, bytes_data)
            except Exception:  # e.g. the screen went away while its reply was being sent
                log.exception("workshop message could not be answered")

    async def _handle(self, text_data=None, bytes_data=None):
        ref = None
        try:
            message = parse(text_data)
            op = message.pop("type")
            ref = _ref(message.pop("ref", None))
            confirm = message.pop("confirm", False) is True
            if op == "hello":
                message.pop("version", None)
                return await self._send_version()
            if op == "sync":
                return await self._send_state(ref)
            if op == "suggestions":
                return await self._send(await database_sync_to_async(suggestions_message)(
                    self.workshop.pk, ref, self.actor.is_facilitator))
            if not await database_sync_to_async(self._still_signed_in)():
                return await self._signed_out(ref)
            self.gone = False
            applied = await applier.apply(self.workshop.pk, self.actor, op, message, confirm=confirm)
        except BadMessage as exc:
            return await self._error(str(exc), ref)
        except services.Conflict as exc:
            # Someone saved this text since this screen started editing: both texts, nothing changed. Sending it
            # again with "base" set to this "base" keeps mine.
            return await self._send({"type": "conflict", "ref": ref, "message": str(exc), "by": exc.by,
                                     "theirs": exc.theirs, "mine": exc.mine, "base": exc.base})
        except services.NeedsConfirmation as exc:
            return await self._send({"type": "needs_confirmation", "summary": exc.summary, "message": str(exc),
                                     "ref": ref})
        except services.OpError as exc:
            return await self._error(str(exc), ref)
        except Exception:  # never let one message break the socket for everyone
            log.exception("workshop message failed")
            return await self._error("Something went wrong with that message. Nothing was changed.", ref)
        # The screen that made the change hears first; then every screen is told (coalesced).
        await self._send({"type": "done", "version": applied.version, "ref": ref})
        await broadcast.announce_soon(applied, self.channel_layer)

    async def workshop_changed(self, event):
        if event["version"] <= self.told and event.get("op") != "hello":
            return
        self.told = max(self.told, event["version"])
        await self._send({"type": "changed", "version": event["version"], "stage": event["stage"],
                          "op": event.get("op", "")})

    async def _send_version(self):
        version, stage = await database_sync_to_async(
            lambda: Workshop.objects.filter(pk=self.workshop.pk).values_list("version", "stage").get())()
        self.told = max(self.told, version)
        await self._send({"type": "changed", "version": version, "stage": stage, "op": "hello"})

    async def _send_state(self, ref=None):
        state = await database_sync_to_async(services.state)(self.workshop.pk)
        self.told = max(self.told, state["version"])
        await self._send({"type": "state", "ref": ref, **state})

    async def _send(self, message: dict):
        await self.send(text_data=json.dumps(message))

    async def _error(self, text, ref=None):
        await self._send({"type": "error", "message": text, "ref": ref})
