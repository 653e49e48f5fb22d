"""Card-call assistant: where does the next card belong? It learns from the room.

During a card call the facilitator reads a card aloud and the room decides
which cluster on the wall it joins, or starts a new one. The assistant ranks
the clusters on the wall, says "new cluster" when that is the likelier call,
and learns from every decision the room makes.

The method, in one paragraph
----------------------------
Each cluster is a *prototype*: the sum of its cards' unit embeddings (cards
moved *out* of it count against it, its name, once the room gives one, counts
as one more card, and last cycle's cards of a theme with the same key count
for it too). A card's fit to a cluster is its cosine to that prototype
(cosine to the centroid beats the mean similarity to the cluster's cards,
which favours small tight clusters). The room's decision between the clusters
on the wall and "new cluster" is then modelled as a *choice* (a conditional
logit, McFadden 1974)::

    utility(cluster k) = a * cosine_k + s * log(size_k) + w * words_k [+ h * head_k]
    utility(new)       = b
    P(choice)          = softmax over the clusters and "new"

(``words_k`` is the card's cosine to the cluster in character n-gram TF-IDF,
the exact words the room groups by, which sentence embeddings blur; its
weight ``w`` starts at zero and is learnt like the others. ``head_k``, used
with ``head=True``, is the log-probability of cluster k
under a softmax regression refitted on the placed cards after each decision.)
With ``a = 0, s = 1, b = log(alpha)`` this is exactly the Chinese-restaurant
process (a cluster is chosen in proportion to its size, a new one in
proportion to ``alpha``), the standard model of how groups form clusters one
item at a time. ``a`` (how much this room goes by meaning), ``s`` (how much
big clusters attract) and ``b`` (how readily this room starts a new cluster)
are **learnt from the room's own decisions**: every :meth:`add` records the
choice the room made against the wall as it stood, and the numbers are
refitted (a few damped Newton steps on that history, warm-started, with a weak
Gaussian prior centred on geometric defaults, so the first few cards are
decided by geometry and the room's decisions take over as they accumulate).
The "new cluster" call is the most probable answer: early in a card call,
when the wall is small and the room has mostly been starting clusters, the
learnt ``b`` beats most clusters; late in it, clusters are big and ``log
size`` outweighs it. No constant is tuned to a data set: the defaults come
from the embedding's geometry (the spread of similarities among the built-in
reference statements) and the CRP, and the room overrides them.

Everything is incremental: adding a card updates one prototype (a rank-one
update) and refits three numbers, so a suggestion costs one matrix-vector
product over the wall. The same decisions in the same order give the same
answers; :meth:`load` adds cards in a fixed pseudo-random order (by a hash of
the text), so a loaded wall does not depend on the order it was given in.

"Place the rest" (:meth:`CardCallAssistant.place_rest`) proposes a place for
every card not yet called, each with a confidence (the model's probability)
and an explanation (the placed cards it is most like); cards that fit no
cluster are grouped among themselves into "new theme" groups with
:class:`~goldenthread.engine.cluster.ThemeClusterer`. Nothing is applied: the
result is plain data for a person to accept or change.

Across cycles, :meth:`CardCallAssistant.fit_prior` (or ``prior=`` in the
constructor) takes last cycle's confirmed themes and their cards. They are
replayed through the choice model, so this room starts with what past rooms
taught it, and each known theme is offered (``CardSuggestion.known``) when a
card fits it better than the wall and a new cluster. :func:`place_known`
uses the same model for a whole table at once (``goldenthread themes
--train``).
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping, Sequence

import numpy as np

from goldenthread.engine.cluster import DEFAULT_Z
from goldenthread.engine.embed import Embedder, get_embedder
from goldenthread.engine.reference import REFERENCE_STATEMENTS

#: How many of the most alike placed cards explain a suggestion or a proposal.
EXPLAIN = 3
#: Newton steps per refit of the choice model (warm-started; it converges in 2-3).
_NEWTON_STEPS = 4


@dataclass(frozen=True)
class Like:
    """A placed card that explains a suggestion: its text and its similarity (cosine)."""

    card: str
    similarity: float


@dataclass(frozen=True)
class ClusterFit:
    """How well a card fits one cluster.

    ``score`` is the probability (0..1) that the room puts the card in this
    cluster, as the assistant has learnt from the room's decisions so far;
    ``fits`` is True when that beats starting a new cluster. ``similarity``
    is the card's cosine to the cluster's prototype and ``like`` the placed
    cards in the cluster it is most like, best first.
    """

    cluster: Hashable
    score: float
    fits: bool
    size: int
    similarity: float = 0.0
    like: tuple[Like, ...] = ()

    @property
    def reason(self) -> str:
        """A plain-English reason, e.g. ``like 4 cards in 'lonely'``."""
        n = self.size
        return f"like {n} card{'s' if n != 1 else ''} in {self.cluster!s}"


@dataclass
class CardSuggestion:
    """The assistant's answer for one card.

    ``ranked`` holds the clusters on the wall, most probable first;
    ``new_cluster`` is True when starting a new cluster is the likelier call;
    ``threshold`` is the probability of a new cluster (a cluster ``fits`` when
    its ``score`` is at least that); ``known`` is last cycle's theme (not yet
    on the wall) the card fits, if any (see :meth:`CardCallAssistant.fit_prior`).
    """

    card: str
    ranked: list[ClusterFit]
    new_cluster: bool
    threshold: float
    seconds: float = 0.0
    best: Hashable | None = field(default=None)
    known: ClusterFit | None = None

    def __post_init__(self) -> None:
        if self.best is None and self.ranked and not self.new_cluster:
            self.best = self.ranked[0].cluster

    @property
    def new_probability(self) -> float:
        return self.threshold


@dataclass(frozen=True)
class Proposal:
    """Where :meth:`CardCallAssistant.place_rest` proposes to put one card.

    Exactly one of ``cluster`` (a cluster on the wall) and ``new_group`` (a
    number shared by cards proposed to start the same new theme together) is
    set. ``confidence`` is in 0..1; ``like`` holds the placed (or, for a new
    group, the fellow) cards it is most like; ``alternatives`` the next-best
    clusters on the wall with their probabilities.
    """

    card: str
    cluster: Hashable | None
    new_group: int | None
    confidence: float
    like: tuple[Like, ...]
    alternatives: tuple[tuple[Hashable, float], ...] = ()

    @property
    def is_new(self) -> bool:
        return self.cluster is None


@dataclass
class PlaceRestResult:
    """A proposal board: one :class:`Proposal` per card, in the order given.

    ``by_cluster()`` and ``new_groups()`` group them for display;
    ``accepted(min_confidence)`` lists those a facilitator would accept with
    "accept all above this confidence". Nothing here changes the wall.
    """

    proposals: list[Proposal]
    seconds: float = 0.0

    def by_cluster(self) -> dict[Hashable, list[Proposal]]:
        out: dict[Hashable, list[Proposal]] = {}
        for p in self.proposals:
            if p.cluster is not None:
                out.setdefault(p.cluster, []).append(p)
        return out

    def new_groups(self) -> dict[int, list[Proposal]]:
        out: dict[int, list[Proposal]] = {}
        for p in self.proposals:
            if p.new_group is not None:
                out.setdefault(p.new_group, []).append(p)
        return dict(sorted(out.items()))

    def accepted(self, min_confidence: float) -> list[Proposal]:
        return [p for p in self.proposals if p.cluster is not None and p.confidence >= min_confidence]


def _order_key(text: str) -> str:
    """A fixed pseudo-random order for batches of cards (same text, same place)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _canon(key: Hashable) -> tuple[str, str]:
    return (type(key).__name__, str(key))


