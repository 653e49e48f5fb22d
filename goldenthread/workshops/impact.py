"""What a change would lose: names, votes, reasons, success statements, actions, links and sharing-plan
lines, in plain words, so that a change which loses something is confirmed first
(see :func:`goldenthread.workshops.services.run` and :func:`~goldenthread.workshops.services.impact`).
"""
from __future__ import annotations

from django.db import transaction

from goldenthread.workshops.board import clusters_of
from goldenthread.workshops.models import Action, RootCause, SuccessStatement, Vote, Workshop

def valuables(w) -> dict:
    """Everything people named, voted on, wrote or planned in a workshop, keyed so two readings can be compared."""
    clusters = clusters_of(w)
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


def plural(n: int, one: str, many: str | None = None) -> str:
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
        parts.append(f"{plural(sum(gone_votes.values()), 'dot')} from {plural(people, 'person', 'people')} "
                     f"on {_quote(sorted(on))}")
    for key, one, many in (("causes", "reason (5 whys)", "reasons (5 whys)"),
                           ("success", "success statement", "success statements")):
        gone = [t for pk, t in before[key].items() if pk not in after[key]]
        if gone:
            parts.append(f"{plural(len(gone), one, many)}: {_quote(gone)}")
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
        parts.append(plural(len(cause_links), "link from an action to a reason", "links from actions to reasons"))
    gone_shares = [t for pk, t in before["shares"].items() if pk not in after["shares"]]
    if gone_shares:
        parts.append(f"the sharing plan line{'s' if len(gone_shares) > 1 else ''} for {_quote(gone_shares)}")
    if not parts:
        return ""
    return "This will remove " + "; ".join(parts) + ". Undo can bring them back."


#: Changes that can lose something people made: checked with :func:`~goldenthread.workshops.services.impact` first.
DESTRUCTIVE = {"undo_call", "undo_change", "redo", "merge_clusters", "split_cluster", "rename_cluster",
               "merge_boards", "adopt_board", "remove_cause", "remove_success", "remove_action", "remove_share",
               "remove_delegate"}


def would_lose(w, actor, func, data) -> str:
    """Make the change inside a savepoint, see what it loses, and roll it back. The caller holds the lock."""
    sid = transaction.savepoint()
    try:
        before = valuables(w)
        func(Workshop.objects.get(pk=w.pk), actor, **data)
        return _lost(before, valuables(w))
    finally:
        transaction.savepoint_rollback(sid)
