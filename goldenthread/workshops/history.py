"""The workshop's one history: the change log, undo and redo.

Every board change, removal and edit writes a :class:`~goldenthread.workshops.models.Change` before it is
made (:func:`log_change`), keeping the board's layout or the rows it touches;
:func:`goldenthread.workshops.services.run` adds the state after it (:func:`state_after`). Undo and redo put
one side back, with the rows that hang on the board's clusters (votes, reasons, success statements, links
from actions).
"""
from __future__ import annotations

import contextvars
import datetime as dt

from django.db.models import Q

from goldenthread.workshops.fields import Actor, OpError
from goldenthread.workshops.models import (
    Action, Board, Change, Cluster, Decision, Placement, RootCause, ShareItem, SuccessStatement, Vote, Workshop,
)

def layout(board: Board, hanging: bool = True) -> dict:
    """A board as plain lists, kept in :class:`Change` so undo and redo can put it back.

    ``clusters`` and ``placements`` are the board's shape; the rest are the rows that hang on its
    clusters (votes, reasons, success statements, and the links from actions), so that undo brings
    those back too when a change had removed a cluster.
    """
    clusters = [[c.pk, c.name, c.position, c.what_works, c.stories, c.serial] for c in board.clusters.order_by("id")]
    return {"clusters": clusters,
            "placements": [[p.card_id, p.cluster_id, p.position, p.disputed]
                           for p in board.placements.order_by("card_id")],
            **(_hanging([c[0] for c in clusters]) if hanging else {})}


#: Board changes that can delete a cluster with rows hanging on it: their log keeps those rows as well.
#: (Other board changes never delete such a cluster, see ``_tidy`` in :mod:`~goldenthread.workshops.board`;
#: undo and redo record what hangs on the board at that moment, so even a change confirmed later can be put back.)
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


#: In a batch of changes (:func:`~goldenthread.workshops.services.run_many`): the board and its layout just after
#: the change before this one. The next change on that board starts from exactly that layout, so its "before"
#: is copied rather than read again.
last_layout: contextvars.ContextVar[tuple[int, dict] | None] = contextvars.ContextVar("last_layout", default=None)


def _copy(layout_: dict) -> dict:
    return {key: [list(row) for row in rows] for key, rows in layout_.items()}


def log_change(w: Workshop, actor: Actor, op: str, summary: str, board: Board | None = None,
         scope: dict | None = None) -> Change:
    """Log a change before it is made and return the log row (the operation returns it to
    :func:`~goldenthread.workshops.services.run`).

    A board change keeps the board's layout (``board``); a removal or edit keeps the rows it touches
    (``scope``). :func:`~goldenthread.workshops.services.run` adds the state after it, so the change can be
    undone and redone.
    """
    hanging = op in DELETES_CLUSTERS
    last = last_layout.get()
    if board and not hanging and last is not None and last[0] == board.pk:
        before = _copy(last[1])
    else:
        before = layout(board, hanging=hanging) if board else (_rows(w, scope) if scope else {})
    return Change.objects.create(workshop=w, board=board, op=op, summary=summary[:400], by=actor.label,
                                 before=before)


def state_after(w: Workshop, change: Change) -> dict:
    if change.board_id:
        return layout(change.board, hanging=False)
    if "scope" in change.before:
        return _rows(w, change.before["scope"])
    return {}


def _put_back(w: Workshop, change: Change, target: dict, expected: dict) -> None:
    """Make the workshop match ``target`` (a change's ``before`` for undo, ``after`` for redo)."""
    if change.board_id:
        board = change.board
        if _shape(layout(board)) != _shape(expected):
            raise OpError("The board has changed since then, so this cannot be done safely. "
                          "Please move the cards back by hand.")
        keep = [c[0] for c in target["clusters"]]
        board.placements.all().delete()
        board.clusters.exclude(pk__in=keep).delete()
        for pk, name, position, what_works, stories, *serial in target["clusters"]:
            # A cluster comes back with its own label ("Cluster C"); logs made before labels get a new one.
            Cluster.objects.update_or_create(pk=pk, defaults={
                "board": board, "name": name, "position": position, "what_works": what_works, "stories": stories,
                **({"serial": serial[0]} if serial and serial[0] else {})})
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


# --- undo and redo ------------------------------------------------------------------------------

def _decisions_of(change: Change) -> list[int]:
    """The card-call decisions a change made (one card call, or the cards of an accepted proposal)."""
    one = change.before.get("decision")
    return ([one] if one else []) + list(change.before.get("decisions", []))


def _last_done(w) -> Change | None:
    return w.changes.filter(undone=False).order_by("-id").first()


def next_redo(w) -> Change | None:
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
    change = next_redo(w)
    if change is None:
        raise OpError("There is nothing to redo.")
    _remember_hanging(change, "before")
    _put_back(w, change, change.after, change.before)
    Decision.objects.filter(pk__in=_decisions_of(change)).update(undone=False)
    change.undone = False
    change.save(update_fields=["undone"])
