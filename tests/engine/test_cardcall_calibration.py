"""How sure the card-call assistant is: calibrated probabilities for suggestions and "place the rest"."""
from __future__ import annotations

import numpy as np
import pytest

from goldenthread.engine import CardCallAssistant
from goldenthread.engine.cardcall_calib import ACCEPT_ABOVE, ACCEPT_ABOVE_RIGHT, SHIPPED, Calibration
from tests.engine.conftest import GARDEN, LONELY, MONEY

UNRELATED = [
    "The bus to the day centre never comes on time",
    "Nobody explained my care plan to me",
    "I would like to go swimming again",
    "The night staff are kind and patient",
    "I want to learn to cook for myself",
    "My wheelchair needs fixing and nobody comes",
    "The food at lunch is cold",
]


@pytest.mark.xfail(strict=True, reason="not fixed yet: six joins and no singleton make the Good-Turing prior "
                   "say 'new' is rare, and the hashing model's cosine 0 is a typical pair, so meaning cannot "
                   "overrule it (issue 27; see docs/engine.md)")
def test_after_six_calls_into_one_cluster_unrelated_cards_are_proposed_for_it_with_less_confidence():
    """The room's failure: after six calls into one cluster, unrelated cards were proposed for it at 50-86%.

    The room has only ever joined that cluster, so the choice model alone learns that cards join it; the
    calibration (learnt across rooms) tempers that while the room has decided little and keeps meaning
    counting, so no unrelated card reaches 80%, and every one is less sure than the raw model said."""
    def board(calibrated):
        cc = CardCallAssistant(model="hashing", calibrated=calibrated)
        for card in MONEY[:6]:
            cc.add(card, "money")
        return cc.place_rest(UNRELATED).proposals

    raw, cal = board(False), board(True)
    assert len(cal) == len(UNRELATED)
    assert all(p.confidence < 0.8 for p in cal if p.cluster is not None)
    assert all(c.confidence < r.confidence for c, r in zip(cal, raw) if c.cluster is not None)


def test_with_no_clusters_on_the_wall_no_card_is_proposed_for_a_cluster():
    board = CardCallAssistant(model="hashing").place_rest(LONELY[:3] + GARDEN[:3])
    assert all(p.cluster is None and p.new_group is not None for p in board.proposals)
    assert not board.accepted(0.0)


def test_a_card_unlike_every_cluster_is_more_likely_new_than_one_like_a_cluster():
    cc = CardCallAssistant(model="hashing")
    cc.load({"lonely": LONELY[:4], "garden": GARDEN[:4], "money": MONEY[:4]})
    like = cc.suggest(LONELY[5])
    unlike = cc.suggest("Quantum chromodynamics lattice simulations fascinate physicists")
    assert unlike.new_probability > like.new_probability
    assert not like.new_cluster and like.ranked[0].score > 0.9
    assert unlike.new_cluster or unlike.ranked[0].score < 0.4      # not forced into the nearest with confidence


def test_place_rest_confidences_are_probabilities_that_rise_with_the_evidence():
    cc = CardCallAssistant(model="hashing")
    cc.load({"lonely": LONELY[:4], "garden": GARDEN[:4], "money": MONEY[:4]})
    board = cc.place_rest([LONELY[4], LONELY[5], GARDEN[4], MONEY[4], UNRELATED[0]])
    assert all(0.0 <= p.confidence <= 1.0 for p in board.proposals)
    # The same wall, ever more "lonely" words: the proposal for 'lonely' never gets less sure.
    cards = ["I go out on my own", "I feel lonely on my own", "I feel lonely and alone, lonely all day on my own"]
    conf = [cc.suggest(c).ranked[0].score for c in cards]
    assert all(cc.suggest(c).ranked[0].cluster == "lonely" for c in cards[1:])
    assert conf[1] <= conf[2]


def test_calibration_is_a_monotone_map_that_keeps_the_ranking_and_sums_to_one():
    cal = Calibration()
    sizes = np.array([6.0, 3.0, 1.0])
    ps = []
    for top in np.linspace(-2, 6, 9):
        p, p_new = cal.probabilities(np.array([top, 1.0, 0.5]), 2.0, sizes)
        assert abs(p.sum() + p_new - 1.0) < 1e-9 and np.all(p >= 0) and 0 <= p_new <= 1
        assert p[1] > p[2]                         # the ranking among clusters is the choice model's
        ps.append(p[0])
    assert ps == sorted(ps)                        # a higher utility is never less probable


def test_uncalibrated_is_the_choice_models_own_softmax():
    raw = CardCallAssistant(model="hashing", calibrated=False)
    raw.load({"lonely": LONELY[:4], "garden": GARDEN[:4]})
    s = raw.suggest(LONELY[5])
    keys, _, p, p_new, u, u_new = raw._probabilities(raw._vec([LONELY[5]])[0], LONELY[5])
    e = np.exp(np.append(u, u_new) - max(u.max(), u_new))
    assert np.allclose(np.append(p, p_new), e / e.sum())
    assert s.ranked[0].score == round(float(p.max()), 4)


def test_shipped_constants_and_the_default_accept_level_are_sane():
    assert len(SHIPPED) == 3 and SHIPPED[0] > 0
    assert 0.5 <= ACCEPT_ABOVE <= 0.95 and ACCEPT_ABOVE_RIGHT >= ACCEPT_ABOVE - 0.05


def test_with_no_clusters_a_new_theme_group_is_never_called_certain():
    """The room's failure: with no clusters yet, every card was "very likely (100%)" for its new theme.

    That it fits no cluster is certain (there are none); that it belongs with its group is not."""
    board = CardCallAssistant(model="hashing").place_rest(LONELY[:4] + GARDEN[:4] + MONEY[:4] + UNRELATED)
    assert all(p.confidence == 1.0 for p in board.proposals)
    assert all(p.group_confidence is not None and 0.0 <= p.group_confidence < 0.995 for p in board.proposals)
    by = {p.card: p.group_confidence for p in board.proposals}
    # A card among cards like it is surer of its group than a card unlike its mates.
    assert max(by[c] for c in LONELY[:4]) > min(by.values())
