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

from goldenthread.core.locking import retry_when_locked
from django.db.models import F, Max, Q, Sum
from django.utils import timezone

from goldenthread.core import themes as suggest
from goldenthread.core.models import Kind
from goldenthread.workshops import rules
from goldenthread.workshops.models import (
    BOARD_KINDS, Action, Board, Change, Cluster, Decision, Delegate, DelegateGroup, Placement, ProposedPlace,
    RestProposal, RootCause, ShareItem, Stage, Status, SuccessStatement, Vote, Workshop, WorkshopCard,
    join_code_expiry,
)

MAX_TEXT = 300
MAX_WHY_DEPTH = 5


class OpError(Exception):
    """A change that cannot be made. The message is plain English, shown to the person who tried."""


class NeedsConfirmation(OpError):
    """A change that would lose names, votes, reasons or actions: nothing was changed.

    ``summary`` says in plain words what would go; send the change again with ``confirm`` to make it.
    """

    def __init__(self, summary: str):
        super().__init__(summary + " Are you sure? Send it again to confirm.")
        self.summary = summary


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

MAX_ID = 2**31 - 1


def _id(value) -> int:
    if isinstance(value, bool) or isinstance(value, float):
        raise OpError("Something was sent that is not a whole number.")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise OpError("Something was sent that is not a number.") from None
    if abs(number) > MAX_ID:
        raise OpError("A number sent was too big.")
    return number


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
    """Remove clusters left with no cards, and number the rest 0, 1, 2...

    A cluster with a name, votes, reasons, success statements or actions is kept even when empty:
    tidying never loses anything people wrote.
    """
    board.clusters.filter(placements__isnull=True, name="", votes__isnull=True, root_causes__isnull=True,
                          success__isnull=True, actions__isnull=True).delete()
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


def _layout(board: Board, hanging: bool = True) -> dict:
    """A board as plain lists, kept in :class:`Change` so undo and redo can put it back.

    ``clusters`` and ``placements`` are the board's shape; the rest are the rows that hang on its
    clusters (votes, reasons, success statements, and the links from actions), so that undo brings
    those back too when a change had removed a cluster.
    """
    clusters = [[c.pk, c.name, c.position, c.what_works, c.stories] for c in board.clusters.order_by("id")]
    return {"clusters": clusters,
            "placements": [[p.card_id, p.cluster_id, p.position, p.disputed]
                           for p in board.placements.order_by("card_id")],
            **(_hanging([c[0] for c in clusters]) if hanging else {})}


#: Board changes that can delete a cluster with rows hanging on it: their log keeps those rows as well.
#: (Other board changes never delete such a cluster, see :func:`_tidy`; undo and redo record what hangs on
#: the board at that moment, so even a change confirmed later can be put back.)
DELETES_CLUSTERS = {"merge_clusters", "merge_boards", "adopt_board"}


def _hanging(cluster_ids) -> dict:
    causes = RootCause.objects.filter(cluster_id__in=cluster_ids).order_by("depth", "id")
    return {
        "votes": [[v.pk, v.cluster_id, v.delegate_id, v.dots]
                  for v in Vote.objects.filter(cluster_id__in=cluster_ids).order_by("id")],
        "causes": [[c.pk, c.cluster_id, c.parent_id, c.text, c.depth] for c in causes],
        "success": [[x.pk, x.cluster_id, x.perspective, x.text]
                    for x in SuccessStatement.objects.filter(cluster_id__in=cluster_ids).order_by("id")],
        "action_themes": sorted([a, c] for a, c in Action.themes.through.objects.filter(
            cluster_id__in=cluster_ids).values_list("action_id", "cluster_id")),
        "action_causes": sorted([a, c] for a, c in Action.root_causes.through.objects.filter(
            rootcause__cluster_id__in=cluster_ids).values_list("action_id", "rootcause_id")),
    }


def _shape(snapshot: dict) -> tuple:
    """What must match before a board change is undone or redone: clusters (id, name, place) and card places."""
    return ([c[:3] for c in snapshot.get("clusters", [])], snapshot.get("placements", []))


ACTION_FIELDS = ("stakeholder", "text", "owner", "measure", "due", "status")
SHARE_FIELDS = ("audience", "what", "how", "due", "easy_read", "status")


