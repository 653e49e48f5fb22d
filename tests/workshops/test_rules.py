"""Stages and roles: the table in goldenthread.workshops.rules is what the server enforces, for every operation."""
from __future__ import annotations

import pytest

from goldenthread.workshops import rules
from goldenthread.workshops import services as ops
from goldenthread.workshops.models import Delegate, Stage, Workshop


@pytest.fixture
def bare(cycle, facilitator):
    """A workshop with no cards: enough to see whether a change is refused for who and when."""
    return Workshop.objects.create(cycle=cycle, name="Rules", created_by=facilitator)


def _actors(workshop):
    sam = Delegate.objects.create(workshop=workshop, name="Sam", group="person")
    return {rules.FACILITATOR: ops.Actor("fran", True), rules.DELEGATE: ops.Actor("Sam", delegate_id=sam.pk)}


@pytest.mark.parametrize("op", sorted(rules.TABLE))
def test_every_operation_is_refused_exactly_where_the_table_says(bare, op):
    actors = _actors(bare)
    for role, actor in actors.items():
        for stage in Stage.values:
            Workshop.objects.filter(pk=bare.pk).update(stage=stage)
            bare.refresh_from_db()
            version = bare.version
            expected = rules.refusal(actor, op, stage)
            try:
                ops.run(bare.pk, actor, op, {})
            except ops.OpError as exc:
                message = str(exc)
            else:
                message = None
            where = f"{op} by a {role} at {stage}"
            if stage in rules.stages_for(op, role):
                assert expected is None and rules.allowed(actor, op, bare), where
                assert message is None or "facilitator" not in message and "happens during" not in message \
                    and "not open now" not in message, where
            else:
                assert expected and message == expected, where
                assert op not in rules.allowed_ops(actor, bare), where
                assert Workshop.objects.get(pk=bare.pk).version == version, f"{where} changed something"


def test_every_operation_has_a_row_and_the_facilitator_only_ones_say_so(bare):
    assert set(rules.TABLE) == set(ops.OPS)
    delegate = ops.Actor("Sam", delegate_id=1)
    for op in ("merge_clusters", "split_cluster", "remove_action", "remove_share", "reveal_votes", "undo_change",
               "redo", "undo_call", "set_stage", "adopt_board", "edit_action"):
        assert not rules.stages_for(op, rules.DELEGATE), op
        assert rules.refusal(delegate, op, Stage.ACTIONS) == "Only the facilitator can do that."


def _to(workshop, stage):
    ops.run(workshop.pk, ops.Actor("fran", True), "set_stage", {"stage": stage})


@pytest.fixture
def planned(workshop, fac_actor):
    """A named not-working theme with an action, and a delegate."""
    _to(workshop, "card_call")
    for card in workshop.cards.filter(kind="not_working"):
        ops.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    board = ops.main_board(workshop, "not_working")
    first, second, _ = board.clusters.all()
    ops.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": first.pk, "name": "I can't get home"})
    ops.run(workshop.pk, fac_actor, "add_action", {"stakeholder": "providers", "text": "Run a minibus",
                                                   "themes": [first.pk], "owner": "Ann", "measure": "Trips",
                                                   "due": "2026-10-01"})
    sam = Delegate.objects.create(workshop=workshop, name="Sam", group="person")
    return first, second, ops.Actor("Sam", delegate_id=sam.pk)


def test_a_delegate_cannot_remove_an_action(workshop, planned):
    _, _, sam = planned
    _to(workshop, "actions")
    with pytest.raises(ops.OpError, match="Only the facilitator"):
        ops.run(workshop.pk, sam, "remove_action", {"action": workshop.actions.get().pk}, confirm=True)
    assert workshop.actions.count() == 1


def test_a_delegate_cannot_merge_clusters_even_while_clustering(workshop, planned):
    first, second, sam = planned
    _to(workshop, "boards")
    with pytest.raises(ops.OpError, match="Only the facilitator"):
        ops.run(workshop.pk, sam, "merge_clusters", {"cluster": second.pk, "into": first.pk}, confirm=True)
    assert ops.main_board(workshop, "not_working").clusters.count() == 3


def test_a_delegate_moves_cards_on_the_boards_but_not_in_the_card_call(workshop, planned):
    first, second, sam = planned
    card = second.placements.get().card
    _to(workshop, "card_call")
    with pytest.raises(ops.OpError, match="Moving cards happens during Clustering on boards or Naming themes"):
        ops.run(workshop.pk, sam, "move_card", {"card": card.pk, "cluster": first.pk})
    _to(workshop, "boards")
    ops.run(workshop.pk, sam, "move_card", {"card": card.pk, "cluster": first.pk})
    assert first.placements.count() == 2


def test_nobody_can_vote_during_the_card_call(workshop, planned):
    first, _, sam = planned
    _to(workshop, "card_call")
    for who in (sam, ops.Actor("fran", True)):
        with pytest.raises(ops.OpError, match="Voting is not open now"):
            ops.run(workshop.pk, who, "vote", {"cluster": first.pk, "dots": 1,
                                               **({"delegate": sam.delegate_id} if who.is_facilitator else {})})
    assert not first.votes.exists()


def test_voting_opens_with_the_analysis_stage_and_only_on_named_themes(workshop, planned):
    first, second, sam = planned
    _to(workshop, "analysis")
    ops.run(workshop.pk, sam, "vote", {"cluster": first.pk, "dots": 2})
    with pytest.raises(ops.OpError, match="named themes only"):
        ops.run(workshop.pk, sam, "vote", {"cluster": second.pk, "dots": 1})
    assert first.votes.get().dots == 2 and not second.votes.exists()


def test_pages_offer_only_what_that_person_may_do_now(client, workshop, planned):
    from django.urls import reverse

    from goldenthread.workshops.access import SESSION_KEY

    _, _, sam = planned
    _to(workshop, "actions")
    session = client.session
    session[SESSION_KEY] = {str(workshop.pk): sam.delegate_id}
    session.save()
    page = client.get(reverse("workshop:actions", args=[workshop.code])).content.decode()
    assert "Run a minibus" in page and "Remove<span" not in page and "/edit/" not in page
    board = ops.main_board(workshop, "not_working")
    page = client.get(reverse("workshop:board", args=[workshop.code, board.pk])).content.decode()
    assert "Merge cluster" not in page and "Undo last change" not in page
    client.post(reverse("workshop:do", args=[workshop.code, "remove_action"]),
                {"action": workshop.actions.get().pk, "confirm": "yes"})
    assert workshop.actions.count() == 1
