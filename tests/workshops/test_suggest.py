"""The workshop's adapter to the theme engine: ranked suggestions, proposals and names."""
import pytest

from goldenthread.engine import HashingEmbedder
from goldenthread.core import themes as suggest

LONELY = ["I see nobody all day apart from staff", "Nobody visits me, I am lonely all day",
          "I am lonely, I see nobody all week"]
BUS = ["There is no bus into town after six", "The bus to town stops running at six",
       "No bus home from town in the evening"]


@pytest.fixture(autouse=True)
def hashing_engine(monkeypatch):
    """A word-hashing embedder: the real engine code, with no model to load."""
    suggest._embedder.cache_clear()
    monkeypatch.setattr(suggest, "_embedder", lambda: HashingEmbedder())


def test_a_card_is_offered_the_cluster_it_fits_first():
    ranked = suggest.rank_clusters("I feel lonely, nobody visits me all day", [(1, BUS), (2, LONELY)])
    assert ranked and ranked[0][0] == 2
    assert all(0.0 <= score <= 1.0 for _, score in ranked)


def test_nothing_is_offered_when_no_cluster_fits():
    assert suggest.rank_clusters("Quantum chromodynamics fascinates me", [(1, BUS), (2, LONELY)]) == []


def test_without_the_engine_word_overlap_still_ranks(monkeypatch):
    monkeypatch.setattr(suggest, "_engine_vectors", lambda texts: None)
    ranked = suggest.rank_clusters("no bus after six", [(1, BUS), (2, LONELY)])
    assert ranked[0][0] == 1


def test_auto_cluster_proposal_groups_like_with_like():
    labels = suggest.cluster_texts(LONELY + BUS)
    assert len(labels) == 6
    assert len(set(labels[:3])) == 1 and len(set(labels[3:])) == 1 and labels[0] != labels[3]


def test_names_are_short_and_first_person(monkeypatch):
    # No embeddings: every card counts as central (the hashing stand-in's "centre" is not the real model's).
    monkeypatch.setattr(suggest, "_engine_vectors", lambda texts: None)
    names = suggest.suggest_names(LONELY, kind="not_working")
    assert names[0] == "I am lonely"
    assert all({"i", "my", "me", "we", "our"} & set(n.lower().split()) for n in names)
    assert all(len(n.split()) <= 8 for n in names)


def test_names_read_against_the_other_clusters_differ_and_skip_names_already_given():
    alone = suggest.suggest_names(BUS, kind="not_working")
    with_board = suggest.suggest_names(BUS, kind="not_working", others=[LONELY])
    assert with_board and all(n != suggest.suggest_names(LONELY, kind="not_working", others=[BUS])[0]
                              for n in with_board[:1])
    taken = suggest.suggest_names(BUS, kind="not_working", others=[LONELY], taken=[alone[0].upper()])
    assert alone[0] not in taken and taken          # a name the room gave another theme is not offered again


def test_a_theme_is_named_against_the_other_clusters_of_its_board_and_their_names(workshop, fac_actor,
                                                                                    monkeypatch):
    from goldenthread.workshops.models import Cluster
    from goldenthread.workshops.services import name_suggestions, run

    cards = {c.statement.card_text: c for c in workshop.cards.select_related("statement")}

    def call(text, cluster="new"):
        run(workshop.pk, fac_actor, "call_card", {"card": cards[text].pk, "cluster": cluster})
        return Cluster.objects.get(placements__card=cards[text])

    bus = call("I can't get a bus to town after six")
    call("The bus stops too early in the evening", bus.pk)
    staff = call("Staff change too often and I don't know them")
    run(workshop.pk, fac_actor, "rename_cluster", {"cluster": staff.pk, "name": "I don't know my staff"})
    call("I love going to the allotment with my friend")          # another kind's board: not read
    asked = []

    def names(texts, kind=None, limit=3, others=(), taken=()):
        asked.append((sorted(texts), [sorted(o) for o in others], list(taken), kind))
        return ["I can't get home"]

    monkeypatch.setattr(suggest, "suggest_names", names)
    assert name_suggestions(bus) == ["I can't get home"]
    assert asked == [(["I can't get a bus to town after six", "The bus stops too early in the evening"],
                      [["Staff change too often and I don't know them"]], ["I don't know my staff"], "not_working")]
