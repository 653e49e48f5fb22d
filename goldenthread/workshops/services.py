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
last one wins and everyone is sent the same final version.

Each operation takes ``(workshop, actor, **fields)`` and returns the
:class:`~goldenthread.workshops.models.Change` it logged, or ``None``.
"""
from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from goldenthread.core import themes as suggest
from goldenthread.core.models import Kind
from goldenthread.workshops.models import (
    BOARD_KINDS, Action, Board, Change, Cluster, Decision, Delegate, DelegateGroup, Placement, RootCause, ShareItem,
    Stage, Status, SuccessStatement, Vote, Workshop, WorkshopCard,
)

MAX_TEXT = 300
MAX_WHY_DEPTH = 5


class OpError(Exception):
    """A change that cannot be made. The message is plain English, shown to the person who tried."""


@dataclass(frozen=True)
class Actor:
    label: str
    is_facilitator: bool = False
    delegate_id: int | None = None


@dataclass(frozen=True)
class Applied:
    """What one change did: returned by :func:`run` and :func:`join`, broadcast by the web layer."""

    workshop_id: int
    op: str
    version: int
    stage: str
    #: The undo-log row the operation wrote (board changes and removals), else ``None``.
    change: Change | None = None


# --- reading and checking fields ------------------------------------------------------------

def _id(value) -> int:
    if isinstance(value, bool):
        raise OpError("Something was sent that is not a number.")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise OpError("Something was sent that is not a number.") from None


def _text(value, blank=False, limit=MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise OpError("Some text is missing.")
    value = value.strip()
    if not value and not blank:
        raise OpError("Please write something first.")
    if len(value) > limit:
        raise OpError(f"That is too long. Please use {limit} characters or fewer.")
    return value


def _choice(value, choices) -> str:
    if value not in choices.values:
        raise OpError("That choice is not on the list.")
    return value


def _date(value) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise OpError("Please give a date like 2026-06-30.") from None


def _one(queryset, value, what: str):
    obj = queryset.filter(pk=_id(value)).first()
    if obj is None:
        raise OpError(f"That {what} is not in this workshop.")
    return obj


def _clusters(w):
    return Cluster.objects.filter(board__workshop=w)


def main_board(w: Workshop, kind: str) -> Board:
    return w.boards.get(kind=kind, is_main=True)


def _tidy(board: Board) -> None:
    """Remove clusters left with no cards (named themes are kept), and number the rest 0, 1, 2..."""
    board.clusters.filter(placements__isnull=True, name="").delete()
    for i, cluster in enumerate(board.clusters.order_by("position", "id")):
        if cluster.position != i:
            Cluster.objects.filter(pk=cluster.pk).update(position=i)


def _new_cluster(board: Board, name: str = "") -> Cluster:
    last = board.clusters.aggregate(m=Max("position"))["m"]
    return Cluster.objects.create(board=board, name=name, position=0 if last is None else last + 1)


def _place(board: Board, card: WorkshopCard, cluster: Cluster, disputed: bool = False) -> None:
    last = cluster.placements.aggregate(m=Max("position"))["m"]
    Placement.objects.update_or_create(
        board=board, card=card,
        defaults={"cluster": cluster, "position": 0 if last is None else last + 1, "disputed": disputed})


def _layout(board: Board) -> dict:
    """A board's clusters and where its cards are, as plain lists (kept in :class:`Change`)."""
    return {"clusters": [[c.pk, c.name, c.position, c.what_works, c.stories] for c in board.clusters.order_by("id")],
            "placements": [[p.card_id, p.cluster_id, p.position, p.disputed]
                           for p in board.placements.order_by("card_id")]}


def _log(w: Workshop, actor: Actor, op: str, summary: str, board: Board | None = None) -> Change:
    """Log a change before it is made and return the log row (the operation returns it to :func:`run`).

    For a board change, :func:`run` adds the layout after it, so it can be undone.
    """
    return Change.objects.create(workshop=w, board=board, op=op, summary=summary[:400], by=actor.label,
                                 before=_layout(board) if board else {})


