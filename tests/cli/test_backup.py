"""Backup and restore round-trip: load the demo, back up, wipe, restore, and everything is as it was."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from goldenthread.cli.main import cli
from goldenthread.core.models import AccessRecord
from goldenthread.reviews.models import Review


def _counts() -> dict[str, int]:
    models = [m for m in apps.get_models() if m.__module__.startswith("goldenthread.")] + [User]
    return {m._meta.label: m._default_manager.count() for m in models}


def _rendered(pk: int) -> str:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    html = client.get(reverse("review", args=[pk])).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("fmt", ["json", "sqlite"])
def test_backup_wipe_restore_gives_the_same_data_and_the_same_page(transactional_db, full_demo_data, tmp_path, fmt):
    from django.db import connection

    if fmt == "sqlite" and connection.vendor != "sqlite":
        pytest.skip("SQLite's online backup applies to a SQLite database only (the JSON format covers this one)")
    runner = CliRunner()
    review = Review.objects.filter(attendees__isnull=False).order_by("pk").first()
    before_page = _rendered(review.pk)
    path = tmp_path / f"backup.{fmt}"
    result = runner.invoke(cli, ["backup", "--output", str(path), "--format", fmt])
    assert result.exit_code == 0, result.output
    before = _counts()
    assert before["reviews.Review"] > 0 and before["reviews.Statement"] > 0 and before["workshops.Placement"] > 0

    call_command("flush", interactive=False, verbosity=0)
    assert Review.objects.count() == 0

    result = runner.invoke(cli, ["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    after = _counts()
    # The restore itself is one new access-log record; everything else is exactly as it was.
    assert after.pop("core.AccessRecord") == before.pop("core.AccessRecord") + 1
    assert after == before
    assert AccessRecord.objects.filter(action="restore").exists()
    assert _rendered(review.pk) == before_page


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    result = CliRunner().invoke(cli, ["restore", str(path), "--yes"])
    assert result.exit_code != 0 and "not a Golden Thread backup" in result.output


def _two_people():
    import datetime as dt

    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.reviews.saving import save_reviews
    from tests.conftest import make_council_lists

    make_council_lists()
    cycle = ProgrammeCycle.objects.create(name="Restore town, 2026", slug="restore-2026", year=2026)
    save_reviews(cycle, [
        ReviewDraft(reference=ref, person_ref=person, review_date=dt.date(2026, 2, 1), area="Harford", consent=True,
                    user_group="Older people", person_name=name, attendees=[(f"{name} senior", "parent")],
                    statements=[StatementDraft(kind="working", text=f"{name} enjoys the Brindle Street market")])
        for ref, person, name in (("R1", "P-1", "Hetty Larkspur"), ("R2", "P-2", "Abe Dunnock"),
                                  ("R3", "P-3", "Cass Whinchat"))])


@pytest.mark.parametrize("fmt", ["json", "sqlite"])
def test_a_restore_erases_again_everyone_erased_after_the_backup_and_says_so(transactional_db, tmp_path, fmt):
    from django.db import connection

    from goldenthread.reviews import data_protection
    from goldenthread.reviews.models import ErasureRecord, OnePageProfile

    if fmt == "sqlite" and connection.vendor != "sqlite":
        pytest.skip("SQLite's online backup applies to a SQLite database only (the JSON format covers this one)")
    _two_people()
    data_protection.erase_person("P-3", "user:admin")  # before the backup: not in it, nothing to re-apply
    OnePageProfile.objects.create(person_ref="P-1", name="Hetty Larkspur", appreciate="a", important="b", support="c")
    runner = CliRunner()
    path = tmp_path / f"backup.{fmt}"
    assert runner.invoke(cli, ["backup", "--output", str(path), "--format", fmt]).exit_code == 0
    data_protection.erase_person("P-1", "user:admin")
    data_protection.erase_person("P-2", "user:admin")
    ledger = list(ErasureRecord.objects.values_list("person_ref", "erased_at"))

    result = runner.invoke(cli, ["restore", str(path), "--yes"])

    assert result.exit_code == 0, result.output
    assert "Re-applied 2 erasures made after this backup" in result.output
    assert not Review.objects.filter(person_ref__in=["P-1", "P-2", "P-3"]).exists()
    assert not OnePageProfile.objects.exists()
    text = _everything_logged()
    assert "Larkspur" not in text and "Dunnock" not in text and "Brindle" not in text
    # The ledger is the live one, whole: the restore neither lost it nor added to it.
    assert list(ErasureRecord.objects.values_list("person_ref", "erased_at")) == ledger
    assert AccessRecord.objects.filter(action="erase", person_ref="P-1", detail__contains="re-applied").exists()

    # Restoring the same backup again re-applies the same two, and still finds the ledger whole.
    again = runner.invoke(cli, ["restore", str(path), "--yes"])
    assert "Re-applied 2 erasures" in again.output and ErasureRecord.objects.count() == 3


def _everything_logged() -> str:
    import json

    from auditlog.models import LogEntry

    return "\n".join(f"{e.object_repr} {json.dumps(e.changes)}" for e in LogEntry.objects.all())


def test_a_restore_with_no_later_erasure_says_there_was_nothing_to_re_apply(transactional_db, tmp_path):
    _two_people()
    runner = CliRunner()
    path = tmp_path / "backup.json"
    assert runner.invoke(cli, ["backup", "--output", str(path), "--format", "json"]).exit_code == 0
    result = runner.invoke(cli, ["restore", str(path), "--yes"])
    assert result.exit_code == 0 and "No erasure made after this backup" in result.output
    assert Review.objects.filter(person_ref="P-1").exists()


def test_backups_leave_the_erasure_ledger_out_and_are_readable_by_their_owner_only(transactional_db, tmp_path):
    import gzip
    import sqlite3
    import stat

    from django.db import connection

    from goldenthread.reviews import data_protection

    _two_people()
    data_protection.erase_person("P-1", "user:admin")
    runner = CliRunner()
    formats = ["json"] + (["sqlite"] if connection.vendor == "sqlite" else [])
    for fmt in formats:
        path = tmp_path / f"backup.{fmt}"
        path.write_bytes(b"")
        path.chmod(0o644)  # an existing file is tightened too
        assert runner.invoke(cli, ["backup", "--output", str(path), "--format", fmt]).exit_code == 0
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        if fmt == "json":
            assert b"erasurerecord" not in gzip.decompress(path.read_bytes())
        else:
            con = sqlite3.connect(path)
            try:
                assert con.execute("SELECT COUNT(*) FROM reviews_erasurerecord").fetchone()[0] == 0
                assert con.execute("SELECT COUNT(*) FROM store_review").fetchone()[0] == 2
            finally:
                con.close()
