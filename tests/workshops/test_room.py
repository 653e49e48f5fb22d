"""The room view: what the projector shows at each stage (goldenthread.workshops.room), and the page itself."""
from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.workshops import services
from goldenthread.workshops.room import room_view


def run(workshop, actor, op, **data):
    return services.run(workshop.pk, actor, op, data)


def room(workshop):
    """What the projector shows now (the workshop read afresh, as the page does)."""
    workshop.refresh_from_db()
    return room_view(workshop)


@pytest.fixture
def called(workshop, fac_actor):
    """The card call under way: two not-working cards in two clusters, the third card being called."""
    run(workshop, fac_actor, "set_stage", stage="card_call")
    for card in workshop.cards.filter(kind="working"):
        run(workshop, fac_actor, "call_card", card=card.pk, cluster="new")
    bus, early, staff = workshop.cards.filter(kind="not_working").order_by("order")
    run(workshop, fac_actor, "call_card", card=bus.pk, cluster="new")
    run(workshop, fac_actor, "call_card", card=early.pk, cluster="new")
    return workshop, staff


@pytest.fixture
def themed(called, fac_actor):
    """Every card called; the two not-working clusters named, with reasons, success, an action, a share line."""
    workshop, staff = called
    run(workshop, fac_actor, "call_card", card=staff.pk, cluster="new")
    run(workshop, fac_actor, "call_card", card=workshop.cards.get(kind="future").pk, cluster="new")
    first, second, third = services.main_board(workshop, "not_working").clusters.all()
    run(workshop, fac_actor, "rename_cluster", cluster=first.pk, name="I can't get home at night")
    run(workshop, fac_actor, "rename_cluster", cluster=third.pk, name="We never know who is coming")
    run(workshop, fac_actor, "add_cause", cluster=third.pk, text="Staff leave")
    cause = third.root_causes.get()
    run(workshop, fac_actor, "add_cause", cluster=third.pk, text="The pay is low", parent=cause.pk)
    run(workshop, fac_actor, "add_success", cluster=third.pk, perspective="people", text="I know my staff")
    run(workshop, fac_actor, "add_action", stakeholder="providers", text="Keep the same team", themes=[third.pk],
        owner="Named lead", measure="Fewer new faces", due="2026-10-01")
    run(workshop, fac_actor, "add_share", audience="Families", what="The themes", how="A letter",
        due="2026-07-01", easy_read="yes")
    return workshop, first, third


def test_while_people_join_the_room_sees_the_code_and_how_many_have_joined(workshop):
    services.join(workshop.pk, "Sam", "person")
    view = room(workshop)
    assert (view.show, view.code, view.joined) == ("join", workshop.code, 1)


def test_in_the_card_call_the_room_sees_the_called_card_and_its_wall_numbered_as_the_keys(called):
    workshop, staff = called
    view = room(workshop)
    assert view.show == "call" and view.card == staff and (view.remaining, view.total) == (2, 6)
    [wall] = view.walls  # only the wall of the card's kind
    assert wall.kind == "not_working" and [c.number for c in wall.columns] == [1, 2]
    assert [c.key for c in wall.columns] == [1, 2] and [c.title for c in wall.columns] == ["Cluster A", "Cluster B"]
    assert wall.columns[0].cards[0].text.startswith("I can't get a bus")


def test_the_wall_numbers_only_the_first_nine_clusters_as_keys(called, fac_actor):
    workshop, staff = called
    from goldenthread.workshops.board import new_cluster

    board = services.main_board(workshop, "not_working")
    for _ in range(9):
        new_cluster(board)
    view = room(workshop)
    keys = [c.key for c in view.walls[0].columns]
    assert keys[:9] == list(range(1, 10)) and keys[9:] == [None, None]


def test_once_every_card_is_called_the_room_sees_every_wall_not_just_a_message(themed):
    workshop, first, third = themed
    run(workshop, services.Actor("fran", is_facilitator=True), "set_stage", stage="card_call")
    view = room(workshop)
    assert view.show == "call" and view.card is None
    assert [w.kind for w in view.walls] == ["working", "not_working", "future"]


@pytest.mark.parametrize("stage", ["boards", "naming"])
def test_on_the_boards_and_in_naming_the_room_sees_every_wall_with_its_names(themed, fac_actor, stage):
    workshop, first, third = themed
    run(workshop, fac_actor, "set_stage", stage=stage)
    view = room(workshop)
    assert view.show == "walls" and [w.kind for w in view.walls] == ["working", "not_working", "future"]
    not_working = view.walls[1]
    assert [c.title for c in not_working.columns] == ["I can't get home at night", "Cluster B",
                                                      "We never know who is coming"]
    assert not_working.n_named == 2 and not_working.n_cards == 3


