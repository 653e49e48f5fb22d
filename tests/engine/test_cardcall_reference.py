"""Last year's named themes as a head start in the card call (engine/cardcall_reference.py)."""
from __future__ import annotations

from goldenthread.engine import CardCallAssistant
from goldenthread.engine.cardcall_reference import LastYearTheme, LastYearThemes
from tests.engine.conftest import GARDEN, LONELY, MONEY, ODD

LAST_YEAR = {"I feel lonely": LONELY[:3], "I love my garden": GARDEN[:3], "I worry about money": MONEY[:3]}


def _fresh():
    return CardCallAssistant(model="hashing"), LastYearThemes(LAST_YEAR)


def test_from_the_first_card_last_years_theme_is_offered_by_name():
    cc, ly = _fresh()
    s = ly.suggest(cc, LONELY[4])
    assert s.ranked == [] and s.best is None and not s.new_cluster
    assert s.best_last_year.name == "I feel lonely" and s.starts_new
    assert s.best_last_year.reason == "like last year's ‘I feel lonely’"
    assert s.best_last_year.like[0].card in LONELY[:3]
    assert abs(sum(f.score for f in s.last_year) + s.threshold - 1.0) < 0.01  # probabilities together
    assert ly.suggest(cc, ODD[0]).new_cluster  # a card like none of last year's themes: a plain new cluster
    assert cc.n_decisions_ == 0 and cc.clusters == []  # asking changes nothing


def test_accepting_last_years_theme_hands_it_to_the_rooms_cluster():
    cc, ly = _fresh()
    cc.add(LONELY[5], "c1")
    ly.claim("I feel lonely", "c1")
    s = ly.suggest(cc, "Apart from my carers I see nobody all week")
    assert s.best == "c1" and s.taken == {"I feel lonely": "c1"}
    assert "I feel lonely" not in [f.theme for f in s.last_year]


def test_a_room_cluster_named_as_last_years_theme_takes_its_place():
    cc, ly = _fresh()
    cc.add(GARDEN[3], "g")
    cc.rename("g", "g", name="I LOVE my garden ")
    assert ly.suggest(cc, GARDEN[4]).taken["I love my garden"] == "g"


def test_the_rooms_own_cluster_for_such_cards_is_never_outranked_by_last_years_theme():
    # The room put lonely cards in its own unnamed cluster without accepting last year's theme.
    cc, ly = _fresh()
    for card in LONELY[3:5]:
        cc.add(card, "ours")
    cc.add(GARDEN[4], "plants")
    s = ly.suggest(cc, LONELY[5])
    assert s.taken.get("I feel lonely") == "ours"
    assert s.top(1)[0].cluster == "ours"
    assert "I feel lonely" not in [f.theme for f in s.last_year]


def test_last_years_theme_outranks_an_unrelated_cluster_of_this_year():
    cc, ly = _fresh()
    cc.add(GARDEN[4], "plants")
    s = ly.suggest(cc, MONEY[4])
    assert s.best is None and s.best_last_year.name == "I worry about money"
    assert s.top(2)[0].theme == "I worry about money"


def test_place_the_rest_proposes_starting_last_years_themes_as_named_groups():
    cc, ly = _fresh()
    cc.add(GARDEN[3], "plants")
    cc.add(GARDEN[4], "plants")
    board = ly.place_rest(cc, [MONEY[3], MONEY[4], LONELY[4], GARDEN[0], ODD[0]])
    by = {p.card: p for p in board.proposals}
    assert by[GARDEN[0]].cluster == "plants"                       # the room's cluster, not last year's
    money = by[MONEY[3]].new_group
    assert money is not None and by[MONEY[4]].new_group == money
    assert board.last_year[money].name == "I worry about money"
    assert board.last_year[by[LONELY[4]].new_group].name == "I feel lonely"
    assert by[ODD[0]].new_group not in board.last_year            # a plain new group
    assert all(0.0 <= p.confidence <= 1.0 for p in board.proposals)
    assert cc.clusters == ["plants"]                              # nothing applied


def test_the_same_wall_and_themes_give_the_same_answers():
    themes = [LastYearTheme(7, "I feel lonely", tuple(LONELY[:3])), LastYearTheme(9, "Empty", ())]
    answers = []
    for _ in range(2):
        cc = CardCallAssistant(model="hashing")
        ly = LastYearThemes(themes)
        assert len(ly) == 1  # a theme without cards is left out
        cc.add(GARDEN[0], "g")
        s = ly.suggest(cc, LONELY[4])
        answers.append((s.best, s.best_last_year, s.threshold, [f.score for f in s.ranked]))
    assert answers[0] == answers[1] and answers[0][1].theme == 7
