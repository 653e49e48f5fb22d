"""The workshop's changes: each checked, applied all-or-nothing, and counted in the version."""
from __future__ import annotations

import pytest

from goldenthread.workshops.models import Decision, Delegate, Vote
from goldenthread.core import themes as suggest
from goldenthread.workshops import services as ops
from goldenthread.workshops.services import Actor, OpError, run


def card_of(workshop, text_start):
    return workshop.cards.get(statement__card_text__startswith=text_start)


def test_create_uses_chosen_cards_and_one_main_board_per_kind(workshop_cycle, facilitator):
    w = ops.create_workshop(workshop_cycle, "All", "all", facilitator)
    assert w.cards.count() == 6 and w.boards.filter(is_main=True).count() == 3
    assert len(w.code) == 6


def test_card_call_join_new_and_undo(workshop, fac_actor):
    a, b = card_of(workshop, "I can't get a bus"), card_of(workshop, "The bus stops")
    run(workshop.pk, fac_actor, "set_stage", {"stage": "card_call"})
    v1 = run(workshop.pk, fac_actor, "call_card", {"card": a.pk, "cluster": "new"}).version
    board = ops.main_board(workshop, "not_working")
    cluster = board.clusters.get()
    v2 = run(workshop.pk, fac_actor, "call_card", {"card": b.pk, "cluster": cluster.pk}).version
    assert v2 == v1 + 1 and cluster.placements.count() == 2
    with pytest.raises(OpError, match="already been called"):
        run(workshop.pk, fac_actor, "call_card", {"card": b.pk, "cluster": "new"})
    run(workshop.pk, fac_actor, "undo_call", {})
    assert cluster.placements.count() == 1
    run(workshop.pk, fac_actor, "undo_call", {})
    assert not board.clusters.exists()
    assert list(Decision.objects.values_list("undone", flat=True)) == [True, True]


def test_only_the_facilitator_calls_cards(workshop):
    d = Delegate.objects.create(workshop=workshop, name="Sam", group="person")
    with pytest.raises(OpError, match="Only the facilitator"):
        run(workshop.pk, Actor("Sam", delegate_id=d.pk), "call_card", {"card": workshop.cards.first().pk})


def _two_clusters(workshop, actor):
    cards = list(workshop.cards.filter(kind="not_working"))
    for card in cards:
        run(workshop.pk, actor, "call_card", {"card": card.pk, "cluster": "new"})
    return ops.main_board(workshop, "not_working"), cards


def test_move_merge_split_and_reorder(workshop, fac_actor):
    board, cards = _two_clusters(workshop, fac_actor)
    c1, c2, c3 = board.clusters.all()
    run(workshop.pk, fac_actor, "move_card", {"card": cards[1].pk, "cluster": c1.pk})
    assert [c.placements.count() for c in board.clusters.all()] == [2, 1]  # emptied cluster removed
    run(workshop.pk, fac_actor, "merge_clusters", {"cluster": c3.pk, "into": c1.pk})
    (only,) = board.clusters.all()
    assert only.placements.count() == 3
    run(workshop.pk, fac_actor, "split_cluster", {"cluster": only.pk, "cards": [cards[2].pk]})
    first, second = board.clusters.all()
    assert second.placements.get().card == cards[2]
    run(workshop.pk, fac_actor, "move_cluster", {"cluster": second.pk, "position": 0})
    assert list(board.clusters.all()) == [second, first]


def test_a_card_cannot_go_on_a_board_of_another_kind(workshop, fac_actor):
    board, _ = _two_clusters(workshop, fac_actor)
    working = card_of(workshop, "I love going")
    with pytest.raises(OpError, match="own kind"):
        run(workshop.pk, fac_actor, "move_card", {"card": working.pk, "cluster": board.clusters.first().pk})


