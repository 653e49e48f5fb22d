"""Who looked at or exported identifiable data: :func:`record_access`, the one way to write the access log.

Call it from any app (it sits in core, below every app) whenever identifiable
data leaves the database for a person or a file::

    record_access(request.user, "view", review, person_ref=review.person_ref)
    record_access("api:council-crm", "export", review)
    record_access(delegate, "view", card, detail="card shown on screen")

``actor`` may be a Django user, a workshop delegate (anything with
``workshop_id``), an API client (anything with a ``name`` and no username), or a
ready-made string. Changes to rows are logged separately by django-auditlog
(:mod:`goldenthread.core.audit`); both are shown to administrators at /audit/.
"""
from __future__ import annotations

from goldenthread.core.models import AccessRecord


def actor_label(actor) -> str:
    """The actor as one string: user:<name>, delegate:<id>@<workshop>, api:<client>, or the string given."""
    if actor is None:
        return "system:unknown"
    if isinstance(actor, str):
        return actor[:200]
    if hasattr(actor, "is_authenticated") and hasattr(actor, "get_username"):
        return f"user:{actor.get_username()}" if actor.is_authenticated else "anonymous"
    if hasattr(actor, "workshop_id"):
        workshop = getattr(actor, "workshop", None)
        return f"delegate:{actor.pk}@{getattr(workshop, 'code', actor.workshop_id)}"
    if hasattr(actor, "name"):
        return f"api:{actor.name}"
    return str(actor)[:200]


def record_access(actor, action: str, obj=None, detail: str = "", *, person_ref: str = "") -> AccessRecord:
    """Append one record to the access log and return it.

    ``obj`` is the model instance looked at (its type and id are kept, not its
    contents); ``person_ref`` the pseudonymous person it is about (taken from
    ``obj.person_ref`` when there is one).
    """
    user = actor if getattr(actor, "is_authenticated", False) and hasattr(actor, "get_username") else None
    if not person_ref and obj is not None:
        person_ref = getattr(obj, "person_ref", "") or ""
    return AccessRecord.objects.create(
        actor=actor_label(actor), user=user, action=action,
        object_type=obj._meta.label_lower if obj is not None and hasattr(obj, "_meta") else "",
        object_id=str(obj.pk) if obj is not None and getattr(obj, "pk", None) is not None else "",
        person_ref=person_ref[:64], detail=detail[:500],
    )