@transaction.atomic
def create_workshop(cycle, name: str, cards_used: str, user) -> Workshop:
    """A new workshop with its chosen cards (in card-call order) and one main board per kind."""
    w = Workshop.objects.create(cycle=cycle, name=name, cards_used=cards_used, created_by=user)
    WorkshopCard.objects.bulk_create(
        WorkshopCard(workshop=w, statement=s, kind=s.kind, order=i) for i, s in enumerate(
            sorted(w.chosen_statements(), key=lambda s: (BOARD_KINDS.index(s.kind), s.card_number))))
    for kind in BOARD_KINDS:
        Board.objects.create(workshop=w, kind=kind, name=f"{Kind(kind).label}: main board", is_main=True)
    return w


def join(workshop_id: int, name: str, group: str) -> tuple[Delegate, Applied]:
    """A delegate joins from their own device. Returns the delegate and the change, for every screen to hear of."""
    with transaction.atomic():
        w = Workshop.objects.select_for_update().get(pk=workshop_id)
        delegate = Delegate.objects.create(workshop=w, name=_text(name, limit=60), group=_choice(group, DelegateGroup))
        w.version += 1
        w.save(update_fields=["version"])
    return delegate, Applied(workshop_id=workshop_id, op="join", version=w.version, stage=w.stage)


# --- the operations ------------------------------------------------------------------------------

def set_stage(w, actor, stage):
    w.stage = _choice(stage, Stage)


def set_timer(w, actor, minutes):
    minutes = _id(minutes)
    if not 0 <= minutes <= 180:
        raise OpError("The timer can be set from 0 to 180 minutes.")
    w.timer_ends_at = timezone.now() + dt.timedelta(minutes=minutes) if minutes else None


def add_delegate(w, actor, name, group):
    Delegate.objects.create(workshop=w, name=_text(name, limit=60), group=_choice(group, DelegateGroup),
                            has_device=False)


def call_card(w, actor, card, cluster=None):
    card = _one(w.cards, card, "card")
    board = main_board(w, card.kind)
    if board.placements.filter(card=card).exists():
        raise OpError(f"Card {card.statement.card_code} has already been called.")
    if cluster in (None, "", "new"):
        target, action = _new_cluster(board), Decision.Action.NEW
    else:
        target, action = _one(board.clusters, cluster, "cluster"), Decision.Action.JOIN
    _place(board, card, target)
    Decision.objects.create(workshop=w, card=card, cluster=target, action=action, by=actor.label)


def undo_call(w, actor):
    decision = w.decisions.filter(undone=False).first()
    if decision is None:
        raise OpError("There is nothing to undo.")
    board = main_board(w, decision.card.kind)
    board.placements.filter(card=decision.card).delete()
    decision.undone = True
    decision.save(update_fields=["undone"])
    if decision.action == Decision.Action.NEW and decision.cluster and not decision.cluster.placements.exists():
        decision.cluster.delete()
    _tidy(board)


def move_card(w, actor, card, cluster, board=None) -> Change:
    """Put a card in a cluster, or in a new cluster (``cluster="new"``) on ``board``."""
    card = _one(w.cards, card, "card")
    if cluster == "new":
        if board in (None, ""):
            raise OpError("Say which board the new cluster is on.")
        board = _one(w.boards, board, "board")
    else:
        target = _one(_clusters(w).select_related("board"), cluster, "cluster")
        board = target.board
    if board.kind != card.kind:
        raise OpError("A card can only go on a board of its own kind.")
    where = "a new cluster" if cluster == "new" else f"“{target.label}”"
    change = _log(w, actor, "move_card", f"Card {card.statement.card_code} moved to {where}", board)
    if cluster == "new":
        target = _new_cluster(board)
    _place(target.board, card, target)
    _tidy(target.board)
    return change


def move_cluster(w, actor, cluster, position) -> Change:
    cluster = _one(_clusters(w), cluster, "cluster")
    siblings = list(cluster.board.clusters.exclude(pk=cluster.pk).order_by("position", "id"))
    position = max(0, min(_id(position), len(siblings)))
    change = _log(w, actor, "move_cluster", f"“{cluster.label}” moved to place {position + 1}", cluster.board)
    siblings.insert(position, cluster)
    for i, c in enumerate(siblings):
        Cluster.objects.filter(pk=c.pk).update(position=i)
    return change


