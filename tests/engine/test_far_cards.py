"""A card far from every cluster is proposed as a new theme, never forced into the nearest (however big)."""
from __future__ import annotations

from goldenthread.engine import CardCallAssistant
from tests.engine.conftest import GARDEN, LONELY, MONEY

FAR = ["Quantum chromodynamics lattice simulations fascinate physicists",
       "Saturn has rings made of ice and rock"]


def _wall_with_a_big_cluster():
    cc = CardCallAssistant(model="hashing")
    cc.load({"money": MONEY[:4] + LONELY[:4], "garden": GARDEN[:2]})
    return cc


def test_a_card_like_nothing_on_the_wall_is_called_new_not_put_in_the_biggest_cluster():
    cc = _wall_with_a_big_cluster()
    for card in FAR:
        assert cc._far(cc._vec([card])[0], cc._prototypes()[0])
        assert cc.suggest(card).new_cluster


def test_place_the_rest_proposes_far_cards_as_new_themes_and_still_places_the_near_ones():
    cc = _wall_with_a_big_cluster()
    rest = {p.card: p for p in cc.place_rest(FAR + [MONEY[4], GARDEN[3]]).proposals}
    assert all(rest[card].cluster is None and rest[card].new_group is not None for card in FAR)
    assert rest[MONEY[4]].cluster == "money" and rest[GARDEN[3]].cluster == "garden"


def test_a_card_near_a_cluster_is_not_far():
    cc = _wall_with_a_big_cluster()
    assert not cc._far(cc._vec([GARDEN[3]])[0], cc._prototypes()[0])
