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