def _rows(w: Workshop, scope: dict) -> dict:
    """The rows named in ``scope`` (ids of actions, reasons, success statements, sharing-plan lines) as plain
    lists, with the links that hang on them: the undo log for removals and edits."""
    actions = w.actions.filter(pk__in=scope.get("actions", []))
    causes = RootCause.objects.filter(cluster__board__workshop=w, pk__in=scope.get("causes", []))
    return {
        "scope": scope,
        "actions": [[a.pk, *[str(getattr(a, f)) for f in ACTION_FIELDS]] for a in actions.order_by("id")],
        "shares": [[x.pk, *[getattr(x, f) if f == "easy_read" else str(getattr(x, f)) for f in SHARE_FIELDS]]
                   for x in w.sharing.filter(pk__in=scope.get("shares", [])).order_by("id")],
        "causes": [[c.pk, c.cluster_id, c.parent_id, c.text, c.depth] for c in causes.order_by("depth", "id")],
        "success": [[x.pk, x.cluster_id, x.perspective, x.text] for x in SuccessStatement.objects.filter(
            cluster__board__workshop=w, pk__in=scope.get("success", [])).order_by("id")],
        "action_themes": sorted([a, c] for a, c in Action.themes.through.objects.filter(
            action_id__in=scope.get("actions", [])).values_list("action_id", "cluster_id")),
        "action_causes": sorted([a, c] for a, c in Action.root_causes.through.objects.filter(
            Q(action_id__in=scope.get("actions", [])) | Q(rootcause_id__in=scope.get("causes", []))
        ).values_list("action_id", "rootcause_id")),
    }


def _log(w: Workshop, actor: Actor, op: str, summary: str, board: Board | None = None,
         scope: dict | None = None) -> Change:
    """Log a change before it is made and return the log row (the operation returns it to :func:`run`).

    A board change keeps the board's layout (``board``); a removal or edit keeps the rows it touches
    (``scope``). :func:`run` adds the state after it, so the change can be undone and redone.
    """
    before = _layout(board, hanging=op in DELETES_CLUSTERS) if board else (_rows(w, scope) if scope else {})
    return Change.objects.create(workshop=w, board=board, op=op, summary=summary[:400], by=actor.label,
                                 before=before)


def _after(w: Workshop, change: Change) -> dict:
    if change.board_id:
        return _layout(change.board, hanging=False)
    if "scope" in change.before:
        return _rows(w, change.before["scope"])
    return {}


def _put_back(w: Workshop, change: Change, target: dict, expected: dict) -> None:
    """Make the workshop match ``target`` (a change's ``before`` for undo, ``after`` for redo)."""
    if change.board_id:
        board = change.board
        if _shape(_layout(board)) != _shape(expected):
            raise OpError("The board has changed since then, so this cannot be done safely. "
                          "Please move the cards back by hand.")
        keep = [c[0] for c in target["clusters"]]
        board.placements.all().delete()
        board.clusters.exclude(pk__in=keep).delete()
        for pk, name, position, what_works, stories in target["clusters"]:
            Cluster.objects.update_or_create(pk=pk, defaults={
                "board": board, "name": name, "position": position, "what_works": what_works, "stories": stories})
        Placement.objects.bulk_create(Placement(board=board, card_id=card, cluster_id=cluster, position=position,
                                                disputed=disputed)
                                      for card, cluster, position, disputed in target["placements"])
    else:
        scope = target.get("scope") or expected.get("scope") or {}
        keep = {key: {row[0] for row in target.get(key, [])} for key in ("actions", "shares", "causes", "success")}
        w.actions.filter(pk__in=scope.get("actions", [])).exclude(pk__in=keep["actions"]).delete()
        w.sharing.filter(pk__in=scope.get("shares", [])).exclude(pk__in=keep["shares"]).delete()
        RootCause.objects.filter(cluster__board__workshop=w, pk__in=scope.get("causes", [])).exclude(
            pk__in=keep["causes"]).delete()
        SuccessStatement.objects.filter(cluster__board__workshop=w, pk__in=scope.get("success", [])).exclude(
            pk__in=keep["success"]).delete()
        for pk, *values in target.get("actions", []):
            fields = dict(zip(ACTION_FIELDS, values))
            fields["due"] = dt.date.fromisoformat(fields["due"])
            Action.objects.update_or_create(pk=pk, defaults={"workshop": w, **fields})
        for pk, *values in target.get("shares", []):
            fields = dict(zip(SHARE_FIELDS, values))
            fields["due"] = dt.date.fromisoformat(fields["due"])
            ShareItem.objects.update_or_create(pk=pk, defaults={"workshop": w, **fields})
        for action_id in keep["actions"]:
            action = Action.objects.get(pk=action_id)
            action.themes.set(Cluster.objects.filter(pk__in=[c for a, c in target["action_themes"] if a == action_id]))
            action.root_causes.set(RootCause.objects.filter(
                pk__in=[c for a, c in target["action_causes"] if a == action_id]))
    _restore_hanging(target)


