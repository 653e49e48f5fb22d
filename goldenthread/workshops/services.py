"""The workshop's domain operations: every change to a workshop goes through :func:`run`.

Web forms and websocket messages alike call ``run``. It checks the message
(known type, the right fields, ids that belong to this workshop, who may do it),
then makes the change inside one database transaction with the workshop row
locked, adds one to ``Workshop.version`` and returns an :class:`Applied`: what
changed, explicitly (the new version and stage, and the undo-log row if the
operation wrote one). Nothing is left on the workshop instance for a caller to
find. Telling every connected screen is the web layer's job
(:mod:`goldenthread.workshops.broadcast`), from the returned ``Applied``.

Two people moving the same card at once are applied one after the other; the
last one wins and everyone is sent the same final version. Text already saved is
different: an edit of a theme's name, its notes or an action carries ``base``, the
version it started from (``name_base``, ``notes_base``, ``action_base``), and a save
whose base is not the version saved now raises :class:`Conflict` with both texts,
changing nothing, so the second person chooses which to keep.

Each operation takes ``(workshop, actor, **fields)`` and returns the
:class:`~goldenthread.workshops.models.Change` it logged, or ``None``. The operations live in
:mod:`~goldenthread.workshops.board` (the board, votes, reasons, actions, the sharing plan),
:mod:`~goldenthread.workshops.history` (the change log, undo and redo) and
:mod:`~goldenthread.workshops.proposals` (card-call suggestions, "place the rest");
:mod:`~goldenthread.workshops.impact` says what a change would lose. This module keeps the table of
operations (:data:`OPS`), the checks of each message's fields, :func:`run`, :func:`impact` and
:func:`state`, and re-exports every operation, so ``services.move_card`` and the rest still work.
"""
from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass

from django.db import DatabaseError, transaction

from goldenthread.core.locking import retry_when_locked
from goldenthread.workshops import history, rules
from goldenthread.workshops.board import (  # noqa: F401  (the operations, re-exported for every caller)
    MAX_WHY_DEPTH, action_base, add_action, add_board, add_cause, add_delegate, add_share, add_success, adopt_board,
    auto_cluster, call_card, clusters_of, create_workshop, edit_action, extend_joining, join, main_board,
    merge_boards, merge_clusters, merge_delegates, move_card, move_cards, move_cluster, name_base, name_suggestions,
    notes_base, remove_action,
    remove_cause, remove_delegate, remove_share, remove_success, rename_cluster, returning_delegate,
    reveal_votes, set_action_status, set_joining, set_notes, set_share_status, set_stage, set_timer,
    show_on_screen, split_cluster, vote, vote_settings,
)
from goldenthread.workshops.fields import (  # noqa: F401
    MAX_ID, MAX_TEXT, Actor, Applied, Conflict, NeedsConfirmation, OpError,
)
from goldenthread.workshops.history import next_redo, redo, state_after, undo_call, undo_change  # noqa: F401
from goldenthread.workshops.impact import DESTRUCTIVE, would_lose
from goldenthread.workshops.models import Placement, Workshop
from goldenthread.workshops.proposals import (  # noqa: F401
    MAX_REST_CARDS, accept_place, accept_rest, board_history, card_call_suggestions, cards_to_call, place_rest,
    reject_place, set_delegate_suggestions, set_suggestions,
)

log = logging.getLogger(__name__)


def impact(workshop_id: int, actor: Actor, op: str, data: dict) -> str:
    """What ``op`` would remove (names, votes, reasons, actions and links), in plain words; "" when nothing.

    Changes nothing. Raises :class:`OpError` when the change could not be made at all.
    """
    func = _check(workshop_id, actor, op, data)
    with transaction.atomic():
        w = Workshop.objects.select_for_update().get(pk=workshop_id)
        _refuse(w, actor, op, func, data)
        return would_lose(w, actor, func, data) if op in DESTRUCTIVE else ""


