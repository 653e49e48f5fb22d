"""The demo workshops show the whole method: themes, votes, actions, and they load only once."""
from __future__ import annotations

import pytest

from goldenthread.engine import HashingEmbedder
from goldenthread.demo import load_demo
from goldenthread.demo.workshops import NAME_2025, NAME_2026
from goldenthread.workshops.models import Action, Cluster, Placement, Vote, Workshop, WorkshopCard
from goldenthread.core import themes as suggest


@pytest.fixture
def cheap_engine(monkeypatch):
    """A quick, deterministic embedder instead of the real model."""
    from goldenthread.reporting import matching

    suggest._embedder.cache_clear()
    monkeypatch.setattr(suggest, "_embedder", lambda: HashingEmbedder())
    monkeypatch.setattr(matching, "similarity", lambda a, b: [[1.0 for _ in b] for _ in a])


def counts():
    from goldenthread.reporting.models import ThemeMatch

    return [m.objects.count() for m in (Workshop, WorkshopCard, Cluster, Placement, Vote, Action, ThemeMatch)]


def test_demo_workshops_show_the_whole_method_and_load_once(db, cheap_engine, demo_data):
    w = Workshop.objects.get(cycle__slug="ashdown-2025", name=NAME_2025)
    for board in w.boards.filter(is_main=True):
        assert board.clusters.filter(name__gt="").exists(), board.name
    cards = list(w.cards.values_list("pk", flat=True))
    placed = list(Placement.objects.filter(card__workshop=w).values_list("card_id", flat=True))
    assert cards and sorted(placed) == sorted(cards)
    assert set(w.actions.values_list("stakeholder", flat=True)) == set(Action.Stakeholder.values)
    assert w.actions.filter(status="done").exists() and w.sharing.filter(easy_read=True).exists()
    assert w.votes_revealed and Vote.objects.filter(cluster__board__workshop=w).exists()
    assert Cluster.objects.filter(board__workshop=w, root_causes__depth=3).exists()

    later = Workshop.objects.get(cycle__slug="ashdown-2026", name=NAME_2026)
    assert later.stage == "card_call"
    assert 0 < later.decisions.count() < later.cards.count()

    before = counts()
    load_demo()
    assert counts() == before
