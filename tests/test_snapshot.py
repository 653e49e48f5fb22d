"""The demo is loaded once per test process and put back for each test that needs it (tests/snapshot.py)."""
from __future__ import annotations


def _rows(snapshot):
    return {table: sorted(map(repr, rows)) for table, (_, rows) in snapshot.tables.items()}


def test_a_restored_demo_is_the_loaded_demo_row_for_row(db, demo_data, demo_snapshot):
    from tests.snapshot import Snapshot

    assert demo_snapshot.rows > 1000
    assert _rows(Snapshot.take()) == _rows(demo_snapshot)


def test_rows_added_after_a_restore_get_new_keys(db, demo_data):
    from goldenthread.reviews.models import ProgrammeCycle

    biggest = ProgrammeCycle.objects.order_by("-pk").values_list("pk", flat=True).first()
    made = ProgrammeCycle.objects.create(name="After the demo", slug="after-demo", year=2027)
    assert made.pk > biggest


def test_a_test_without_the_demo_starts_empty(db):
    from goldenthread.reviews.models import ProgrammeCycle, Review

    assert not ProgrammeCycle.objects.exists() and not Review.objects.exists()


def test_a_restore_that_is_rolled_back_leaves_no_sequence_behind_rows_kept_outside_it(transactional_db):
    """A ``db`` test restores inside a transaction that is rolled back, and PostgreSQL's ``setval`` is not undone:
    the sequence must never end up behind rows committed before (it once gave "duplicate key ... auth_group_pkey"
    to the next test that made a group)."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    from tests.snapshot import Snapshot

    snapshot = Snapshot.of(lambda: Group.objects.create(name="In the snapshot"))
    Group.objects.bulk_create([Group(name=f"Kept {i}") for i in range(30)])      # committed, with higher ids
    with transaction.atomic():
        snapshot.restore()
        transaction.set_rollback(True)
    assert Group.objects.filter(name__startswith="Kept").count() == 30
    assert Group.objects.create(name="Made afterwards").pk > max(Group.objects.exclude(
        name="Made afterwards").values_list("pk", flat=True))
