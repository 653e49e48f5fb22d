"""NumPy building blocks of the clusterer (no scikit-learn).

Unit vectors, group sums, the background estimate, average linkage with a
stopping threshold, minor themes joining bigger ones, and spherical k-means.
:mod:`goldenthread.engine.cluster` explains the method and builds the
estimator on them; they live here so that code which only *places*
statements (the batch pipeline's Dask workers) never imports scikit-learn.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Pairs sampled to estimate the background similarity distribution.
_BACKGROUND_SAMPLE = 1500


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    n[n == 0] = 1.0
    return x / n


def group_sum(labels: np.ndarray, V: np.ndarray, k: int | None = None) -> np.ndarray:
    """Row sums of ``V`` per label (fast replacement for ``np.add.at``)."""
    labels = np.asarray(labels).ravel()
    k = int(labels.max()) + 1 if k is None else int(k)
    out = np.zeros((k, V.shape[1]), dtype=np.result_type(V.dtype, np.float32))
    if len(labels) == 0:
        return out
    order = np.argsort(labels, kind="stable")
    sl = labels[order]
    starts = np.flatnonzero(np.r_[True, sl[1:] != sl[:-1]])
    out[sl[starts]] = np.add.reduceat(V[order], starts, axis=0)
    return out


def upgma(sums: np.ndarray, counts: np.ndarray, threshold: float,
          groups: np.ndarray | None = None) -> np.ndarray:
    """Average-linkage agglomeration on cosine similarity with a stopping threshold.

    Parameters
    ----------
    sums : ndarray of shape (m, d)
        Sum of the unit vectors in each starting item (a point, or a micro-cluster).
    counts : ndarray of shape (m,)
        Number of vectors summed in each item.
    threshold : float
        Merging stops when the best mean cross-pair similarity falls below it.
    groups : ndarray of shape (m,) of int, optional
        Cannot-link groups: items with different non-negative group numbers
        never end in the same cluster (``-1`` = free). Used for locked themes.

    Returns
    -------
    labels : ndarray of shape (m,)
        Cluster number per item (the lowest item index of each cluster).
    """
    m = len(counts)
    labels = np.arange(m)
    if m <= 1:
        return labels
    c = np.asarray(counts, dtype=np.float64).copy()
    s = np.asarray(sums, dtype=np.float64)
    S = (s @ s.T) / np.outer(c, c)
    # Mean over cross pairs excludes self pairs for an item with itself only.
    np.fill_diagonal(S, -np.inf)
    g = np.full(m, -1) if groups is None else np.asarray(groups).copy()
    if (g >= 0).any():
        both = (g[:, None] >= 0) & (g[None, :] >= 0) & (g[:, None] != g[None, :])
        S[both] = -np.inf
    active = np.ones(m, dtype=bool)
    rowarg = np.argmax(S, axis=1)
    rowmax = S[np.arange(m), rowarg]
    parent = np.arange(m)
    while True:
        i = int(np.argmax(rowmax))
        best = rowmax[i]
        if not np.isfinite(best) or best < threshold:
            break
        j = int(rowarg[i])
        a, b = (i, j) if i < j else (j, i)
        new = (c[a] * S[a] + c[b] * S[b]) / (c[a] + c[b])
        c[a] += c[b]
        if g[a] < 0:
            g[a] = g[b]
        active[b] = False
        parent[b] = a
        S[a, :] = new
        S[:, a] = new
        S[b, :] = -np.inf
        S[:, b] = -np.inf
        S[a, a] = -np.inf
        rowmax[b] = -np.inf
        ra = int(np.argmax(S[a]))
        rowarg[a], rowmax[a] = ra, S[a, ra]
        col = S[:, a]
        better = col > rowmax
        better[a] = False
        rowmax[better] = col[better]
        rowarg[better] = a
        stale = np.flatnonzero(active & ~better & ((rowarg == a) | (rowarg == b)))
        stale = stale[stale != a]
        if len(stale):
            sub = S[stale]
            args = np.argmax(sub, axis=1)
            rowarg[stale] = args
            rowmax[stale] = sub[np.arange(len(stale)), args]
    # Resolve parents to roots.
    for k in range(m):
        r = k
        while parent[r] != r:
            r = parent[r]
        labels[k] = r
    return labels


def absorb_minor(labels: np.ndarray, U: np.ndarray, row_group: np.ndarray,
                 min_size: float, threshold: float) -> tuple[np.ndarray, int]:
    """Merge each *minor* theme (fewer than ``min_size`` rows) into its best major theme.

    A minor theme moves as a whole, and only when the mean similarity over all
    its cross pairs with the major theme is at least ``threshold``; themes
    holding locked or seeded rows never move (they may receive). Returns the
    new labels and how many themes moved.
    """
    _, lab = np.unique(labels, return_inverse=True)
    lab = lab.ravel()
    k = int(lab.max()) + 1 if len(lab) else 0
    sizes = np.bincount(lab, minlength=k).astype(np.float64)
    fixed = np.zeros(k, dtype=bool)
    fixed[lab[row_group >= 0]] = True
    major = sizes >= min_size
    minor = np.flatnonzero(~major & ~fixed)
    big = np.flatnonzero(major)
    if not len(minor) or not len(big):
        return lab, 0
    sums = group_sum(lab, U, k)
    fit = (sums[minor] @ sums[big].T) / np.outer(sizes[minor], sizes[big])
    best = np.argmax(fit, axis=1)
    ok = fit[np.arange(len(minor)), best] >= threshold
    remap = np.arange(k)
    remap[minor[ok]] = big[best[ok]]
    return remap[lab], int(ok.sum())


@dataclass
class Background:
    """Where a typical statement sits, and how alike a typical pair is."""

    center: np.ndarray
    mean: float
    sd: float

    def threshold(self, z: float) -> float:
        return float(self.mean + z * self.sd)


def estimate_background(X: np.ndarray, reference: np.ndarray | None = None,
                        random_state: int = 0) -> Background:
    """Estimate the background direction and typical pair similarity.

    ``X`` and ``reference`` are unit rows; ``reference`` (a fixed, varied set of
    statements embedded with the same model) keeps the estimate sensible for
    tiny or one-topic inputs. Deterministic for a given ``X`` row order.
    """
    parts = [np.asarray(X, dtype=np.float64)]
    if reference is not None and len(reference):
        parts.append(np.asarray(reference, dtype=np.float64))
    B = np.vstack(parts)
    center = B.mean(axis=0)
    rng = np.random.default_rng(random_state)
    if len(B) > _BACKGROUND_SAMPLE:
        B = B[np.sort(rng.choice(len(B), _BACKGROUND_SAMPLE, replace=False))]
    U = _unit(B - center)
    S = U @ U.T
    iu = np.triu_indices(len(U), 1)
    vals = S[iu]
    if len(vals) == 0:
        return Background(center=center, mean=0.0, sd=0.0)
    return Background(center=center, mean=float(vals.mean()), sd=float(vals.std()))


def spherical_kmeans(V: np.ndarray, w: np.ndarray, k: int, random_state: int = 0,
                     n_iter: int = 3) -> np.ndarray:
    """Weighted spherical k-means (seeded, chunked, float32); returns labels ``0..k'-1``.

    >>> import numpy as np
    >>> V = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]])
    >>> spherical_kmeans(V, np.ones(4), k=2).tolist()
    [1, 1, 0, 0]
    """
    V32 = _unit(V).astype(np.float32)
    w32 = np.asarray(w, dtype=np.float32)
    k = min(int(k), len(V32))
    rng = np.random.default_rng(random_state)
    C = V32[np.sort(rng.choice(len(V32), k, replace=False))].copy()
    lab = np.zeros(len(V32), dtype=np.int64)
    chunk = 8192
    for it in range(n_iter + 1):
        for s0 in range(0, len(V32), chunk):
            lab[s0:s0 + chunk] = np.argmax(V32[s0:s0 + chunk] @ C.T, axis=1)
        if it == n_iter:
            break
        sums = group_sum(lab, V32 * w32[:, None], k).astype(np.float32)
        empty = np.linalg.norm(sums, axis=1) == 0
        sums[empty] = C[empty]
        C = _unit(sums).astype(np.float32)
    _, lab = np.unique(lab, return_inverse=True)
    return lab.ravel()