def _restore_hanging(target: dict) -> None:
    """Bring back the rows in ``target`` that hang on clusters and are missing now (never deletes)."""
    clusters = set(Cluster.objects.filter(pk__in={row[1] for key in ("votes", "causes", "success")
                                                  for row in target.get(key, [])}).values_list("pk", flat=True))
    for pk, cluster, delegate, dots in target.get("votes", []):
        if cluster in clusters and not Vote.objects.filter(cluster_id=cluster, delegate_id=delegate).exists():
            Vote.objects.create(pk=pk, cluster_id=cluster, delegate_id=delegate, dots=dots)
    for pk, cluster, parent, text, depth in target.get("causes", []):  # parents first (sorted by depth)
        if cluster in clusters and not RootCause.objects.filter(pk=pk).exists():
            if parent is None or RootCause.objects.filter(pk=parent).exists():
                RootCause.objects.create(pk=pk, cluster_id=cluster, parent_id=parent, text=text, depth=depth)
    for pk, cluster, perspective, text in target.get("success", []):
        if cluster in clusters and not SuccessStatement.objects.filter(pk=pk).exists():
            SuccessStatement.objects.create(pk=pk, cluster_id=cluster, perspective=perspective, text=text)
    for through, field, model, key in ((Action.themes.through, "cluster_id", Cluster, "action_themes"),
                                       (Action.root_causes.through, "rootcause_id", RootCause, "action_causes")):
        for action_id, other in target.get(key, []):
            if (Action.objects.filter(pk=action_id).exists() and model.objects.filter(pk=other).exists()
                    and not through.objects.filter(action_id=action_id, **{field: other}).exists()):
                through.objects.create(action_id=action_id, **{field: other})


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
        closed = w.joining_refusal()
        if closed:
            raise OpError(closed)
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


def call_card(w, actor, card, cluster=None) -> Change:
    card = _one(w.cards, card, "card")
    board = main_board(w, card.kind)
    if board.placements.filter(card=card).exists():
        raise OpError(f"Card {card.statement.card_code} has already been called.")
    if cluster in (None, "", "new"):
        where, action = "a new cluster", Decision.Action.NEW
    else:
        target = _one(board.clusters, cluster, "cluster")
        where, action = f"“{target.label}”", Decision.Action.JOIN
    change = _log(w, actor, "call_card", f"Card call: {card.statement.card_code} to {where}", board)
    decision = _call(w, actor, board, card, None if action == Decision.Action.NEW else target)
    change.before["decision"] = decision.pk
    change.save(update_fields=["before"])
    return change


def _call(w, actor, board: Board, card: WorkshopCard, target: Cluster | None) -> Decision:
    """Place a card that was not on the main board yet, in ``target`` or (``None``) a new cluster, and record
    the room's decision. A card call and an accepted "place the rest" proposal both come through here."""
    action = Decision.Action.JOIN if target is not None else Decision.Action.NEW
    if target is None:
        target = _new_cluster(board)
    _place(board, card, target)
    return Decision.objects.create(workshop=w, card=card, cluster=target, action=action, by=actor.label)


def _decisions_of(change: Change) -> list[int]:
    """The card-call decisions a change made (one card call, or the cards of an accepted proposal)."""
    one = change.before.get("decision")
    return ([one] if one else []) + list(change.before.get("decisions", []))


def _last_done(w) -> Change | None:
    return w.changes.filter(undone=False).order_by("-id").first()


def _next_redo(w) -> Change | None:
    last = _last_done(w)
    later = w.changes.filter(undone=True)
    if last is not None:
        later = later.filter(pk__gt=last.pk)
    return later.order_by("id").first()


def _remember_hanging(change: Change, side: str) -> None:
    """Before undo or redo, keep what hangs on the board now in the other side of the log, to restore it later."""
    if change.board_id:
        snapshot = getattr(change, side)
        snapshot.update(_hanging(list(change.board.clusters.values_list("pk", flat=True))))
        change.save(update_fields=[side])


def _undo(w, change: Change) -> None:
    _remember_hanging(change, "after")
    _put_back(w, change, change.before, change.after)
    Decision.objects.filter(pk__in=_decisions_of(change)).update(undone=True)
    change.undone = True
    change.save(update_fields=["undone"])


def undo_call(w, actor):
    """Undo the last card call: only during the card call, and only when it is the last change made."""
    change = _last_done(w)
    if change is None or change.op != "call_card":
        if not w.changes.filter(op="call_card", undone=False).exists():
            raise OpError("There is nothing to undo.")
        raise OpError(f"The last change was not a card call (it was: {change.summary}). "
                      "Use “Undo last change” to go back one change at a time.")
    _undo(w, change)


def undo_change(w, actor):
    """Undo the last change in the workshop's one history (card calls, board changes, removals, edits)."""
    change = _last_done(w)
    if change is None:
        raise OpError("There is no change to undo.")
    _undo(w, change)