#: Each operation and the fields it takes. Who may use it at which stage is :data:`rules.TABLE`.
OPS = {
    "set_stage": (set_stage, {"stage"}),
    "set_timer": (set_timer, {"minutes"}),
    "add_delegate": (add_delegate, {"name", "group"}),
    "set_joining": (set_joining, {"open"}),
    "extend_joining": (extend_joining, {"hours"}),
    "remove_delegate": (remove_delegate, {"delegate"}),
    "merge_delegates": (merge_delegates, {"delegate", "into"}),
    "call_card": (call_card, {"card", "cluster", "last_year"}),
    "undo_call": (undo_call, set()),
    "undo_change": (undo_change, set()),
    "redo": (redo, set()),
    "move_card": (move_card, {"card", "cluster", "board"}),
    "move_cluster": (move_cluster, {"cluster", "position"}),
    "merge_clusters": (merge_clusters, {"cluster", "into"}),
    "split_cluster": (split_cluster, {"cluster", "cards"}),
    "rename_cluster": (rename_cluster, {"cluster", "name", "base"}),
    "add_board": (add_board, {"kind"}),
    "auto_cluster": (auto_cluster, {"kind"}),
    "merge_boards": (merge_boards, {"kind"}),
    "adopt_board": (adopt_board, {"board"}),
    "set_notes": (set_notes, {"cluster", "what_works", "stories", "base"}),
    "vote": (vote, {"cluster", "dots", "delegate"}),
    "vote_settings": (vote_settings, {"budget", "cap"}),
    "reveal_votes": (reveal_votes, {"revealed"}),
    "add_cause": (add_cause, {"cluster", "text", "parent"}),
    "add_success": (add_success, {"cluster", "perspective", "text"}),
    "add_action": (add_action, {"stakeholder", "text", "themes", "owner", "measure", "due", "root_causes"}),
    "set_action_status": (set_action_status, {"action", "status"}),
    "edit_action": (edit_action, {"action", "stakeholder", "text", "themes", "owner", "measure", "due", "root_causes",
                                  "base"}),
    "remove_cause": (remove_cause, {"cause"}),
    "remove_success": (remove_success, {"success"}),
    "remove_action": (remove_action, {"action"}),
    "remove_share": (remove_share, {"item"}),
    "add_share": (add_share, {"audience", "what", "how", "due", "easy_read"}),
    "set_share_status": (set_share_status, {"item", "status"}),
    "set_suggestions": (set_suggestions, {"on"}),
    "set_delegate_suggestions": (set_delegate_suggestions, {"on"}),
    "show_on_screen": (show_on_screen, {"cluster"}),
    "place_rest": (place_rest, {"kind"}),
    "accept_rest": (accept_rest, {"proposal", "above"}),
    "accept_place": (accept_place, {"proposal", "card", "cluster"}),
    "reject_place": (reject_place, {"proposal", "card"}),
}
assert set(OPS) == set(rules.TABLE), "every operation has a row in the stages-and-roles table"

#: What each field must be, so a wrong type is refused naming the field (before any operation runs).
ID, ID_OR_NEW, TEXT, IDS, FLAG = "id", "id_or_new", "text", "ids", "flag"
FIELDS = {
    "card": ID, "cluster": ID_OR_NEW, "board": ID, "into": ID, "position": ID, "cards": IDS, "themes": IDS,
    "root_causes": IDS, "parent": ID, "delegate": ID, "action": ID, "item": ID, "cause": ID, "success": ID,
    "dots": ID, "budget": ID, "cap": ID, "minutes": ID, "hours": ID, "proposal": ID, "above": ID, "last_year": ID,
    "name": TEXT, "group": TEXT, "stage": TEXT, "kind": TEXT, "what_works": TEXT, "stories": TEXT, "text": TEXT,
    "perspective": TEXT, "stakeholder": TEXT, "owner": TEXT, "measure": TEXT, "due": TEXT, "status": TEXT,
    "audience": TEXT, "what": TEXT, "how": TEXT, "base": TEXT,
    "open": FLAG, "revealed": FLAG, "easy_read": FLAG, "on": FLAG,
}
MAX_LIST = 500
MAX_FIELD_CHARS = 4000


def _check_field(name: str, value) -> None:
    kind = FIELDS[name]
    if value is None or (value == "" and kind != TEXT):
        return  # missing optional values are the operation's to judge
    if kind == IDS:
        if not isinstance(value, list):
            raise OpError(f"“{name}” must be a list of numbers.")
        if len(value) > MAX_LIST:
            raise OpError(f"“{name}” has too many items (at most {MAX_LIST}).")
        for item in value:
            _check_number(name, item)
    elif kind in (ID, ID_OR_NEW):
        if kind == ID_OR_NEW and value == "new":
            return
        _check_number(name, value)
    elif kind == TEXT:
        if not isinstance(value, str):
            raise OpError(f"“{name}” must be text.")
        if len(value) > MAX_FIELD_CHARS:
            raise OpError(f"“{name}” is too long.")
    elif not isinstance(value, (bool, str, int)) or isinstance(value, str) and len(value) > 10:
        raise OpError(f"“{name}” must be yes or no.")


