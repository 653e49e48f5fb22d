"""A cycle with a finished workshop on invented data whose numbers we know by heart.

People (person_ref) and where they are:
    P1-P5 Northbrook, P6-P16 Harford; P1-P6 "Older people", P7-P16 "Learning disability".
Themes on the main boards:
    not working  "I can't get a bus after six"   P1-P8 (P1 said it twice: 9 cards, 8 people)
    not working  "I don't know my staff"         P1, P9, P10 (3 people: a small count)
    working      "I love the allotment"          P2-P7 (6 people)
    future       "I want my own home"            P11-P16 (6 people)
Votes: bus 7 dots from 4 delegates; staff 3 dots from 2 delegates.
One action on the bus theme, tied to the root cause "The council's bus contract ends at six".
"""
from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.core import roles

BUS, STAFF, ALLOTMENT, HOME = ("I can't get a bus after six", "I don't know my staff", "I love the allotment",
                               "I want my own home")


def _person(i: int) -> dict:
    return {"area": "Northbrook" if i <= 5 else "Harford", "group": "Older people" if i <= 6 else "Learning disability"}


def build_world(cycle, user, *, year_offset: int = 0, bus_people=range(1, 9), name_suffix=""):
    from goldenthread.core.models import Area, UserGroup
    from goldenthread.reviews.models import Review, Statement
    from goldenthread.workshops.models import (
        Action, Board, Cluster, Delegate, Placement, RootCause, ShareItem, Vote, Workshop, WorkshopCard,
    )

    themes = {
        ("not_working", BUS): list(bus_people) + [1],
        ("not_working", STAFF): [1, 9, 10],
        ("working", ALLOTMENT): [2, 3, 4, 5, 6, 7],
        ("future", HOME): [11, 12, 13, 14, 15, 16],
    }
    reviews = {}
    for i in range(1, 17):
        info = _person(i)
        reviews[i] = Review.objects.create(
            cycle=cycle, reference=f"R{i}", person_ref=f"P{i}", person_name=f"Person {i}",
            review_date=dt.date(2026 + year_offset, 1, 1) + dt.timedelta(days=i),
            area=Area.objects.get_or_create(name=info["area"])[0],
            user_group=UserGroup.objects.get_or_create(name=info["group"])[0], consent_given=True)
    workshop = Workshop.objects.create(cycle=cycle, name=f"Workshop{name_suffix}", created_by=user)
    boards = {k: Board.objects.create(workshop=workshop, kind=k, name=k, is_main=True)
              for k in ("working", "not_working", "future")}
    clusters = {}
    order = 0
    for (kind, name), people in themes.items():
        cluster = Cluster.objects.create(board=boards[kind], name=name)
        clusters[name] = cluster
        for n, person in enumerate(people):
            order += 1
            statement = Statement.objects.create(review=reviews[person], kind=kind, text=f"{name} (said by P{person})",
                                                 card_text=f"{name}, card {n + 1}")
            card = WorkshopCard.objects.create(workshop=workshop, statement=statement, kind=kind, order=order)
            Placement.objects.create(board=boards[kind], cluster=cluster, card=card)
    delegates = [Delegate.objects.create(workshop=workshop, name=f"D{i}", group="person") for i in range(4)]
    for d, dots in zip(delegates, (2, 2, 2, 1)):
        Vote.objects.create(cluster=clusters[BUS], delegate=d, dots=dots)
    for d in delegates[:2]:
        Vote.objects.create(cluster=clusters[STAFF], delegate=d, dots=1 if d is delegates[0] else 2)
    why1 = RootCause.objects.create(cluster=clusters[BUS], text="The last bus leaves at six")
    why2 = RootCause.objects.create(cluster=clusters[BUS], parent=why1, depth=2,
                                    text="The council's bus contract ends at six")
    action = Action.objects.create(workshop=workshop, stakeholder="commissioners", text="Pay for a later bus",
                                   owner="Transport commissioner", measure="Buses run until ten",
                                   due=dt.date(2026 + year_offset, 9, 1), status="underway")
    action.themes.add(clusters[BUS])
    action.root_causes.add(why2)
    ShareItem.objects.create(workshop=workshop, audience="People who took part", what="What we will do",
                             how="Easy-read letter", due=dt.date(2026 + year_offset, 4, 1), easy_read=True)
    return workshop, clusters, action


@pytest.fixture
def commissioner(make_user):
    return make_user(roles.COMMISSIONER, "cora")


@pytest.fixture
def world(cycle, commissioner):
    workshop, clusters, action = build_world(cycle, commissioner)
    return {"cycle": cycle, "workshop": workshop, "clusters": clusters, "action": action}
