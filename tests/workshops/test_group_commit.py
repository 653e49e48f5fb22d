"""Group commit: changes that arrive together are applied in one transaction, exactly as if one by one.

A live workshop under load applies the moves that queued up while the last batch was written in one
transaction (``services.run_many``, fed by ``workshops.applier``). Each change keeps its own version, its own
change-log entry with the board before and after (which undo uses) and its own answer; a refused change
changes nothing and the rest go ahead.
"""
from __future__ import annotations

import asyncio

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings, strategies as st

from goldenthread.workshops import applier, services as ops
from goldenthread.workshops.fields import Applied, OpError
from goldenthread.workshops.models import Change, Delegate, Workshop
from goldenthread.workshops.services import Request, run, run_many


CARDS = [("not_working", f"The bus into town {n}") for n in ("is late", "is full", "stops at six", "costs more",
                                                               "has no ramp")] + \
        [("working", f"I like my {n}") for n in ("garden club", "choir", "new cooker", "walks")] + \
        [("future", f"I want {n}") for n in ("a job in a shop", "my own flat", "to see my sister")]


@pytest.fixture
def workshop(cycle, facilitator):
    """Twelve cards: five not working, four working, three for the future."""
    import datetime as dt

    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.saving import save_reviews

    save_reviews(cycle, [ReviewDraft(reference=f"G-{i}", person_ref=f"P-{i}", review_date=dt.date(2026, 2, 1 + i),
                                     area="Harford", user_group="Older people", consent=True,
                                     statements=[StatementDraft(kind, text, priority=1)])
                         for i, (kind, text) in enumerate(CARDS)])
    return ops.create_workshop(cycle, "Group commit", "all", facilitator)


def _on_boards(workshop, actor):
    """Every card called, two clusters per kind where there are two cards or more; then the boards stage."""
    run(workshop.pk, actor, "set_stage", {"stage": "card_call"})
    for card in workshop.cards.order_by("order"):
        board = ops.main_board(workshop, card.kind)
        first = board.clusters.order_by("position").first()
        join = first is not None and board.clusters.count() >= 2
        run(workshop.pk, actor, "call_card", {"card": card.pk, "cluster": first.pk if join else "new"})
    run(workshop.pk, actor, "set_stage", {"stage": "boards"})


def _shape(workshop) -> dict:
    """The boards as card texts grouped by cluster, in order, with names: ids left out (sequences differ)."""
    state = ops.state(workshop.pk)
    texts = dict(workshop.cards.values_list("pk", "statement__card_text"))
    return {b["kind"] + str(b["is_main"]): [(c["name"], sorted(texts[x] for x in c["cards"])) for c in b["clusters"]]
            for b in state["boards"]}


def _log(workshop, since) -> list:
    """Each change logged since ``since``: its op, and the board before and after with ids replaced by ranks."""
    rows = []
    for change in Change.objects.filter(workshop=workshop, pk__gt=since).order_by("pk"):
        ids = sorted({c[0] for side in (change.before, change.after) for c in side.get("clusters", [])})
        rank = {pk: i for i, pk in enumerate(ids)}
        rows.append((change.op, change.undone, sorted(change.before), sorted(change.after), [
            ([[rank[c[0]], *c[1:5]] for c in side.get("clusters", [])],
             sorted([p[0], rank.get(p[1]), p[2], p[3]] for p in side.get("placements", [])))
            for side in (change.before, change.after)]))
    return rows


def _answer(result) -> str:
    return type(result).__name__ + (f": {result}" if isinstance(result, Exception) else "")


