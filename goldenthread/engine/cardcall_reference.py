"""Last year's named themes as a head start in the card call.

When a cycle follows one whose room named its themes, those themes are a good
guess for this year's card call from the very first card, before this room has
built anything on its wall. :class:`LastYearThemes` holds them as *reference
clusters*: each is last year's theme name and its cards (one kind of card, as
each board is one kind), beside a
:class:`~goldenthread.engine.cardcall.CardCallAssistant` but never on its wall.

How a reference theme is weighed
--------------------------------
A reference theme is one more alternative in the assistant's choice model (see
:mod:`goldenthread.engine.cardcall`), with the features of a cluster of one card
(log size 0): its cosine to the card is the cosine to the prototype of last
year's cards plus its name, its word overlap the lexical cosine to them. So the
learnt weights of *this* room price it, and against "new cluster" it wins
exactly when a one-card cluster with that fit would: when the card is ``z``
standard deviations of a typical pair closer than chance, as the room has
learnt it. Nothing is tuned to a data set. Its probability is set beside the
assistant's own probabilities of the wall and of "new cluster" (``p_theme =
p_new * exp(u_theme - u_new)``, the conditional logit) and all are renormalised
together, so the assistant's own calibration of the wall is kept.

The room is in charge
---------------------
A reference theme is only offered while the room has no cluster of its own for
it. The room *has* one (the theme is "taken" by that cluster, and is no longer
offered) when

* the room accepted it (:meth:`LastYearThemes.claim`), or named a cluster with
  the same words (any case); or
* the room has placed cards that match it: each card on the wall matches the
  reference theme it fits best (its utility beats "new cluster"), and a theme is
  taken by the cluster holding most of the cards that match it.

So a reference theme never outranks the room's own cluster for those cards:
from then on the room's cluster, learnt from the room, is what is ranked.
Accepting "like last year's ‘I feel lonely’" is the room's decision to start a
new cluster with that name proposed; nothing here changes the wall.

Everything is deterministic: the same wall and the same themes give the same
answers (ties are broken by the themes' order as given).
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field, replace
from typing import Hashable, Iterable, Mapping, Sequence

import numpy as np

from goldenthread.engine.cardcall import EXPLAIN, CardCallAssistant, _canon
from goldenthread.engine.cardcall_results import CardSuggestion, ClusterFit, Like, PlaceRestResult, Proposal


@dataclass(frozen=True)
class LastYearTheme:
    """One of last year's named themes: a ``key`` (e.g. last year's cluster id), its ``name`` and its cards."""

    key: Hashable
    name: str
    cards: tuple[str, ...]


@dataclass(frozen=True)
class LastYearFit(ClusterFit):
    """How well a card fits one of last year's themes (not on this year's wall): a
    :class:`~goldenthread.engine.cardcall_results.ClusterFit` whose ``cluster`` is last year's theme key
    (also ``theme``), with its ``name``. ``score`` is the probability that the room starts this theme again
    with the card; ``fits`` is True when that beats a plain new cluster; ``size`` is how many cards it had
    last year and ``like`` holds last year's cards the card is most like.
    """

    name: str = ""

    @property
    def theme(self) -> Hashable:
        return self.cluster

    @property
    def reason(self) -> str:
        """``like last year's ‘I feel lonely’``."""
        return f"like last year's ‘{self.name}’"


@dataclass
class HeadStartSuggestion:
    """A card's suggestion with last year's themes beside the wall.

    ``ranked`` holds the clusters on the wall (probabilities renormalised with
    last year's themes counted in); ``last_year`` the themes of last year not
    yet taken by a cluster of the room, most probable first; ``threshold`` the
    probability of a plain new cluster. Exactly one headline: ``best`` (a
    cluster on the wall), ``best_last_year`` (start last year's theme again)
    or ``new_cluster`` (a plain new cluster). ``taken`` maps each of last
    year's themes the room has its own cluster for to that cluster; ``wall``
    is what the assistant says without last year.
    """

    card: str
    ranked: list[ClusterFit]
    last_year: list[LastYearFit]
    new_cluster: bool
    threshold: float
    best: Hashable | None = None
    best_last_year: LastYearFit | None = None
    taken: dict = field(default_factory=dict)
    wall: CardSuggestion | None = None

    @property
    def starts_new(self) -> bool:
        """The headline starts a new cluster (plain, or last year's theme again)."""
        return self.best is None

    def top(self, k: int = 3) -> list:
        """The first ``k`` of the wall's clusters and last year's themes together, most probable first."""
        both = [(f.score, 0, i, f) for i, f in enumerate(self.ranked)]
        both += [(f.score, 1, i, f) for i, f in enumerate(self.last_year)]
        return [f for *_, f in sorted(both, key=lambda e: (-e[0], e[1], e[2]))[:k]]