class _Head:
    """A softmax (multinomial logistic) head on the placed cards' embeddings.

    It learns the directions that separate *this room's* clusters. Refitted
    after each decision, warm-started from the last fit (L-BFGS, at most 15
    iterations: it starts from the last fit), with L2 penalty ``1/C`` (``C=1``, the usual default).
    """

    C = 1.0
    MAX_ITER = 15

    def __init__(self) -> None:
        self.keys: list = []
        self.W: np.ndarray | None = None

    def fit(self, X: np.ndarray, y: list, keys: list) -> None:
        from scipy.optimize import minimize
        from scipy.special import logsumexp

        K = len(keys)
        if K < 2 or len(X) < 2:
            self.keys, self.W = list(keys), None
            return
        idx = {k: i for i, k in enumerate(keys)}
        yi = np.array([idx[c] for c in y])
        n, d = X.shape
        Xb = np.hstack([X, np.ones((n, 1))])
        W0 = np.zeros((d + 1, K))
        if self.W is not None:
            for j, k in enumerate(self.keys):
                if k in idx:
                    W0[:, idx[k]] = self.W[:, j]
        lam = 1.0 / self.C
        rows = np.arange(n)

        def f(w):
            W = w.reshape(d + 1, K)
            Z = Xb @ W
            lse = logsumexp(Z, axis=1)
            P = np.exp(Z - lse[:, None])
            P[rows, yi] -= 1.0
            G = Xb.T @ P
            G[:-1] += lam * W[:-1]
            loss = float((lse - Z[rows, yi]).sum() + 0.5 * lam * (W[:-1] ** 2).sum())
            return loss, G.ravel()

        r = minimize(f, W0.ravel(), jac=True, method="L-BFGS-B",
                     options={"maxiter": self.MAX_ITER})
        self.keys, self.W = list(keys), r.x.reshape(d + 1, K)

    def logp(self, x: np.ndarray, keys: list) -> np.ndarray:
        """Log-probability of each of ``keys`` (0 where the head has no view)."""
        if self.W is None or self.keys != keys:
            return np.zeros(len(keys))
        z = np.append(x, 1.0) @ self.W
        z = z - z.max()
        return z - np.log(np.exp(z).sum())