STEP = st.one_of(
    st.tuples(st.just("move_same"), st.integers(0, 11), st.integers(0, 5)),
    st.tuples(st.just("move_same"), st.integers(0, 11), st.integers(0, 5)),
    st.tuples(st.just("move_same"), st.integers(0, 11), st.integers(0, 5)),
    st.tuples(st.just("move"), st.integers(0, 11), st.integers(0, 9)),
    st.tuples(st.just("move_new"), st.integers(0, 11), st.just(0)),
    st.tuples(st.just("rename"), st.integers(0, 5), st.integers(0, 3)),
    st.tuples(st.just("reorder"), st.integers(0, 5), st.integers(0, 3)),
    st.tuples(st.just("merge"), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("undo"), st.just(0), st.just(0)),
    st.tuples(st.just("redo"), st.just(0), st.just(0)),
    st.tuples(st.just("stage_by_delegate"), st.just(0), st.just(0)),
    st.tuples(st.just("missing_cluster"), st.integers(0, 11), st.just(0)),
)


def _requests(workshop, actor, delegate, steps) -> list[Request]:
    cards = list(workshop.cards.order_by("order").values_list("pk", "kind"))
    clusters = list(ops.clusters_of(workshop).order_by("board_id", "position").values_list("pk", "board_id"))
    boards = dict(workshop.boards.filter(is_main=True).values_list("kind", "pk"))
    out = []
    for kind, a, b in steps:
        if kind == "move_same":
            same = [pk for pk, board in clusters if board == boards[cards[a][1]]]
            out.append(Request(actor, "move_card", {"card": cards[a][0], "cluster": same[b % len(same)]}))
        elif kind == "move":
            out.append(Request(actor, "move_card", {"card": cards[a][0], "cluster": clusters[b % len(clusters)][0]}))
        elif kind == "move_new":
            out.append(Request(actor, "move_card", {"card": cards[a][0], "cluster": "new", "board": boards[cards[a][1]]}))
        elif kind == "rename":
            out.append(Request(actor, "rename_cluster", {"cluster": clusters[a % len(clusters)][0],
                                                          "name": f"I want thing {b}"}))
        elif kind == "reorder":
            out.append(Request(actor, "move_cluster", {"cluster": clusters[a % len(clusters)][0], "position": b}))
        elif kind == "merge":
            out.append(Request(actor, "merge_clusters", {"cluster": clusters[a % len(clusters)][0],
                                                         "into": clusters[b % len(clusters)][0]}, confirm=True))
        elif kind == "undo":
            out.append(Request(actor, "undo_change", {}))
        elif kind == "redo":
            out.append(Request(actor, "redo", {}))
        elif kind == "stage_by_delegate":
            out.append(Request(delegate, "set_stage", {"stage": "voting"}))
        else:
            out.append(Request(actor, "move_card", {"card": cards[a][0], "cluster": 10**9}))
    return out


class _Undo(Exception):
    pass


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=14))
def test_a_batch_does_exactly_what_the_same_changes_one_by_one_do(workshop, fac_actor, steps):
    d = Delegate.objects.get_or_create(workshop=workshop, name="Sam", group="person")[0]
    delegate = ops.Actor("Sam (delegate)", delegate_id=d.pk)
    if not ops.clusters_of(workshop).exists():
        _on_boards(workshop, fac_actor)
    since = Change.objects.filter(workshop=workshop).order_by("pk").last().pk
    start = Workshop.objects.get(pk=workshop.pk).version
    runs = []
    for together in (False, True):
        try:
            with transaction.atomic():
                requests = _requests(workshop, fac_actor, delegate, steps)
                if together:
                    answers = run_many(workshop.pk, requests)
                else:
                    answers = []
                    for r in requests:
                        try:
                            answers.append(run(workshop.pk, r.actor, r.op, r.data, confirm=r.confirm))
                        except OpError as exc:
                            answers.append(exc)
                runs.append(([_answer(a) for a in answers], [a.version for a in answers if isinstance(a, Applied)],
                             Workshop.objects.get(pk=workshop.pk).version, _shape(workshop), _log(workshop, since)))
                raise _Undo
        except _Undo:
            pass
    one_by_one, batch = runs
    assert batch == one_by_one
    answered, versions, final = batch[0], batch[1], batch[2]
    assert versions == list(range(start + 1, start + 1 + len(versions))) and final == start + len(versions)
    assert len(answered) == len(steps)


