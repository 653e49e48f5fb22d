"""What the card-call assistant (:class:`~goldenthread.engine.cardcall.CardCallAssistant`) answers: plain
data for a person to read, accept or change. A suggestion for one card (:class:`CardSuggestion`, its clusters
ranked as :class:`ClusterFit` s) and a "place the rest" board (:class:`PlaceRestResult` of :class:`Proposal` s),
each explained by the placed cards it is most like (:class:`Like`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable

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
    on the wall) the card fits, if any (see :meth:`~goldenthread.engine.cardcall.CardCallAssistant.fit_prior`).
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
    """Where :meth:`~goldenthread.engine.cardcall.CardCallAssistant.place_rest` proposes to put one card.

    Exactly one of ``cluster`` (a cluster on the wall) and ``new_group`` (a
    number shared by cards proposed to start the same new theme together) is
    set. ``confidence`` is the calibrated probability (0..1) that the room
    puts the card in ``cluster``, or, for a new group, that it fits no
    cluster on the wall; ``group_confidence`` (new groups only) the
    probability that it also belongs with the fellow cards of its group: what
    a person accepting the group is trusting. ``like`` holds the placed (or,
    for a new group, the fellow) cards it is most like; ``alternatives`` the
    next-best clusters on the wall with their probabilities.
    """

    card: str
    cluster: Hashable | None
    new_group: int | None
    confidence: float
    like: tuple[Like, ...]
    alternatives: tuple[tuple[Hashable, float], ...] = ()
    group_confidence: float | None = None

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
