"""Suppression no query can undo (issue #22): filters, differences, list lengths and service scopes.

The world (tests/api/conftest.py): BUS P1-P8, STAFF P1, P9, P10 (not working); ALLOTMENT P2-P7 (working).
P1-P5 live in Northbrook, P6-P10 in Harford, all Older people. Odd people use Acorn Support, even Beech Homes.
The limit is 5 unless a test says otherwise. The rule is in goldenthread/reporting/disclosure.py.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tests.api.conftest import ALLOTMENT, BUS, STAFF

BASE = "/api/v1/cycles/test-2026"
DOG = "I want a dog"


@pytest.fixture
def shared(world, make_client):
    return make_client("Commissioner")[1]


def _get(call, path, token):
    response = call("GET", f"{BASE}{path}", token)
    assert response.status_code == 200, response.content
    return response.json()


def _themes(call, token, query=""):
    return {t["name"]: t for t in _get(call, f"/themes{query}", token)["results"]}


def test_a_filtered_card_list_of_fewer_people_than_the_limit_is_empty_for_a_shared_token(call, shared):
    """Two people in Harford (P6, P7) said something working: the list is empty, not two cards long."""
    page = _get(call, "/cards?kind=working&area=Harford", shared)
    assert page["count"] == 0 and page["results"] == [] and page["withheld"] is True


def test_a_filtered_card_list_of_at_least_the_limit_is_listed_for_a_shared_token(call, shared):
    """Not working in Northbrook is P1-P5, five people: their six cards are listed, nothing withheld."""
    page = _get(call, "/cards?kind=not_working&area=Northbrook", shared)
    assert page["count"] == 6 and page["withheld"] is False


def test_the_whole_card_list_shows_no_card_of_a_group_smaller_than_the_limit(call, shared):
    """The unfiltered list used to carry the two Harford working cards with their area: counting them (or
    subtracting the Northbrook list from the whole) gave the hidden 2 back."""
    whole = _get(call, "/cards?limit=500", shared)["results"]
    groups = Counter((c["kind"], c["area"]) for c in whole)
    assert ("working", "Harford") not in groups and ("working", "Northbrook") not in groups  # 2 and 4 people
    for kind in ("", "kind=working&", "kind=not_working&"):
        total = _get(call, f"/cards?{kind}", shared)["count"]
        parts = sum(_get(call, f"/cards?{kind}area={area}", shared)["count"] for area in ("Harford", "Northbrook"))
        assert total == parts, kind


def test_the_cards_of_a_shown_theme_do_not_give_away_its_hidden_area_counts(call, shared):
    """ALLOTMENT's 6 people are shown, but its areas (Northbrook 4, Harford 2) are hidden in the report: its
    cards, each with its area, used to count them anyway."""
    report = _get(call, "/report", shared)
    areas = next(b for b in report["by_area"] if b["kind"] == "working")
    assert areas["cells"] == [[None, None]]
    allotment = _themes(call, shared)[ALLOTMENT]
    assert allotment["people"] == 6
    assert allotment["cards"] == []


def test_a_themes_total_minus_its_other_areas_does_not_give_back_a_hidden_area(call, shared, settings):
    """With a limit of 3, ALLOTMENT (6) is shown and its Harford 2 hidden; its Northbrook 4 used to be shown
    under ?area=Northbrook, so 6 - 4 gave the 2 back. Now it is the report's cell: hidden beside the 2."""
    settings.GOLDENTHREAD_SUPPRESS_BELOW = 3
    assert _themes(call, shared)[ALLOTMENT]["people"] == 6
    assert _themes(call, shared, "?area=Harford")[ALLOTMENT]["people"] is None
    assert _themes(call, shared, "?area=Northbrook")[ALLOTMENT]["people"] is None


def test_a_shared_answer_gives_no_statement_counts(call, shared):
    """Cards are not people: one person's three cards would count a small group. The shared report gives no
    statement counts; neither do shared /themes answers (ALLOTMENT's 6 used to be there)."""
    assert all(t["statements"] is None for t in _themes(call, shared).values())