def merge_clusters(w, actor, cluster, into) -> Change:
    cluster = _one(_clusters(w), cluster, "cluster")
    into = _one(_clusters(w), into, "cluster")
    if cluster.board_id != into.board_id or cluster.pk == into.pk:
        raise OpError("Choose a different cluster on the same board.")
    change = _log(w, actor, "merge_clusters", f"“{cluster.label}” merged into “{into.label}”", into.board)
    start = into.placements.aggregate(m=Max("position"))["m"] or 0
    for i, p in enumerate(cluster.placements.all(), start=start + 1):
        Placement.objects.filter(pk=p.pk).update(cluster=into, position=i)
    if not into.name and cluster.name:
        into.name = cluster.name
        into.save(update_fields=["name"])
    cluster.delete()
    _tidy(into.board)
    return change


def split_cluster(w, actor, cluster, cards) -> Change:
    cluster = _one(_clusters(w), cluster, "cluster")
    if not isinstance(cards, list) or not cards:
        raise OpError("Choose the cards to move to a new cluster.")
    placements = [_one(cluster.placements, _placement_for(cluster, c), "card") for c in cards]
    change = _log(w, actor, "split_cluster", f"{len(placements)} cards split off “{cluster.label}”", cluster.board)
    new = _new_cluster(cluster.board)
    Cluster.objects.filter(board=cluster.board, position__gt=cluster.position).exclude(pk=new.pk).update(
        position=F("position") + 1)
    new.position = cluster.position + 1
    new.save(update_fields=["position"])
    for i, p in enumerate(placements):
        Placement.objects.filter(pk=p.pk).update(cluster=new, position=i)
    _tidy(cluster.board)
    return change


def _placement_for(cluster, card_id):
    p = cluster.placements.filter(card_id=_id(card_id)).first()
    return p.pk if p else 0


def rename_cluster(w, actor, cluster, name) -> Change:
    cluster = _one(_clusters(w), cluster, "cluster")
    name = _text(name, blank=True, limit=200)
    summary = f"“{cluster.label}” renamed “{name or 'not named yet'}”"
    change = _log(w, actor, "rename_cluster", summary, cluster.board)
    cluster.name = name
    cluster.save(update_fields=["name"])
    return change


def add_board(w, actor, kind):
    kind = _choice(kind, Kind)
    n = w.boards.filter(kind=kind, is_main=False).count() + 1
    Board.objects.create(workshop=w, kind=kind, name=f"{Kind(kind).label}: pre-cluster board {n}")


def auto_cluster(w, actor, kind):
    """Offer the theme engine's full clustering as a new pre-cluster board: a proposal, never applied to the main one."""
    kind = _choice(kind, Kind)
    cards = list(w.cards.filter(kind=kind).select_related("statement"))
    if not cards:
        raise OpError("There are no cards of this kind.")
    labels = suggest.cluster_texts([c.statement.card_text for c in cards])
    board = Board.objects.create(workshop=w, kind=kind, name=f"{Kind(kind).label}: suggested by the theme engine")
    clusters: dict[int, Cluster] = {}
    for card, label in zip(cards, labels):
        if label not in clusters:
            clusters[label] = _new_cluster(board)
        _place(board, card, clusters[label])


