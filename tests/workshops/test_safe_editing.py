"""Safe, explainable editing: nothing named, voted on or actioned is lost without a confirmation, and undo brings
back the theme with its votes, reasons and links. One undo history per workshop, with redo."""
from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.workshops import services as ops
from goldenthread.workshops.history import layout
from goldenthread.workshops.impact import valuables
from goldenthread.workshops.models import Delegate, RootCause, Workshop

NAME = "I can't get home in the evening"


def _to(workshop, stage):
    ops.run(workshop.pk, ops.Actor("fran", True), "set_stage", {"stage": stage})


@pytest.fixture
def theme(workshop, fac_actor):
    """A theme as a real day makes it: card call, named, voted on, 5 whys, success, an action linked to it all."""
    _to(workshop, "card_call")
    bus, late, staff = workshop.cards.filter(kind="not_working").order_by("order")
    ops.run(workshop.pk, fac_actor, "call_card", {"card": bus.pk, "cluster": "new"})
    board = ops.main_board(workshop, "not_working")
    t = board.clusters.get()
    ops.run(workshop.pk, fac_actor, "call_card", {"card": late.pk, "cluster": t.pk})
    ops.run(workshop.pk, fac_actor, "call_card", {"card": staff.pk, "cluster": "new"})
    _to(workshop, "naming")
    ops.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": t.pk, "name": NAME})
    _to(workshop, "analysis")
    sam = Delegate.objects.create(workshop=workshop, name="Sam", group="person")
    ann = Delegate.objects.create(workshop=workshop, name="Ann", group="family")
    ops.run(workshop.pk, ops.Actor("Sam", delegate_id=sam.pk), "vote", {"cluster": t.pk, "dots": 2})
    ops.run(workshop.pk, ops.Actor("Ann", delegate_id=ann.pk), "vote", {"cluster": t.pk, "dots": 1})
    ops.run(workshop.pk, fac_actor, "add_cause", {"cluster": t.pk, "text": "The last bus is at six"})
    top = RootCause.objects.get()
    ops.run(workshop.pk, fac_actor, "add_cause", {"cluster": t.pk, "text": "The route was cut", "parent": top.pk})
    ops.run(workshop.pk, fac_actor, "add_success", {"cluster": t.pk, "perspective": "people", "text": "I get home"})
    _to(workshop, "actions")
    ops.run(workshop.pk, fac_actor, "add_action", {"stakeholder": "commissioners", "text": "Fund an evening bus",
                                                   "themes": [t.pk], "root_causes": [top.pk], "owner": "Transport",
                                                   "measure": "People get home", "due": "2026-09-30"})
    return t


def everything(workshop):
    return valuables(Workshop.objects.get(pk=workshop.pk))


def destructive_paths(workshop, t):
    other = ops.main_board(workshop, "not_working").clusters.exclude(pk=t.pk).get()
    top = RootCause.objects.get(parent=None)
    return {
        "merge the theme into another cluster": ("merge_clusters", {"cluster": t.pk, "into": other.pk}),
        "take the theme's name away": ("rename_cluster", {"cluster": t.pk, "name": ""}),
        "remove the action": ("remove_action", {"action": workshop.actions.get().pk}),
        "remove the reasons": ("remove_cause", {"cause": top.pk}),
        "remove what success looks like": ("remove_success", {"success": t.success.get().pk}),
        "undo the naming": ("undo_change", {}),
    }


PATHS = ["merge the theme into another cluster", "take the theme's name away", "remove the action",
         "remove the reasons", "remove what success looks like", "undo the naming"]


@pytest.mark.parametrize("path", PATHS)
def test_every_destructive_path_asks_first_and_undo_or_redo_restores_everything(workshop, fac_actor, theme, path):
    op, data = destructive_paths(workshop, theme)[path]
    before, version = everything(workshop), Workshop.objects.get(pk=workshop.pk).version
    summary = ops.impact(workshop.pk, fac_actor, op, data)
    assert summary.startswith("This will remove"), path

    with pytest.raises(ops.NeedsConfirmation) as refused:
        ops.run(workshop.pk, fac_actor, op, data)
    assert refused.value.summary == summary
    assert everything(workshop) == before and Workshop.objects.get(pk=workshop.pk).version == version

    ops.run(workshop.pk, fac_actor, op, data, confirm=True)
    assert everything(workshop) != before

    back = "redo" if op == "undo_change" else "undo_change"
    ops.run(workshop.pk, fac_actor, back, {})
    assert everything(workshop) == before, path
    restored = Workshop.objects.get(pk=workshop.pk).actions.get()
    assert list(restored.themes.values_list("name", flat=True)) == [NAME]
    assert restored.root_causes.get().text == "The last bus is at six"


