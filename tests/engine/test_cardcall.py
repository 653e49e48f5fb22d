"""Card-call assistant."""
from __future__ import annotations

import time

from goldenthread.engine import CardCallAssistant
from tests.engine.conftest import GARDEN, LONELY, MONEY


def _wall():
    cc = CardCallAssistant(model="hashing")
    cc.load({"lonely": LONELY[:4], "garden": GARDEN[:4], "money": MONEY[:4]})
    return cc


def test_ranks_the_right_cluster_first_with_scores():
    cc = _wall()
    for card, want in ((LONELY[4], "lonely"), (GARDEN[4], "garden"), (MONEY[4], "money")):
        s = cc.suggest(card)
        assert s.ranked[0].cluster == want
        assert not s.new_cluster and s.best == want
        scores = [r.score for r in s.ranked]
        assert scores == sorted(scores, reverse=True)
        assert len(s.ranked) == 3


def test_says_new_cluster_when_nothing_fits():
    s = _wall().suggest("Quantum chromodynamics lattice simulations fascinate physicists")
    assert s.new_cluster and s.best is None
    assert s.ranked[0].score < s.threshold


def test_empty_wall_and_growing_wall():
    cc = CardCallAssistant(model="hashing")
    assert cc.suggest("I feel lonely").new_cluster
    cc.add(LONELY[0], 1)
    cc.add(GARDEN[0], 2)
    cc.add(GARDEN[1], 2)
    assert cc.suggest(GARDEN[2]).best == 2
    cc.move(GARDEN[1], 3)
    assert {r.cluster for r in cc.suggest(GARDEN[2]).ranked} == {1, 2, 3}


def test_answer_does_not_depend_on_order_of_cards():
    a = _wall()
    b = CardCallAssistant(model="hashing")
    b.load({"money": MONEY[:4][::-1], "garden": GARDEN[:4][::-1], "lonely": LONELY[:4][::-1]})
    sa, sb = a.suggest(LONELY[5]), b.suggest(LONELY[5])
    assert [(r.cluster, r.score) for r in sa.ranked] == [(r.cluster, r.score) for r in sb.ranked]


def test_fast_enough_per_card():
    cc = _wall()
    t0 = time.perf_counter()
    for card in LONELY + GARDEN + MONEY:
        cc.suggest(card)
    per_card = (time.perf_counter() - t0) / 16
    assert per_card < 0.25