def merge_boards(w, actor, kind) -> Change:
    """Merge the pre-cluster boards of one kind into the main board, marking the cards the boards disagree about.

    The first pre-cluster board is the base. Each cluster on another board is
    matched with the base cluster it shares most cards with; a card goes where
    most boards put it. Cards the boards put in different places are marked.
    """
    kind = _choice(kind, Kind)
    boards = list(w.boards.filter(kind=kind, is_main=False).order_by("id"))
    if len(boards) < 2:
        raise OpError("Merging needs at least two pre-cluster boards of this kind.")
    where = [{p.card_id: p.cluster_id for p in b.placements.all()} for b in boards]
    base = where[0]
    base_members: dict[int, set[int]] = {}
    for card_id, cid in base.items():
        base_members.setdefault(cid, set()).add(card_id)
    new_base = iter(range(-1, -10_000, -1))  # clusters only other boards have
    votes: dict[int, list[int]] = {}
    for i, board_map in enumerate(where):
        members: dict[int, set[int]] = {}
        for card_id, cid in board_map.items():
            members.setdefault(cid, set()).add(card_id)
        for cid, cards in members.items():
            if i == 0:
                target = cid
            else:
                best = max(base_members, key=lambda b: len(base_members[b] & cards), default=None)
                target = best if best is not None and base_members[best] & cards else next(new_base)
            for card_id in cards:
                votes.setdefault(card_id, []).append(target)
    main = main_board(w, kind)
    change = _log(w, actor, "merge_boards", f"{len(boards)} pre-cluster boards merged into {main.name}", main)
    main.placements.all().delete()
    main.clusters.filter(name="").delete()
    clusters: dict[int, Cluster] = {}
    cards = {c.pk: c for c in w.cards.filter(pk__in=votes)}
    for card_id in sorted(votes, key=lambda c: cards[c].order):
        targets = votes[card_id]
        winner = max(dict.fromkeys(targets), key=targets.count)
        disputed = len(set(targets)) > 1 or len(targets) < len(boards)
        if winner not in clusters:
            clusters[winner] = _new_cluster(main)
        _place(main, cards[card_id], clusters[winner], disputed=disputed)
    _tidy(main)
    return change


def undo_change(w, actor):
    """Put the board back as it was before the last logged board change. All or nothing."""
    change = w.changes.filter(undone=False, board__isnull=False).select_related("board").first()
    if change is None:
        raise OpError("There is no board change to undo.")
    board = change.board
    if _layout(board) != change.after:
        raise OpError("The board has changed since then (for example a card was called), so this cannot be "
                      "undone. Please move the cards back by hand.")
    keep = [c[0] for c in change.before["clusters"]]
    extra = board.clusters.exclude(pk__in=keep)
    if (Vote.objects.filter(cluster__in=extra).exists() or RootCause.objects.filter(cluster__in=extra).exists()
            or SuccessStatement.objects.filter(cluster__in=extra).exists()
            or Action.objects.filter(themes__in=extra).exists()):
        raise OpError("This cannot be undone: a cluster it made now has votes, reasons or actions.")
    board.placements.all().delete()
    extra.delete()
    for pk, name, position, what_works, stories in change.before["clusters"]:
        Cluster.objects.update_or_create(pk=pk, defaults={
            "board": board, "name": name, "position": position, "what_works": what_works, "stories": stories})
    Placement.objects.bulk_create(Placement(board=board, card_id=card, cluster_id=cluster, position=position,
                                            disputed=disputed)
                                  for card, cluster, position, disputed in change.before["placements"])
    change.undone = True
    change.save(update_fields=["undone"])


def set_notes(w, actor, cluster, what_works="", stories=""):
    cluster = _one(_clusters(w), cluster, "theme")
    cluster.what_works = _text(what_works, blank=True, limit=2000)
    cluster.stories = _text(stories, blank=True, limit=2000)
    cluster.save(update_fields=["what_works", "stories"])


def vote(w, actor, cluster, dots, delegate=None):
    """Set how many dots a delegate puts on a not-working theme (0 takes them off)."""
    if delegate not in (None, "") and not actor.is_facilitator:
        raise OpError("Only the facilitator can vote for someone else.")
    if delegate in (None, ""):
        if actor.delegate_id is None:
            raise OpError("Join the workshop to vote.")
        delegate = actor.delegate_id
    person = _one(w.delegates, delegate, "person")
    theme = _one(_clusters(w).filter(board__is_main=True, board__kind=Kind.NOT_WORKING), cluster, "theme")
    dots = _id(dots)
    if not 0 <= dots <= w.vote_cap:
        raise OpError(f"You can put from 0 to {w.vote_cap} dots on one theme.")
    used = person.votes.exclude(cluster=theme).aggregate(n=Sum("dots"))["n"] or 0
    if used + dots > w.vote_budget:
        raise OpError(f"That is too many dots. Each person has {w.vote_budget} dots and "
                      f"{max(0, w.vote_budget - used)} are left.")
    if dots:
        Vote.objects.update_or_create(cluster=theme, delegate=person, defaults={"dots": dots})
    else:
        Vote.objects.filter(cluster=theme, delegate=person).delete()


