"""A small workshop on invented cards, and a facilitator to run it."""
from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.core import roles

CARDS = [
    ("working", "I love going to the allotment with my friend"),
    ("working", "I like the allotment club on Tuesdays"),
    ("not_working", "I can't get a bus to town after six"),
    ("not_working", "The bus stops too early in the evening"),
    ("not_working", "Staff change too often and I don't know them"),
    ("future", "I want my own flat one day"),
]


@pytest.fixture
def facilitator(make_user):
    return make_user(roles.FACILITATOR, "fran")


@pytest.fixture
def workshop_cycle(cycle):
    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.saving import save_reviews

    drafts = [ReviewDraft(reference=f"W-{i}", person_ref=f"P-{i}", review_date=dt.date(2026, 1, 5 + i),
                          area="Harford", user_group="Older people", consent=True,
                          statements=[StatementDraft(kind, text, priority=1)])
              for i, (kind, text) in enumerate(CARDS)]
    save_reviews(cycle, drafts)
    return cycle


@pytest.fixture
def workshop(workshop_cycle, facilitator):
    from goldenthread.workshops.services import create_workshop

    return create_workshop(workshop_cycle, "Test workshop", "all", facilitator)


@pytest.fixture
def fac_actor(facilitator):
    from goldenthread.workshops.services import Actor

    return Actor(label=facilitator.username, is_facilitator=True)
