"""Themes for millions of statements: fit on a sample, place the rest.

:class:`~goldenthread.engine.cluster.ThemeClusterer` is exact average linkage
on at most ``max_items`` items, after a k-means pass over *every* statement;
that k-means pass is what grows with the input (about n x 2,500 x d work per
iteration). Above a few hundred thousand statements it dominates. This module
keeps the same method but makes the work near-linear:

1. **Sample.** The distinct statements whose text hash is smallest form the
   sample (``sample_size``, default 20,000). A hash sample is a fair random
   sample, is the same whatever the input order or partitioning, and can be
   drawn partition by partition without holding everything in memory.
2. **Fit on the sample** with :class:`ThemeClusterer` (background, threshold,
   average linkage, minor themes joining bigger ones).
3. **Place every statement** by its nearest theme: its mean similarity to
   each theme's statements (``ThemeClusterer.transform``). A statement
   joins its best theme when that clears the theme's "alike" threshold.
   This is one matrix product per chunk or partition (n x themes x d),
   embarrassingly parallel.
4. **Leftovers**, the statements that fit no sampled theme (rare ideas the
   sample missed), are themed among themselves by the same method (fit on a
   hash sample of them if there are more than ``sample_size``, the rest placed
   by nearest leftover theme), so a rare idea still gets a theme of its own
   rather than being forced into the nearest big one.
5. **Minor themes join a bigger one**, as in the exact method, now counted on
   the whole input: a theme holding under ``min_share`` of all statements
   joins the bigger theme it fits best when its mean cross-pair similarity is
   at least halfway from a typical pair to "alike".

Every statement gets exactly one theme; numbers are largest first.

Steps 3 and 5 only need per-theme sums of centred vectors, so the batch
pipeline (:mod:`goldenthread.engine.batch`) runs step 3 on Dask, one
partition at a time, with :func:`place_rows`, and steps 4-5 with
:func:`finish_themes`. :class:`ScalableThemeClusterer` runs the same steps in
memory. Its agreement with clustering everything at once is measured by
``benchmarks/scale_quality.py`` (docs/engine.md).

Known themes (:class:`KnownThemes`): a labelled table of statements (text and
theme) can place statements *before* any clustering, by the same rule: a
statement joins the known theme it fits best when its mean similarity to that
theme's statements clears the threshold.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from goldenthread.engine.cluster import (DEFAULT_MAX_ITEMS, DEFAULT_MIN_SHARE, DEFAULT_Z,
                                         ThemeClusterer, _unit, estimate_background, group_sum)
# Sampling and placing need only NumPy (Dask workers import them without scikit-learn).
from goldenthread.engine.placing import (_CHUNK, Placement, ThemeGeometry,  # noqa: F401
                                         place_rows, sample_cut, text_hashes)

#: Distinct statements fitted exactly; the rest are placed by nearest theme.
DEFAULT_SAMPLE_SIZE = 20000


@dataclass
class FinishedThemes:
    """Steps 4-5: the final themes.

    Attributes
    ----------
    leftover_theme : ndarray of shape (n_left,)
        For each leftover row, its theme before numbering (``n_sampled + j``).
    final : ndarray of shape (n_sampled + n_leftover_themes,)
        Final theme number (largest first) of every theme before numbering:
        a row placed in sampled theme ``t`` ends in ``final[t]``, a leftover
        row in ``final[leftover_theme[i]]``.
    centroids : ndarray of shape (n_themes, d)
        Mean centred vector of each final theme (in the sample model's geometry).
    counts : ndarray of shape (n_themes,)
    absorbed : int
        Themes that joined a bigger one in step 5.
    n_leftover_themes : int
    """

    leftover_theme: np.ndarray
    final: np.ndarray
    centroids: np.ndarray
    counts: np.ndarray
    absorbed: int
    n_leftover_themes: int


def finish_themes(model: ThemeClusterer, sums: np.ndarray, counts: np.ndarray,
                  left_X: np.ndarray, left_keys: Sequence[str], n_total: int, *,
                  sample_size: int = DEFAULT_SAMPLE_SIZE, min_share: float = DEFAULT_MIN_SHARE,
                  z: float = DEFAULT_Z, max_items: int = DEFAULT_MAX_ITEMS,
                  reference: np.ndarray | None = None, random_state: int = 0) -> FinishedThemes:
    """Steps 4-5: theme the leftover rows, let minor themes join, number largest first.

    ``sums``/``counts`` are the totals of :class:`Placement` over all rows;
    ``left_X``/``left_keys`` the embeddings and texts of every leftover row.
    """
    k1, d = model.centroids_.shape
    sums = np.asarray(sums, dtype=np.float64)
    counts = np.asarray(counts, dtype=np.float64)
    left_X = np.asarray(left_X).reshape(-1, d)
    n_left = len(left_X)
    left_lab = np.zeros(0, dtype=np.int64)
    k2 = 0
    if n_left:
        left_keys = [str(t) for t in left_keys]
        inner = ThemeClusterer(z=z, max_items=max_items, min_share=0, reference=reference,
                               random_state=random_state)
        cut = sample_cut(text_hashes(left_keys), sample_size)
        h = text_hashes(left_keys)
        in_sample = h <= np.uint64(cut)
        inner.fit(left_X[in_sample], keys=[t for t, s in zip(left_keys, in_sample) if s])
        left_lab = np.empty(n_left, dtype=np.int64)
        left_lab[in_sample] = inner.labels_
        rest = np.flatnonzero(~in_sample)
        for s in range(0, len(rest), _CHUNK):  # nearest leftover theme, no threshold
            idx = rest[s:s + _CHUNK]
            left_lab[idx] = np.argmax(inner.transform(left_X[idx]), axis=1)
        k2 = inner.n_themes_
        U = np.vstack([model.center_rows(left_X[s:s + _CHUNK]) for s in range(0, n_left, _CHUNK)])
        sums = np.vstack([sums, group_sum(left_lab, U, k2)])
        counts = np.concatenate([counts, np.bincount(left_lab, minlength=k2).astype(float)])
        left_lab = left_lab + k1
    # Step 5: minor themes (of the whole input) join the bigger theme they fit best.
    k = k1 + k2
    remap = np.arange(k)
    absorbed = 0
    live = counts > 0
    if min_share > 0 and k:
        major = live & (counts >= min_share * n_total)
        minor = np.flatnonzero(live & ~major)
        big = np.flatnonzero(major)
        if len(minor) and len(big):
            half = (model.threshold_ + model.background_.mean) / 2
            fit = (sums[minor] @ sums[big].T) / np.outer(counts[minor], counts[big])
            best = np.argmax(fit, axis=1)
            ok = fit[np.arange(len(minor)), best] >= half
            remap[minor[ok]] = big[best[ok]]
            absorbed = int(ok.sum())
    fsums = group_sum(remap, sums, k)
    fcounts = np.bincount(remap, weights=counts, minlength=k)
    alive = np.flatnonzero(fcounts > 0)
    # Number largest first; ties by the theme's number before numbering.
    rank = sorted(alive.tolist(), key=lambda t: (-fcounts[t], t))
    number = np.full(k, -1, dtype=np.int64)
    number[rank] = np.arange(len(rank))
    final = number[remap]
    centroids = fsums[rank] / fcounts[rank][:, None] if rank else np.zeros((0, d))
    return FinishedThemes(leftover_theme=left_lab, final=final, centroids=centroids,
                          counts=fcounts[rank].astype(np.int64), absorbed=absorbed,
                          n_leftover_themes=k2)


class ScalableThemeClusterer(TransformerMixin, ClusterMixin, BaseEstimator):
    """:class:`ThemeClusterer` on a hash sample, every row then placed by nearest theme.

    Near-linear in the number of statements: the exact method runs on at
    most ``sample_size`` distinct statements, the rest cost one matrix
    product each (see the module docstring). Up to ``sample_size`` distinct
    statements it *is* :class:`ThemeClusterer` (same labels).

    Parameters
    ----------
    sample_size : int, default=20000
        Distinct statements the exact method runs on.
    z, threshold, max_items, min_share, reference, random_state
        As for :class:`ThemeClusterer` (``threshold`` and ``min_share`` apply
        to the sample fit; ``min_share`` is then applied again to the whole input).

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Theme of each row, ``0 .. n_themes_ - 1``, largest first.
    n_themes_ : int
        Number of themes.
    n_features_in_ : int
        Embedding dimensions seen in :meth:`fit`.
    sampled_ : bool
        Whether the input was bigger than ``sample_size`` (else one exact fit).
    sample_model_ : ThemeClusterer
        The clusterer fitted on the sample (on everything when not sampled).
    threshold_ : float
        The "alike" threshold of the sample fit.
    center_ : ndarray of shape (n_features_in_,)
        Background direction of the sample fit.
    centroids_ : ndarray of shape (n_themes_, n_features_in_)
        Mean centred vector of each theme (in the sample fit's geometry).
    counts_ : ndarray of shape (n_themes_,)
        Rows in each theme.
    n_leftover_ : int
        Rows that fitted no sampled theme and were themed among themselves.
    absorbed_ : int
        Minor themes that joined a bigger one after placing.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> centres = rng.normal(size=(3, 16))
    >>> X = np.repeat(centres, 40, axis=0) + 0.1 * rng.normal(size=(120, 16))
    >>> big = ScalableThemeClusterer(sample_size=30).fit(X)
    >>> big.sampled_, big.n_themes_, sorted(big.counts_.tolist())
    (True, 3, [40, 40, 40])
    >>> exact = ThemeClusterer().fit(X)
    >>> from sklearn.metrics import adjusted_mutual_info_score
    >>> float(adjusted_mutual_info_score(exact.labels_, big.labels_))
    1.0
    """

    _parameter_constraints: dict = {
        **ThemeClusterer._parameter_constraints,
        "sample_size": [Interval(Integral, 2, None, closed="left")],
    }

    def __init__(self, *, sample_size: int = DEFAULT_SAMPLE_SIZE, z: float = DEFAULT_Z,
                 threshold: float | None = None, max_items: int = DEFAULT_MAX_ITEMS,
                 min_share: float = DEFAULT_MIN_SHARE, reference: np.ndarray | None = None,
                 random_state: int = 0) -> None:
        self.sample_size = sample_size
        self.z = z
        self.threshold = threshold
        self.max_items = max_items
        self.min_share = min_share
        self.reference = reference
        self.random_state = random_state

    def _sample_clusterer(self) -> ThemeClusterer:
        return ThemeClusterer(z=self.z, threshold=self.threshold, max_items=self.max_items,
                              min_share=self.min_share, reference=self.reference,
                              random_state=self.random_state)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, *, keys: Sequence[str] | None = None) -> "ScalableThemeClusterer":
        """Find themes in ``X`` (``keys``: text per row, as for :meth:`ThemeClusterer.fit`)."""
        X = validate_data(self, X, dtype=np.float32)
        n = len(X)
        if keys is None:
            keys = [r.tobytes().hex() for r in np.round(_unit(X), 6).astype(np.float32)]
        keys = [str(k) for k in keys]
        if len(keys) != n:
            raise ValueError(f"keys must have one entry per row: got {len(keys)} for {n} rows")
        hashes = text_hashes(keys)
        cut = sample_cut(hashes, self.sample_size)
        in_sample = hashes <= np.uint64(cut)
        self.sampled_ = not bool(in_sample.all())
        model = self._sample_clusterer().fit(X[in_sample], keys=[k for k, s in zip(keys, in_sample) if s])
        self.sample_model_ = model
        self.threshold_ = model.threshold_
        self.center_ = model.center_
        if not self.sampled_:
            self.labels_ = model.labels_.copy()
            self.centroids_, self.counts_ = model.centroids_, model.counts_
            self.n_leftover_, self.absorbed_ = 0, model.absorbed_
        else:
            self._place_and_finish(X, keys, model)
        self.n_themes_ = len(self.counts_)
        return self

    def _place_and_finish(self, X: np.ndarray, keys: list[str], model: ThemeClusterer) -> None:
        """Steps 3-5 (see the module docstring)."""
        placed = place_rows(model, X)
        left = np.flatnonzero(placed.theme < 0)
        done = finish_themes(model, placed.sums, placed.counts, X[left], [keys[i] for i in left],
                             len(X), sample_size=self.sample_size, min_share=self.min_share,
                             z=self.z, max_items=self.max_items, reference=self.reference,
                             random_state=self.random_state)
        pre = placed.theme.copy()
        pre[left] = done.leftover_theme
        self.labels_ = done.final[pre]
        self.centroids_, self.counts_ = done.centroids, done.counts
        self.n_leftover_, self.absorbed_ = len(left), done.absorbed

    def transform(self, X) -> np.ndarray:
        """Mean similarity of each row to each theme's statements (n_samples, n_themes_)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float32, reset=False, ensure_min_samples=0)
        return self.sample_model_.center_rows(X) @ self.centroids_.T

    def predict(self, X) -> np.ndarray:
        """Nearest theme of each row (always one: this is how the rest were placed)."""
        sims = self.transform(X)
        return np.argmax(sims, axis=1) if sims.shape[1] else np.full(len(sims), -1)


class KnownThemes:
    """Place statements in known themes (a labelled table) before clustering the rest.

    The hook for "use last cycle's themes or a labelled table first": give
    it statements and their theme labels; :meth:`place` then says, for each
    new statement, which known theme it fits (its mean similarity to that
    theme's statements is at least ``z`` standard deviations above a typical
    pair, the engine's rule for "alike"), or ``-1``.

    Known themes can have a kind (``fit(..., kinds=...)``): then :meth:`place`, given each new
    statement's kind, only ever places a statement in a known theme of its own kind - last year's
    "not working" theme never takes this year's "working" statement, however alike their words.

    Parameters
    ----------
    z : float, default=1.0
        How far above a typical pair a statement must be to join a known theme.
    threshold : float or None, default=None
        Fix the similarity threshold instead of deriving it from ``z``.

    Attributes
    ----------
    themes_ : list of str
        The known theme labels, in first-seen order (``place`` returns indices into it).
    threshold_ : float
        The similarity threshold used.
    center_ : ndarray of shape (d,)
        Background direction removed before comparing.
    centroids_ : ndarray of shape (len(themes_), d)
        Mean centred vector of each known theme's statements.
    kinds_ : list of str, or None
        Each known theme's kind (None when fitted without kinds).

    Examples
    --------
    Usually made from texts with :func:`known_themes` (which also embeds the
    reference statements, so the background is sensible for a small table):

    >>> from goldenthread.engine.embed import HashingEmbedder
    >>> emb = HashingEmbedder()
    >>> known = known_themes(["I miss the bus to town", "The bus to town is late",
    ...                       "My money runs out", "I never have money left"],
    ...                      ["Getting out", "Getting out", "Money", "Money"], emb)
    >>> idx, sim = known.place(emb.encode(["the bus to town never comes",
    ...                                    "Quantum physics fascinates me"]))
    >>> [known.themes_[i] if i >= 0 else None for i in idx]
    ['Getting out', None]
    """

    def __init__(self, *, z: float = DEFAULT_Z, threshold: float | None = None) -> None:
        self.z = z
        self.threshold = threshold

    def fit(self, X, labels: Sequence[str], reference: np.ndarray | None = None,
            kinds: Sequence[str] | None = None) -> "KnownThemes":
        """Learn each known theme's centre from its statements' embeddings ``X``.

        ``kinds`` (one per statement) gives each known theme its kind; a theme whose statements are of
        two kinds is refused (ValueError), so every known theme has exactly one.
        """
        X = np.asarray(X, dtype=np.float64)
        labels = [str(x) for x in labels]
        if len(labels) != len(X) or not len(X):
            raise ValueError("known themes need one label per statement, and at least one statement")
        self.themes_ = list(dict.fromkeys(labels))
        pos = {t: i for i, t in enumerate(self.themes_)}
        self.kinds_ = None
        if kinds is not None:
            kinds = [str(k or "") for k in kinds]
            if len(kinds) != len(labels):
                raise ValueError("known themes need one kind per statement")
            theme_kind: dict[str, str] = {}
            for label, kind in zip(labels, kinds):
                if theme_kind.setdefault(label, kind) != kind:
                    raise ValueError(f"known theme {label!r} has statements of two kinds "
                                     f"({theme_kind[label]!r} and {kind!r}); a theme has one kind")
            self.kinds_ = [theme_kind[t] for t in self.themes_]
        lab = np.array([pos[t] for t in labels])
        bg = estimate_background(_unit(X), reference)
        self.center_ = bg.center
        self.threshold_ = float(self.threshold) if self.threshold is not None else bg.threshold(self.z)
        U = _unit(_unit(X) - self.center_)
        self.centroids_ = group_sum(lab, U, len(self.themes_)) / np.bincount(lab)[:, None]
        return self

    def place(self, X, kinds: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Index into :attr:`themes_` of the known theme each row fits, or ``-1``; and the similarity.

        When the known themes have kinds, ``kinds`` (one per row) is required, and a row is only
        compared with the known themes of its own kind (a row whose kind has none gets ``-1``).
        """
        U = _unit(_unit(np.atleast_2d(np.asarray(X, dtype=np.float64))) - self.center_)
        S = U @ self.centroids_.T
        if getattr(self, "kinds_", None) is not None:
            if kinds is None:
                raise ValueError("these known themes have kinds: give each statement's kind to place it")
            kinds = [str(k or "") for k in kinds]
            if len(kinds) != len(S):
                raise ValueError("give one kind per statement")
            other = np.array(kinds, dtype=object)[:, None] != np.array(self.kinds_, dtype=object)[None, :]
            S = np.where(other, -np.inf, S)
            if not len(S) or not len(self.kinds_):
                return np.full(len(S), -1), np.zeros(len(S))
        best = np.argmax(S, axis=1)
        raw = S[np.arange(len(S)), best]
        ok = np.isfinite(raw)  # False: no known theme of the row's kind
        sim = np.where(ok, raw, 0.0)
        return np.where(ok & (sim >= self.threshold_), best, -1), sim


def known_themes(known_texts: Sequence[str], known_labels: Sequence[str], embedder, *,
                 z: float = DEFAULT_Z, threshold: float | None = None,
                 known_kinds: Sequence[str] | None = None) -> KnownThemes:
    """Fit :class:`KnownThemes` from a labelled table (text + theme, and each statement's kind), embedding
    with ``embedder``.

    This is the hook the batch pipeline calls (``run_batch(known=(texts, labels, kinds))``).
    """
    from goldenthread.engine.reference import REFERENCE_STATEMENTS

    texts = [str(t) for t in known_texts]
    ref = embedder.encode(list(REFERENCE_STATEMENTS))
    return KnownThemes(z=z, threshold=threshold).fit(embedder.encode(texts), known_labels, reference=ref,
                                                     kinds=known_kinds)