def vote_settings(w, actor, budget, cap):
    budget, cap = _id(budget), _id(cap)
    if not (1 <= budget <= 20 and 1 <= cap <= budget):
        raise OpError("Each person needs 1 to 20 dots, and the most on one theme must not be more than that.")
    w.vote_budget, w.vote_cap = budget, cap


def reveal_votes(w, actor, revealed):
    w.votes_revealed = str(revealed).lower() in {"1", "true", "yes", "on"}


def add_cause(w, actor, cluster, text, parent=None):
    cluster = _one(_clusters(w), cluster, "theme")
    depth = 1
    if parent not in (None, ""):
        parent = _one(cluster.root_causes, parent, "reason")
        depth = parent.depth + 1
        if depth > MAX_WHY_DEPTH:
            raise OpError("Five whys is enough: this reason is already five steps deep.")
    else:
        parent = None
    RootCause.objects.create(cluster=cluster, parent=parent, text=_text(text), depth=depth)


def add_success(w, actor, cluster, perspective, text):
    cluster = _one(_clusters(w), cluster, "theme")
    SuccessStatement.objects.create(cluster=cluster, perspective=_choice(perspective, SuccessStatement.Perspective),
                                    text=_text(text))


def add_action(w, actor, stakeholder, text, themes, owner, measure, due, root_causes=()):
    if not isinstance(themes, list) or not themes:
        raise OpError("Link the action to at least one theme.")
    linked = [_one(_clusters(w).filter(board__is_main=True), t, "theme") for t in themes]
    causes = [_one(RootCause.objects.filter(cluster__board__workshop=w), c, "reason") for c in (root_causes or [])]
    action = Action.objects.create(
        workshop=w, stakeholder=_choice(stakeholder, Action.Stakeholder), text=_text(text),
        owner=_text(owner, limit=120), measure=_text(measure), due=_date(due))
    action.themes.set(linked)
    action.root_causes.set(causes)


def set_action_status(w, actor, action, status):
    action = _one(w.actions, action, "action")
    action.status = _choice(status, Status)
    action.save(update_fields=["status"])


def add_share(w, actor, audience, what, how, due, easy_read=False):
    ShareItem.objects.create(workshop=w, audience=_text(audience, limit=200), what=_text(what),
                             how=_text(how, limit=200), due=_date(due),
                             easy_read=str(easy_read).lower() in {"1", "true", "yes", "on"})


def set_share_status(w, actor, item, status):
    item = _one(w.sharing, item, "sharing plan line")
    item.status = _choice(status, Status)
    item.save(update_fields=["status"])


def remove_cause(w, actor, cause) -> Change:
    cause = _one(RootCause.objects.filter(cluster__board__workshop=w), cause, "reason")
    under = RootCause.objects.filter(parent=cause).count()
    change = _log(w, actor, "remove_cause", f"Removed the reason “{cause.text}”" + (" and the reasons under it" if under else ""))
    cause.delete()
    return change


def remove_success(w, actor, success) -> Change:
    success = _one(SuccessStatement.objects.filter(cluster__board__workshop=w), success, "success statement")
    change = _log(w, actor, "remove_success", f"Removed “{success.text}” from what success looks like")
    success.delete()
    return change


def remove_action(w, actor, action) -> Change:
    action = _one(w.actions, action, "action")
    change = _log(w, actor, "remove_action", f"Removed the action “{action.text}”")
    action.delete()
    return change


def remove_share(w, actor, item) -> Change:
    item = _one(w.sharing, item, "sharing plan line")
    change = _log(w, actor, "remove_share", f"Removed telling {item.audience} from the sharing plan")
    item.delete()
    return change


