"""Stable cluster labels: every cluster is "Cluster A", "Cluster B"... from when it is made until it is named,
on the wall, in the change log and in undo, whatever happens to its cards."""
from __future__ import annotations

from django.urls import reverse

from goldenthread.workshops import services
from goldenthread.workshops.models import serial_letters


def run(workshop, actor, op, **data):
    return services.run(workshop.pk, actor, op, data)


def _three_clusters(workshop, actor):
    run(workshop, actor, "set_stage", stage="card_call")
    for card in workshop.cards.filter(kind="not_working").order_by("order"):
        run(workshop, actor, "call_card", card=card.pk, cluster="new")
    return list(services.main_board(workshop, "not_working").clusters.all())


def test_labels_run_a_to_z_then_aa():
    assert [serial_letters(n) for n in (1, 2, 26, 27, 28, 52, 53)] == ["A", "B", "Z", "AA", "AB", "AZ", "BA"]


def test_each_new_cluster_gets_the_next_label_on_its_board(workshop, fac_actor):
    a, b, c = _three_clusters(workshop, fac_actor)
    assert [x.label for x in (a, b, c)] == ["Cluster A", "Cluster B", "Cluster C"]
    working = services.main_board(workshop, "working")
    run(workshop, fac_actor, "call_card", card=workshop.cards.filter(kind="working").first().pk, cluster="new")
    assert working.clusters.get().label == "Cluster A"  # each board has its own A, B, C


def test_moving_a_clusters_first_card_does_not_change_its_label(workshop, fac_actor):
    a, b, c = _three_clusters(workshop, fac_actor)
    first = a.placements.get().card
    run(workshop, fac_actor, "move_card", card=c.placements.get().card.pk, cluster=a.pk)  # A has two cards
    run(workshop, fac_actor, "move_card", card=first.pk, cluster=b.pk)  # A's first card goes
    a.refresh_from_db()
    assert a.label == "Cluster A"
    run(workshop, fac_actor, "move_cluster", cluster=a.pk, position=1)  # reordering keeps it too
    a.refresh_from_db()
    assert a.label == "Cluster A" and a.position == 1


def test_a_label_is_not_given_again_while_the_board_has_a_later_one(workshop, fac_actor):
    a, b, c = _three_clusters(workshop, fac_actor)
    run(workshop, fac_actor, "move_card", card=b.placements.get().card.pk, cluster=a.pk)  # B is empty and goes
    run(workshop, fac_actor, "move_card", card=a.placements.first().card.pk, cluster="new", board=a.board_id)
    board = services.main_board(workshop, "not_working")
    assert sorted(x.label for x in board.clusters.all()) == ["Cluster A", "Cluster C", "Cluster D"]


def test_the_merge_text_names_both_labels_and_undo_brings_the_label_back(workshop, fac_actor):
    a, b, c = _three_clusters(workshop, fac_actor)
    run(workshop, fac_actor, "merge_clusters", cluster=c.pk, into=a.pk)
    change = workshop.changes.first()
    assert change.summary == "“Cluster C” merged into “Cluster A”"
    run(workshop, fac_actor, "undo_change")
    board = services.main_board(workshop, "not_working")
    assert [x.label for x in board.clusters.all()] == ["Cluster A", "Cluster B", "Cluster C"]
    run(workshop, fac_actor, "redo")
    assert [x.label for x in board.clusters.all()] == ["Cluster A", "Cluster B"]


def test_naming_and_unnaming_say_the_label(workshop, fac_actor):
    a, b, c = _three_clusters(workshop, fac_actor)
    run(workshop, fac_actor, "rename_cluster", cluster=b.pk, name="We miss the bus")
    assert workshop.changes.first().summary == "“Cluster B” renamed “We miss the bus”"
    run(workshop, fac_actor, "merge_clusters", cluster=c.pk, into=b.pk)
    assert workshop.changes.first().summary == "“Cluster C” merged into “We miss the bus”"
    services.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": b.pk, "name": ""}, confirm=True)
    assert workshop.changes.first().summary == "“We miss the bus” no longer named: it is “Cluster B” again"


def test_the_wall_and_its_log_show_the_labels_until_named(client, facilitator, workshop, fac_actor):
    a, b, c = _three_clusters(workshop, fac_actor)
    run(workshop, fac_actor, "merge_clusters", cluster=c.pk, into=a.pk)
    client.force_login(facilitator)
    page = client.get(reverse("workshop:board", args=[workshop.code, a.board_id])).content.decode()
    assert "Cluster A, not named yet: “" in page and "Cluster B, not named yet: “" in page
    assert "“Cluster C” merged into “Cluster A”" in page and "Not named yet" not in page


def test_the_data_migration_labels_existing_clusters_in_the_order_they_were_made(workshop, fac_actor):
    import importlib

    from django.apps import apps

    from goldenthread.workshops.models import Cluster

    a, b, c = _three_clusters(workshop, fac_actor)
    for n, cluster in zip((90, 80, 70), (a, b, c)):  # as if made before labels: any numbers, out of order
        Cluster.objects.filter(pk=cluster.pk).update(serial=n)
    migration = importlib.import_module(
        "goldenthread.workshops.migrations.0006_room_view_labels_and_delegate_suggestions")
    migration.number_clusters(apps, None)
    assert [Cluster.objects.get(pk=x.pk).label for x in (a, b, c)] == ["Cluster A", "Cluster B", "Cluster C"]
