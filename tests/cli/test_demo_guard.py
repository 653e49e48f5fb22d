"""``goldenthread demo`` never touches a real install: it refuses production and databases with real accounts."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from goldenthread.cli.main import cli
from goldenthread.core import roles
from goldenthread.demo import DEMO_PASSWORD, create_demo_users, is_demo_account, refusal


@pytest.fixture
def runner():
    return CliRunner()


def test_demo_refuses_a_database_with_a_real_admin_and_leaves_it_alone(runner, db):
    from django.contrib.auth.models import User

    User.objects.create_user("admin", password="the-council-admin-secret")
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 1
    assert "the demo was not loaded" in result.output and "(admin)" in result.output
    admin = User.objects.get(username="admin")
    assert admin.check_password("the-council-admin-secret") and not admin.is_superuser
    assert not User.objects.filter(username="viewer").exists()


def test_creating_demo_accounts_never_resets_or_promotes_an_existing_real_account(db):
    from django.contrib.auth.models import User

    User.objects.create_user("admin", password="the-council-admin-secret")
    User.objects.create_user("viewer", password="someone-elses-password")
    made = dict(create_demo_users())
    assert "admin" not in made and "viewer" not in made and "facilitator" in made
    admin = User.objects.get(username="admin")
    assert admin.check_password("the-council-admin-secret") and not admin.is_superuser and not admin.is_staff
    assert User.objects.get(username="viewer").check_password("someone-elses-password")
    assert is_demo_account(User.objects.get(username="facilitator"))


def test_demo_refuses_production_settings_even_with_no_accounts(db, settings, monkeypatch):
    from django.db import connection

    settings.DEBUG = False
    monkeypatch.setattr(connection, "vendor", "postgresql")
    assert "production database" in refusal()
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 1 and "never loads into a production database" in result.output


def test_demo_may_run_again_over_its_own_accounts(db, make_user):
    assert refusal() is None
    create_demo_users()
    assert refusal() is None
    make_user(roles.VIEWER, "real-person")
    assert "real-person" in refusal()


def test_accounts_from_an_older_demo_with_the_published_password_count_as_demo_accounts(db):
    from django.contrib.auth.models import User

    User.objects.create_user("commissioner", password=DEMO_PASSWORD)
    assert refusal() is None
