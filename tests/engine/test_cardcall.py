"""Card-call assistant."""
from __future__ import annotations

import time

import pytest

from goldenthread.engine import CardCallAssistant
from tests.engine.conftest import GARDEN, LONELY, MONEY, ODD


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
    s = CardCallAssistant(model="hashing", calibrated=False).load(
        {"lonely": LONELY[:4], "garden": GARDEN[:4], "money": MONEY[:4]}).suggest(
        "Quantum chromodynamics lattice simulations fascinate physicists")
    assert s.new_cluster and s.best is None
    assert s.ranked[0].score < s.threshold


def test_a_card_that_fits_nothing_is_left_for_the_room_when_calibrated():
    """Calibrated, on a wall where the room has never left a card alone, "new" is less likely a priori
    (a Good-Turing prior learnt across rooms), but no cluster is offered as likely either."""
    s = _wall().suggest("Quantum chromodynamics lattice simulations fascinate physicists")
    assert s.new_cluster or s.ranked[0].score < 0.4
    assert s.new_probability > _wall().suggest(LONELY[5]).new_probability


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


# -- learning from the room ------------------------------------------------------

AMBIGUOUS = [
    "I worry about my bills and I feel lonely",
    "Money worries leave me lonely at home",
    "I am lonely and behind with my bills",
    "Bills and being on my own get me down",
    "I feel lonely when the bills arrive",
    "Lonely evenings worrying about bills",
]


def test_the_rooms_repeated_decisions_change_the_ranking():
    """A room that keeps putting mixed cards with 'money' teaches the assistant to rank it higher."""
    def wall():
        cc = CardCallAssistant(model="hashing")
        cc.load({"lonely": LONELY[:4], "money": MONEY[:4]})
        return cc

    before = wall().suggest(AMBIGUOUS[-1])
    cc = wall()
    for card in AMBIGUOUS[:-1]:
        cc.add(card, "money")
    after = cc.suggest(AMBIGUOUS[-1])
    p_money = {r.cluster: r.score for r in before.ranked}["money"]
    assert after.ranked[0].cluster == "money"
    assert {r.cluster: r.score for r in after.ranked}["money"] > p_money
    assert cc.n_decisions_ == 8 + 5


def test_a_moved_card_counts_against_its_old_cluster():
    never = CardCallAssistant(model="hashing")
    never.load({"lonely": LONELY[:4], "money": MONEY[:4]})
    never.add(AMBIGUOUS[0], "money")
    moved = CardCallAssistant(model="hashing")
    moved.load({"lonely": LONELY[:4], "money": MONEY[:4]})
    moved.add(AMBIGUOUS[0], "lonely")
    moved.move(AMBIGUOUS[0], "money")
    sim = {r.cluster: r.similarity for r in never.suggest(AMBIGUOUS[1]).ranked}
    sim_moved = {r.cluster: r.similarity for r in moved.suggest(AMBIGUOUS[1]).ranked}
    # Not merely gone from 'lonely': it now pulls 'lonely' away from cards like it.
    assert sim_moved["lonely"] < sim["lonely"]
    assert sim_moved["money"] == pytest.approx(sim["money"])
    assert [t for t, c in moved._cards if t == AMBIGUOUS[0]] and \
        all(c == "money" for t, c in moved._cards if t == AMBIGUOUS[0])


