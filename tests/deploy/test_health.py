"""Issue 24: /healthz and /readyz for probes, without sign-in, without personal data, never cached."""
from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from goldenthread.web import health


def test_healthz_says_ok_without_sign_in_and_without_touching_the_database(client):
    response = client.get("/healthz")  # no db fixture: any query would fail the test
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_each_check_when_everything_is_ready(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert body == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "channel_layer": "ok"}}
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_503_naming_the_database_when_it_cannot_be_reached(client, db, monkeypatch):
    def down():
        raise ConnectionError("could not connect to server at db.internal as goldenthread_owner")

    monkeypatch.setattr(health, "check_database", down)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["failing"] == ["database"] and body["checks"]["database"] == "failing: ConnectionError"
    assert b"db.internal" not in response.content and b"goldenthread_owner" not in response.content


def test_readyz_is_503_naming_the_migrations_when_one_is_not_applied(client, db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("a migration", False)])
    response = client.get("/readyz")
    assert response.status_code == 503 and json.loads(response.content)["failing"] == ["migrations"]


def test_readyz_is_503_naming_the_channel_layer_when_its_message_does_not_come_back(client, db, monkeypatch):
    from channels.layers import InMemoryChannelLayer

    async def lost(self, channel, message):
        return None  # sent into the void: the receive waits for the timeout

    monkeypatch.setattr(InMemoryChannelLayer, "send", lost)
    monkeypatch.setattr(health, "LAYER_TIMEOUT_SECONDS", 0.1)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["channel_layer"] == "failing: no answer"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_probes_answer_an_account_without_a_role_and_a_redirect_to_https_does_not_apply(path, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    nobody = User.objects.create_user("no-role-yet", password="a-long-pass-phrase")
    client = Client()
    client.force_login(nobody)
    assert client.get(path).status_code == 200
    assert Client().get(path).status_code == 200
