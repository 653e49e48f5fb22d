"""A cycle with reviews, a finished workshop and API clients, all invented.

Themes on the workshop's main boards (people are distinct person IDs):
    not working  "I can't get a bus after six"   P1-P8   (8 people)
    not working  "I don't know my staff"         P1, P9, P10 (3 people: hidden when shared)
    working      "I love the allotment"          P2-P7   (6 people)
P1-P5 live in Northbrook, the rest in Harford. Reviews of odd-numbered people are
for the service "Acorn Support", even-numbered ones for "Beech Homes".
"""
from __future__ import annotations

import datetime as dt

import pytest

BUS, STAFF, ALLOTMENT = "I can't get a bus after six", "I don't know my staff", "I love the allotment"


def review_json(ref="API-1", person="Q1", service="Acorn Support", **changes) -> dict:
    """One review in the JSON import shape."""
    review = {
        "review_id": ref, "person_id": person, "person_name": "Mina Rowe", "review_date": "2026-02-10",
        "facilitator": "Sam Oduya", "attendees": [{"name": "Lee Rowe", "relationship": "brother"}],
        "location": "Home", "area": "Northbrook", "service": service, "user_group": "Older people",
        "consent": True,
        "statements": [
            {"kind": "working", "perspective": "person", "priority": 1, "text": "Mina likes the lunch club"},
            {"kind": "not working", "perspective": "family", "priority": None,
             "text": "Lee says Mina cannot ring 01632 960123 after five"},
            {"kind": "future", "text": "I want to go to the sea"},
        ],
    }
    review.update(changes)
    return review


@pytest.fixture
def world(db, cycle):
    from goldenthread.core.models import Area, Service, UserGroup
    from goldenthread.reviews.models import Review, Statement
    from goldenthread.workshops.models import (
        Action, Board, Cluster, Delegate, Placement, RootCause, Vote, Workshop, WorkshopCard,
    )

    services = {name: Service.objects.get_or_create(name=name)[0] for name in ("Acorn Support", "Beech Homes")}
    reviews = {}
    for i in range(1, 11):
        reviews[i] = Review.objects.create(
            cycle=cycle, reference=f"R{i}", person_ref=f"P{i}", person_name=f"Person {i}",
            review_date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            area=Area.objects.get_or_create(name="Northbrook" if i <= 5 else "Harford")[0],
            service=services["Acorn Support" if i % 2 else "Beech Homes"],
            user_group=UserGroup.objects.get_or_create(name="Older people")[0], consent_given=True)
    workshop = Workshop.objects.create(cycle=cycle, name="Spring workshop")
    boards = {k: Board.objects.create(workshop=workshop, kind=k, name=k, is_main=True)
              for k in ("working", "not_working", "future")}
    themes = {("not_working", BUS): range(1, 9), ("not_working", STAFF): [1, 9, 10],
              ("working", ALLOTMENT): range(2, 8)}
    clusters, order = {}, 0
    for (kind, name), people in themes.items():
        clusters[name] = cluster = Cluster.objects.create(board=boards[kind], name=name)
        for person in people:
            order += 1
            statement = Statement.objects.create(review=reviews[person], kind=kind, text=f"{name}, said by Person {person}",
                                                 card_text=f"{name}, said by [name]")
            card = WorkshopCard.objects.create(workshop=workshop, statement=statement, kind=kind, order=order)
            Placement.objects.create(board=boards[kind], cluster=cluster, card=card)
    delegates = [Delegate.objects.create(workshop=workshop, name=f"D{i}", group=g)
                 for i, g in enumerate(("person", "family", "provider"))]
    for delegate in delegates:
        Vote.objects.create(cluster=clusters[BUS], delegate=delegate, dots=2)
    Vote.objects.create(cluster=clusters[STAFF], delegate=delegates[0], dots=1)
    why1 = RootCause.objects.create(cluster=clusters[BUS], text="The last bus leaves at six")
    why2 = RootCause.objects.create(cluster=clusters[BUS], parent=why1, depth=2, text="The contract ends at six")
    action = Action.objects.create(workshop=workshop, stakeholder="commissioners", text="Pay for a later bus",
                                   owner="Transport commissioner", measure="Buses run until ten",
                                   due=dt.date(2026, 9, 1), status="underway")
    action.themes.add(clusters[BUS])
    action.root_causes.add(why2)
    return {"cycle": cycle, "workshop": workshop, "clusters": clusters, "action": action, "services": services,
            "root_causes": [why1, why2]}


@pytest.fixture
def make_client(db):
    """make_client(role, **options) -> (ApiClient, token)."""
    from goldenthread.api.tokens import create_client

    counter = iter(range(1, 10_000))

    def make(role="Administrator", **options):
        options.setdefault("cycles", ["all"])
        return create_client(options.pop("name", f"client {next(counter)}"), role, **options)

    return make


@pytest.fixture
def call(client):
    """call(method, path, token, json=None, **headers) -> response, through the whole Django stack."""
    import json as _json

    def do(method, path, token=None, json=None, body=None, content_type="application/json", **extra):
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if json is not None:
            body = _json.dumps(json)
        return client.generic(method, path, body or "", content_type=content_type, **extra)

    return do


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