def test_what_would_be_lost_is_said_in_plain_words(workshop, fac_actor, theme):
    other = ops.main_board(workshop, "not_working").clusters.exclude(pk=theme.pk).get()
    summary = ops.impact(workshop.pk, fac_actor, "merge_clusters", {"cluster": theme.pk, "into": other.pk})
    assert f"3 dots from 2 people on “{NAME}”" in summary
    assert "2 reasons (5 whys)" in summary and "1 success statement" in summary
    assert f"the link from the action “Fund an evening bus” to “{NAME}”" in summary
    assert ops.impact(workshop.pk, fac_actor, "merge_clusters", {"cluster": other.pk, "into": theme.pk}) == ""
    assert f"the theme name “{NAME}”" in ops.impact(workshop.pk, fac_actor, "rename_cluster",
                                                     {"cluster": theme.pk, "name": ""})


def test_card_call_undo_only_undoes_the_last_card_call_and_only_during_the_card_call(workshop, fac_actor, theme):
    before = everything(workshop)
    with pytest.raises(ops.OpError, match="happens during Card call"):
        ops.run(workshop.pk, fac_actor, "undo_call", {}, confirm=True)
    _to(workshop, "card_call")
    with pytest.raises(ops.OpError, match="The last change was not a card call"):
        ops.run(workshop.pk, fac_actor, "undo_call", {}, confirm=True)
    assert everything(workshop) == before


def test_one_history_covers_card_calls_and_board_changes_in_order_with_redo(workshop, fac_actor):
    _to(workshop, "card_call")
    a, b, c = workshop.cards.filter(kind="not_working").order_by("order")
    board = ops.main_board(workshop, "not_working")
    states = [layout(board)]
    ops.run(workshop.pk, fac_actor, "call_card", {"card": a.pk, "cluster": "new"})
    states.append(layout(board))
    ops.run(workshop.pk, fac_actor, "call_card", {"card": b.pk, "cluster": "new"})
    states.append(layout(board))
    first = board.clusters.first()
    ops.run(workshop.pk, fac_actor, "move_card", {"card": b.pk, "cluster": first.pk})
    states.append(layout(board))
    ops.run(workshop.pk, fac_actor, "call_card", {"card": c.pk, "cluster": first.pk})
    states.append(layout(board))
    assert [ch.op for ch in workshop.changes.order_by("id")] == ["call_card", "call_card", "move_card", "call_card"]
    for expected in reversed(states[:-1]):
        ops.run(workshop.pk, fac_actor, "undo_change", {})
        assert layout(board) == expected
    with pytest.raises(ops.OpError, match="no change to undo"):
        ops.run(workshop.pk, fac_actor, "undo_change", {})
    for expected in states[1:3]:
        ops.run(workshop.pk, fac_actor, "redo", {})
        assert layout(board) == expected
    # A new change ends the redo chain.
    ops.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": first.pk, "name": "Buses"})
    with pytest.raises(ops.OpError, match="nothing to redo"):
        ops.run(workshop.pk, fac_actor, "redo", {})


def test_the_page_asks_are_you_sure_before_a_merge_loses_a_theme(client, facilitator, workshop, theme):
    other = ops.main_board(workshop, "not_working").clusters.exclude(pk=theme.pk).get()
    client.force_login(facilitator)
    url = reverse("workshop:do", args=[workshop.code, "merge_clusters"])
    page = client.post(url, {"cluster": theme.pk, "into": other.pk}).content.decode()
    assert "Are you sure?" in page and "3 dots from 2 people" in page and 'name="confirm" value="yes"' in page
    assert Workshop.objects.get(pk=workshop.pk).boards.get(is_main=True, kind="not_working").clusters.count() == 2
    client.post(url, {"cluster": theme.pk, "into": other.pk, "confirm": "yes"})
    assert not type(theme).objects.filter(pk=theme.pk).exists()


def test_the_remove_page_says_what_goes_with_it(client, facilitator, workshop, theme):
    client.force_login(facilitator)
    top = RootCause.objects.get(parent=None)
    page = client.get(reverse("workshop:remove", args=[workshop.code, "cause", top.pk])).content.decode()
    assert "2 reasons (5 whys)" in page and "1 link from an action to a reason" in page


def test_a_proposal_is_adopted_as_the_main_board_in_one_step_and_undone(client, facilitator, workshop, fac_actor,
                                                                         monkeypatch):
    from goldenthread.core import themes

    monkeypatch.setattr(themes, "cluster_texts", lambda texts: [0, 0, 1][: len(texts)])
    ops.run(workshop.pk, fac_actor, "auto_cluster", {"kind": "not_working"})
    proposal = workshop.boards.get(is_main=False)
    main = ops.main_board(workshop, "not_working")
    before = layout(main, hanging=False)
    client.force_login(facilitator)
    page = client.get(reverse("workshop:board", args=[workshop.code, proposal.pk])).content.decode()
    assert "Use this board as the main board" in page
    client.post(reverse("workshop:do", args=[workshop.code, "adopt_board"]), {"board": proposal.pk})
    assert [c.placements.count() for c in main.clusters.all()] == [2, 1]
    ops.run(workshop.pk, fac_actor, "undo_change", {})
    assert layout(main, hanging=False) == before
