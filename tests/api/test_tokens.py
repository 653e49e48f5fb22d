"""API tokens: made by an administrator, shown once, stored hashed, scoped, revocable, rate limited, logged."""
from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command

from goldenthread.api.models import ApiCallLog, ApiClient


def test_a_token_is_stored_only_as_its_hash(make_client):
    client, token = make_client()
    stored = ApiClient.objects.get(pk=client.pk)
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(f"gt_{stored.prefix}_")
    row = ApiClient.objects.filter(pk=client.pk).values().get()
    assert all(token not in str(value) for value in row.values())


def test_a_valid_token_is_let_in(call, make_client, cycle):
    _client, token = make_client()
    assert call("GET", "/api/v1/cycles", token).status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer gt_0123456789_wrong", "Basic abc"])
def test_a_missing_or_unknown_token_is_refused(call, client, make_client, header):
    make_client()
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/cycles", **extra)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_with_the_right_prefix_but_wrong_secret_is_refused(call, make_client):
    client, token = make_client()
    assert call("GET", "/api/v1/cycles", token[:-2] + "xx").status_code == 401


def test_a_revoked_token_is_refused(call, make_client):
    client, token = make_client()
    assert call("GET", "/api/v1/cycles", token).status_code == 200
    client.revoke()
    assert call("GET", "/api/v1/cycles", token).status_code == 401


def test_the_command_makes_a_token_shown_once_and_revokes_it(capsys, call, cycle):
    call_command("api_token", "create", "--name", "Harford CMS", "--role", "Review facilitator",
                 "--cycles", "test-2026", "--write")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    client = ApiClient.objects.get(name="Harford CMS")
    assert client.may_write and not client.all_cycles and list(client.cycles.all()) == [cycle]
    assert call("GET", "/api/v1/cycles/test-2026", token).status_code == 200
    call_command("api_token", "list")
    listing = capsys.readouterr().out
    assert "Harford CMS" in listing and token not in listing
    call_command("api_token", "revoke", "--name", "Harford CMS")
    assert call("GET", "/api/v1/cycles/test-2026", token).status_code == 401


@pytest.mark.parametrize("role, flags, refused", [
    ("Viewer", ["--write"], "cannot send reviews"),
    ("Commissioner", ["--identifiable"], "may not see identifiable"),
])
def test_a_token_cannot_be_given_more_than_its_role_allows(db, role, flags, refused):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=refused):
        call_command("api_token", "create", "--name", "x", "--role", role, *flags)
    assert not ApiClient.objects.exists()


def test_the_admin_shows_a_new_token_once(admin_client, db):
    response = admin_client.post("/admin/api/apiclient/add/", {
        "name": "Analyst notebook", "role": "Viewer", "all_cycles": "on", "rate_limit": "60"}, follow=True)
    assert response.status_code == 200
    client = ApiClient.objects.get(name="Analyst notebook")
    shown = [str(m) for m in response.context["messages"]]
    token = next(word for m in shown for word in m.split() if word.startswith("gt_"))
    assert client.token_matches(token)
    again = admin_client.get(f"/admin/api/apiclient/{client.pk}/change/")
    assert token not in again.content.decode()


def test_too_many_calls_are_refused_with_retry_after(call, make_client):
    _client, token = make_client(rate_limit=3)
    statuses = [call("GET", "/api/v1/cycles", token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = call("GET", "/api/v1/cycles", token)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["type"].endswith("/rate-limited")


def test_each_token_has_its_own_limit(call, make_client):
    _a, first = make_client(rate_limit=1)
    _b, second = make_client(rate_limit=1)
    assert call("GET", "/api/v1/cycles", first).status_code == 200
    assert call("GET", "/api/v1/cycles", second).status_code == 200
    assert call("GET", "/api/v1/cycles", first).status_code == 429


def test_every_call_is_logged_with_its_client(call, make_client, cycle):
    client, token = make_client()
    call("GET", "/api/v1/cycles/test-2026", token)
    call("GET", "/api/v1/cycles/nowhere", token)
    call("GET", "/api/v1/cycles", "gt_0123456789_wrong")
    logged = list(ApiCallLog.objects.order_by("id").values_list("client_id", "path", "status"))
    assert logged == [(client.pk, "/api/v1/cycles/test-2026", 200), (client.pk, "/api/v1/cycles/nowhere", 404),
                      (None, "/api/v1/cycles", 401)]


def test_making_and_revoking_a_client_is_in_the_audit_log_without_its_hash(make_client):
    from auditlog.models import LogEntry

    client, token = make_client()
    client.revoke()
    entries = LogEntry.objects.get_for_object(client)
    assert entries.count() >= 2
    assert all(client.key_hash not in str(e.changes) and token not in str(e.changes) for e in entries)
