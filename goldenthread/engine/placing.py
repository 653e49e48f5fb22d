"""Sampling and placing statements: the NumPy-only half of the scalable clusterer.

See :mod:`goldenthread.engine.scaling` for the method. These functions need
only NumPy, so the batch pipeline's Dask workers use them without importing
scikit-learn: a worker gets a :class:`ThemeGeometry` (the fitted clusterer's
background direction, theme centres and threshold), not the estimator.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from goldenthread.engine.vectors import Background, _unit, group_sum

if TYPE_CHECKING:  # pragma: no cover
    from goldenthread.engine.cluster import ThemeClusterer

#: Rows placed per matrix product (bounds memory: chunk x themes floats).
_CHUNK = 65536


@dataclass
class ThemeGeometry:
    """What placing needs from a fitted clusterer, without scikit-learn.

    Attributes mirror :class:`~goldenthread.engine.cluster.ThemeClusterer`'s:
    ``center_``, ``centroids_`` (mean centred vector per theme), ``threshold_``,
    ``background_``, ``n_features_in_``.

    >>> import numpy as np
    >>> from goldenthread.engine.cluster import ThemeClusterer
    >>> m = ThemeClusterer().fit(np.eye(3)[[0, 0, 1, 1, 2]])
    >>> g = ThemeGeometry.of(m)
    >>> bool(np.allclose(g.center_rows(np.eye(3)), m.center_rows(np.eye(3))))
    True
    """

    center_: np.ndarray
    centroids_: np.ndarray
    threshold_: float
    background_: Background
    n_features_in_: int

    @classmethod
    def of(cls, model) -> "ThemeGeometry":
        return cls(center_=model.center_, centroids_=model.centroids_, threshold_=model.threshold_,
                   background_=model.background_, n_features_in_=model.n_features_in_)

    def center_rows(self, X) -> np.ndarray:
        """Rows as unit vectors with the background removed, re-normalised."""
        return _unit(_unit(np.atleast_2d(np.asarray(X, dtype=np.float64))) - self.center_)


def text_hashes(keys: Sequence[str]) -> np.ndarray:
    """A stable 64-bit hash of each key (same on every machine and process).

    >>> h = text_hashes(["I like my job", "I like my job", "I miss my dog"])
    >>> h.dtype.name, bool(h[0] == h[1]), bool(h[0] == h[2])
    ('uint64', True, False)
    """
    return np.fromiter((int.from_bytes(hashlib.blake2b(str(k).encode("utf-8"), digest_size=8)
                                       .digest(), "little") for k in keys),
                       dtype=np.uint64, count=len(keys))


def sample_cut(hashes: np.ndarray, sample_size: int) -> int:
    """The largest hash in the sample: rows with ``hash <= cut`` are sampled.

    ``hashes`` may hold one entry per row or per distinct statement (from
    several partitions, concatenated); duplicates count once, so the sample
    holds ``sample_size`` distinct statements (all of them if fewer).

    >>> sample_cut(np.array([5, 1, 1, 9, 3], dtype=np.uint64), 2)
    3
    """
    u = np.unique(np.asarray(hashes, dtype=np.uint64))
    if len(u) <= sample_size:
        return int(np.iinfo(np.uint64).max)
    return int(u[sample_size - 1])


@dataclass
class Placement:
    """Step 3 on one chunk of rows.

    Attributes
    ----------
    theme : ndarray of shape (n,)
        The sampled theme each row joined, or ``-1`` (fits none: a leftover).
    similarity : ndarray of shape (n,)
        Mean similarity to the best theme's statements.
    sums : ndarray of shape (n_themes, d)
        Sum of the centred unit vectors of the rows that joined each theme.
    counts : ndarray of shape (n_themes,)
        How many rows joined each theme.
    """

    theme: np.ndarray
    similarity: np.ndarray
    sums: np.ndarray
    counts: np.ndarray


def place_rows(model: "ThemeClusterer | ThemeGeometry", X: np.ndarray, chunk: int = _CHUNK) -> Placement:
    """Step 3: each row joins its best theme of ``model`` if it clears ``threshold_``.

    ``model`` is a fitted :class:`~goldenthread.engine.cluster.ThemeClusterer`
    or its :class:`ThemeGeometry` (what Dask workers get).

    >>> import numpy as np
    >>> from goldenthread.engine.cluster import ThemeClusterer
    >>> X = np.eye(3)[[0, 0, 0, 1, 1, 1]] + 0.01
    >>> m = ThemeClusterer().fit(X)
    >>> p = place_rows(m, np.eye(3)[[0, 1, 2]])
    >>> p.theme.tolist() == [m.labels_[0], m.labels_[3], -1], p.counts.tolist()
    (True, [1, 1])
    """
    X = np.asarray(X)
    k, d = model.centroids_.shape
    n = len(X)
    theme = np.full(n, -1, dtype=np.int64)
    sim = np.zeros(n, dtype=np.float32)
    sums = np.zeros((k, d), dtype=np.float64)
    counts = np.zeros(k, dtype=np.int64)
    C = model.centroids_.astype(np.float32)
    for s in range(0, n, chunk):
        U = model.center_rows(X[s:s + chunk]).astype(np.float32)
        if k == 0:
            continue
        S = U @ C.T
        best = np.argmax(S, axis=1)
        bs = S[np.arange(len(S)), best]
        ok = bs >= model.threshold_
        theme[s:s + chunk] = np.where(ok, best, -1)
        sim[s:s + chunk] = bs
        if ok.any():
            sums += group_sum(best[ok], U[ok].astype(np.float64), k)
            counts += np.bincount(best[ok], minlength=k)
    return Placement(theme=theme, similarity=sim, sums=sums, counts=counts)