class _Lexical:
    """The words a card shares with each cluster: character n-gram TF-IDF.

    Sentence embeddings place "my tablets" and "my medication" together, but
    they blur the exact words a room groups by ("bus", "wifi", "Tuesday club").
    The lexical view complements them: each card is a vector of its character
    2-4-grams within word boundaries (robust to spelling slips and plurals),
    counts damped by ``log(1 + tf)`` and weighted by inverse document
    frequency over the cards on the wall (words on every card say nothing).
    A cluster's lexical prototype is the sum of its cards' unit vectors (plus
    its name and last cycle's cards, as for the embedding prototype); a
    card's lexical fit is its cosine to that prototype. How much this counts
    is not set here: it is one more feature of the choice model, whose weight
    starts at zero and is learnt from the room's decisions.
    """

    N_FEATURES = 2 ** 18

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self._hv = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=self.N_FEATURES,
                                     alternate_sign=False, norm=None, lowercase=True)
        self._tf: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._ref_df: np.ndarray | None = None

    def _rows(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(column indices, damped counts, row of each entry) for ``texts``;
        each text's row is computed once and cached."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._tf]
        if missing:
            M = self._hv.transform(missing).tocsr()
            for i, t in enumerate(missing):
                lo, hi = M.indptr[i], M.indptr[i + 1]
                self._tf[t] = (M.indices[lo:hi].astype(np.int64), np.log1p(M.data[lo:hi]))
        parts = [self._tf[t] for t in texts]
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64)
        idx = np.concatenate([p[0] for p in parts])
        val = np.concatenate([p[1] for p in parts])
        row = np.repeat(np.arange(len(parts)), [len(p[0]) for p in parts])
        return idx, val, row

    def prototypes(self, wall_texts: Sequence[str], groups: Sequence[Sequence[str]]):
        """(unit cluster prototypes, idf weights) for ``groups`` of texts, with
        document frequencies taken over ``wall_texts`` (the cards on the wall)."""
        import scipy.sparse as sp

        # Document frequencies over the wall and the built-in reference
        # statements: a background of everyday statements, so that "I", "my"
        # and "the" weigh little even on a wall of a few cards.
        # (A text's columns are distinct, so counting columns counts documents. The reference statements'
        # counts never change: worked out once.)
        if self._ref_df is None:
            self._ref_df = np.bincount(self._rows(list(REFERENCE_STATEMENTS))[0], minlength=self.N_FEATURES)
        widx, _, _ = self._rows(list(wall_texts))
        df = self._ref_df + np.bincount(widx, minlength=self.N_FEATURES)
        w = np.log((1.0 + len(wall_texts) + len(REFERENCE_STATEMENTS)) / (1.0 + df)) + 1.0
        texts = [t for g in groups for t in g]
        group_of = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
        idx, val, row = self._rows(texts)
        val = val * w[idx]
        norm = np.sqrt(np.bincount(row, weights=val ** 2, minlength=len(texts)))
        val = val / np.maximum(norm[row], 1e-12)
        C = sp.csr_matrix((val, (group_of[row], idx)), shape=(len(groups), self.N_FEATURES))
        C.sum_duplicates()
        cn = np.sqrt(np.asarray(C.multiply(C).sum(axis=1)).ravel())
        C = sp.diags(1.0 / np.maximum(cn, 1e-12)) @ C
        return C.tocsr(), w

    def cosines(self, text: str, C, w) -> np.ndarray:
        """Cosine of ``text`` to each unit prototype in ``C`` (IDF ``w``)."""
        if C.shape[0] == 0:
            return np.zeros(0)
        idx, val, _ = self._rows([text])
        if not len(idx):
            return np.zeros(C.shape[0])
        q = val * w[idx]
        nq = float(np.sqrt((q ** 2).sum()))
        if nq == 0.0:
            return np.zeros(C.shape[0])
        # Only the query's columns matter: gather them from the prototypes.
        Cq = C[:, idx]
        return np.asarray(Cq @ q).ravel() / nq


