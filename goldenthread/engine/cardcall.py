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
every card not yet called, each with a confidence (the model's probability, calibrated across labelled
card calls: :mod:`~goldenthread.engine.cardcall_calib`)
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
from typing import Hashable, Iterable, Mapping, Sequence

import numpy as np

from goldenthread.engine.cardcall_calib import Calibration
from goldenthread.engine.cardcall_fit import ChoiceModel, LexicalView, SoftmaxHead
from goldenthread.engine.cardcall_results import CardSuggestion, ClusterFit, Like, PlaceRestResult, Proposal
from goldenthread.engine.cluster import DEFAULT_Z
from goldenthread.engine.embed import Embedder, get_embedder
from goldenthread.engine.reference import REFERENCE_STATEMENTS

#: How many of the most alike placed cards explain a suggestion or a proposal.
EXPLAIN = 3


def _order_key(text: str) -> str:
    """A fixed pseudo-random order for batches of cards (same text, same place)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _canon(key: Hashable) -> tuple[str, str]:
    return (type(key).__name__, str(key))


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
        n-gram TF-IDF cosine, see :class:`~goldenthread.engine.cardcall_fit.LexicalView`); its weight is learnt
        from the room, starting at zero. "auto" turns it on except with the
        ``"hashing"`` model, whose embedding is already a bag of words.
    calibrated : bool, default=True
        State calibrated probabilities (:class:`~goldenthread.engine.cardcall_calib.Calibration`, learnt
        across labelled sets: "80% sure" is right about 80% of the time, from the first decisions on).
        False gives the choice model's raw probabilities.

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
                 lexical: "bool | str" = "auto", calibrated: bool = True) -> None:
        self.model = model
        self.calibrated = calibrated
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
        self._choice = ChoiceModel(np.array([a0, 1.0, 1.0, 0.0, b0]),
                               np.array([a0, 1.0, 1.0, a0, abs(b0) + 1.0]))
        self._head = SoftmaxHead()
        self._calibration = Calibration() if calibrated else Calibration.raw()
        # "auto": on, unless the embedding is itself a bag of hashed words.
        use_lex = lexical if lexical != "auto" else getattr(self.embedder, "name", None) != "hashing"
        self._lex = LexicalView() if use_lex else None
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
        p, p_new = self._calibration.probabilities(u, u_new, self._prototypes()[2])
        return keys, cos, p, p_new, u, u_new

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
        of "new cluster" (it fits no cluster on the wall), their
        ``group_confidence`` that times the probability that it belongs with
        the fellow cards of its group, and their explanation those cards.
        Probabilities are calibrated (see :mod:`~goldenthread.engine.cardcall_calib`).
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
        with_mates = self._group_probabilities(X, leftovers, groups)
        out = []
        for i, card in enumerate(todo):
            cl, conf, like, alts = placed[card]
            if cl is None:
                mates = [j for j in leftovers if groups[j] == groups[i] and j != i]
                sims = X[mates] @ X[i] if mates else np.zeros(0)
                top = sorted(range(len(mates)), key=lambda m: (-sims[m], todo[mates[m]]))[:EXPLAIN]
                like = tuple(Like(todo[mates[m]], round(float(sims[m]), 4)) for m in top)
                out.append(Proposal(card, None, groups[i], round(conf, 4), like,
                                    group_confidence=round(conf * with_mates[i], 4)))
            else:
                out.append(Proposal(card, cl, None, round(conf, 4), like, alts))
        return PlaceRestResult(out, time.perf_counter() - t0)

    def _group_probabilities(self, X: np.ndarray, leftovers: list[int], groups: dict[int, int]) -> dict[int, float]:
        """For each card proposed for a new theme: the probability that it belongs with the other cards of its
        group (or, alone in its group, on its own), asked of the same calibrated choice model with the new
        groups, less the card, as the wall (meaning and size; the room's words and head are not known
        there). With no cluster on the wall, this is all a new-theme proposal can be sure of."""
        if not leftovers:
            return {}
        gid = sorted(set(groups.values()))
        at = {g: r for r, g in enumerate(gid)}
        S = np.zeros((len(gid), X.shape[1]))
        c = np.zeros(len(gid))
        for i in leftovers:
            S[at[groups[i]]] += X[i]
            c[at[groups[i]]] += 1
        theta = self._choice.theta
        out = {}
        for i in leftovers:
            own = at[groups[i]]
            Si, ci = S.copy(), c.copy()
            Si[own] -= X[i]
            ci[own] -= 1
            keep = ci > 0
            P = Si[keep] / np.maximum(np.linalg.norm(Si[keep], axis=1, keepdims=True), 1e-12)
            cos = P @ X[i]
            u = theta[0] * cos + theta[1] * np.log(ci[keep])
            p, p_new = self._calibration.probabilities(u, float(theta[-1]), ci[keep])
            out[i] = float(p[int(keep[:own].sum())]) if keep[own] else p_new
        return out


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
    # Uncalibrated: a whole table is not a card call (the calibration is learnt from rooms deciding card by
    # card), and here only the most probable answer is used, never a stated probability.
    cc = CardCallAssistant(model=embedder, z=z, calibrated=False)
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
