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
from numbers import Integral, Real
from typing import Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

# The NumPy building blocks live in vectors.py (no scikit-learn, so Dask
# workers placing statements start fast); they are re-exported here.
from goldenthread.engine.vectors import (_BACKGROUND_SAMPLE, Background, _unit,  # noqa: F401
                                         absorb_minor, estimate_background, group_sum,
                                         spherical_kmeans, upgma)

#: How many standard deviations above a typical pair two statements must be
#: to count as alike. One SD is the conventional "clearly above typical" mark.
DEFAULT_Z = 1.0
#: A theme holding less than this share of the statements is *minor*: it joins
#: the bigger theme it fits best when it fits at least half as well as "alike"
#: requires (see ``ThemeClusterer``). Inputs under 100 statements are unaffected.
DEFAULT_MIN_SHARE = 0.01
#: Above this many distinct statements the engine first forms micro-clusters.
DEFAULT_MAX_ITEMS = 2500
@dataclass
class _Items:
    """Working state of one fit: the starting items of the agglomeration.

    ``item_of[i]`` is the item of canonical row ``i``; ``sums``/``counts`` the
    sum of the centred unit vectors in each item and how many rows it holds;
    ``groups`` the cannot-link group of each item (``-1`` = free).
    """

    item_of: np.ndarray
    sums: np.ndarray
    counts: np.ndarray
    groups: np.ndarray

    def regroup(self, mapping: np.ndarray, m: int, groups: np.ndarray) -> None:
        """Merge items: item ``j`` becomes new item ``mapping[j]`` (of ``m``)."""
        self.sums = group_sum(mapping, self.sums, m)
        self.counts = np.bincount(mapping, weights=self.counts, minlength=m)
        self.groups = groups
        self.item_of = mapping[self.item_of]


def _is_free(key: object) -> bool:
    """``None``, ``-1`` and ``""`` mark a free (not locked) row."""
    return (key is None or (isinstance(key, (int, np.integer)) and key == -1)
            or (isinstance(key, str) and key == ""))


