"""Group statement embeddings into themes the way a workshop would.

The method, in one paragraph
----------------------------
Embeddings are unit vectors. We subtract the *background* direction (the mean
of the input plus a small built-in set of varied reference statements) and
re-normalise, which removes the component every sentence shares and makes
cosine similarity about *what* is said. Two statements are called "alike" when
their similarity is at least one standard deviation above the similarity of a
typical pair in the same background (``threshold_ = mean + z * sd`` with
``z = 1``); this is a property of the embedding's geometry, not of any
particular data set, and it adapts to each model. Themes are then formed by
average-linkage (UPGMA) agglomeration: two groups merge only while the mean
similarity over *all* their cross pairs stays above the threshold. No number of
themes is set by hand; a statement unlike every group never merges and stays a
single-statement theme, so nothing is dropped and there is no "-1" bucket.

Average linkage on cosine similarity can be computed exactly from group sums
(``mean sim(A, B) = sum_A . sum_B / (|A| |B|)``), so the same code runs on
points (small inputs) or on tight k-means micro-clusters (big inputs, the
second stage is exact on the micro-clusters), which keeps 100,000 statements
well under 2 GB.

Average linkage on thousands of statements leaves a long tail of tiny themes
(in one test 730 themes for 8,000 comments, most of one statement), which no
one can read. So a *minor* theme, one holding under 1 % of the statements,
joins the bigger theme it fits best if its mean similarity to it is at least
halfway from a typical pair to the "alike" threshold (``mean + z/2 * sd``).
A minor theme that fits no bigger theme even that well stays on its own: a
statement unlike all others is still a theme of its own. For inputs of under
100 statements no theme is minor, so workshop-sized boards are unaffected.

Facilitators' decisions are constraints: *locked* themes start pre-formed and
two locked themes never merge (new statements may join one when they fit);
*seed* themes from last cycle are matched first (a statement joins the seed it
fits best, if it fits at all) and only the rest form new themes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

#: How many standard deviations above a typical pair two statements must be
#: to count as alike. One SD is the conventional "clearly above typical" mark.
DEFAULT_Z = 1.0
#: A theme holding less than this share of the statements is *minor*: it joins
#: the bigger theme it fits best when it fits at least half as well as "alike"
#: requires (see ``ThemeClusterer``). Inputs under 100 statements are unaffected.
DEFAULT_MIN_SHARE = 0.01
#: Above this many distinct statements the engine first forms micro-clusters.
DEFAULT_MAX_ITEMS = 2500
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


class ThemeClusterer:
    """Cluster statement embeddings into themes, with no set number of themes.

    Parameters
    ----------
    z : float, default=1.0
        Statements are "alike" when their similarity is ``z`` standard
        deviations above a typical pair (see the module docstring).
    threshold : float or None, default=None
        Fix the similarity threshold directly instead of deriving it from ``z``.
    max_items : int, default=2500
        Above this many distinct statements, first form this many k-means
        micro-clusters, then agglomerate them exactly.
    min_share : float, default=0.01
        Themes holding less than this share of the statements may join the
        bigger theme they fit best at half the margin (see the module
        docstring). ``0`` turns this off.
    reference : ndarray of shape (r, d) or None
        Embeddings of varied reference statements used in the background
        estimate (see :func:`goldenthread.engine.reference.reference_statements`).
    random_state : int, default=0
        Seed for the background sample and the micro-clustering.

    Attributes
    ----------
    labels_ : ndarray of shape (n,)
        Theme number per input row (0..n_themes_-1, largest theme first;
        seeded themes keep their seed's position only through ``theme_keys_``).
    theme_keys_ : list
        For each theme number, the seed/locked key it came from, or ``None``.
    n_themes_ : int
    threshold_ : float
        The similarity threshold used.
    center_ : ndarray of shape (d,)
        The background direction removed before comparing.
    centroids_ : ndarray of shape (n_themes_, d)
        Sum of centered unit vectors per theme (use :meth:`transform`).
    counts_ : ndarray of shape (n_themes_,)

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(2, 16))
    >>> X = np.vstack([a + 0.1 * rng.normal(size=(5, 16)),
    ...                b + 0.1 * rng.normal(size=(5, 16)),
    ...                rng.normal(size=(1, 16))])
    >>> model = ThemeClusterer().fit(X)
    >>> model.n_themes_
    3
    >>> sorted(np.bincount(model.labels_).tolist())
    [1, 5, 5]
    """

    def __init__(self, z: float = DEFAULT_Z, threshold: float | None = None,
                 max_items: int = DEFAULT_MAX_ITEMS, min_share: float = DEFAULT_MIN_SHARE,
                 reference: np.ndarray | None = None, random_state: int = 0) -> None:
        self.z = z
        self.threshold = threshold
        self.max_items = max_items
        self.min_share = min_share
        self.reference = reference
        self.random_state = random_state

    # -- helpers -----------------------------------------------------------
    def _center(self, X: np.ndarray) -> np.ndarray:
        return _unit(_unit(X) - self.center_)

    def fit(self, X: np.ndarray, locked: Sequence[int] | None = None,
            seeds: Mapping[object, np.ndarray] | None = None,
            keys: Sequence[str] | None = None) -> "ThemeClusterer":
        """Find themes in ``X``.

        Parameters
        ----------
        X : ndarray of shape (n, d)
            Statement embeddings (any scale; rows are normalised).
        locked : sequence of length n, optional
            Locked theme key per row, or ``None``/``-1`` for a free row. Rows
            with the same key stay together; different keys never merge.
        seeds : mapping key -> ndarray of shape (k, d), optional
            Last cycle's themes, each given by its statements' embeddings (or
            one embedding of its name). Free rows are first matched to them.
        keys : sequence of str, optional
            A canonical sort key per row (e.g. the statement text). Rows are
            processed in this order, so results do not depend on input order.
            Defaults to the row bytes.
        """
        X = np.asarray(X, dtype=np.float64)
        n = len(X)
        if n == 0:
            self.labels_ = np.zeros(0, dtype=int)
            self.theme_keys_, self.n_themes_ = [], 0
            self.center_ = np.zeros(X.shape[1] if X.ndim == 2 else 0)
            self.threshold_ = float(self.threshold or 0.0)
            self.centroids_ = np.zeros((0, len(self.center_)))
            self.counts_ = np.zeros(0, dtype=int)
            return self
        U0 = _unit(X)
        # Canonical order: by key, then by the vector itself.
        if keys is None:
            keys = [row.tobytes().hex() for row in np.round(U0, 6).astype(np.float32)]
        order = sorted(range(n), key=lambda i: (str(keys[i]), U0[i].tobytes()))
        if len(keys) != n:
            raise ValueError("keys must have one entry per row")
        order = np.asarray(order, dtype=int)
        U0 = U0[order]
        lock = np.full(n, None, dtype=object)
        if locked is not None:
            lk = np.asarray(list(locked), dtype=object)[order]
            for i, k in enumerate(lk):
                if k is not None and not (isinstance(k, (int, np.integer)) and k == -1) \
                        and not (isinstance(k, str) and k == ""):
                    lock[i] = k

        bg = estimate_background(U0, self.reference, self.random_state)
        self.center_ = bg.center
        self.background_ = bg
        thr = float(self.threshold) if self.threshold is not None else bg.threshold(self.z)
        self.threshold_ = thr
        U = _unit(U0 - bg.center)

        # Distinct statements become items (duplicates share one item).
        # Same key = same statement (the caller passes the text as key).
        skeys = [str(keys[i]) for i in order]
        first_of: dict[str, int] = {}
        inv = np.array([first_of.setdefault(k, len(first_of)) for k in skeys], dtype=int)
        # Items must respect lock keys too: split duplicates by lock key.
        item_key = {}
        item_of = np.empty(n, dtype=int)
        for i in range(n):
            k = (int(inv[i]), None if lock[i] is None else repr(lock[i]))
            if k not in item_key:
                item_key[k] = len(item_key)
            item_of[i] = item_key[k]
        m = len(item_key)
        isum = group_sum(item_of, U, m)
        icount = np.bincount(item_of, minlength=m).astype(float)
        ilock = np.full(m, None, dtype=object)
        for i in range(n):
            if lock[i] is not None:
                ilock[item_of[i]] = lock[i]

        # Seed matching: free items join the seed they fit best, if it fits.
        seed_keys = list(seeds.keys()) if seeds else []
        if seed_keys:
            seed_sums = []
            for sk in seed_keys:
                V = _unit(_unit(np.atleast_2d(np.asarray(seeds[sk], dtype=np.float64))) - bg.center)
                seed_sums.append(V.sum(axis=0) / len(V))  # mean vector
            seed_mean = np.vstack(seed_sums)
            free = np.flatnonzero([ilock[j] is None for j in range(m)])
            if len(free):
                fit = (isum[free] / icount[free, None]) @ seed_mean.T
                best = np.argmax(fit, axis=1)
                ok = fit[np.arange(len(free)), best] >= thr
                for j, b, o in zip(free, best, ok):
                    if o:
                        ilock[j] = ("__seed__", seed_keys[b])
        # Rows keep using lock keys: a seed match acts as a lock for this run.
        # Group numbers for cannot-link.
        gkeys = sorted({repr(k) for k in ilock if k is not None})
        gnum = {k: i for i, k in enumerate(gkeys)}
        groups = np.array([-1 if k is None else gnum[repr(k)] for k in ilock])

        # Pre-merge items of the same group (locked/seeded themes start formed).
        if (groups >= 0).any():
            base = {}
            new_of_item = np.empty(m, dtype=int)
            for j in range(m):
                key = ("g", groups[j]) if groups[j] >= 0 else ("i", j)
                if key not in base:
                    base[key] = len(base)
                new_of_item[j] = base[key]
            m2 = len(base)
            s2 = group_sum(new_of_item, isum, m2)
            c2 = np.bincount(new_of_item, weights=icount, minlength=m2)
            g2 = np.full(m2, -1)
            g2[new_of_item] = groups
            item_of = new_of_item[item_of]
            isum, icount, groups = s2, c2, g2
            m = m2

        # Big inputs: micro-clusters of the free items first.
        free = np.flatnonzero(groups < 0)
        if len(free) > self.max_items:
            micro = self._micro(isum[free] / icount[free, None], icount[free])
            fixed = np.flatnonzero(groups >= 0)
            mapping = np.empty(m, dtype=int)
            mapping[fixed] = np.arange(len(fixed))
            mapping[free] = len(fixed) + micro
            m3 = len(fixed) + int(micro.max()) + 1
            s3 = group_sum(mapping, isum, m3)
            c3 = np.bincount(mapping, weights=icount, minlength=m3)
            g3 = np.full(m3, -1)
            g3[: len(fixed)] = groups[fixed]
            item_of = mapping[item_of]
            isum, icount, groups, m = s3, c3, g3, m3
            micro_used = True
        else:
            micro_used = False

        lab_item = upgma(isum, icount, thr, groups)
        lab = lab_item[item_of]

        if micro_used:
            # A statement unlike the rest of its theme leaves it (as the exact
            # method would have left it on its own).
            _, cl = np.unique(lab, return_inverse=True)
            csum = group_sum(cl, U)
            ccount = np.bincount(cl).astype(float)
            own = np.einsum("ij,ij->i", U, csum[cl]) - 1.0
            mean_sim = np.where(ccount[cl] > 1, own / np.maximum(ccount[cl] - 1, 1), np.inf)
            is_locked_row = groups[item_of] >= 0
            out = (mean_sim < thr) & ~is_locked_row
            lab = lab.copy()
            lab[out] = lab.max() + 1 + np.arange(out.sum())

        # Minor themes join the bigger theme they fit best, at half the margin.
        row_group = groups[item_of]
        self.absorbed_ = 0
        if self.min_share > 0:
            half = (thr + bg.mean) / 2  # halfway from a typical pair to "alike"
            lab, self.absorbed_ = absorb_minor(lab, U, row_group, self.min_share * n, half)

        # Theme keys (locked or seed) per cluster.
        # Number themes: biggest first, ties by first canonical row.
        _, first_idx, cl, sizes = np.unique(lab, return_index=True, return_inverse=True,
                                            return_counts=True)
        rank = sorted(range(len(sizes)), key=lambda t: (-sizes[t], first_idx[t]))
        renum = np.empty(len(sizes), dtype=int)
        renum[rank] = np.arange(len(sizes))
        canon_labels = renum[cl.ravel()]
        k = len(sizes)
        theme_keys: list = [None] * k
        for i in range(n):
            if row_group[i] >= 0:
                key = gkeys[row_group[i]]
                theme_keys[canon_labels[i]] = key
        # Map group repr keys back to the original key objects.
        back = {repr(x): x for x in ilock if x is not None}
        self.theme_keys_ = [None if t is None else back[t] for t in theme_keys]
        self.theme_keys_ = [t[1] if isinstance(t, tuple) and len(t) == 2 and t[0] == "__seed__"
                            else t for t in self.theme_keys_]
        self.seeded_ = [isinstance(back.get(t), tuple) if t is not None else False
                        for t in theme_keys]
        labels = np.empty(n, dtype=int)
        labels[order] = canon_labels
        self.labels_ = labels
        self.n_themes_ = k
        cent = group_sum(canon_labels, U, k)
        self.centroids_ = cent
        self.counts_ = np.bincount(canon_labels, minlength=k)
        self.micro_clustered_ = micro_used
        return self

    def _micro(self, V: np.ndarray, w: np.ndarray, n_iter: int = 3) -> np.ndarray:
        """Spherical k-means into ``max_items`` tight micro-clusters (seeded, chunked)."""
        V32 = _unit(V).astype(np.float32)
        w32 = np.asarray(w, dtype=np.float32)
        k = min(self.max_items, len(V32))
        rng = np.random.default_rng(self.random_state)
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

    def fit_predict(self, X: np.ndarray, **kwargs) -> np.ndarray:
        """Fit and return :attr:`labels_`."""
        return self.fit(X, **kwargs).labels_

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Mean similarity of each row of ``X`` to the members of each theme.

        Returns an array of shape (n, n_themes_); a value at or above
        :attr:`threshold_` means the statement fits that theme.
        """
        U = self._center(np.atleast_2d(X))
        return (U @ self.centroids_.T) / np.maximum(self.counts_, 1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Best-fitting theme per row, or ``-1`` where no theme fits (a new theme)."""
        sims = self.transform(X)
        if sims.shape[1] == 0:
            return np.full(len(sims), -1)
        best = np.argmax(sims, axis=1)
        ok = sims[np.arange(len(sims)), best] >= self.threshold_
        return np.where(ok, best, -1)