class _Choice:
    """The conditional-logit choice model: a few numbers learnt from decisions.

    Each decision is a matrix of features of the clusters on the wall (one row
    per cluster: cosine, log size, the head's log-probability) and the chosen
    row, or -1 for "new". Utility of a cluster is ``features @ theta[:-1]``,
    of "new" ``theta[-1]``. MAP fit with a Gaussian prior ``N(theta0, sd0**2)``.
    """

    def __init__(self, theta0: np.ndarray, sd0: np.ndarray) -> None:
        self.theta0 = theta0
        self.prec0 = 1.0 / sd0 ** 2
        self.theta = theta0.copy()
        self.feats: list[np.ndarray] = []
        self.chosen: list[int] = []

    def record(self, feats: np.ndarray, chosen: int, refit: bool = True) -> None:
        self.feats.append(np.asarray(feats, dtype=np.float64).reshape(-1, len(self.theta0) - 1))
        self.chosen.append(int(chosen))
        if refit:
            self.fit()

    def fit(self, steps: int = _NEWTON_STEPS) -> None:
        if not self.chosen:
            self.theta = self.theta0.copy()
            return
        m = len(self.theta0)
        sizes = [len(f) + 1 for f in self.feats]
        F = np.zeros((sum(sizes), m))
        seg = np.repeat(np.arange(len(sizes)), sizes)
        pos = 0
        chosen_rows = np.empty(len(sizes), dtype=int)
        for j, (fk, ch) in enumerate(zip(self.feats, self.chosen)):
            k = len(fk)
            F[pos:pos + k, :-1] = fk
            F[pos + k, -1] = 1.0
            chosen_rows[j] = pos + (k if ch < 0 else ch)
            pos += k + 1
        starts = np.cumsum([0] + sizes[:-1])
        f_chosen = F[chosen_rows].sum(axis=0)

        def log_posterior(th: np.ndarray) -> float:
            u = F @ th
            umax = np.maximum.reduceat(u, starts)
            lse = umax + np.log(np.add.reduceat(np.exp(u - umax[seg]), starts))
            return float(u[chosen_rows].sum() - lse.sum() - 0.5 * (self.prec0 * (th - self.theta0) ** 2).sum())

        th = self.theta.copy()
        current = log_posterior(th)
        for _ in range(steps):
            u = F @ th
            umax = np.maximum.reduceat(u, starts)
            e = np.exp(u - umax[seg])
            z = np.add.reduceat(e, starts)
            p = e / z[seg]
            ef = np.add.reduceat(p[:, None] * F, starts, axis=0)       # E[f] per decision
            grad = f_chosen - ef.sum(axis=0) - self.prec0 * (th - self.theta0)
            # Hessian of the log-posterior: minus the summed Cov_p[f], minus the prior.
            H = -(F.T @ (p[:, None] * F)) + ef.T @ ef - np.diag(self.prec0)
            step = np.linalg.solve(H, grad)
            # Damped Newton: halve the step until the posterior does not fall
            # (a full step can overshoot when features are nearly collinear).
            t = 1.0
            while t > 1e-4:
                trial = log_posterior(th - t * step)
                if trial >= current:
                    break
                t *= 0.5
            else:
                break
            th, current = th - t * step, trial
            if np.abs(t * step).max() < 1e-6:
                break
        self.theta = th

    def utilities(self, feats: np.ndarray) -> tuple[np.ndarray, float]:
        return feats @ self.theta[:-1], float(self.theta[-1])