@dataclass
class HeadStartRest(PlaceRestResult):
    """A "place the rest" board where some new groups start last year's themes again:
    ``last_year`` maps such a group's number to the :class:`LastYearTheme`."""

    last_year: dict[int, LastYearTheme] = field(default_factory=dict)


def _unit(M: np.ndarray) -> np.ndarray:
    return M / np.maximum(np.linalg.norm(M, axis=1, keepdims=True), 1e-12)


def _norm(name: str) -> str:
    return " ".join(str(name).lower().split())


class LastYearThemes:
    """Last year's named themes of one kind, offered beside a card-call assistant's wall.

    Parameters
    ----------
    themes : iterable of :class:`LastYearTheme`, or mapping {name: [card, ...]}
        Themes without cards are left out (there is nothing to compare with).
    compete : bool, default=True
        Last year's themes are alternatives beside the wall's clusters and "new cluster" (the card may be
        called last year's theme rather than a cluster of the wall). With ``False`` they only *name* a new
        cluster: whether the card joins the wall is decided as without them, and the probability of
        "new cluster" is shared between a plain new cluster and last year's themes.

    Examples
    --------
    >>> from goldenthread.engine.cardcall import CardCallAssistant
    >>> cc = CardCallAssistant(model="hashing")
    >>> ly = LastYearThemes({"I feel lonely": ["I see nobody all day", "Nobody visits me all day"],
    ...                      "I love my garden": ["I love my garden", "My garden makes me happy"]})
    >>> s = ly.suggest(cc, "Nobody visits me, I see nobody all day")
    >>> s.best_last_year.name, s.best_last_year.reason
    ('I feel lonely', "like last year's ‘I feel lonely’")
    >>> cc.add("Nobody visits me, I see nobody all day", "c1"); ly.claim("I feel lonely", "c1")
    >>> s = ly.suggest(cc, "I see nobody all day long")
    >>> s.best, [f.name for f in s.last_year], s.taken
    ('c1', ['I love my garden'], {'I feel lonely': 'c1'})
    """

    def __init__(self, themes: "Iterable[LastYearTheme] | Mapping[str, Sequence[str]]",
                 compete: bool = True) -> None:
        self.compete = compete
        if isinstance(themes, Mapping):
            themes = [LastYearTheme(name, str(name), tuple(cards)) for name, cards in themes.items()]
        self.themes: list[LastYearTheme] = [
            LastYearTheme(t.key, str(t.name), tuple(str(c) for c in t.cards if str(c).strip()))
            for t in themes]
        self.themes = [t for t in self.themes if t.cards]
        self._claims: dict[Hashable, Hashable] = {}
        self._geometry: tuple | None = None
        self._state: tuple | None = None
        self._linked: "weakref.WeakKeyDictionary[CardCallAssistant, set]" = weakref.WeakKeyDictionary()

    def __len__(self) -> int:
        return len(self.themes)

    def claim(self, theme: Hashable, cluster: Hashable) -> None:
        """The room accepted last year's ``theme`` for ``cluster`` (or said the cluster is that theme)."""
        self._claims[theme] = cluster

    # -- geometry ---------------------------------------------------------------
    def _vectors(self, cc: CardCallAssistant):
        """(unit prototypes, [last year's card vectors per theme]) in the assistant's embedding (cached)."""
        if self._geometry is None or self._geometry[0] is not cc.embedder:
            cards = [cc._vec(list(t.cards)) for t in self.themes]
            names = cc._vec([t.name for t in self.themes]) if self.themes else np.zeros((0, cc._dim))
            P = np.vstack([c.sum(axis=0) + n for c, n in zip(cards, names)]) if self.themes \
                else np.zeros((0, cc._dim))
            self._geometry = (cc.embedder, _unit(P), cards)
        return self._geometry[1], self._geometry[2]

    def _lexical(self, cc: CardCallAssistant, wall_texts: list[str]):
        if cc._lex is None or not self.themes:
            return None
        return cc._lex.prototypes(wall_texts, [list(t.cards) + [t.name] for t in self.themes])

    def _wall_state(self, cc: CardCallAssistant):
        """(taken {theme key: cluster}, lexical prototypes) for the wall as it is now (cached per wall)."""
        cards = tuple(cc._cards)
        names = tuple(sorted(((_canon(k), _norm(v), k) for k, v in cc._name_text.items()), key=lambda e: e[:2]))
        key = (id(cc), cards, names, tuple(self._claims.items()), tuple(sorted(cc._locked, key=_canon)))
        if self._state is None or self._state[0] != key:
            taken = self._taken(cc, names)
            self._link(cc, taken)
            self._state = (key, taken, self._lexical(cc, [t for t, _ in cards]))
        return self._state[1], self._state[2]

    def _link(self, cc: CardCallAssistant, taken: dict) -> None:
        """Last year's cards of each taken theme count for the room's cluster that took it (as last cycle's
        cards count for a theme of the same key, see :meth:`CardCallAssistant.fit_prior`); a theme no longer
        taken gives them back."""
        at = {t.key: j for j, t in enumerate(self.themes)}
        want = {(cluster, at[theme]) for theme, cluster in taken.items() if theme in at}
        have = self._linked.setdefault(cc, set())
        if want == have:
            return
        _, cards = self._vectors(cc)
        for (cluster, j), sign in sorted([(e, -1) for e in have - want] + [(e, 1) for e in want - have],
                                         key=lambda e: (_canon(e[0][0]), e[0][1], e[1])):
            texts = list(self.themes[j].cards)
            cc._prior_sum[cluster] = cc._prior_sum.get(cluster, 0.0) + sign * cards[j].sum(axis=0)
            cc._prior_n[cluster] = cc._prior_n.get(cluster, 0) + sign * len(texts)
            mine = cc._prior_cards.setdefault(cluster, [])
            if sign > 0:
                mine.extend(texts)
            else:
                for t in texts:
                    mine.remove(t)
            if cc._prior_n[cluster] <= 0:
                for d in (cc._prior_sum, cc._prior_n, cc._prior_cards):
                    d.pop(cluster, None)
        self._linked[cc] = want
        cc._proto = cc._wall = cc._lexp = None

    def _taken(self, cc: CardCallAssistant, names) -> dict:
        on_wall = {k for k, n in cc._n.items() if n > 0}
        taken: dict[Hashable, Hashable] = {}
        for theme, cluster in self._claims.items():
            if cluster in on_wall:
                taken[theme] = cluster
        by_name = {_norm(t.name): t.key for t in self.themes}
        for _, name, cluster in names:
            if cluster in on_wall and by_name.get(name) is not None:
                taken.setdefault(by_name[name], cluster)
        if not cc._cards or not self.themes:
            return taken
        # Cards the room has placed that match a theme: the cluster holding most of them takes it.
        texts, W, rows, _ = cc._wall_matrix()
        P, _ = self._vectors(cc)
        cos = W @ P.T                                        # wall cards x themes
        best = np.argmax(cos, axis=1)
        F = np.zeros((len(texts), 4))
        F[:, 0] = cos[np.arange(len(texts)), best]
        u, u_new = cc._choice.utilities(F)
        counts: dict[int, dict[Hashable, int]] = {}
        for cluster, r in rows.items():
            if cluster not in on_wall:
                continue
            for i in r:
                if u[i] > u_new:
                    per = counts.setdefault(int(best[i]), {})
                    per[cluster] = per.get(cluster, 0) + 1
        for j, per in sorted(counts.items()):
            key = self.themes[j].key
            if key not in taken:
                taken[key] = min(per, key=lambda c: (-per[c], _canon(c)))
        return taken

    def _odds(self, cc: CardCallAssistant, x: np.ndarray, card: str, lex) -> tuple[np.ndarray, np.ndarray]:
        """(probability relative to a plain new cluster, cosine) of each theme for card ``x``."""
        P, _ = self._vectors(cc)
        cos = P @ x
        F = np.zeros((len(cos), 4))
        F[:, 0] = cos
        if lex is not None:
            F[:, 3] = cc._lex.cosines(card, *lex)
        u, u_new = cc._choice.utilities(F)
        return np.exp(np.minimum(u - u_new, 700.0)), cos

    def _like(self, cc: CardCallAssistant, j: int, x: np.ndarray) -> tuple[Like, ...]:
        V = self._vectors(cc)[1][j]
        sims = V @ x
        top = np.argsort(-sims, kind="stable")[:EXPLAIN]
        return tuple(Like(self.themes[j].cards[i], round(float(sims[i]), 4)) for i in top)

    def _judge(self, cc: CardCallAssistant, card: str, taken: dict, lex):
        """Everything one card needs: wall keys and probabilities, p_new, theme probabilities (all
        renormalised together; taken themes 0), and the themes' cosines."""
        x = cc._vec([card])[0]
        keys, _, p, p_new, _, _ = cc._probabilities(x, card)
        odds, cos = self._odds(cc, x, card, lex)
        odds[[i for i, t in enumerate(self.themes) if t.key in taken]] = 0.0
        z = 1.0 + float(odds.sum())
        if self.compete:   # the themes are alternatives beside the wall and "new": all renormalised together
            return x, keys, p / z, p_new / z, p_new * odds / z, cos
        # names only: "new cluster" keeps its probability, shared between a plain new cluster and the themes
        return x, keys, p, p_new / z, p_new * odds / z, cos

    def _wall_first(self, p: np.ndarray, p_new: float, q: np.ndarray) -> bool:
        """Is a cluster on the wall the headline? (against last year's themes too, or only against "new")"""
        if not len(p):
            return False
        rival = max(float(q.max()) if len(q) else 0.0, p_new) if self.compete else p_new + float(q.sum())
        return float(p.max()) >= rival

    # -- what the room sees -------------------------------------------------------
    def suggest(self, cc: CardCallAssistant, card: str, top: int | None = None) -> HeadStartSuggestion:
        """The assistant's suggestion for ``card`` with last year's themes offered beside the wall.

        Changes nothing. ``top`` (default the assistant's) bounds both the wall's clusters and last
        year's themes returned.
        """
        k = top or cc.top
        wall = cc.suggest(card, top=k)
        taken, lex = self._wall_state(cc)
        if not self.themes:
            return HeadStartSuggestion(card, wall.ranked, [], wall.new_cluster, wall.threshold, wall.best,
                                       None, taken, wall)
        x, keys, p, p_new, q, cos = self._judge(cc, card, taken, lex)
        at = {c: i for i, c in enumerate(keys)}
        ranked = [replace(f, score=round(float(p[at[f.cluster]]), 4)) for f in wall.ranked]
        order = [int(j) for j in np.argsort(-q, kind="stable") if q[j] > 0][:k]
        last = [LastYearFit(self.themes[j].key, round(float(q[j]), 4), bool(q[j] >= p_new), len(self.themes[j].cards),
                            round(float(cos[j]), 4), self._like(cc, j, x), name=self.themes[j].name)
                for j in order]
        best = best_last_year = None
        if self._wall_first(p, p_new, q):
            best = keys[int(np.argmax(p))]
        elif order and q[order[0]] > p_new:
            best_last_year = last[0]
        return HeadStartSuggestion(card, ranked, last, best is None and best_last_year is None,
                                   round(p_new, 4), best, best_last_year, taken, wall)

    def place_rest(self, cc: CardCallAssistant, cards: Iterable[str], new_groups: bool = True) -> HeadStartRest:
        """"Place the rest" with last year's themes: a card whose most probable place is one of last
        year's themes (not yet taken) is proposed for a new group that starts that theme again, one group
        per theme; the others are proposed as :meth:`CardCallAssistant.place_rest` would (its confidences
        renormalised with last year's themes counted in). Changes nothing."""
        on_wall = {t for t, _ in cc._cards}
        todo = [c for c in dict.fromkeys(str(c) for c in cards) if c not in on_wall]
        taken, lex = self._wall_state(cc)
        chosen: dict[str, tuple] = {}
        probs: dict[str, tuple] = {}
        for card in todo if self.themes else ():
            x, keys, p, p_new, q, _ = self._judge(cc, card, taken, lex)
            probs[card] = ({k: float(v) for k, v in zip(keys, p)}, float(p_new))
            j = int(np.argmax(q))
            if not self._wall_first(p, p_new, q) and q[j] > p_new:
                chosen[card] = (j, float(q[j]), self._like(cc, j, x))
        groups: dict[int, int] = {}
        for card in todo:
            if card in chosen and chosen[card][0] not in groups:
                groups[chosen[card][0]] = len(groups) + 1
        base = cc.place_rest([c for c in todo if c not in chosen], new_groups=new_groups)
        proposals = {pr.card: pr for pr in base.proposals}
        out = []
        for card in todo:
            if card in chosen:
                j, conf, like = chosen[card]
                out.append(Proposal(card, None, groups[j], round(conf, 4), like))
            else:
                pr = proposals[card]
                conf = pr.confidence
                if card in probs:   # with last year's themes counted in
                    conf = probs[card][1] if pr.cluster is None else probs[card][0].get(pr.cluster, conf)
                out.append(replace(pr, confidence=round(conf, 4),
                                   new_group=None if pr.new_group is None else pr.new_group + len(groups)))
        return HeadStartRest(out, base.seconds, {g: self.themes[j] for j, g in groups.items()})


__all__ = ["LastYearTheme", "LastYearFit", "LastYearThemes", "HeadStartSuggestion", "HeadStartRest"]