def test_same_decisions_in_same_order_give_the_same_answers():
    def replay():
        cc = CardCallAssistant(model="hashing")
        out = []
        for i, card in enumerate(LONELY + GARDEN + MONEY + AMBIGUOUS):
            s = cc.suggest(card)
            out.append((s.new_cluster, [(r.cluster, r.score, r.similarity) for r in s.ranked], s.threshold))
            cc.add(card, ["lonely", "garden", "money", "money"][min(i // 5, 3)])
        return out, cc.theta_.tolist()

    assert replay() == replay()


def test_new_cluster_is_called_often_early_and_rarely_late():
    cc = CardCallAssistant(model="hashing")
    early = []
    for card in LONELY[:1] + GARDEN[:1] + MONEY[:1]:
        early.append(cc.suggest(card).new_cluster)
        cc.add(card, card[:8])
    assert all(early)
    for card, c in zip(LONELY[1:5] + GARDEN[1:4] + MONEY[1:4],
                       [LONELY[0][:8]] * 4 + [GARDEN[0][:8]] * 3 + [MONEY[0][:8]] * 3):
        cc.add(card, c)
    assert not cc.suggest(LONELY[5]).new_cluster
    assert not cc.suggest(GARDEN[4]).new_cluster


def test_a_locked_cluster_is_no_longer_suggested_and_a_rename_keeps_its_cards():
    cc = _wall()
    cc.lock("lonely")
    assert "lonely" not in {r.cluster for r in cc.suggest(LONELY[5]).ranked}
    cc.lock("lonely", False)
    cc.rename("lonely", "I feel lonely", name="I feel lonely")
    s = cc.suggest(LONELY[5])
    assert s.best == "I feel lonely" and s.ranked[0].size == 4
    assert "lonely" not in cc.clusters


def test_suggestions_explain_themselves_with_the_placed_cards_they_are_like():
    s = _wall().suggest(LONELY[4])
    top = s.ranked[0]
    assert 1 <= len(top.like) <= 3
    assert all(like.card in LONELY[:4] for like in top.like)
    sims = [like.similarity for like in top.like]
    assert sims == sorted(sims, reverse=True)
    assert top.reason == "like 4 cards in lonely"


def test_place_rest_proposes_every_unplaced_card_exactly_once():
    cc = _wall()
    rest = [LONELY[4], GARDEN[4], MONEY[4], LONELY[5], ODD[0], LONELY[0], LONELY[4],
            "Quantum chromodynamics lattice simulations fascinate physicists"]
    board = cc.place_rest(rest)
    cards = [p.card for p in board.proposals]
    want = list(dict.fromkeys(c for c in rest if c not in LONELY[:4]))
    assert cards == want                       # once each, wall cards left out, order kept
    for p in board.proposals:
        assert 0.0 <= p.confidence <= 1.0
        assert (p.cluster is None) != (p.new_group is None)
    by = {p.card: p for p in board.proposals}
    assert by[LONELY[4]].cluster == "lonely" and by[GARDEN[4]].cluster == "garden"
    assert all(like.card in LONELY[:4] for like in by[LONELY[4]].like) and by[LONELY[4]].like
    # Cards that fit nothing: never proposed for a cluster with confidence (calibrated, they may be
    # offered at "not very likely", left for the room, rather than as a new theme).
    odd = [by[ODD[0]], by["Quantum chromodynamics lattice simulations fascinate physicists"]]
    assert all(p.is_new or p.confidence < 0.4 for p in odd)
    raw = CardCallAssistant(model="hashing", calibrated=False)
    raw.load({"lonely": LONELY[:4], "garden": GARDEN[:4], "money": MONEY[:4]})
    by_raw = {p.card: p for p in raw.place_rest(rest).proposals}
    assert by_raw[ODD[0]].is_new
    assert by_raw[ODD[0]].new_group == by_raw[odd[1].card].new_group
    assert by_raw[ODD[0]].like[0].card == odd[1].card
    # A proposal board changes nothing on the wall.
    assert cc.clusters == ["garden", "lonely", "money"] and len(cc._cards) == 12
    assert {LONELY[4], GARDEN[4], MONEY[4], LONELY[5]} <= {p.card for p in board.accepted(0.0)}
    assert {p.card for p in board.accepted(0.5)} == {LONELY[4], GARDEN[4], MONEY[4], LONELY[5]}


def test_last_cycles_themes_train_the_first_suggestion():
    from goldenthread.engine.cardcall import place_known

    prior = {"I feel lonely": LONELY[:4], "I love my garden": GARDEN[:4]}
    cc = CardCallAssistant(model="hashing", prior=prior)
    s = cc.suggest(LONELY[5])
    assert s.new_cluster and s.known is not None and s.known.cluster == "I feel lonely"
    assert s.known.like and s.known.like[0].card in LONELY[:4]
    assert cc.n_decisions_ == 8
    cc.add(LONELY[4], "I feel lonely")     # the room uses last cycle's theme
    s = cc.suggest(LONELY[5])
    assert s.best == "I feel lonely"
    assert place_known([LONELY[5], GARDEN[4], ODD[0]], LONELY[:4] + GARDEN[:4],
                       ["lonely"] * 4 + ["garden"] * 4, embedder="hashing") == ["lonely", "garden", None]


class _MeaninglessEmbedder:
    """Every text gets its own pseudo-random direction: meaning tells nothing,
    so only the words a card shares with a cluster can."""

    name = "meaningless"

    def encode(self, texts):
        import hashlib

        import numpy as np

        out = []
        for t in texts:
            seed = int(hashlib.sha1(t.encode()).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).normal(size=64)
            out.append(v / np.linalg.norm(v))
        return np.array(out)


_BUS = ["The bus to town is always late", "I miss the bus on Sundays", "No bus after six in the evening",
        "The bus driver is kind to me", "I need help getting on the bus", "The bus stop is too far"]
_WIFI = ["The wifi in my flat keeps dropping", "I have no wifi to call my sister", "Wifi would help me shop",
         "My wifi password never works", "I want faster wifi at home", "The wifi is off at night"]


def test_a_room_that_groups_by_shared_words_teaches_the_assistant_to_weigh_them():
    cc = CardCallAssistant(model=_MeaninglessEmbedder())
    assert cc.theta_[3] == 0.0                      # words count for nothing before the room decides
    for b, w in zip(_BUS[:5], _WIFI[:5]):
        cc.add(b, "bus")
        cc.add(w, "wifi")
    assert cc.theta_[3] > 1.0                       # learnt from the room's decisions
    assert cc.suggest(_BUS[5]).ranked[0].cluster == "bus"
    assert cc.suggest(_WIFI[5]).ranked[0].cluster == "wifi"


def test_without_the_lexical_view_shared_words_are_not_weighed():
    cc = CardCallAssistant(model=_MeaninglessEmbedder(), lexical=False)
    for b, w in zip(_BUS[:5], _WIFI[:5]):
        cc.add(b, "bus")
        cc.add(w, "wifi")
    assert cc.theta_[3] == 0.0


def test_the_choice_model_fit_stays_finite_with_nearly_identical_features():
    import numpy as np

    from goldenthread.engine.cardcall_fit import ChoiceModel

    rng = np.random.default_rng(0)
    ch = ChoiceModel(np.zeros(5), np.full(5, 100.0))     # a weak prior: an undamped Newton step can overshoot
    for _ in range(60):
        f = rng.normal(size=(6, 1)) * 30
        F = np.hstack([f, f + 1e-6 * rng.normal(size=(6, 1)), rng.normal(size=(6, 2))])
        ch.record(F, int(np.argmax(f[:, 0])))
    assert np.all(np.isfinite(ch.theta))
    u, _ = ch.utilities(F)
    assert int(np.argmax(u)) == int(np.argmax(F[:, 0]))