def test_in_voting_the_room_sees_the_named_themes_and_their_dots_only_once_shown(themed, fac_actor):
    workshop, first, third = themed
    run(workshop, fac_actor, "set_stage", stage="analysis")
    sam, _ = services.join(workshop.pk, "Sam", "person")
    run(workshop, services.Actor("Sam", delegate_id=sam.pk), "vote", cluster=third.pk, dots=2)
    view = room(workshop)
    assert view.show == "votes" and not view.votes_revealed and view.voters == 1
    assert [(v.name, v.dots) for v in view.votes] == [("I can't get home at night", None),
                                                      ("We never know who is coming", None)]  # no dots yet
    run(workshop, fac_actor, "reveal_votes", revealed="yes")
    view = room(workshop)
    assert [(v.name, v.dots) for v in view.votes] == [("We never know who is coming", 2),
                                                      ("I can't get home at night", 0)]  # most dots first


def test_in_analysis_a_theme_put_on_the_projector_shows_its_5_whys_and_what_success_looks_like(themed, fac_actor):
    workshop, first, third = themed
    run(workshop, fac_actor, "set_stage", stage="analysis")
    run(workshop, fac_actor, "show_on_screen", cluster=third.pk)
    view = room(workshop)
    assert view.show == "theme" and view.theme == third
    assert [(w.text, [c.text for c in w.children]) for w in view.whys] == [("Staff leave", ["The pay is low"])]
    assert view.success == [("People who use services and families", ["I know my staff"])]
    run(workshop, fac_actor, "show_on_screen", cluster="")
    assert room(workshop).show == "votes"  # back to the votes


def test_in_action_plans_the_room_sees_the_most_voted_theme_and_its_actions(themed, fac_actor):
    workshop, first, third = themed
    sam, _ = services.join(workshop.pk, "Sam", "person")
    run(workshop, fac_actor, "set_stage", stage="analysis")
    run(workshop, services.Actor("Sam", delegate_id=sam.pk), "vote", cluster=third.pk, dots=1)
    run(workshop, fac_actor, "set_stage", stage="actions")
    assert room(workshop).theme == first  # votes hidden: the first theme, not the most voted
    run(workshop, fac_actor, "reveal_votes", revealed="yes")
    view = room(workshop)
    assert view.show == "theme" and view.theme == third and view.theme_dots == 1
    assert [a.text for a in view.actions] == ["Keep the same team"] and view.whys


def test_in_sharing_the_room_sees_the_sharing_plan_with_the_theme(themed, fac_actor):
    workshop, first, third = themed
    run(workshop, fac_actor, "show_on_screen", cluster=third.pk)
    run(workshop, fac_actor, "set_stage", stage="sharing")
    view = room(workshop)
    assert view.show == "theme" and view.theme == third
    assert [s.audience for s in view.sharing] == ["Families"] and [a.text for a in view.actions] == ["Keep the same team"]


def test_only_a_theme_can_be_put_on_the_projector(called, fac_actor):
    workshop, staff = called
    unnamed = services.main_board(workshop, "not_working").clusters.first()
    with pytest.raises(services.OpError):
        run(workshop, fac_actor, "show_on_screen", cluster=unnamed.pk)
    with pytest.raises(services.OpError, match="Only the facilitator"):
        run(workshop, services.Actor("Sam", delegate_id=1), "show_on_screen", cluster=unnamed.pk)


@pytest.mark.parametrize("stage", ["join", "card_call", "boards", "naming", "analysis", "actions", "sharing"])
def test_the_projector_page_shows_each_stage_with_no_controls(client, facilitator, themed, fac_actor, stage):
    workshop, first, third = themed
    run(workshop, fac_actor, "set_stage", stage=stage)
    client.force_login(facilitator)
    page = client.get(reverse("workshop:screen", args=[workshop.code])).content.decode()
    assert "<form" not in page and "<button" not in page and workshop.code in page
    expected = {"join": "joined so far", "card_call": "Every card has been called", "boards": "Cluster B",
                "naming": "2 named", "analysis": "The dots are hidden", "actions": "Why? (5 whys)",
                "sharing": "Families"}[stage]
    assert expected in page
