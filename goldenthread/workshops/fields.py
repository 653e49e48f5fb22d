"""What every workshop operation deals in: who is acting (:class:`Actor`), what a change did
(:class:`Applied`), the refusal it raises (:class:`OpError`), and the readers that turn one field of a
message into a checked value (an id, some text, a choice from a list, a date, yes or no).

The operations themselves are in :mod:`goldenthread.workshops.board`, :mod:`~goldenthread.workshops.history`
and :mod:`~goldenthread.workshops.proposals`; :mod:`goldenthread.workshops.services` runs them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from goldenthread.workshops.models import Change

MAX_TEXT = 300


class OpError(Exception):
    """A change that cannot be made. The message is plain English, shown to the person who tried."""


class NeedsConfirmation(OpError):
    """A change that would lose names, votes, reasons or actions: nothing was changed.

    ``summary`` says in plain words what would go; send the change again with ``confirm`` to make it.
    """

    def __init__(self, summary: str):
        super().__init__(summary + " Are you sure? Send it again to confirm.")
        self.summary = summary


class Conflict(OpError):
    """Someone else saved this text after the editor started from it (the ``base`` sent is not the version saved
    now): nothing was changed, and nothing typed is thrown away.

    ``theirs`` and ``mine`` map each field to its text (what is saved now, what was sent); ``by`` says who saved
    theirs ("Someone" when the log does not say); ``base`` is the version saved now: send the change again with
    it to keep mine. ``str()`` says both, in plain words: “Kim saved “X”; you wrote “Y”.”
    """

    def __init__(self, by: str, theirs: dict, mine: dict, base: str, labels: dict | None = None):
        self.by, self.theirs, self.mine, self.base = by, theirs, mine, base
        self.labels = labels or {}
        differ = [f for f in theirs if theirs[f] != mine.get(f)] or list(theirs)
        if len(differ) == 1:
            said = f"{by} saved “{theirs[differ[0]]}”; you wrote “{mine.get(differ[0], '')}”."
        else:
            said = f"{by} saved " + "; ".join(
                f"{self.labels.get(f, f)} “{theirs[f]}”" for f in differ) + ". You wrote " + "; ".join(
                f"{self.labels.get(f, f)} “{mine.get(f, '')}”" for f in differ) + "."
        super().__init__(said + " Choose which to keep.")
        self.differ = differ


def stamp(*values) -> str:
    """A short version of some saved text, sent back as ``base`` by an edit so a stale save is caught."""
    text = json.dumps([v if isinstance(v, (int, list)) else str(v) for v in values], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_base(base, current: dict, mine: dict, by, labels: dict | None = None) -> None:
    """Refuse an edit that started from another version than the one saved now (:class:`Conflict`).

    No ``base`` (an older client, a script) saves as before; sending what is saved already is never a conflict.
    ``by`` is called (only on a conflict) for who saved the current version.
    """
    if base in (None, ""):
        return
    now = stamp(*current.values())
    if base == now or mine == current:
        return
    raise Conflict(by() or "Someone", {k: str(v) for k, v in current.items()},
                   {k: str(v) for k, v in mine.items()}, now, labels)


@dataclass(frozen=True)
class Actor:
    label: str
    is_facilitator: bool = False
    delegate_id: int | None = None


@dataclass(frozen=True)
class Applied:
    """What one change did: returned by :func:`~goldenthread.workshops.services.run` and
    :func:`~goldenthread.workshops.board.join`, broadcast by the web layer."""

    workshop_id: int
    op: str
    version: int
    stage: str
    #: The undo-log row the operation wrote (board changes and removals), else ``None``.
    change: Change | None = None


# --- reading and checking fields ------------------------------------------------------------

MAX_ID = 2**31 - 1


def read_id(value) -> int:
    if isinstance(value, bool) or isinstance(value, float):
        raise OpError("Something was sent that is not a whole number.")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise OpError("Something was sent that is not a number.") from None
    if abs(number) > MAX_ID:
        raise OpError("A number sent was too big.")
    return number


def read_text(value, blank=False, limit=MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise OpError("Some text is missing.")
    value = value.strip()
    if not value and not blank:
        raise OpError("Please write something first.")
    if len(value) > limit:
        raise OpError(f"That is too long. Please use {limit} characters or fewer.")
    return value


def read_choice(value, choices) -> str:
    if value not in choices.values:
        raise OpError("That choice is not on the list.")
    return value


def read_date(value) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise OpError("Please give a date like 2026-06-30.") from None


def find_one(queryset, value, what: str):
    obj = queryset.filter(pk=read_id(value)).first()
    if obj is None:
        raise OpError(f"That {what} is not in this workshop.")
    return obj


def read_flag(value) -> bool:
    return value is True or str(value).lower() in {"1", "true", "yes", "on"}