def test_a_refused_change_in_a_batch_changes_nothing_and_the_others_go_ahead(workshop, fac_actor):
    _on_boards(workshop, fac_actor)
    d = Delegate.objects.create(workshop=workshop, name="Sam", group="person")
    card = workshop.cards.get(statement__card_text__startswith="The bus into town costs")
    a, b = ops.main_board(workshop, "not_working").clusters.order_by("position")[:2]
    before = Workshop.objects.get(pk=workshop.pk)
    results = run_many(workshop.pk, [
        Request(fac_actor, "move_card", {"card": card.pk, "cluster": a.pk}),
        Request(ops.Actor("Sam (delegate)", delegate_id=d.pk), "set_stage", {"stage": "voting"}),
        Request(fac_actor, "set_stage", {"stage": "nonsense"}),
        Request(fac_actor, "move_card", {"card": card.pk, "cluster": b.pk}),
    ])
    assert [type(r) for r in results] == [Applied, OpError, OpError, Applied]
    assert [r.version for r in (results[0], results[3])] == [before.version + 1, before.version + 2]
    after = Workshop.objects.get(pk=workshop.pk)
    assert after.stage == before.stage == "boards" and after.version == before.version + 2
    assert card.placements.get(board__is_main=True).cluster_id == b.pk
    # Undo takes back the last move only: its "before" is the board after the first move of the batch.
    run(workshop.pk, fac_actor, "undo_change", {})
    assert card.placements.get(board__is_main=True).cluster_id == a.pk


def test_a_batch_of_moves_costs_fewer_queries_than_the_same_moves_one_by_one(workshop, fac_actor):
    _on_boards(workshop, fac_actor)
    cards = list(workshop.cards.filter(kind="not_working").values_list("pk", flat=True))
    clusters = list(ops.main_board(workshop, "not_working").clusters.values_list("pk", flat=True))
    moves = [Request(fac_actor, "move_card", {"card": cards[i % len(cards)], "cluster": clusters[i % 2]})
             for i in range(20)]
    with CaptureQueriesContext(connection) as single:
        for m in moves[:10]:
            run(workshop.pk, m.actor, m.op, m.data)
    with CaptureQueriesContext(connection) as batch:
        assert all(isinstance(r, Applied) for r in run_many(workshop.pk, moves[10:]))
    # One lock, one save of the workshop and one commit for the whole batch; the board is read once per move.
    assert len(batch) <= 12 * 10 + 8
    assert len(batch) < len(single) * 0.8


@pytest.mark.django_db(transaction=True)
def test_changes_sent_at_the_same_moment_share_one_transaction_and_each_gets_its_own_answer(
        workshop, fac_actor, monkeypatch):
    _on_boards(workshop, fac_actor)
    cards = list(workshop.cards.filter(kind="not_working").values_list("pk", flat=True))
    clusters = list(ops.main_board(workshop, "not_working").clusters.values_list("pk", flat=True))
    batches = []
    real = ops.run_many

    def counting(workshop_id, requests):
        batches.append(len(requests))
        return real(workshop_id, requests)

    monkeypatch.setattr(ops, "run_many", counting)
    start = Workshop.objects.get(pk=workshop.pk).version

    async def many():
        moves = [applier.apply(workshop.pk, fac_actor, "move_card", {"card": cards[i % 3], "cluster": clusters[i % 2]})
                 for i in range(12)]
        refused = applier.apply(workshop.pk, fac_actor, "move_card", {"card": cards[0], "cluster": 10**9})
        return await asyncio.gather(*moves, refused, return_exceptions=True)

    answers = asyncio.run(many())
    assert [a.version for a in answers[:12]] == list(range(start + 1, start + 13))
    assert isinstance(answers[12], OpError) and "not in this workshop" in str(answers[12])
    assert sum(batches) == 13 and len(batches) < 13  # the first went alone; the rest waited and went together
    assert Workshop.objects.get(pk=workshop.pk).version == start + 12