def test_failed_change_leaves_everything_as_it_was(workshop, fac_actor):
    board, cards = _two_clusters(workshop, fac_actor)
    before = workshop.__class__.objects.get(pk=workshop.pk).version
    with pytest.raises(OpError):
        run(workshop.pk, fac_actor, "move_card", {"card": cards[0].pk, "cluster": "new", "board": 999999})
    with pytest.raises(OpError):
        run(workshop.pk, fac_actor, "split_cluster", {"cluster": board.clusters.first().pk, "cards": [cards[2].pk]})
    assert workshop.__class__.objects.get(pk=workshop.pk).version == before
    assert board.clusters.count() == 3


def test_ids_from_another_workshop_are_refused(workshop, fac_actor, workshop_cycle, facilitator):
    other = ops.create_workshop(workshop_cycle, "Other", "all", facilitator)
    run(other.pk, fac_actor, "call_card", {"card": other.cards.first().pk, "cluster": "new"})
    foreign = ops.main_board(other, other.cards.first().kind).clusters.get()
    with pytest.raises(OpError, match="not in this workshop"):
        run(workshop.pk, fac_actor, "rename_cluster", {"cluster": foreign.pk, "name": "I am not yours"})
    with pytest.raises(OpError, match="not in this workshop"):
        run(workshop.pk, fac_actor, "call_card", {"card": other.cards.first().pk})


@pytest.mark.parametrize("op,data,message", [
    ("drop_tables", {}, "does not know"),
    ("move_card", {"card": 1}, "missing"),
    ("move_card", {"card": "x", "cluster": 1}, "not a number"),
    ("set_stage", {"stage": "lunch"}, "not on the list"),
    ("rename_cluster", {"cluster": 1, "name": "x", "evil": 1}, "Unexpected field"),
])
def test_bad_changes_are_refused(workshop, fac_actor, op, data, message):
    with pytest.raises(OpError, match=message):
        run(workshop.pk, fac_actor, op, data)


def test_pre_cluster_boards_merge_and_show_disagreement(workshop, fac_actor):
    for _ in range(2):
        run(workshop.pk, fac_actor, "add_board", {"kind": "not_working"})
    b1, b2 = workshop.boards.filter(kind="not_working", is_main=False)
    bus1, bus2, staff = workshop.cards.filter(kind="not_working")
    # Board 1: both bus cards together, staff alone. Board 2: all three together.
    run(workshop.pk, fac_actor, "move_card", {"card": bus1.pk, "cluster": "new", "board": b1.pk})
    bus_cluster = b1.clusters.get()
    run(workshop.pk, fac_actor, "move_card", {"card": bus2.pk, "cluster": bus_cluster.pk})
    run(workshop.pk, fac_actor, "move_card", {"card": staff.pk, "cluster": "new", "board": b1.pk})
    run(workshop.pk, fac_actor, "move_card", {"card": bus1.pk, "cluster": "new", "board": b2.pk})
    for card in (bus2, staff):
        run(workshop.pk, fac_actor, "move_card", {"card": card.pk, "cluster": b2.clusters.get().pk})
    run(workshop.pk, fac_actor, "merge_boards", {"kind": "not_working"})
    main = ops.main_board(workshop, "not_working")
    assert [c.placements.count() for c in main.clusters.all()] == [2, 1]
    assert set(main.placements.filter(disputed=True).values_list("card", flat=True)) == {staff.pk}


def test_auto_cluster_is_offered_on_its_own_board(workshop, fac_actor, monkeypatch):
    monkeypatch.setattr(suggest, "cluster_texts", lambda texts: [0, 0, 1][: len(texts)])
    run(workshop.pk, fac_actor, "auto_cluster", {"kind": "not_working"})
    proposal = workshop.boards.get(is_main=False)
    assert [c.placements.count() for c in proposal.clusters.all()] == [2, 1]
    assert not ops.main_board(workshop, "not_working").placements.exists()


def test_name_warnings_warn_but_never_block(workshop, fac_actor):
    assert suggest.name_warnings("I want to get out in the evening") == []
    assert any("first person" in w for w in suggest.name_warnings("Transport problems"))
    assert any("long" in w for w in suggest.name_warnings("I " + "really " * 15 + "want buses"))
    board, _ = _two_clusters(workshop, fac_actor)
    c = board.clusters.first()
    run(workshop.pk, fac_actor, "rename_cluster", {"cluster": c.pk, "name": "Transport problems"})
    c.refresh_from_db()
    assert c.name == "Transport problems"


