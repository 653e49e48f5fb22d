"""A cycle with reviews from two areas, a workshop with a named theme and an action, and the roles."""
from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.core import roles


def fake_engine(texts):
    """Group texts that share their first word (the real engine is tested in tests/engine)."""
    firsts = {}
    return [firsts.setdefault(t.split()[0].lower(), len(firsts)) for t in texts]


@pytest.fixture(autouse=True)
def no_model(monkeypatch):
    from goldenthread.core import themes

    monkeypatch.setattr(themes, "_engine_groups", fake_engine)
    monkeypatch.setattr(themes, "_engine_vectors", lambda texts: None)


@pytest.fixture
def reviewed(cycle):
    """20 people in Northbrook and 2 in Harford reviewed (finished, with consent)."""
    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.saving import save_reviews

    drafts = []
    for i in range(22):
        area = "Northbrook" if i < 20 else "Harford"
        kind, text = [("not_working", "I can't get a bus to town after six"),
                      ("not_working", "The bus stops too early in the evening"),
                      ("working", "I love the allotment club")][i % 3]
        drafts.append(ReviewDraft(reference=f"R-{i}", person_ref=f"P-{i}", review_date=dt.date(2026, 1, 5),
                                  area=area, user_group="Older people", consent=True,
                                  statements=[StatementDraft(kind, text, priority=1)]))
    save_reviews(cycle, drafts)
    return cycle


@pytest.fixture
def facilitator(make_user):
    return make_user(roles.FACILITATOR, "fran")


@pytest.fixture
def workshop(reviewed, facilitator):
    from goldenthread.workshops.services import create_workshop

    return create_workshop(reviewed, "Harford workshop", "all", facilitator)


@pytest.fixture
def fac_actor(facilitator):
    from goldenthread.workshops.services import Actor

    return Actor(label=facilitator.username, is_facilitator=True)


@pytest.fixture
def themed(workshop, fac_actor):
    """One named not-working theme (two cards) with one action agreed for it."""
    from goldenthread.workshops import services

    cards = list(workshop.cards.filter(kind="not_working")[:2])
    services.run(workshop.pk, fac_actor, "call_card", {"card": cards[0].pk, "cluster": "new"})
    theme = services.main_board(workshop, "not_working").clusters.get()
    services.run(workshop.pk, fac_actor, "call_card", {"card": cards[1].pk, "cluster": theme.pk})
    services.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": theme.pk, "name": "I can't get home at night"})
    services.run(workshop.pk, fac_actor, "add_action", {
        "stakeholder": "providers", "text": "Run an evening minibus", "themes": [theme.pk], "owner": "Acorn",
        "measure": "Trips each week", "due": "2026-09-30"})
    return workshop, theme, workshop.actions.get()
