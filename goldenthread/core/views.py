"""The audit page: who looked at, exported or changed what. Administrators only."""
from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from goldenthread.core import roles
from goldenthread.core.models import AccessRecord


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def audit(request):
    """Both logs, newest first, filtered by who, what, which person and when."""
    if not roles.is_administrator(request.user):
        raise PermissionDenied("Only administrators can read the audit log")
    q = request.GET
    actor, action, person_ref = q.get("actor", "").strip(), q.get("action", ""), q.get("person_ref", "").strip()
    since, until = _date(q.get("since")), _date(q.get("until"))
    access = AccessRecord.objects.all()
    changes = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if actor:
        access = access.filter(actor__icontains=actor)
        changes = changes.filter(actor__username__icontains=actor.removeprefix("user:"))
    if action in AccessRecord.Action.values:
        access = access.filter(action=action)
    if person_ref:
        access = access.filter(person_ref=person_ref)
    if since:
        access, changes = access.filter(at__date__gte=since), changes.filter(timestamp__date__gte=since)
    if until:
        access, changes = access.filter(at__date__lte=until), changes.filter(timestamp__date__lte=until)
    return render(request, "core/audit.html", {
        "access": Paginator(access, 100).get_page(q.get("page")),
        "changes": Paginator(changes, 100).get_page(q.get("cpage")),
        "actions": AccessRecord.Action.choices,
        "filters": {"actor": actor, "action": action, "person_ref": person_ref,
                    "since": q.get("since", ""), "until": q.get("until", "")},
    })