def test_voting_budget_cap_and_proxy_votes(workshop, fac_actor):
    board, _ = _two_clusters(workshop, fac_actor)
    t1, t2, t3 = board.clusters.all()
    for i, t in enumerate((t1, t2, t3)):
        run(workshop.pk, fac_actor, "rename_cluster", {"cluster": t.pk, "name": f"Theme {i}"})
    run(workshop.pk, fac_actor, "set_stage", {"stage": "analysis"})  # voting opens
    run(workshop.pk, fac_actor, "vote_settings", {"budget": 3, "cap": 2})
    sam = Delegate.objects.create(workshop=workshop, name="Sam", group="person")
    as_sam = Actor("Sam", delegate_id=sam.pk)
    run(workshop.pk, as_sam, "vote", {"cluster": t1.pk, "dots": 2})
    with pytest.raises(OpError, match="0 to 2"):
        run(workshop.pk, as_sam, "vote", {"cluster": t2.pk, "dots": 3})
    with pytest.raises(OpError, match="too many dots"):
        run(workshop.pk, as_sam, "vote", {"cluster": t2.pk, "dots": 2})
    run(workshop.pk, as_sam, "vote", {"cluster": t2.pk, "dots": 1})
    with pytest.raises(OpError, match="Only the facilitator"):
        run(workshop.pk, as_sam, "vote", {"cluster": t3.pk, "dots": 1, "delegate": sam.pk})
    ann = Delegate.objects.create(workshop=workshop, name="Ann", group="family", has_device=False)
    run(workshop.pk, fac_actor, "vote", {"cluster": t1.pk, "dots": 1, "delegate": ann.pk})
    from goldenthread.workshops.views import vote_results

    rows, labels = vote_results(workshop)
    assert rows[0]["cluster"] == t1 and rows[0]["dots"] == 3 and rows[0]["people"] == 2
    assert rows[0]["by_group"][labels.index("Family or carer")] == 1
    assert Vote.objects.count() == 3


def test_five_whys_stop_at_five(workshop, fac_actor):
    board, _ = _two_clusters(workshop, fac_actor)
    theme = board.clusters.first()
    parent = None
    for i in range(5):
        run(workshop.pk, fac_actor, "add_cause", {"cluster": theme.pk, "text": f"reason {i}", "parent": parent})
        parent = theme.root_causes.latest("id").pk
    with pytest.raises(OpError, match="Five whys"):
        run(workshop.pk, fac_actor, "add_cause", {"cluster": theme.pk, "text": "too deep", "parent": parent})


def test_actions_and_sharing_plan(workshop, fac_actor):
    board, _ = _two_clusters(workshop, fac_actor)
    theme = board.clusters.first()
    run(workshop.pk, fac_actor, "add_cause", {"cluster": theme.pk, "text": "Buses stop at six"})
    cause = theme.root_causes.get()
    run(workshop.pk, fac_actor, "add_action", {
        "stakeholder": "commissioners", "text": "Fund an evening bus", "themes": [theme.pk],
        "root_causes": [cause.pk], "owner": "Transport lead", "measure": "People can get home after 6",
        "due": "2026-09-30"})
    action = workshop.actions.get()
    run(workshop.pk, fac_actor, "set_action_status", {"action": action.pk, "status": "underway"})
    action.refresh_from_db()
    assert action.status == "underway" and list(action.root_causes.all()) == [cause]
    run(workshop.pk, fac_actor, "add_share", {"audience": "People whose reviews were used", "what": "Our themes",
                                              "how": "Easy-read letter", "due": "2026-07-01", "easy_read": "on"})
    assert workshop.sharing.get().easy_read


def test_changes_are_logged_with_who_did_them(workshop, fac_actor):
    from auditlog.models import LogEntry

    from goldenthread.workshops.models import Cluster

    run(workshop.pk, fac_actor, "call_card", {"card": workshop.cards.first().pk, "cluster": "new"})
    assert LogEntry.objects.get_for_model(Cluster).exists()