def redo(w, actor):
    """Make again the change undone last, if nothing new was done since."""
    change = _next_redo(w)
    if change is None:
        raise OpError("There is nothing to redo.")
    _remember_hanging(change, "before")
    _put_back(w, change, change.after, change.before)
    Decision.objects.filter(pk__in=_decisions_of(change)).update(undone=False)
    change.undone = False
    change.save(update_fields=["undone"])


def set_joining(w, actor, open):
    """Close joining (the code stops working) or open it again (for another day if it had run out)."""
    w.joining_open = _flag(open)
    if w.joining_open and w.join_code_expired():
        w.expires_at = join_code_expiry()


def _flag(value) -> bool:
    return value is True or str(value).lower() in {"1", "true", "yes", "on"}


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


def adopt_board(w, actor, board) -> Change:
    """Make a proposal (a pre-cluster board, such as the theme engine's) the main board's layout, in one step.

    Named clusters on the main board stay (with their votes and links); the proposal's clusters replace
    the rest. Undo puts the main board back.
    """
    proposal = _one(w.boards.filter(is_main=False), board, "proposal")
    main = main_board(w, proposal.kind)
    change = _log(w, actor, "adopt_board", f"“{proposal.name}” adopted as {main.name}", main)
    main.placements.all().delete()
    _tidy(main)
    for cluster in proposal.clusters.prefetch_related("placements__card"):
        target = _new_cluster(main, cluster.name)
        for p in cluster.placements.all():
            _place(main, p.card, target)
    _tidy(main)
    return change


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
    if not theme.name:
        raise OpError("Votes go on named themes only. Give this cluster a name first.")
    dots = _id(dots)
    if not 0 <= dots <= w.vote_cap:
        raise OpError(f"You can put from 0 to {w.vote_cap} dots on one theme.")
    used = person.votes.exclude(cluster=theme).aggregate(n=Sum("dots"))["n"] or 0
    if used + dots > w.vote_budget:
        left = max(0, w.vote_budget - used)
        raise OpError(f"That is too many dots. Each person has {w.vote_budget} dots and "
                      f"{left} {'is' if left == 1 else 'are'} left.")
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
    w.votes_revealed = _flag(revealed)


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