class ThemeClusterer(TransformerMixin, ClusterMixin, BaseEstimator):
    """Cluster statement embeddings into themes, with no set number of themes.

    The method is described in the module docstring: background removed,
    threshold ``mean + z * sd`` of a typical pair, average linkage that stops
    at the threshold, micro-clusters first for big inputs, minor themes
    joining a bigger one, locked and seeded themes as constraints.

    Parameters
    ----------
    z : float, default=1.0
        Statements are "alike" when their similarity is ``z`` standard
        deviations above a typical pair (see the module docstring).
    threshold : float or None, default=None
        Fix the similarity threshold directly instead of deriving it from ``z``.
    max_items : int, default=2500
        Above this many distinct free statements, first form this many k-means
        micro-clusters, then agglomerate them exactly.
    min_share : float, default=0.01
        Themes holding less than this share of the statements may join the
        bigger theme they fit best at half the margin (see the module
        docstring). ``0`` turns this off.
    reference : array-like of shape (r, d) or None, default=None
        Embeddings of varied reference statements used in the background
        estimate (see :mod:`goldenthread.engine.reference`), made with the
        same model as ``X``.
    random_state : int, default=0
        Seed for the background sample and the micro-clustering.

    All parameters are keyword-only and checked when :meth:`fit` is called
    (``InvalidParameterError``, a ``ValueError``, names the bad one).

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Theme number of each input row: ``0 .. n_themes_ - 1``, largest theme
        first (ties: the theme whose first statement sorts first). Never -1.
    n_themes_ : int
        Number of themes found.
    n_features_in_ : int
        Number of embedding dimensions seen in :meth:`fit`.
    threshold_ : float
        The similarity threshold used ("alike" at or above it).
    background_ : Background
        The background estimate: direction, mean and sd of a typical pair.
    center_ : ndarray of shape (n_features_in_,)
        The background direction removed before comparing (``background_.center``).
    centroids_ : ndarray of shape (n_themes_, n_features_in_)
        Mean of each theme's centred unit vectors. A row's dot product with
        a centroid is its mean similarity to the theme's statements
        (:meth:`transform`).
    counts_ : ndarray of shape (n_themes_,)
        Number of input rows in each theme.
    theme_keys_ : list of length n_themes_
        For each theme, the locked key or seed key it came from, or ``None``.
    seeded_ : list of bool of length n_themes_
        Whether each theme grew from a seed (``theme_keys_`` is then the seed key).
    micro_clustered_ : bool
        Whether k-means micro-clusters were formed first (big inputs).
    absorbed_ : int
        Number of minor themes that joined a bigger theme.

    See Also
    --------
    goldenthread.engine.scaling.ScalableThemeClusterer :
        The same method on a sample, then every row placed by nearest theme;
        near-linear for millions of statements.

    Examples
    --------
    Two tight groups of five and one stray point give three themes:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(2, 16))
    >>> X = np.vstack([a + 0.1 * rng.normal(size=(5, 16)),
    ...                b + 0.1 * rng.normal(size=(5, 16)),
    ...                rng.normal(size=(1, 16))])
    >>> model = ThemeClusterer().fit(X)
    >>> model.n_themes_, model.n_features_in_
    (3, 16)
    >>> sorted(np.bincount(model.labels_).tolist())
    [1, 5, 5]

    A new statement near ``a`` fits the theme of the first five rows; one
    unlike everything would start a new theme (``-1``):

    >>> model.predict(a[None, :]).tolist() == [model.labels_[0]]
    True
    >>> ThemeClusterer(z=-1).fit(X).n_themes_ < 3     # a looser threshold merges more
    True
    >>> ThemeClusterer(min_share=2).fit(X)
    Traceback (most recent call last):
    ...
    sklearn.utils._param_validation.InvalidParameterError: The 'min_share' parameter of ThemeClusterer must be a float in the range [0.0, 1.0]. Got 2 instead.
    """

    _parameter_constraints: dict = {
        "z": [Interval(Real, None, None, closed="neither")],
        "threshold": [Interval(Real, -1, 1, closed="both"), None],
        "max_items": [Interval(Integral, 2, None, closed="left")],
        "min_share": [Interval(Real, 0, 1, closed="both")],
        "reference": ["array-like", None],
        "random_state": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, *, z: float = DEFAULT_Z, threshold: float | None = None,
                 max_items: int = DEFAULT_MAX_ITEMS, min_share: float = DEFAULT_MIN_SHARE,
                 reference: np.ndarray | None = None, random_state: int = 0) -> None:
        self.z = z
        self.threshold = threshold
        self.max_items = max_items
        self.min_share = min_share
        self.reference = reference
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        return tags

    # -- public API -------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, *, locked: Sequence[object] | None = None,
            seeds: Mapping[object, np.ndarray] | None = None,
            keys: Sequence[str] | None = None) -> "ThemeClusterer":
        """Find themes in ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Statement embeddings (any scale; rows are normalised). At least
            one row; no NaN or infinity (``ValueError``).
        y : ignored
            Present for scikit-learn compatibility.
        locked : sequence of length n_samples, optional
            Locked theme key per row, or ``None``/``-1``/``""`` for a free
            row. Rows with the same key stay together; different keys never merge.
        seeds : mapping key -> ndarray of shape (k, n_features), optional
            Last cycle's themes, each given by its statements' embeddings (or
            one embedding of its name). Free rows are first matched to them.
        keys : sequence of str, optional
            A canonical sort key per row (e.g. the statement text). Rows are
            processed in this order, so results do not depend on input order,
            and rows with the same key are one statement. Defaults to the
            rounded row bytes.

        Returns
        -------
        self : ThemeClusterer
            The fitted clusterer.
        """
        X = validate_data(self, X, dtype=np.float64)
        n = len(X)
        U0 = _unit(X)
        order, skeys = self._canonical_order(U0, keys)
        U0 = U0[order]
        lock = self._lock_per_row(locked, order, n)
        bg = self._fit_background(U0)
        U = _unit(U0 - bg.center)
        items, ilock = self._distinct_items(U, skeys, lock)
        self._match_seeds(seeds, items, ilock)
        gkeys = self._cannot_link(items, ilock)
        self._premerge_groups(items)
        self.micro_clustered_ = self._micro_cluster_stage(items)
        lab = upgma(items.sums, items.counts, self.threshold_, items.groups)[items.item_of]
        row_group = items.groups[items.item_of]
        if self.micro_clustered_:
            lab = self._release_outliers(lab, U, row_group)
        lab = self._absorb_minor_themes(lab, U, row_group, n)
        self._number_themes(lab, U, order, row_group, gkeys, ilock)
        return self

    def fit_predict(self, X, y=None, **kwargs) -> np.ndarray:
        """Fit and return :attr:`labels_` (``locked``, ``seeds``, ``keys`` as in :meth:`fit`).

        >>> import numpy as np
        >>> labels = ThemeClusterer().fit_predict(np.eye(3)[[0, 0, 1, 1, 2]])
        >>> bool(labels[0] == labels[1]), bool(labels[1] == labels[2]), len(set(labels))
        (True, False, 3)
        """
        return super().fit_predict(X, y, **kwargs)

    def transform(self, X) -> np.ndarray:
        """Mean similarity of each row of ``X`` to the statements of each theme.

        Returns an array of shape (n_samples, n_themes_); a value at or above
        :attr:`threshold_` means the statement fits that theme.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False, ensure_min_samples=0)
        return self.center_rows(X) @ self.centroids_.T

    def predict(self, X) -> np.ndarray:
        """Best-fitting theme per row, or ``-1`` where no theme fits (a new theme)."""
        sims = self.transform(X)
        if sims.shape[1] == 0:
            return np.full(len(sims), -1)
        best = np.argmax(sims, axis=1)
        ok = sims[np.arange(len(sims)), best] >= self.threshold_
        return np.where(ok, best, -1)

    def center_rows(self, X) -> np.ndarray:
        """Rows of ``X`` as unit vectors with the fitted background removed, re-normalised."""
        return _unit(_unit(np.atleast_2d(np.asarray(X, dtype=np.float64))) - self.center_)

    #: Old private name kept for callers (``ThemeEngine``).
    _center = center_rows

    # -- fit stages, in order ---------------------------------------------
    @staticmethod
    def _canonical_order(U0: np.ndarray, keys: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
        """Stage 1: sort rows by key, then by vector, so input order never matters."""
        n = len(U0)
        if keys is None:
            keys = [row.tobytes().hex() for row in np.round(U0, 6).astype(np.float32)]
        if len(keys) != n:
            raise ValueError(f"keys must have one entry per row: got {len(keys)} for {n} rows")
        order = np.asarray(sorted(range(n), key=lambda i: (str(keys[i]), U0[i].tobytes())), dtype=int)
        return order, [str(keys[i]) for i in order]

    @staticmethod
    def _lock_per_row(locked, order: np.ndarray, n: int) -> np.ndarray:
        """Locked key per canonical row (``None`` = free)."""
        lock = np.full(n, None, dtype=object)
        if locked is not None:
            lk = np.asarray(list(locked), dtype=object)
            if len(lk) != n:
                raise ValueError(f"locked must have one entry per row: got {len(lk)} for {n} rows")
            for i, k in enumerate(lk[order]):
                if not _is_free(k):
                    lock[i] = k
        return lock

    def _fit_background(self, U0: np.ndarray) -> Background:
        """Stage 2-3: background direction and the "alike" threshold."""
        ref = None if self.reference is None else np.asarray(self.reference, dtype=np.float64)
        bg = estimate_background(U0, ref, self.random_state)
        self.background_ = bg
        self.center_ = bg.center
        self.threshold_ = float(self.threshold) if self.threshold is not None else bg.threshold(self.z)
        return bg

    @staticmethod
    def _distinct_items(U: np.ndarray, skeys: list[str], lock: np.ndarray) -> tuple[_Items, np.ndarray]:
        """Identical statements (same key and same lock) become one item."""
        n = len(U)
        first_of: dict[str, int] = {}
        inv = [first_of.setdefault(k, len(first_of)) for k in skeys]
        item_key: dict[tuple, int] = {}
        item_of = np.empty(n, dtype=int)
        for i in range(n):
            k = (inv[i], None if lock[i] is None else repr(lock[i]))
            item_of[i] = item_key.setdefault(k, len(item_key))
        m = len(item_key)
        ilock = np.full(m, None, dtype=object)
        for i in range(n):
            if lock[i] is not None:
                ilock[item_of[i]] = lock[i]
        items = _Items(item_of=item_of, sums=group_sum(item_of, U, m),
                       counts=np.bincount(item_of, minlength=m).astype(float),
                       groups=np.full(m, -1))
        return items, ilock

    def _match_seeds(self, seeds, items: _Items, ilock: np.ndarray) -> None:
        """Stage 7a: a free item joins the seed it fits best, if it clears the threshold."""
        seed_keys = list(seeds.keys()) if seeds else []
        if not seed_keys:
            return
        seed_mean = []
        for sk in seed_keys:
            V = _unit(_unit(np.atleast_2d(np.asarray(seeds[sk], dtype=np.float64))) - self.center_)
            seed_mean.append(V.sum(axis=0) / len(V))
        seed_mean = np.vstack(seed_mean)
        free = np.flatnonzero([k is None for k in ilock])
        if not len(free):
            return
        fit = (items.sums[free] / items.counts[free, None]) @ seed_mean.T
        best = np.argmax(fit, axis=1)
        ok = fit[np.arange(len(free)), best] >= self.threshold_
        for j, b, o in zip(free, best, ok):
            if o:
                ilock[j] = ("__seed__", seed_keys[b])

    @staticmethod
    def _cannot_link(items: _Items, ilock: np.ndarray) -> list[str]:
        """Number the locked/seeded keys; different numbers never merge."""
        gkeys = sorted({repr(k) for k in ilock if k is not None})
        gnum = {k: i for i, k in enumerate(gkeys)}
        items.groups = np.array([-1 if k is None else gnum[repr(k)] for k in ilock])
        return gkeys

    @staticmethod
    def _premerge_groups(items: _Items) -> None:
        """Stage 7b: locked and seeded themes start formed (one item each)."""
        groups = items.groups
        if not (groups >= 0).any():
            return
        base: dict[tuple, int] = {}
        mapping = np.empty(len(groups), dtype=int)
        for j, g in enumerate(groups):
            key = ("g", g) if g >= 0 else ("i", j)
            mapping[j] = base.setdefault(key, len(base))
        g2 = np.full(len(base), -1)
        g2[mapping] = groups
        items.regroup(mapping, len(base), g2)

    def _micro_cluster_stage(self, items: _Items) -> bool:
        """Stage 5: above ``max_items`` free items, k-means micro-clusters replace them."""
        groups = items.groups
        free = np.flatnonzero(groups < 0)
        if len(free) <= self.max_items:
            return False
        micro = spherical_kmeans(items.sums[free] / items.counts[free, None], items.counts[free],
                                 self.max_items, self.random_state)
        fixed = np.flatnonzero(groups >= 0)
        mapping = np.empty(len(groups), dtype=int)
        mapping[fixed] = np.arange(len(fixed))
        mapping[free] = len(fixed) + micro
        m = len(fixed) + int(micro.max()) + 1
        g3 = np.full(m, -1)
        g3[: len(fixed)] = groups[fixed]
        items.regroup(mapping, m, g3)
        return True

    def _release_outliers(self, lab: np.ndarray, U: np.ndarray, row_group: np.ndarray) -> np.ndarray:
        """After micro-clustering, a free row unlike the rest of its theme stands alone."""
        _, cl = np.unique(lab, return_inverse=True)
        csum = group_sum(cl, U)
        ccount = np.bincount(cl).astype(float)
        own = np.einsum("ij,ij->i", U, csum[cl]) - 1.0
        mean_sim = np.where(ccount[cl] > 1, own / np.maximum(ccount[cl] - 1, 1), np.inf)
        out = (mean_sim < self.threshold_) & ~(row_group >= 0)
        lab = lab.copy()
        lab[out] = lab.max() + 1 + np.arange(out.sum())
        return lab

    def _absorb_minor_themes(self, lab: np.ndarray, U: np.ndarray, row_group: np.ndarray,
                             n: int) -> np.ndarray:
        """Stage 6: minor themes join the bigger theme they fit best, at half the margin."""
        self.absorbed_ = 0
        if self.min_share > 0:
            half = (self.threshold_ + self.background_.mean) / 2
            lab, self.absorbed_ = absorb_minor(lab, U, row_group, self.min_share * n, half)
        return lab

    def _number_themes(self, lab: np.ndarray, U: np.ndarray, order: np.ndarray,
                       row_group: np.ndarray, gkeys: list[str], ilock: np.ndarray) -> None:
        """Number themes largest first, map back to input order, set fitted attributes."""
        n = len(lab)
        _, first_idx, cl, sizes = np.unique(lab, return_index=True, return_inverse=True,
                                            return_counts=True)
        rank = sorted(range(len(sizes)), key=lambda t: (-sizes[t], first_idx[t]))
        renum = np.empty(len(sizes), dtype=int)
        renum[rank] = np.arange(len(sizes))
        canon = renum[cl.ravel()]
        k = len(sizes)
        theme_keys: list = [None] * k
        for i in np.flatnonzero(row_group >= 0):
            theme_keys[canon[i]] = gkeys[row_group[i]]
        back = {repr(x): x for x in ilock if x is not None}
        self.seeded_ = [t is not None and isinstance(back.get(t), tuple) for t in theme_keys]
        keys_ = [None if t is None else back[t] for t in theme_keys]
        self.theme_keys_ = [t[1] if isinstance(t, tuple) and len(t) == 2 and t[0] == "__seed__"
                            else t for t in keys_]
        labels = np.empty(n, dtype=int)
        labels[order] = canon
        self.labels_ = labels
        self.n_themes_ = k
        self.counts_ = np.bincount(canon, minlength=k)
        self.centroids_ = group_sum(canon, U, k) / np.maximum(self.counts_, 1)[:, None]
