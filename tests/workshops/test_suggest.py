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


def test_names_are_short_and_first_person():
    names = suggest.suggest_names(LONELY, kind="not_working")
    assert names[0] == "I am lonely"
    assert all({"i", "my", "me", "we", "our"} & set(n.lower().split()) for n in names)
    assert all(len(n.split()) <= 8 for n in names)
