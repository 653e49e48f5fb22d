"""Card-call assistant: where does the next card belong?

During a card call the facilitator reads a card aloud and the room decides
which cluster on the wall it joins, or starts a new one. The assistant ranks
the clusters formed so far by how well the card fits and says "new cluster"
when nothing fits well. It uses the same geometry as the clusterer: the score
is the card's mean similarity to a cluster's cards after removing the
background direction, and a card "fits" when that is at least ``z`` standard
deviations above a typical pair of statements.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Hashable, Mapping, Sequence

import numpy as np

from goldenthread.engine.cluster import DEFAULT_Z, _unit, estimate_background
from goldenthread.engine.embed import Embedder, get_embedder
from goldenthread.engine.reference import REFERENCE_STATEMENTS


@dataclass(frozen=True)
class ClusterFit:
    """How well a card fits one cluster."""

    cluster: Hashable
    score: float        # mean similarity to the cluster's cards (centered cosine)
    fits: bool          # score >= threshold
    size: int


@dataclass
class CardSuggestion:
    """The assistant's answer for one card."""

    card: str
    ranked: list[ClusterFit]
    new_cluster: bool
    threshold: float
    seconds: float = 0.0
    best: Hashable | None = field(default=None)

    def __post_init__(self) -> None:
        if self.best is None and self.ranked and not self.new_cluster:
            self.best = self.ranked[0].cluster


class CardCallAssistant:
    """Rank existing clusters for the next card, or suggest a new cluster.

    Parameters
    ----------
    model : {"minilm", "fast", "hashing"} or embedder, default="minilm"
    z : float, default=1.0
        How far above a typical pair a card must be to fit a cluster.
    top : int, default=3
        How many clusters :meth:`suggest` returns.

    Examples
    --------
    >>> cc = CardCallAssistant(model="hashing")
    >>> cc.add("I see nobody all day", "lonely")
    >>> cc.add("Nobody visits me all day", "lonely")
    >>> cc.add("I love my garden", "garden")
    >>> s = cc.suggest("I see nobody all day long")
    >>> s.best, s.new_cluster
    ('lonely', False)
    """

    def __init__(self, model: "str | Embedder" = "minilm", z: float = DEFAULT_Z, top: int = 3) -> None:
        self.model = model
        self.z = z
        self.top = top
        self.embedder = get_embedder(model)
        self._ref = self.embedder.encode(list(REFERENCE_STATEMENTS))
        self._cache: dict[str, np.ndarray] = {}
        self._cards: list[tuple[str, Hashable]] = []
        self._bg = None

    # -- cards on the wall ------------------------------------------------------
    def _vec(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for t, v in zip(missing, self.embedder.encode(missing)):
                self._cache[t] = np.asarray(v, dtype=np.float64)
        return np.vstack([self._cache[t] for t in texts]) if texts else np.zeros((0, len(self._ref[0])))

    def add(self, card: str, cluster: Hashable) -> None:
        """Record that ``card`` was placed in ``cluster``."""
        self._vec([card])
        self._cards.append((card, cluster))
        self._bg = None

    def load(self, clusters: Mapping[Hashable, Sequence[str]]) -> "CardCallAssistant":
        """Add many placed cards at once: ``{cluster: [card, ...]}``."""
        texts = [t for ts in clusters.values() for t in ts]
        self._vec(texts)
        for c, ts in clusters.items():
            for t in ts:
                self._cards.append((t, c))
        self._bg = None
        return self

    def move(self, card: str, cluster: Hashable) -> None:
        """Move a placed card to another cluster."""
        self._cards = [(t, cluster if t == card else c) for t, c in self._cards]
        self._bg = None

    def _state(self):
        if self._bg is None:
            texts = [t for t, _ in self._cards]
            X = self._vec(texts) if texts else np.zeros((0, self._ref.shape[1]))
            # Canonical order so the answer does not depend on the order of calls.
            order = sorted(range(len(texts)), key=lambda i: texts[i])
            bg = estimate_background(X[order] if len(order) else X, self._ref)
            U = _unit(X - bg.center) if len(X) else X
            keys = sorted({c for _, c in self._cards}, key=lambda c: (str(type(c)), str(c)))
            idx = {c: i for i, c in enumerate(keys)}
            sums = np.zeros((len(keys), self._ref.shape[1]))
            counts = np.zeros(len(keys))
            for u, (_, c) in zip(U, self._cards):
                sums[idx[c]] += u
                counts[idx[c]] += 1
            self._bg = (bg, keys, sums, counts)
        return self._bg

    def suggest(self, card: str, top: int | None = None) -> CardSuggestion:
        """Rank clusters for ``card``; ``new_cluster`` is True when none fits."""
        t0 = time.perf_counter()
        bg, keys, sums, counts = self._state()
        thr = bg.threshold(self.z)
        u = _unit(self._vec([card])[0] - bg.center)
        if not keys:
            return CardSuggestion(card, [], True, thr, time.perf_counter() - t0)
        # Leave the card itself out if it is already on the wall.
        scores = []
        for i, c in enumerate(keys):
            s, n = sums[i], counts[i]
            scores.append(float(u @ s / n))
        order = sorted(range(len(keys)), key=lambda i: (-scores[i], str(keys[i])))
        k = top or self.top
        ranked = [ClusterFit(keys[i], round(scores[i], 4), scores[i] >= thr, int(counts[i]))
                  for i in order[:k]]
        return CardSuggestion(card, ranked, not ranked[0].fits, round(thr, 4),
                              time.perf_counter() - t0)