class CardCallAssistant:
    """Rank the clusters on the wall for the next card, or suggest a new cluster.

    It learns from every decision the room makes (see the module docstring):
    which clusters the room's cards go to, how big clusters grow, how readily
    this room starts a new one, cards moved out of a cluster, names.

    Parameters
    ----------
    model : {"minilm", "fast", "hashing"} or embedder, default="minilm"
    z : float, default=1.0
        Before the room has decided anything, a card "fits" a cluster when its
        cosine to the cluster is ``z`` standard deviations above a typical
        pair of the built-in reference statements (the prior only: the room's
        decisions soon take over).
    top : int, default=3
        How many clusters :meth:`suggest` returns.
    prior : mapping {theme: [card, ...]}, optional
        Last cycle's confirmed themes and their cards (see :meth:`fit_prior`).
    head : bool, default=False
        Also learn a softmax head on the placed cards (an L-BFGS refit per
        decision, in :meth:`add`, never in :meth:`suggest`), a fourth term of
        the choice model. Off by default: it is tested but its benchmark
        figures are not yet measured (see docs/engine.md).
    lexical : bool or "auto", default="auto"
        Also weigh the words a card shares with each cluster (character
        n-gram TF-IDF cosine, see :class:`_Lexical`); its weight is learnt
        from the room, starting at zero. "auto" turns it on except with the
        ``"hashing"`` model, whose embedding is already a bag of words.

    Attributes
    ----------
    theta_ : ndarray of shape (5,)
        The learnt choice model: weight of meaning (cosine to the cluster's
        prototype), of cluster size (log), of the head (0 unless
        ``head=True``), of shared words (lexical cosine), and the utility of
        a new cluster.
    n_decisions_ : int
        How many of the room's decisions it has learnt from.

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

    def __init__(self, model: "str | Embedder" = "minilm", z: float = DEFAULT_Z, top: int = 3,
                 prior: Mapping[Hashable, Sequence[str]] | None = None, head: bool = False,
                 lexical: "bool | str" = "auto") -> None:
        self.model = model
        self.head = head
        self.lexical = lexical
        self.z = z
        self.top = top
        self.embedder = get_embedder(model)
        self._cache: dict[str, np.ndarray] = {}
        ref = self._vec(list(REFERENCE_STATEMENTS))
        self._dim = ref.shape[1]
        # Geometric defaults: the spread of cosines between varied statements.
        S = ref @ ref.T
        vals = S[np.triu_indices(len(ref), 1)]
        mean, sd = float(vals.mean()), max(float(vals.std()), 1e-3)
        a0 = 1.0 / sd                       # one SD of a typical pair = one unit of utility
        b0 = a0 * (mean + z * sd)           # "fits" when z SDs above a typical pair (CRP alpha = 1)
        # theta = (cosine, log size, head log-probability, lexical cosine, new):
        # prior means from the geometry, the CRP (size weight 1), a head taken
        # at its word, and words counting for nothing until the room shows
        # they do (prior SD as for meaning: a unit of lexical cosine is at most
        # as telling as a unit of semantic cosine).
        self._choice = _Choice(np.array([a0, 1.0, 1.0, 0.0, b0]),
                               np.array([a0, 1.0, 1.0, a0, abs(b0) + 1.0]))
        self._head = _Head()
        # "auto": on, unless the embedding is itself a bag of hashed words.
        use_lex = lexical if lexical != "auto" else getattr(self.embedder, "name", None) != "hashing"
        self._lex = _Lexical() if use_lex else None
        self._name_text: dict[Hashable, str] = {}
        # The wall.
        self._cards: list[tuple[str, Hashable]] = []
        self._sum: dict[Hashable, np.ndarray] = {}
        self._n: dict[Hashable, int] = {}
        self._neg: dict[Hashable, np.ndarray] = {}
        self._name_vec: dict[Hashable, np.ndarray] = {}
        self._locked: set[Hashable] = set()
        # Last cycle.
        self._prior_sum: dict[Hashable, np.ndarray] = {}
        self._prior_n: dict[Hashable, int] = {}
        self._prior_cards: dict[Hashable, list[str]] = {}
        self._proto = self._wall = self._lexp = None
        if prior:
            self.fit_prior(prior)

    # -- embeddings -------------------------------------------------------------
    def _vec(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            V = np.asarray(self.embedder.encode(missing), dtype=np.float64)
            V = V / np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-12)
            for t, v in zip(missing, V):
                self._cache[t] = v
        if not texts:
            return np.zeros((0, getattr(self, "_dim", 1)))
        return np.vstack([self._cache[t] for t in texts])

    @property
    def theta_(self) -> np.ndarray:
        return self._choice.theta.copy()

    @property
    def n_decisions_(self) -> int:
        return len(self._choice.chosen)

    @property
    def clusters(self) -> list[Hashable]:
        """The clusters on the wall, in a fixed order."""
        return sorted((k for k, n in self._n.items() if n > 0), key=_canon)

    # -- prototypes -------------------------------------------------------------
    def _prototypes(self):
        """(keys, unit prototypes, sizes) for the open clusters on the wall (cached)."""
        if self._proto is None:
            keys = [k for k in self.clusters if k not in self._locked]
            P = np.zeros((len(keys), self._dim))
            for i, k in enumerate(keys):
                p = self._sum[k] - self._neg.get(k, 0.0)
                if k in self._name_vec:
                    p = p + self._name_vec[k]
                if k in self._prior_sum:
                    p = p + self._prior_sum[k]
                P[i] = p
            P /= np.maximum(np.linalg.norm(P, axis=1, keepdims=True), 1e-12)
            n = np.array([self._n[k] for k in keys], dtype=np.float64)
            self._proto = (keys, P, n)
        return self._proto

    def _wall_matrix(self):
        """(distinct card texts, their vectors, {cluster: row indices}) of the wall (cached)."""
        if self._wall is None:
            texts = list(dict.fromkeys(t for t, _ in self._cards))
            at = {t: i for i, t in enumerate(texts)}
            rows: dict[Hashable, list[int]] = {}
            for t, c in self._cards:
                if at[t] not in rows.setdefault(c, []):
                    rows[c].append(at[t])
            self._wall = (texts, self._vec(texts), {c: np.array(r, dtype=int) for c, r in rows.items()},
                          at)
        return self._wall

    def _features(self, x: np.ndarray, card: str | None = None):
        """keys, cosines, and the feature matrix (cosine, log size, head log-prob)."""
        keys, P, n = self._prototypes()
        cos = P @ x
        F = np.column_stack([cos, np.log(np.maximum(n, 1.0)), self._head.logp(x, keys),
                             self._lexical(card, keys)])
        return keys, cos, F

    def _lexical_prototypes(self):
        """The lexical prototypes of the open clusters (cached with the wall)."""
        if self._lexp is None:
            keys = self._prototypes()[0]
            members: dict[Hashable, list[str]] = {k: [] for k in keys}
            for t, c in self._cards:
                if c in members:
                    members[c].append(t)
            groups = [members[k] + ([self._name_text[k]] if k in self._name_text else [])
                      + self._prior_cards.get(k, []) for k in keys]
            C, w = self._lex.prototypes([t for t, _ in self._cards], groups)
            self._lexp = (keys, C, w)
        return self._lexp

    def _lexical(self, card: str | None, keys: list) -> np.ndarray:
        """Lexical cosine of ``card`` to each cluster (zeros when off)."""
        if self._lex is None or card is None or not keys:
            return np.zeros(len(keys))
        _, C, w = self._lexical_prototypes()
        return self._lex.cosines(card, C, w)

    def _refit(self) -> None:
        """Refit the head on the cards now on the wall (open clusters only)."""
        keys = self._prototypes()[0]
        if not self.head:
            return
        open_ = set(keys)
        cards = [(t, c) for t, c in self._cards if c in open_]
        X = self._vec([t for t, _ in cards])
        self._head.fit(X, [c for _, c in cards], keys)

    def _record(self, x: np.ndarray, cluster: Hashable | None, refit: bool = True,
                card: str | None = None) -> None:
        """Record the room's choice for card ``x`` against the wall as it stands."""
        keys, _, F = self._features(x, card)
        chosen = keys.index(cluster) if cluster in keys else -1
        self._choice.record(F, chosen, refit)

    # -- the room's decisions ---------------------------------------------------
    def add(self, card: str, cluster: Hashable, _refit: bool = True) -> None:
        """Record that the room placed ``card`` in ``cluster`` (new or on the wall)."""
        x = self._vec([card])[0]
        self._record(x, cluster, _refit, card)
        self._place(card, x, cluster)
        if _refit:
            self._refit()

    def _place(self, card: str, x: np.ndarray, cluster: Hashable) -> None:
        wall = self._wall
        self._cards.append((card, cluster))
        if cluster not in self._sum:
            self._sum[cluster] = np.zeros(self._dim)
            self._n[cluster] = 0
        self._sum[cluster] = self._sum[cluster] + x
        self._n[cluster] += 1
        self._proto = self._lexp = None
        # Keep the wall matrix up to date with a cheap append (no rebuild).
        self._wall = None
        if wall is not None and card not in wall[3]:
            texts, W, rows, at = wall
            at[card] = len(texts)
            texts.append(card)
            W = np.vstack([W, x[None]]) if len(W) else x[None].copy()
            rows[cluster] = np.append(rows.get(cluster, np.zeros(0, dtype=int)), at[card]).astype(int)
            self._wall = (texts, W, rows, at)

    def load(self, clusters: Mapping[Hashable, Sequence[str]]) -> "CardCallAssistant":
        """Add many placed cards at once: ``{cluster: [card, ...]}``.

        They are learnt from as decisions in a fixed pseudo-random order (by
        a hash of the text), so the result does not depend on the order given.
        """
        items = [(t, c) for c, ts in clusters.items() for t in ts]
        self._vec([t for t, _ in items])
        for t, c in sorted(items, key=lambda tc: (_order_key(tc[0]), _canon(tc[1]))):
            self.add(t, c, _refit=False)
        self._choice.fit(steps=50)
        self._refit()
        return self

    def _unplace(self, card: str) -> list[Hashable]:
        """Take every copy of ``card`` off the wall; returns the clusters it was in."""
        x = self._vec([card])[0]
        was = [c for t, c in self._cards if t == card]
        self._cards = [(t, c) for t, c in self._cards if t != card]
        for c in was:
            self._sum[c] = self._sum[c] - x
            self._n[c] -= 1
            if self._n[c] <= 0:
                self._sum[c] = np.zeros(self._dim)
                self._n[c] = 0
        self._proto = self._wall = self._lexp = None
        return was

    def move(self, card: str, cluster: Hashable) -> None:
        """Move a placed card to another cluster (or a new one).

        The move is a decision the room made: it is learnt from, and the card
        now counts *against* the cluster it left (its prototype moves away
        from the card), not merely no longer for it.
        """
        was = self._unplace(card)
        x = self._vec([card])[0]
        for c in was:
            if c != cluster:
                self._neg[c] = self._neg.get(c, np.zeros(self._dim)) + x
        self._proto = self._wall = self._lexp = None
        self._record(x, cluster, card=card)
        self._place(card, x, cluster)
        self._refit()

    def remove(self, card: str) -> None:
        """Take a card off the wall (no evidence either way)."""
        self._unplace(card)
        self._refit()

    def lock(self, cluster: Hashable, locked: bool = True) -> None:
        """Lock (close) a cluster: the room says it is complete, so it is no
        longer suggested for new cards. ``locked=False`` opens it again."""
        (self._locked.add if locked else self._locked.discard)(cluster)
        self._proto = self._wall = self._lexp = None
        self._refit()

    def rename(self, cluster: Hashable, new: Hashable, name: str | None = None) -> None:
        """Rename a cluster; with ``name`` (the theme's wording, e.g. "I feel
        lonely"), the name counts as one more card for it."""
        if new != cluster:
            if cluster in self._name_text:
                self._name_text[new] = self._name_text.pop(cluster)
            for d in (self._sum, self._n, self._neg, self._name_vec):
                if cluster in d:
                    if new in d and d is not self._name_vec:
                        d[new] = d[new] + d.pop(cluster)
                    else:
                        d[new] = d.pop(cluster)
            if cluster in self._locked:
                self._locked.discard(cluster)
                self._locked.add(new)
            self._cards = [(t, new if c == cluster else c) for t, c in self._cards]
        if name:
            self._name_vec[new] = self._vec([name])[0]
            self._name_text[new] = name
        self._proto = self._wall = self._lexp = None
        self._head.keys = [new if k == cluster else k for k in self._head.keys]
        self._refit()

    # -- last cycle -------------------------------------------------------------
    def fit_prior(self, themes: "Mapping[Hashable, Sequence[str]] | None" = None,
                  texts: Sequence[str] | None = None,
                  labels: Sequence[Hashable] | None = None) -> "CardCallAssistant":
        """Learn from last cycle's confirmed themes: ``{theme: [card, ...]}``
        or ``texts`` with ``labels``.

        Last cycle's decisions are replayed through the choice model (in a
        fixed pseudo-random order), so this room's suggestions start from how
        past rooms decided; each theme's cards then count for a cluster with
        the same key on this wall, and a card that fits a theme not yet on the
        wall gets it as ``CardSuggestion.known``.
        """
        if themes is None:
            if texts is None or labels is None or len(texts) != len(labels):
                raise ValueError("give themes, or texts and labels of the same length")
            themes = {}
            for t, lab in zip(texts, labels):
                themes.setdefault(lab, []).append(t)
        items = [(str(t), c) for c, ts in themes.items() for t in ts if str(t).strip()]
        V = self._vec([t for t, _ in items])
        pos = {t: i for i, (t, _) in enumerate(items)}
        # Replay on a scratch wall: learn theta only.
        sums: dict[Hashable, np.ndarray] = {}
        counts: dict[Hashable, int] = {}
        for t, c in sorted(items, key=lambda tc: (_order_key(tc[0]), _canon(tc[1]))):
            x = V[pos[t]]
            keys = sorted(sums, key=_canon)
            if keys:
                P = np.vstack([sums[k] for k in keys])
                P /= np.maximum(np.linalg.norm(P, axis=1, keepdims=True), 1e-12)
                cos, logn = P @ x, np.log([counts[k] for k in keys])
            else:
                cos, logn = np.zeros(0), np.zeros(0)
            self._choice.record(np.column_stack([cos, logn, np.zeros(len(cos)), np.zeros(len(cos))]),
                                keys.index(c) if c in sums else -1, refit=False)
            sums[c] = sums.get(c, np.zeros(self._dim)) + x
            counts[c] = counts.get(c, 0) + 1
        self._choice.fit(steps=50)
        for c in sums:
            self._prior_sum[c] = self._prior_sum.get(c, 0.0) + sums[c]
            self._prior_n[c] = self._prior_n.get(c, 0) + counts[c]
            self._prior_cards.setdefault(c, []).extend(t for t, cc in items if cc == c)
        self._proto = self._wall = self._lexp = None
        return self

    def _known(self, x: np.ndarray, u_best: float, u_new: float, card: str | None = None) -> ClusterFit | None:
        """Last cycle's theme (not on the wall) that beats the wall and a plain new cluster."""
        off = sorted((k for k in self._prior_sum if self._n.get(k, 0) == 0
                      and k not in self._locked), key=_canon)
        if not off:
            return None
        P = np.vstack([self._prior_sum[k] for k in off])
        P /= np.maximum(np.linalg.norm(P, axis=1, keepdims=True), 1e-12)
        cos = P @ x
        n = np.array([self._prior_n[k] for k in off], dtype=np.float64)
        lex = np.zeros(len(n))
        if self._lex is not None and card is not None:
            C, w = self._lex.prototypes([t for t, _ in self._cards], [self._prior_cards[k] for k in off])
            lex = self._lex.cosines(card, C, w)
        u, _ = self._choice.utilities(np.column_stack([cos, np.log(n), np.zeros(len(n)), lex]))
        i = int(np.argmax(u))
        allu = np.append(u, [u_best, u_new])
        p = float(np.exp(u[i] - allu.max()) / np.exp(allu - allu.max()).sum())
        if u[i] < max(u_best, u_new):
            return None
        V = self._vec(self._prior_cards[off[i]])
        sims = V @ x
        top = np.argsort(-sims, kind="stable")[:EXPLAIN]
        like = tuple(Like(self._prior_cards[off[i]][j], round(float(sims[j]), 4)) for j in top)
        return ClusterFit(off[i], round(p, 4), True, int(n[i]), round(float(cos[i]), 4), like)

    # -- suggestions ------------------------------------------------------------
    def _probabilities(self, x: np.ndarray, card: str | None = None):
        keys, cos, F = self._features(x, card)
        u, u_new = self._choice.utilities(F)
        allu = np.append(u, u_new)
        e = np.exp(allu - allu.max())
        p = e / e.sum()
        return keys, cos, p[:-1], float(p[-1]), u, u_new

    def _like(self, x: np.ndarray, cluster: Hashable, k: int = EXPLAIN) -> tuple[Like, ...]:
        texts, W, rows, _ = self._wall_matrix()
        r = rows.get(cluster)
        if r is None or not len(r):
            return ()
        sims = W[r] @ x
        top = np.argsort(-sims, kind="stable")[:k]
        return tuple(Like(texts[r[j]], round(float(sims[j]), 4)) for j in top)

    def suggest(self, card: str, top: int | None = None) -> CardSuggestion:
        """Rank the clusters for ``card``; ``new_cluster`` is True when a new
        cluster is the likelier call. Does not change anything."""
        t0 = time.perf_counter()
        x = self._vec([card])[0]
        keys, cos, p, p_new, u, u_new = self._probabilities(x, card)
        k = top or self.top
        order = [int(i) for i in np.argsort(-p, kind="stable")[:k]]   # ties: canonical order
        ranked = [ClusterFit(keys[i], round(float(p[i]), 4), bool(p[i] >= p_new), self._n[keys[i]],
                             round(float(cos[i]), 4), self._like(x, keys[i]))
                  for i in order]
        new = not ranked or p_new > p[order[0]]
        known = None
        if self._prior_sum:
            known = self._known(x, float(u.max()) if len(u) else -np.inf, u_new, card)
        return CardSuggestion(card, ranked, bool(new), round(p_new, 4),
                              time.perf_counter() - t0, known=known)

    # -- place the rest ---------------------------------------------------------
    def place_rest(self, cards: Iterable[str], new_groups: bool = True) -> PlaceRestResult:
        """Propose a place for every card not yet on the wall; changes nothing.

        Each card gets the most probable cluster on the wall, with that
        probability as its confidence and the placed cards it is most like as
        the explanation. Cards for which "new cluster" is the likelier call
        are grouped among themselves (:class:`ThemeClusterer` on just those
        cards) into numbered new groups; their confidence is the probability
        of "new cluster" and their explanation the fellow cards in their group.
        Cards already on the wall and repeated texts are proposed once each.
        """
        t0 = time.perf_counter()
        on_wall = {t for t, _ in self._cards}
        todo = [c for c in dict.fromkeys(str(c) for c in cards) if c not in on_wall]
        if not todo:
            return PlaceRestResult([], time.perf_counter() - t0)
        X = self._vec(todo)
        placed: dict[str, tuple] = {}
        leftovers: list[int] = []
        for i, card in enumerate(todo):
            keys, cos, p, p_new, _, _ = self._probabilities(X[i], card)
            if keys and p.max() >= p_new:
                j = int(np.argmax(p))
                alts = sorted(range(len(keys)), key=lambda a: (-p[a], _canon(keys[a])))[1:EXPLAIN + 1]
                placed[card] = (keys[j], float(p[j]), self._like(X[i], keys[j]),
                                tuple((keys[a], round(float(p[a]), 4)) for a in alts))
            else:
                leftovers.append(i)
                placed[card] = (None, p_new, (), ())
        groups: dict[int, int] = {}
        if leftovers:
            if new_groups and len(leftovers) > 1:
                from goldenthread.engine.cluster import ThemeClusterer

                ref = self._vec(list(REFERENCE_STATEMENTS))
                lab = ThemeClusterer(z=self.z, reference=ref).fit(
                    X[leftovers], keys=[todo[i] for i in leftovers]).labels_
            else:
                lab = np.arange(len(leftovers))
            for i, g in zip(leftovers, lab):
                groups[i] = int(g) + 1
        out = []
        for i, card in enumerate(todo):
            cl, conf, like, alts = placed[card]
            if cl is None:
                mates = [j for j in leftovers if groups[j] == groups[i] and j != i]
                sims = X[mates] @ X[i] if mates else np.zeros(0)
                top = sorted(range(len(mates)), key=lambda m: (-sims[m], todo[mates[m]]))[:EXPLAIN]
                like = tuple(Like(todo[mates[m]], round(float(sims[m]), 4)) for m in top)
                out.append(Proposal(card, None, groups[i], round(conf, 4), like))
            else:
                out.append(Proposal(card, cl, None, round(conf, 4), like, alts))
        return PlaceRestResult(out, time.perf_counter() - t0)


