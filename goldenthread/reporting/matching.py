"""Suggest which of this year's themes are last year's themes, for a person to confirm.

:func:`~goldenthread.core.themes.similarity` (the one adapter to the theme
engine) scores how alike two theme names are. Tests replace it with a fake.
:func:`suggest_matches` stores suggestions as ``ThemeMatch`` rows with status
"suggested"; nothing counts until a person confirms it on the matches page.
"""
from __future__ import annotations

from goldenthread.core.themes import similarity
from goldenthread.reporting.data import pick_workshop
from goldenthread.reporting.models import ThemeMatch
from goldenthread.workshops.models import BOARD_KINDS, Cluster


def suggest_matches(cycle, *, at_least: float = 0.3) -> int:
    """Suggest, for each named theme of this cycle's workshop, the most alike theme of the same kind last year."""
    if cycle.previous is None:
        return 0
    now_ws, before_ws = pick_workshop(cycle), pick_workshop(cycle.previous)
    if now_ws is None or before_ws is None:
        return 0
    made = 0
    for kind in BOARD_KINDS:
        now = list(Cluster.objects.in_workshop(now_ws).themes().filter(board__kind=kind))
        before = list(Cluster.objects.in_workshop(before_ws).themes().filter(board__kind=kind))
        if not now or not before:
            continue
        scores = similarity([c.name for c in now], [c.name for c in before])
        for cluster, row in zip(now, scores):
            best = max(range(len(before)), key=lambda i: row[i])
            if row[best] >= at_least:
                _m, created = ThemeMatch.objects.get_or_create(previous_cluster=before[best], cluster=cluster,
                                                               defaults={"score": round(row[best], 3)})
                made += created
    return made