def _check_number(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise OpError(f"“{name}” is not a number: it must be a whole number.")
    if isinstance(value, str) and not (value.strip().lstrip("-").isdigit() and len(value) <= 12):
        raise OpError(f"“{name}” is not a number: it must be a whole number.")
    if abs(int(value)) > MAX_ID:
        raise OpError(f"“{name}” is too big a number.")


def _check(workshop_id, actor: Actor, op: str, data: dict):
    """Check the message itself (before anything is locked): known op, known fields of the right types."""
    if not isinstance(op, str) or op not in OPS:
        raise OpError("The app does not know that kind of change.")
    if not isinstance(data, dict):
        raise OpError("That message was not understood.")
    func, fields = OPS[op]
    unknown = set(data) - fields
    if unknown:
        raise OpError(f"Unexpected field: {sorted(unknown)[0]}.")
    for name, value in data.items():
        _check_field(name, value)
    if rules.role_of(actor) is None:
        raise OpError("Join the workshop first.")
    if not any(rules.stages_for(op, rules.role_of(actor))):
        raise OpError("Only the facilitator can do that.")
    return func


def _refuse(w, actor, op, func, data) -> None:
    """Refuse what this person may not do at this stage (:mod:`rules`), or a change with something missing."""
    reason = rules.refusal(actor, op, w.stage)
    if reason:
        raise OpError(reason)
    try:
        inspect.signature(func).bind(w, actor, **data)
    except TypeError:
        raise OpError("Something needed for that change is missing.") from None


#: How long a change waits, in total, for another writer (a big import) to let go of the database.
LOCK_WAIT_SECONDS = 30.0


def run(workshop_id: int, actor: Actor, op: str, data: dict, confirm: bool = False) -> Applied:
    """Check and apply one change; return what it did. Raises :class:`OpError`.

    A change that would remove names, votes, reasons, actions or their links (see :data:`DESTRUCTIVE`)
    raises :class:`NeedsConfirmation`, changing nothing, unless ``confirm`` is true.

    If the database is locked by another writer (SQLite during a big import), the whole change is tried
    again after a short wait, for up to :data:`LOCK_WAIT_SECONDS`, so a live workshop waits rather than fails.
    """
    func = _check(workshop_id, actor, op, data)
    return retry_when_locked(lambda: _run(workshop_id, actor, op, func, data, confirm), LOCK_WAIT_SECONDS)


#: The workshop's fields an operation may change; saved with the version after each change (or batch of changes).
SAVED_FIELDS = ("version", "stage", "timer_ends_at", "vote_budget", "vote_cap", "votes_revealed", "joining_open",
                "expires_at", "suggestions_on", "suggestions_to_delegates", "screen_theme")


def _apply(w, actor, op, func, data, confirm):
    """Make one change to ``w`` (locked by the caller); returns the Change it logged, or None."""
    _refuse(w, actor, op, func, data)
    if op in DESTRUCTIVE and not confirm:
        lost = would_lose(w, actor, func, data)
        if lost:
            raise NeedsConfirmation(lost)
    change = func(w, actor, **data)
    if change is not None:
        change.after = state_after(w, change)
        change.save(update_fields=["after"])
        # A new change ends the redo chain: what was undone before it can no longer be redone.
    return change


def _run(workshop_id, actor, op, func, data, confirm) -> Applied:
    with transaction.atomic():
        w = Workshop.objects.select_for_update().get(pk=workshop_id)
        change = _apply(w, actor, op, func, data, confirm)
        w.version += 1
        w.save(update_fields=SAVED_FIELDS)
    return Applied(workshop_id=workshop_id, op=op, version=w.version, stage=w.stage, change=change)


@dataclass(frozen=True)
class Request:
    """One change asked for, waiting to be applied with others by :func:`run_many`."""

    actor: Actor
    op: str
    data: dict
    confirm: bool = False


def run_many(workshop_id: int, requests: list[Request]) -> list[Applied | OpError | Exception]:
    """Apply several changes to one workshop, in order, in ONE transaction: a group commit.

    A live workshop gets many moves a second from many screens. Applied one transaction each, every move
    waits for the workshop's lock, its own commit and a dozen round trips to the database; on PostgreSQL, and
    across server processes, that queue grew without end at 60 moves a second. Here the moves that arrived
    while the last batch was being written go in together: the workshop row is locked once, each change runs in
    its own savepoint (so a refused one changes nothing and the others still happen), each still gets its own
    version and its own entry in the change log, and the batch is committed once.

    Returns, for each request in order, its :class:`Applied` or the exception that refused it (an
    :class:`OpError`, or any other error, which is logged). A database error other than a refusal (a lock that
    outlasts :data:`LOCK_WAIT_SECONDS`, a lost connection) is raised for the whole batch, and nothing is kept.
    """
    checked = []
    for r in requests:
        try:
            checked.append(_check(workshop_id, r.actor, r.op, r.data))
        except OpError as exc:
            checked.append(exc)
    return retry_when_locked(lambda: _run_many(workshop_id, requests, checked), LOCK_WAIT_SECONDS)


def _in_memory(request: Request, func) -> bool:
    """A move of a card to a cluster already on the board: worked out in memory with the moves around it."""
    return request.op == "move_card" and not isinstance(func, Exception) and request.data.get("cluster") != "new"


def _run_many(workshop_id, requests, checked) -> list:
    results: list = []
    with transaction.atomic():
        w = Workshop.objects.select_for_update().get(pk=workshop_id)
        start = w.version
        history.last_layout.set(None)
        i, ordinary = 0, False
        while i < len(requests):
            if not ordinary and _in_memory(requests[i], checked[i]):
                run_ = []
                while i + len(run_) < len(requests) and _in_memory(requests[i + len(run_)], checked[i + len(run_)]):
                    run_.append(i + len(run_))
                allowed, answers = [], {}
                for k in run_:
                    try:
                        _refuse(w, requests[k].actor, "move_card", checked[k], requests[k].data)
                        allowed.append(k)
                    except OpError as exc:
                        answers[k] = exc
                made = move_cards(w, [(requests[k].actor, requests[k].data) for k in allowed])
                answers.update(zip(allowed, made))
                # Up to the first move it could not make in memory, which goes the ordinary way next.
                stop = allowed[len(made)] if len(made) < len(allowed) else None
                for k in run_:
                    if k == stop:
                        break
                    answer = answers[k]
                    if isinstance(answer, Exception):
                        results.append(answer)
                    else:
                        w.version += 1
                        results.append(Applied(workshop_id=workshop_id, op="move_card", version=w.version,
                                               stage=w.stage, change=answer))
                    i += 1
                ordinary = stop is not None
                continue
            ordinary = False
            r, func = requests[i], checked[i]
            i += 1
            if isinstance(func, Exception):
                results.append(func)
                continue
            kept = {f: getattr(w, f) for f in SAVED_FIELDS}
            try:
                with transaction.atomic():  # a savepoint: a refused change leaves no trace and the rest go on
                    change = _apply(w, r.actor, r.op, func, r.data, r.confirm)
            except DatabaseError:
                raise  # the whole batch is tried again (a lock) or fails together
            except Exception as exc:
                for f, value in kept.items():  # what the refused change set on the workshop row goes too
                    setattr(w, f, value)
                if not isinstance(exc, OpError):
                    log.exception("workshop change %s failed", r.op)
                results.append(exc)
                history.last_layout.set(None)
                continue
            # The board as this change left it is where the next change on it starts (history.log_change).
            history.last_layout.set((change.board_id, change.after) if change is not None and change.board_id
                                    and _plain_layout(change.after) else None)
            w.version += 1
            results.append(Applied(workshop_id=workshop_id, op=r.op, version=w.version, stage=w.stage, change=change))
        history.last_layout.set(None)
        if w.version != start:
            w.save(update_fields=SAVED_FIELDS)
    return results


def _plain_layout(after) -> bool:
    """A board's layout without the rows hanging on it (what :func:`history.log_change` reads for most changes)."""
    return isinstance(after, dict) and set(after) == {"clusters", "placements"}


def state(workshop_id: int) -> dict:
    """The whole current state of a workshop's boards, for a screen that missed changes (``sync``).

    Read in one transaction, so the version matches the boards.
    """
    with transaction.atomic():
        w = Workshop.objects.get(pk=workshop_id)
        placements: dict[int, list[int]] = {}
        for cluster_id, card_id in Placement.objects.filter(board__workshop=w).order_by(
                "cluster_id", "position", "id").values_list("cluster_id", "card_id"):
            placements.setdefault(cluster_id, []).append(card_id)
        clusters: dict[int, list[dict]] = {}
        for c in clusters_of(w).order_by("position", "id").values("pk", "board_id", "name", "position"):
            clusters.setdefault(c["board_id"], []).append(
                {"id": c["pk"], "name": c["name"], "position": c["position"], "cards": placements.get(c["pk"], [])})
        return {
            "version": w.version, "stage": w.stage, "votes_revealed": w.votes_revealed,
            "joining_open": w.joining_open and not w.join_code_expired(),
            "boards": [{"id": b.pk, "kind": b.kind, "name": b.name, "is_main": b.is_main,
                        "clusters": clusters.get(b.pk, [])} for b in w.boards.all()],
        }
