"""The access log is append-only, names users, delegates and API clients, and only administrators read it."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.core.access_log import actor_label, record_access
from goldenthread.core.models import AccessRecord


def test_a_record_cannot_be_changed_or_deleted(make_user):
    record = record_access(make_user(roles.ADMINISTRATOR), "view", None, "looked", person_ref="P1")
    record.detail = "rewritten"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        AccessRecord.objects.filter(pk=record.pk).update(detail="x")
    with pytest.raises(PermissionError):
        AccessRecord.objects.all().delete()
    assert AccessRecord.objects.get().detail == "looked"


def test_the_admin_offers_no_add_change_or_delete(make_user):
    admin = make_user(roles.ADMINISTRATOR)
    admin.is_superuser = admin.is_staff = True
    request = RequestFactory().get("/")
    request.user = admin
    model_admin = site._registry[AccessRecord]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_actor_names_a_user_a_delegate_or_an_api_client(make_user):
    assert actor_label(make_user(roles.VIEWER, "vic")) == "user:vic"
    delegate = SimpleNamespace(pk=7, workshop_id=3, workshop=SimpleNamespace(code="ABCD12"))
    assert actor_label(delegate) == "delegate:7@ABCD12"
    assert actor_label(SimpleNamespace(name="council-crm")) == "api:council-crm"
    assert actor_label("system:backup") == "system:backup"


def test_only_administrators_can_read_the_audit_page(client, make_user):
    record_access("api:council-crm", "export", None, "review 4", person_ref="P-4")
    record_access("user:someone", "view", None, "review 5", person_ref="P-5")
    for role in (roles.FACILITATOR, roles.REVIEW_FACILITATOR, roles.PROVIDER_MANAGER, roles.VIEWER):
        client.force_login(make_user(role))
        assert client.get(reverse("audit")).status_code == 403
    client.logout()
    assert client.get(reverse("audit")).status_code in (302, 403)
    client.force_login(make_user(roles.ADMINISTRATOR))
    page = client.get(reverse("audit"), {"person_ref": "P-4"}).content.decode()
    assert "api:council-crm" in page and "user:someone" not in page
    page = client.get(reverse("audit"), {"actor": "someone", "action": "view"}).content.decode()
    assert "user:someone" in page and "api:council-crm" not in page


# Logs in their own right: each row is already a record of one change or one export.
# api.apicalllog is itself the record of each API call (who, when, what): append-only, like the access log.
# batch.proposedmembership: the engine's bulk proposal (one row per statement, written by a run, never edited
# by a person); the run and its themes, which people confirm and rename, are logged.
# reviews.erasurerecord: the erasure ledger (person IDs and dates), a log kept apart from the data.
# workshops.serverprocess: each server process's heartbeat, rewritten every few seconds; nobody's data.
NOT_AUDITLOGGED = {"core.accessrecord", "reviews.erasurerecord", "workshops.change", "workshops.liveconnection",
                   "workshops.serverprocess",
                   "reporting.exportrecord", "api.apicalllog", "batch.proposedmembership"}


def test_every_model_of_every_app_is_logged_by_auditlog():
    from auditlog.registry import auditlog

    models = [m for m in apps.get_models() if m.__module__.startswith("goldenthread.")]
    missing = [m._meta.label_lower for m in models
               if not auditlog.contains(m) and m._meta.label_lower not in NOT_AUDITLOGGED]
    assert models and missing == []