def edit_action(w, actor, action, stakeholder, text, themes, owner, measure, due, root_causes=()) -> Change:
    action = _one(w.actions, action, "action")
    if not isinstance(themes, list) or not themes:
        raise OpError("Link the action to at least one theme.")
    linked = [_one(_clusters(w).filter(board__is_main=True), t, "theme") for t in themes]
    causes = [_one(RootCause.objects.filter(cluster__board__workshop=w), c, "reason") for c in (root_causes or [])]
    action.stakeholder, action.text = _choice(stakeholder, Action.Stakeholder), _text(text)
    action.owner, action.measure, action.due = _text(owner, limit=120), _text(measure), _date(due)
    change = _log(w, actor, "edit_action", f"Changed the action “{action.text}”")
    action.save()
    action.themes.set(linked)
    action.root_causes.set(causes)
    return change


#: Each operation, the fields it takes, and whether only the facilitator may use it.
OPS = {
    "set_stage": (set_stage, {"stage"}, True),
    "set_timer": (set_timer, {"minutes"}, True),
    "add_delegate": (add_delegate, {"name", "group"}, True),
    "call_card": (call_card, {"card", "cluster"}, True),
    "undo_call": (undo_call, set(), True),
    "undo_change": (undo_change, set(), True),
    "move_card": (move_card, {"card", "cluster", "board"}, False),
    "move_cluster": (move_cluster, {"cluster", "position"}, False),
    "merge_clusters": (merge_clusters, {"cluster", "into"}, False),
    "split_cluster": (split_cluster, {"cluster", "cards"}, False),
    "rename_cluster": (rename_cluster, {"cluster", "name"}, False),
    "add_board": (add_board, {"kind"}, True),
    "auto_cluster": (auto_cluster, {"kind"}, True),
    "merge_boards": (merge_boards, {"kind"}, True),
    "set_notes": (set_notes, {"cluster", "what_works", "stories"}, False),
    "vote": (vote, {"cluster", "dots", "delegate"}, False),
    "vote_settings": (vote_settings, {"budget", "cap"}, True),
    "reveal_votes": (reveal_votes, {"revealed"}, True),
    "add_cause": (add_cause, {"cluster", "text", "parent"}, False),
    "add_success": (add_success, {"cluster", "perspective", "text"}, False),
    "add_action": (add_action, {"stakeholder", "text", "themes", "owner", "measure", "due", "root_causes"}, False),
    "set_action_status": (set_action_status, {"action", "status"}, False),
    "edit_action": (edit_action, {"action", "stakeholder", "text", "themes", "owner", "measure", "due", "root_causes"},
                    False),
    "remove_cause": (remove_cause, {"cause"}, False),
    "remove_success": (remove_success, {"success"}, False),
    "remove_action": (remove_action, {"action"}, False),
    "remove_share": (remove_share, {"item"}, False),
    "add_share": (add_share, {"audience", "what", "how", "due", "easy_read"}, False),
    "set_share_status": (set_share_status, {"item", "status"}, False),
}


def run(workshop_id: int, actor: Actor, op: str, data: dict) -> Applied:
    """Check and apply one change; return what it did. Raises :class:`OpError`."""
    if op not in OPS:
        raise OpError("The app does not know that kind of change.")
    func, fields, facilitator_only = OPS[op]
    if facilitator_only and not actor.is_facilitator:
        raise OpError("Only the facilitator can do that.")
    unknown = set(data) - fields
    if unknown:
        raise OpError(f"Unexpected field: {sorted(unknown)[0]}.")
    with transaction.atomic():
        w = Workshop.objects.select_for_update().get(pk=workshop_id)
        try:
            inspect.signature(func).bind(w, actor, **data)
        except TypeError:
            raise OpError("Something needed for that change is missing.") from None
        change = func(w, actor, **data)
        if change is not None and change.board_id:
            change.after = _layout(change.board)
            change.save(update_fields=["after"])
        w.version += 1
        w.save(update_fields=["version", "stage", "timer_ends_at", "vote_budget", "vote_cap", "votes_revealed"])
    return Applied(workshop_id=workshop_id, op=op, version=w.version, stage=w.stage, change=change)