def test_a_shared_card_names_its_service_only_to_a_token_of_that_one_service(call, make_client, world, settings):
    settings.GOLDENTHREAD_SUPPRESS_BELOW = 1  # nothing withheld: this is about the service field alone
    every = make_client("Commissioner")[1]
    acorn = make_client("Provider manager", services=["Acorn Support"])[1]
    assert {c["service"] for c in _get(call, "/cards?limit=500", every)["results"]} == {""}
    assert {c["service"] for c in _get(call, "/cards?limit=500", acorn)["results"]} == {"Acorn Support"}


# --- Service-limited tokens ------------------------------------------------------------------------------------

@pytest.fixture
def beech_only_theme(world):
    """A future theme said by P2 alone (Beech Homes), with a root cause, a vote and an action."""
    from goldenthread.reviews.models import Review, Statement
    from goldenthread.workshops.models import (
        Action, Board, Cluster, Delegate, Placement, RootCause, Vote, WorkshopCard,
    )

    workshop = world["workshop"]
    board = Board.objects.get(workshop=workshop, kind="future")
    cluster = Cluster.objects.create(board=board, name=DOG)
    statement = Statement.objects.create(review=Review.objects.get(cycle=world["cycle"], person_ref="P2"),
                                         kind="future", text="I want a dog, said Person 2",
                                         card_text="I want a dog, said [name]")
    card = WorkshopCard.objects.create(workshop=workshop, statement=statement, kind="future", order=100)
    Placement.objects.create(board=board, cluster=cluster, card=card)
    cause = RootCause.objects.create(cluster=cluster, text="Pets are not allowed")
    Vote.objects.create(cluster=cluster, delegate=Delegate.objects.filter(workshop=workshop).first(), dots=1)
    action = Action.objects.create(workshop=workshop, stakeholder="providers", text="Allow pets", owner="Beech Homes",
                                   measure="A dog in the house", due=dt.date(2026, 9, 1))
    action.themes.add(cluster)
    action.root_causes.add(cause)
    return {"cluster": cluster, "cause": cause, "action": action}


@pytest.fixture
def acorn(make_client, world):
    return make_client("Provider manager", services=["Acorn Support"])[1]


def test_a_service_limited_token_sees_only_root_causes_of_themes_with_its_services(call, acorn, beech_only_theme):
    causes = _get(call, "/root-causes", acorn)["results"]
    assert beech_only_theme["cause"].pk not in {c["id"] for c in causes}
    assert {c["theme_id"] for c in causes} == {beech_only_theme["cluster"].board.workshop.boards.get(
        kind="not_working").clusters.get(name=BUS).pk}


def test_a_service_limited_token_sees_only_actions_and_votes_of_themes_with_its_services(call, acorn,
                                                                                         beech_only_theme):
    actions = _get(call, "/actions", acorn)["results"]
    assert [a["text"] for a in actions] == ["Pay for a later bus"]
    votes = _get(call, "/votes", acorn)["results"]
    assert DOG not in {v["theme"] for v in votes}
    thread = _get(call, "/golden-thread", acorn)["results"]
    assert [t["action"] for t in thread] == ["Pay for a later bus"]


def test_a_service_limited_token_sees_only_themes_with_its_services(call, acorn, beech_only_theme, make_client):
    assert DOG not in _themes(call, acorn)
    report = _get(call, "/report", acorn)
    assert DOG not in {t["name"] for k in report["kinds"] for t in k["themes"]}
    beech = make_client("Provider manager", services=["Beech Homes"])[1]
    assert DOG in _themes(call, beech)


def test_a_service_limited_token_is_told_counts_over_its_services_only(call, make_client, world):
    """Acorn Support's people are P1, P3, P5, P7, P9: five of the ten, four of BUS's eight, three of
    ALLOTMENT's six."""
    team_acorn = make_client("Administrator", identifiable=True, services=["Acorn Support"])[1]
    cycle = _get(call, "", team_acorn)
    assert cycle["people"] == 5 and cycle["reviews"] == 5
    report = _get(call, "/report", team_acorn)
    assert report["people"] == 5
    people = {t["name"]: t["people"] for k in report["kinds"] for t in k["themes"]}
    assert people == {BUS: 4, STAFF: 2, ALLOTMENT: 3}
    thread = _get(call, "/golden-thread", team_acorn)["results"][0]
    assert [(t["name"], t["people"], len(t["cards"])) for t in thread["themes"]] == [(BUS, 4, 4)]
