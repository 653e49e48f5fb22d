"""Undo for board changes: every move, merge, split, rename and board merge is logged and can be undone."""
from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.workshops import history
from goldenthread.workshops import services as ops
from goldenthread.workshops.board import new_cluster


@pytest.fixture
def board(workshop, fac_actor):
    for card in workshop.cards.filter(kind="not_working"):
        ops.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    return ops.main_board(workshop, "not_working")


def layout(board):
    return history.layout(board, hanging=False)


def test_a_move_is_logged_and_undone(workshop, fac_actor, board):
    before = layout(board)
    first, second, _ = board.clusters.all()
    card = second.placements.get().card
    ops.run(workshop.pk, fac_actor, "move_card", {"card": card.pk, "cluster": first.pk})
    change = workshop.changes.filter(op="move_card").get()
    assert change.summary == f"Card {card.statement.card_code} moved to “Cluster A”" and change.by == "fran"
    assert board.clusters.count() == 2
    applied = ops.run(workshop.pk, fac_actor, "undo_change", {})
    assert layout(board) == before
    assert workshop.changes.filter(op="move_card").get().undone
    assert applied.version == workshop.__class__.objects.get(pk=workshop.pk).version
    assert (applied.op, applied.change) == ("undo_change", None), "undo returns what it did, and logs nothing new"


def test_undo_walks_back_one_change_at_a_time(workshop, fac_actor, board):
    start = layout(board)
    first, second, third = board.clusters.all()
    ops.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": first.pk, "name": "I want to get home"})
    named = layout(board)
    ops.run(workshop.pk, fac_actor, "merge_clusters", {"cluster": second.pk, "into": first.pk})
    merged = layout(board)
    last = first.placements.order_by("position").last()
    ops.run(workshop.pk, fac_actor, "split_cluster", {"cluster": first.pk, "cards": [last.card_id]})
    ops.run(workshop.pk, fac_actor, "move_cluster", {"cluster": third.pk, "position": 0})
    ops.run(workshop.pk, fac_actor, "undo_change", {})
    ops.run(workshop.pk, fac_actor, "undo_change", {})
    assert layout(board) == merged
    ops.run(workshop.pk, fac_actor, "undo_change", {})
    assert layout(board) == named
    with pytest.raises(ops.NeedsConfirmation, match="the theme name “I want to get home”"):
        ops.run(workshop.pk, fac_actor, "undo_change", {})
    ops.run(workshop.pk, fac_actor, "undo_change", {}, confirm=True)
    assert layout(board) == start
    ops.run(workshop.pk, fac_actor, "undo_change", {})  # the same history goes on into the card call
    assert board.clusters.count() == 2


def test_undo_is_refused_when_the_board_changed_since_and_nothing_changes(workshop, fac_actor):
    cards = list(workshop.cards.filter(kind="not_working"))
    ops.run(workshop.pk, fac_actor, "call_card", {"card": cards[0].pk, "cluster": "new"})
    ops.run(workshop.pk, fac_actor, "call_card", {"card": cards[1].pk, "cluster": "new"})
    board = ops.main_board(workshop, "not_working")
    first = board.clusters.first()
    ops.run(workshop.pk, fac_actor, "move_card", {"card": cards[1].pk, "cluster": first.pk})
    # Every change goes through the log now; a change made outside it (by hand in the database) stops undo.
    new_cluster(board)
    before, version = layout(board), workshop.__class__.objects.get(pk=workshop.pk).version
    with pytest.raises(ops.OpError, match="has changed since then"):
        ops.run(workshop.pk, fac_actor, "undo_change", {})
    assert layout(board) == before
    assert workshop.__class__.objects.get(pk=workshop.pk).version == version


def test_undoing_a_board_merge_puts_back_the_card_call(workshop, fac_actor, board):
    before = layout(board)
    for _ in range(2):
        ops.run(workshop.pk, fac_actor, "add_board", {"kind": "not_working"})
    pre = workshop.boards.filter(is_main=False)
    for b in pre:
        for card in workshop.cards.filter(kind="not_working"):
            ops.run(workshop.pk, fac_actor, "move_card", {"card": card.pk, "cluster": "new", "board": b.pk})
    ops.run(workshop.pk, fac_actor, "merge_boards", {"kind": "not_working"})
    assert layout(board) != before
    ops.run(workshop.pk, fac_actor, "undo_change", {})
    assert layout(board) == before


def test_only_the_facilitator_can_undo(workshop, fac_actor, board):
    first, second, _ = board.clusters.all()
    ops.run(workshop.pk, fac_actor, "merge_clusters", {"cluster": second.pk, "into": first.pk})
    with pytest.raises(ops.OpError, match="Only the facilitator"):
        ops.run(workshop.pk, ops.Actor("Sam", delegate_id=1), "undo_change", {})


def test_the_board_page_offers_undo_last_change(client, facilitator, workshop, fac_actor, board):
    first, second, _ = board.clusters.all()
    ops.run(workshop.pk, fac_actor, "merge_clusters", {"cluster": second.pk, "into": first.pk})
    client.force_login(facilitator)
    url = reverse("workshop:board", args=[workshop.code, board.pk])
    page = client.get(url).content.decode()
    assert "Undo last change" in page and "merged into" in page
    client.post(reverse("workshop:do", args=[workshop.code, "undo_change"]), {"next": url})
    assert board.clusters.count() == 3
    assert "(undone)" in client.get(url).content.decode()


def test_a_change_returns_what_it_did_and_leaves_nothing_on_the_workshop(workshop, fac_actor, board):
    first, second, _ = board.clusters.all()
    card = second.placements.get().card
    applied = ops.run(workshop.pk, fac_actor, "move_card", {"card": card.pk, "cluster": first.pk})
    assert applied.op == "move_card" and applied.change == workshop.changes.first()
    assert applied.change.after == layout(board) and applied.version == workshop.__class__.objects.get(
        pk=workshop.pk).version
    plain = ops.run(workshop.pk, fac_actor, "set_timer", {"minutes": 5})
    assert plain.change is None and plain.version == applied.version + 1
    assert not hasattr(ops.Workshop.objects.get(pk=workshop.pk), "_change")