def place_known(texts: Sequence[str], known_texts: Sequence[str], known_labels: Sequence[Hashable],
                embedder: "str | Embedder" = "minilm", z: float = DEFAULT_Z) -> list[Hashable | None]:
    """Put each statement in the known theme it belongs to, or ``None``.

    ``known_texts``/``known_labels`` are last cycle's confirmed statements and
    their themes. A :class:`CardCallAssistant` learns from them (their
    decisions replayed, see :meth:`CardCallAssistant.fit_prior`) and holds them
    as the wall; each statement goes to the theme the learnt choice model
    rates most probable, or ``None`` where "a new theme" is the likelier call,
    so the calibration is the one past rooms taught, not a fixed similarity.
    Statements are judged independently (order does not matter).

    >>> place_known(["I feel so lonely at night", "Quantum lattice chromodynamics"],
    ...             ["I am lonely", "I feel lonely", "I love my garden", "My garden is lovely"],
    ...             ["lonely", "lonely", "garden", "garden"], embedder="hashing")
    ['lonely', None]
    """
    if len(known_texts) != len(known_labels):
        raise ValueError("known_texts and known_labels must have the same length")
    cc = CardCallAssistant(model=embedder, z=z)
    themes: dict[Hashable, list[str]] = {}
    for t, lab in zip(known_texts, known_labels):
        if str(t).strip():
            themes.setdefault(lab, []).append(str(t))
    cc.load(themes)
    out: list[Hashable | None] = []
    cc._vec([str(t) for t in texts])
    for t in texts:
        keys, _, p, p_new, _, _ = cc._probabilities(cc._vec([str(t)])[0], str(t))
        out.append(keys[int(np.argmax(p))] if keys and p.max() >= p_new else None)
    return out


__all__ = ["CardCallAssistant", "CardSuggestion", "ClusterFit", "Like", "Proposal",
           "PlaceRestResult", "place_known", "EXPLAIN"]