def _subtree(cause) -> list[int]:
    ids, level = [cause.pk], [cause.pk]
    while level:
        level = list(RootCause.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        ids += level
    return ids


def remove_cause(w, actor, cause) -> Change:
    cause = _one(RootCause.objects.filter(cluster__board__workshop=w), cause, "reason")
    under = _subtree(cause)
    change = _log(w, actor, "remove_cause", f"Removed the reason “{cause.text}”"
                  + (" and the reasons under it" if len(under) > 1 else ""), scope={"causes": under})
    cause.delete()
    return change


def remove_success(w, actor, success) -> Change:
    success = _one(SuccessStatement.objects.filter(cluster__board__workshop=w), success, "success statement")
    change = _log(w, actor, "remove_success", f"Removed “{success.text}” from what success looks like",
                  scope={"success": [success.pk]})
    success.delete()
    return change


def remove_action(w, actor, action) -> Change:
    action = _one(w.actions, action, "action")
    change = _log(w, actor, "remove_action", f"Removed the action “{action.text}”", scope={"actions": [action.pk]})
    action.delete()
    return change


def remove_share(w, actor, item) -> Change:
    item = _one(w.sharing, item, "sharing plan line")
    change = _log(w, actor, "remove_share", f"Removed telling {item.audience} from the sharing plan",
                  scope={"shares": [item.pk]})
    item.delete()
    return change


def edit_action(w, actor, action, stakeholder, text, themes, owner, measure, due, root_causes=()) -> Change:
    action = _one(w.actions, action, "action")
    if not isinstance(themes, list) or not themes:
        raise OpError("Link the action to at least one theme.")
    linked = [_one(_clusters(w).filter(board__is_main=True), t, "theme") for t in themes]
    causes = [_one(RootCause.objects.filter(cluster__board__workshop=w), c, "reason") for c in (root_causes or [])]
    fields = {"stakeholder": _choice(stakeholder, Action.Stakeholder), "text": _text(text),
              "owner": _text(owner, limit=120), "measure": _text(measure), "due": _date(due)}
    change = _log(w, actor, "edit_action", f"Changed the action “{fields['text']}”", scope={"actions": [action.pk]})
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    action.themes.set(linked)
    action.root_causes.set(causes)
    return change




# --- the card-call assistant: suggestions and "place the rest" -------------------------------------------

#: Most cards one "place the rest" proposal takes (a proposal page lists every one).
MAX_REST_CARDS = 2000


def set_suggestions(w, actor, on):
    """Turn the theme engine's card-call suggestions on or off for everyone in this workshop (audit-logged)."""
    w.suggestions_on = _flag(on)


def board_history(w: Workshop, board: Board) -> list[tuple]:
    """The room's decisions on ``board``, in the order they were made, for the card-call assistant.

    Read from the workshop's one change log (each change keeps the board's layout before and after), leaving
    out changes that were undone: a card newly on the board is ``("add", text, cluster)``, a card that went to
    another cluster ``("move", text, cluster)`` (so it counts against the cluster it left), a card taken off
    ``("remove", text)``, and a cluster given a name ``("name", cluster, name)``. Replayed in this order (see
    :mod:`goldenthread.core.themes`), it rebuilds the same learning a live assistant would have. Anything on
    the board that the log does not explain is added at the end, so the assistant's wall is always the board.
    """
    texts = dict(w.cards.values_list("pk", "statement__card_text"))
    history: list[tuple] = []
    where: dict[int, int] = {}
    for before, after in Change.objects.filter(workshop=w, board=board, undone=False).order_by("id").values_list(
            "before", "after"):
        if not after:
            continue
        old = {card: cluster for card, cluster, *_ in before.get("placements", [])}
        new = sorted(after.get("placements", []), key=lambda p: (p[1], p[2], p[0]))
        for card, cluster, *_ in new:
            if card not in texts:
                continue
            if where.get(card) is None:
                history.append(("add", texts[card], cluster))
            elif where[card] != cluster:
                history.append(("move", texts[card], cluster))
            where[card] = cluster
        gone = set(old) - {p[0] for p in new}
        for card in sorted(gone):
            if where.pop(card, None) is not None and card in texts:
                history.append(("remove", texts[card]))
        names_before = {c[0]: c[1] for c in before.get("clusters", [])}
        for pk, name, *_ in after.get("clusters", []):
            if name and names_before.get(pk) != name:
                history.append(("name", pk, name))
    now = dict(board.placements.values_list("card_id", "cluster_id"))
    for card in sorted(set(where) - set(now)):
        history.append(("remove", texts[card]))
    for card, cluster in sorted(now.items()):
        if where.get(card) != cluster:
            history.append(("add" if card not in where else "move", texts[card], cluster))
    return history


def cards_to_call(w: Workshop):
    """The cards not yet on any main board, in card-call order (the first is the one being called)."""
    called = Placement.objects.filter(board__workshop=w, board__is_main=True).values("card_id")
    return w.cards.exclude(pk__in=called).select_related("statement")


def card_call_suggestions(w: Workshop, card: WorkshopCard):
    """The learnt ranking for the card being called (:class:`goldenthread.core.themes.Suggestion`), or ``None``
    when the facilitator has turned suggestions off: then nothing is computed at all."""
    if not w.suggestions_on:
        return None
    board = main_board(w, card.kind)
    return suggest.learnt_suggestion(card.statement.card_text, board_history(w, board), key=("board", board.pk))


def place_rest(w, actor, kind):
    """Ask the engine where every card of ``kind`` not yet on the main board would go: a new proposal.

    Nothing on the board changes. An older open proposal for the same kind is closed (it is stale now).
    """
    if kind not in BOARD_KINDS:
        raise OpError("Choose working, not working or future: those are the kinds with boards.")
    board = main_board(w, kind)
    cards = list(w.cards.filter(kind=kind).exclude(pk__in=board.placements.values("card_id"))
                 .select_related("statement").order_by("order"))
    if not cards:
        raise OpError(f"Every {Kind(kind).label.lower()} card is already on the board: there is nothing to place.")
    if len(cards) > MAX_REST_CARDS:
        raise OpError(f"There are {len(cards)} cards left; place the rest takes at most {MAX_REST_CARDS} at once.")
    places = suggest.place_rest(board_history(w, board), [(c.pk, c.statement.card_text) for c in cards],
                                key=("board", board.pk))
    on_board = set(board.clusters.values_list("pk", flat=True))
    w.rest_proposals.filter(kind=kind, open=True).update(open=False)
    proposal = RestProposal.objects.create(workshop=w, kind=kind, made_by=actor.label, version=w.version + 1)
    by_card = {c.pk: c for c in cards}
    rows, group = [], 0
    groups: dict[int, int] = {}
    for p in places:
        cluster = p.cluster if p.cluster in on_board else None
        new_group = None
        if cluster is None:  # a new theme group (numbered 1, 2, ... in the order they first appear)
            key = p.new_group if p.new_group is not None else -len(rows) - 1
            if key not in groups:
                group += 1
                groups[key] = group
            new_group = groups[key]
        rows.append(ProposedPlace(proposal=proposal, card=by_card[p.card], cluster_id=cluster, new_group=new_group,
                                  confidence=max(0.0, min(1.0, float(p.confidence))),
                                  like=[[text[:300], round(float(sim), 4)] for text, sim in p.like[:3]]))
    ProposedPlace.objects.bulk_create(rows)


def _open_proposal(w, proposal) -> RestProposal:
    found = _one(w.rest_proposals.all(), proposal, "proposal")
    if not found.open:
        raise OpError("That proposal is out of date: a newer “place the rest” has replaced it. "
                      "Use the newest proposal.")
    return found


def _proposed(proposal: RestProposal, card) -> ProposedPlace:
    place = proposal.places.select_related("card__statement").filter(card_id=_id(card)).first()
    if place is None:
        raise OpError("That card is not in this proposal.")
    return place


def _still_open(board: Board, place: ProposedPlace) -> None:
    code = place.card.statement.card_code
    if place.rejected:
        raise OpError(f"The place proposed for card {code} was rejected. Choose a cluster with “Move to…”.")
    if board.placements.filter(card_id=place.card_id).exists():
        raise OpError(f"Card {code} has already been placed since this proposal was made.")


def _proposed_target(board: Board, place: ProposedPlace, made: dict) -> Cluster | None:
    """The cluster a proposed place puts its card in now: its cluster, or for a new theme group the cluster
    its group has started already (``None``: start it). Refuses a place whose cluster has gone."""
    if place.cluster_id is not None:
        target = board.clusters.filter(pk=place.cluster_id).first()
        if target is None:
            raise OpError(f"The cluster proposed for card {place.card.statement.card_code} is no longer on the "
                          "board. Choose another with “Move to…”.")
        return target
    if place.new_group is None:  # its cluster was deleted since (the link was cleared)
        raise OpError(f"The cluster proposed for card {place.card.statement.card_code} is no longer on the "
                      "board. Choose another with “Move to…”.")
    if place.new_group in made:
        return made[place.new_group]
    fellow = board.placements.filter(card_id__in=place.proposal.places.filter(
        new_group=place.new_group).values("card_id")).select_related("cluster").first()
    return fellow.cluster if fellow else None


def _accept(w, actor, proposal: RestProposal, chosen: list[tuple[ProposedPlace, object]], summary: str) -> Change:
    """Place each chosen card as a card call would, as one change of the main board (one undo step)."""
    board = main_board(w, proposal.kind)
    change = _log(w, actor, "accept_rest", summary, board)
    made: dict[int, Cluster] = {}
    decisions = []
    for place, target in chosen:
        if target == "proposed":
            target = _proposed_target(board, place, made)
        decision = _call(w, actor, board, place.card, target)
        if place.cluster_id is None and place.new_group is not None and target is None:
            made[place.new_group] = decision.cluster
        decisions.append(decision.pk)
    change.before["decisions"] = decisions
    change.save(update_fields=["before"])
    return change


def accept_rest(w, actor, proposal, above) -> Change:
    """Accept every proposed place in a cluster on the board that is at least ``above`` per cent sure.

    Cards proposed for new theme groups are accepted one by one (:func:`accept_place`). Cards placed since
    the proposal was made, and places whose cluster has gone, are left out.
    """
    proposal = _open_proposal(w, proposal)
    above = _id(above)
    if not 0 <= above <= 100:
        raise OpError("“above” must be a percentage from 0 to 100.")
    board = main_board(w, proposal.kind)
    placed = set(board.placements.values_list("card_id", flat=True))
    here = set(board.clusters.values_list("pk", flat=True))
    chosen = [(p, "proposed") for p in proposal.places.select_related("card__statement").order_by("card__order")
              if not p.rejected and p.card_id not in placed and p.cluster_id in here
              and round(p.confidence * 100) >= above]
    if not chosen:
        raise OpError(f"No proposed place in a cluster is at least {above}% sure. Choose a lower confidence, "
                      "or accept cards one by one.")
    codes = ", ".join(p.card.statement.card_code for p, _ in chosen[:20]) + (" and more" if len(chosen) > 20 else "")
    return _accept(w, actor, proposal, chosen,
                   f"Place the rest: {_plural(len(chosen), 'card')} placed as proposed (at least {above}% sure): "
                   f"{codes}")


def accept_place(w, actor, proposal, card, cluster=None) -> Change:
    """Accept one card's proposed place, or put it in another ``cluster`` on the board (``"new"``: a new one)."""
    proposal = _open_proposal(w, proposal)
    place = _proposed(proposal, card)
    board = main_board(w, proposal.kind)
    if cluster in (None, ""):
        _still_open(board, place)
        target = "proposed"
        where = "as proposed"
    else:
        if board.placements.filter(card_id=place.card_id).exists():
            raise OpError(f"Card {place.card.statement.card_code} has already been placed since this proposal "
                          "was made.")
        target = None if cluster == "new" else _one(board.clusters, cluster, "cluster")
        where = "to a new cluster" if target is None else f"to “{target.label}” (not as proposed)"
    return _accept(w, actor, proposal, [(place, target)],
                   f"Place the rest: card {place.card.statement.card_code} placed {where}")


def reject_place(w, actor, proposal, card):
    """Reject one card's proposed place: the card stays where it is (not on the board) for the room to call."""
    proposal = _open_proposal(w, proposal)
    place = _proposed(proposal, card)
    board = main_board(w, proposal.kind)
    _still_open(board, place)
    place.rejected = True
    place.save(update_fields=["rejected"])


# --- what a change would lose -------------------------------------------------------------------

def _valuables(w) -> dict:
    """Everything people named, voted on, wrote or planned in a workshop, keyed so two readings can be compared."""
    clusters = _clusters(w)
    return {
        "names": dict(clusters.exclude(name="").values_list("pk", "name")),
        "votes": {(c, d): n for c, d, n in Vote.objects.filter(cluster__in=clusters).values_list(
            "cluster_id", "delegate_id", "dots")},
        "causes": dict(RootCause.objects.filter(cluster__in=clusters).values_list("pk", "text")),
        "success": dict(SuccessStatement.objects.filter(cluster__in=clusters).values_list("pk", "text")),
        "actions": dict(w.actions.values_list("pk", "text")),
        "action_themes": set(Action.themes.through.objects.filter(action__workshop=w).values_list(
            "action_id", "cluster_id")),
        "action_causes": set(Action.root_causes.through.objects.filter(action__workshop=w).values_list(
            "action_id", "rootcause_id")),
        "shares": dict(w.sharing.values_list("pk", "audience")),
    }


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _quote(texts, limit=3) -> str:
    texts = list(texts)
    shown = ", ".join(f"“{t}”" for t in texts[:limit])
    return shown + (f" and {len(texts) - limit} more" if len(texts) > limit else "")


def _lost(before: dict, after: dict) -> str:
    """What is in ``before`` and not in ``after``, in plain words ("" when nothing is lost)."""
    names = before["names"]
    parts = []
    kept = set(after["names"].values())  # a name carried to another cluster (a merge) is not lost
    gone_names = [n for c, n in names.items() if c not in after["names"] and n not in kept]
    if gone_names:
        parts.append(f"the theme name{'s' if len(gone_names) > 1 else ''} {_quote(gone_names)}")
    gone_votes = {k: n for k, n in before["votes"].items() if after["votes"].get(k) != n}
    if gone_votes:
        people = len({d for _, d in gone_votes})
        on = {names.get(c, "a cluster not named yet") for c, _ in gone_votes}
        parts.append(f"{_plural(sum(gone_votes.values()), 'dot')} from {_plural(people, 'person', 'people')} "
                     f"on {_quote(sorted(on))}")
    for key, one, many in (("causes", "reason (5 whys)", "reasons (5 whys)"),
                           ("success", "success statement", "success statements")):
        gone = [t for pk, t in before[key].items() if pk not in after[key]]
        if gone:
            parts.append(f"{_plural(len(gone), one, many)}: {_quote(gone)}")
    gone_actions = [t for pk, t in before["actions"].items() if pk not in after["actions"]]
    if gone_actions:
        parts.append(f"the action{'s' if len(gone_actions) > 1 else ''} {_quote(gone_actions)}")
    links = [(a, c) for a, c in before["action_themes"] - after["action_themes"] if a in after["actions"]]
    if links:
        parts.append("the link" + ("s" if len(links) > 1 else "") + " from " + "; ".join(
            f"the action “{before['actions'][a]}” to “{names.get(c, 'a cluster not named yet')}”"
            for a, c in links[:3]))
    cause_links = [1 for a, c in before["action_causes"] - after["action_causes"] if a in after["actions"]]
    if cause_links:
        parts.append(_plural(len(cause_links), "link from an action to a reason", "links from actions to reasons"))
    gone_shares = [t for pk, t in before["shares"].items() if pk not in after["shares"]]
    if gone_shares:
        parts.append(f"the sharing plan line{'s' if len(gone_shares) > 1 else ''} for {_quote(gone_shares)}")
    if not parts:
        return ""
    return "This will remove " + "; ".join(parts) + ". Undo can bring them back."


#: Changes that can lose something people made: checked with :func:`impact` first.
DESTRUCTIVE = {"undo_call", "undo_change", "redo", "merge_clusters", "split_cluster", "rename_cluster",
               "merge_boards", "adopt_board", "remove_cause", "remove_success", "remove_action", "remove_share"}


def _try(w, actor, func, data) -> str:
    """Make the change inside a savepoint, see what it loses, and roll it back. The caller holds the lock."""
    sid = transaction.savepoint()
    try:
        before = _valuables(w)
        func(Workshop.objects.get(pk=w.pk), actor, **data)
        return _lost(before, _valuables(w))
    finally:
        transaction.savepoint_rollback(sid)


def impact(workshop_id: int, actor: Actor, op: str, data: dict) -> str:
    """What ``op`` would remove (names, votes, reasons, actions and links), in plain words; "" when nothing.

    Changes nothing. Raises :class:`OpError` when the change could not be made at all.
    """
    func = _check(workshop_id, actor, op, data)
    with transaction.atomic():
        w = Workshop.objects.select_for_update().get(pk=workshop_id)
        _refuse(w, actor, op, func, data)
        return _try(w, actor, func, data) if op in DESTRUCTIVE else ""


#: Each operation and the fields it takes. Who may use it at which stage is :data:`rules.TABLE`.
OPS = {
    "set_stage": (set_stage, {"stage"}),
    "set_timer": (set_timer, {"minutes"}),
    "add_delegate": (add_delegate, {"name", "group"}),
    "set_joining": (set_joining, {"open"}),
    "call_card": (call_card, {"card", "cluster"}),
    "undo_call": (undo_call, set()),
    "undo_change": (undo_change, set()),
    "redo": (redo, set()),
    "move_card": (move_card, {"card", "cluster", "board"}),
    "move_cluster": (move_cluster, {"cluster", "position"}),
    "merge_clusters": (merge_clusters, {"cluster", "into"}),
    "split_cluster": (split_cluster, {"cluster", "cards"}),
    "rename_cluster": (rename_cluster, {"cluster", "name"}),
    "add_board": (add_board, {"kind"}),
    "auto_cluster": (auto_cluster, {"kind"}),
    "merge_boards": (merge_boards, {"kind"}),
    "adopt_board": (adopt_board, {"board"}),
    "set_notes": (set_notes, {"cluster", "what_works", "stories"}),
    "vote": (vote, {"cluster", "dots", "delegate"}),
    "vote_settings": (vote_settings, {"budget", "cap"}),
    "reveal_votes": (reveal_votes, {"revealed"}),
    "add_cause": (add_cause, {"cluster", "text", "parent"}),
    "add_success": (add_success, {"cluster", "perspective", "text"}),
    "add_action": (add_action, {"stakeholder", "text", "themes", "owner", "measure", "due", "root_causes"}),
    "set_action_status": (set_action_status, {"action", "status"}),
    "edit_action": (edit_action, {"action", "stakeholder", "text", "themes", "owner", "measure", "due", "root_causes"}),
    "remove_cause": (remove_cause, {"cause"}),
    "remove_success": (remove_success, {"success"}),
    "remove_action": (remove_action, {"action"}),
    "remove_share": (remove_share, {"item"}),
    "add_share": (add_share, {"audience", "what", "how", "due", "easy_read"}),
    "set_share_status": (set_share_status, {"item", "status"}),
    "set_suggestions": (set_suggestions, {"on"}),
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
    "dots": ID, "budget": ID, "cap": ID, "minutes": ID, "proposal": ID, "above": ID,
    "name": TEXT, "group": TEXT, "stage": TEXT, "kind": TEXT, "what_works": TEXT, "stories": TEXT, "text": TEXT,
    "perspective": TEXT, "stakeholder": TEXT, "owner": TEXT, "measure": TEXT, "due": TEXT, "status": TEXT,
    "audience": TEXT, "what": TEXT, "how": TEXT,
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


def _run(workshop_id, actor, op, func, data, confirm) -> Applied:
    with transaction.atomic():
        w = Workshop.objects.select_for_update().get(pk=workshop_id)
        _refuse(w, actor, op, func, data)
        if op in DESTRUCTIVE and not confirm:
            lost = _try(w, actor, func, data)
            if lost:
                raise NeedsConfirmation(lost)
        change = func(w, actor, **data)
        if change is not None:
            change.after = _after(w, change)
            change.save(update_fields=["after"])
            # A new change ends the redo chain: what was undone before it can no longer be redone.
        w.version += 1
        w.save(update_fields=["version", "stage", "timer_ends_at", "vote_budget", "vote_cap", "votes_revealed",
                              "joining_open", "expires_at", "suggestions_on"])
    return Applied(workshop_id=workshop_id, op=op, version=w.version, stage=w.stage, change=change)


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
        for c in _clusters(w).order_by("position", "id").values("pk", "board_id", "name", "position"):
            clusters.setdefault(c["board_id"], []).append(
                {"id": c["pk"], "name": c["name"], "position": c["position"], "cards": placements.get(c["pk"], [])})
        return {
            "version": w.version, "stage": w.stage, "votes_revealed": w.votes_revealed,
            "joining_open": w.joining_open and not w.join_code_expired(),
            "boards": [{"id": b.pk, "kind": b.kind, "name": b.name, "is_main": b.is_main,
                        "clusters": clusters.get(b.pk, [])} for b in w.boards.all()],
        }
