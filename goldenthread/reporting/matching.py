"""Suggest which of this year's themes are last year's themes, for a person to confirm.

:func:`similarity` is the one place that asks the theme engine: it tries
``goldenthread.engine`` embeddings and falls back to word overlap when the
engine is not installed or fails. Tests replace it with a fake.
:func:`suggest_matches` stores suggestions as ``ThemeMatch`` rows with status
"suggested"; nothing counts until a person confirms it on the matches page.
"""
from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)
STOP = {"i", "my", "me", "the", "a", "to", "and", "of", "we", "our", "is", "it", "in", "on", "at", "for", "can't",
        "don't", "not", "do", "get", "be"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z']+", text.lower()) if w not in STOP}


def similarity(a: list[str], b: list[str]) -> list[list[float]]:
    """How alike each name in ``a`` is to each name in ``b``, from 0 to 1."""
    try:
        from goldenthread.engine.embed import get_embedder

        vectors = get_embedder().encode(a + b)
        import numpy as np

        v = np.asarray(vectors, dtype=float)
        v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
        return (v[: len(a)] @ v[len(a):].T).clip(0, 1).tolist()
    except Exception:  # the engine is optional: fall back to word overlap
        log.info("theme engine not available; matching themes by word overlap")
    out = []
    for x in a:
        wx = _words(x)
        out.append([len(wx & _words(y)) / max(len(wx | _words(y)), 1) for y in b])
    return out


def suggest_matches(cycle, *, at_least: float = 0.3) -> int:
    """Suggest, for each named theme of this cycle's workshop, the most alike theme of the same kind last year."""
    from goldenthread.reports.data import pick_workshop
    from goldenthread.store.reports import ThemeMatch
    from goldenthread.store.workshop import Cluster

    if cycle.previous is None:
        return 0
    now_ws, before_ws = pick_workshop(cycle), pick_workshop(cycle.previous)
    if now_ws is None or before_ws is None:
        return 0
    made = 0
    for kind in ("working", "not_working", "future"):
        now = list(Cluster.objects.filter(board__workshop=now_ws, board__is_main=True, board__kind=kind, name__gt=""))
        before = list(Cluster.objects.filter(board__workshop=before_ws, board__is_main=True, board__kind=kind,
                                             name__gt=""))
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
