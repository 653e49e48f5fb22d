"""Who changed what: every change to the data is logged with django-auditlog, and the log holds no one's words.

The change log records who created, changed or deleted which row, when, and which fields changed. It must not
become a second copy of the personal data it describes, so:

* **Text is hidden unless it is declared safe.** Every text or JSON field of a registered model is logged as
  ``"(hidden)"`` (or as empty when it was empty) unless it has fixed choices or its registration lists it in
  ``clear_fields``: names, what people said, card wording, notes, reasons and comments are never written to the
  log, and a field added later is hidden until someone decides otherwise. The log still shows *that* the field
  changed and who changed it.
* **The row's label names no one.** django-auditlog keeps ``str(row)`` as ``object_repr`` (for an attendee,
  "Lorraine Barnes (mum)"). Unless a registration says the model's label is safe (``safe_repr``: a theme, a
  cycle, an area), the label is replaced by the model's name and key, "Attendee #12". The same goes for the
  rows listed in a many-to-many change (the people sharing a fund): shown only when their model's label is safe.
* **Person IDs stay in clear.** ``Review.person_ref`` and ``OnePageProfile.person_ref`` are pseudonyms from the
  council's own records (never a name or an NHS number; see ``docs/data-protection.md``); they are what lets
  :func:`goldenthread.reviews.data_protection.erase_person` find and delete a person's log entries.

The masking and the label are applied in one place, just before any log entry is saved (:func:`scrub_entry`,
connected in ``CoreConfig.ready``), so a registration made with ``auditlog.register`` directly is covered too.
:func:`scrub_log` applies the same rule to entries already in the database (the migration that brought this
rule in, and every restore of an older backup).

Each app registers its own models from its ``AppConfig.ready`` with :func:`register`, so the rule "log it,
showing only these fields" sits beside the model.
"""
from __future__ import annotations

import json

from auditlog.registry import auditlog
from django.core.exceptions import FieldDoesNotExist
from django.db import models

#: What a hidden value looks like in the change log.
HIDDEN = "(hidden)"
#: Values that say nothing about anyone, kept so the log still shows a field being filled in or emptied.
_EMPTY = {"", "None", "[]", "{}", "null"}

#: Models whose ``str()`` is an organisational label (a cycle, an area, a theme name), kept as ``object_repr``.
_SAFE_REPR: set[type[models.Model]] = set()
#: The text fields each registration declared safe to log in clear (for the test that checks every model).
_CLEAR: dict[type[models.Model], frozenset[str]] = {}

_TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def hide(value: str) -> str:
    """django-auditlog's mask callable: the whole value goes, only "was it empty" stays."""
    return value if value in _EMPTY else HIDDEN


def hidden_fields(model, clear_fields=(), exclude_fields=()) -> list[str]:
    """The fields of ``model`` the log hides: every text or JSON field without choices that is not declared clear."""
    return [f.name for f in model._meta.concrete_fields
            if isinstance(f, _TEXT_FIELDS) and not f.choices and f.name not in clear_fields
            and f.name not in exclude_fields]


def register(model, *, clear_fields=(), mask_fields=(), exclude_fields=(), m2m_fields=(),
             safe_repr: bool = False) -> None:
    """Log every change to ``model``, hiding every text field except ``clear_fields`` (and those with choices).

    ``mask_fields`` are hidden even if listed clear; ``exclude_fields`` are not logged at all; ``m2m_fields``
    are logged as lists of related rows (their labels hidden unless their model's are safe). ``safe_repr``
    says ``str(row)`` names no one and may be kept in the log.
    """
    if auditlog.contains(model):
        return
    masked = sorted(set(hidden_fields(model, clear_fields, exclude_fields)) | set(mask_fields))
    kwargs = {"mask_fields": masked, "mask_callable": "goldenthread.core.audit.hide"}
    if exclude_fields:
        kwargs["exclude_fields"] = list(exclude_fields)
    if m2m_fields:
        kwargs["m2m_fields"] = set(m2m_fields)
    _CLEAR[model] = frozenset(clear_fields) - set(mask_fields)
    if safe_repr:
        _SAFE_REPR.add(model)
    auditlog.register(model, **kwargs)


def declared_clear(model) -> frozenset[str]:
    """The text fields of ``model`` its registration logs in clear."""
    return _CLEAR.get(model, frozenset())


def label(model, pk, fallback: str = "row") -> str:
    """A row's label that names no one: the model's name and its key, "Attendee #12"."""
    name = str(model._meta.verbose_name) if model is not None else fallback
    return f"{name[:1].upper()}{name[1:]} #{pk}"


def safe_changes(model, changes):
    """``changes`` with every hidden field's values (and hidden many-to-many labels) replaced by :data:`HIDDEN`."""
    if isinstance(changes, str):  # entries written by older versions of django-auditlog
        try:
            changes = json.loads(changes)
        except ValueError:
            return changes
    if not isinstance(changes, dict) or model is None or not auditlog.contains(model):
        return changes
    masked = set(auditlog.get_model_fields(model)["mask_fields"])
    out = {}
    for name, value in changes.items():
        if isinstance(value, dict) and value.get("type") == "m2m":
            if name in masked or _related(model, name) not in _SAFE_REPR:
                value = {**value, "objects": [HIDDEN for _ in value.get("objects", [])]}
        elif name in masked and isinstance(value, (list, tuple)):
            value = [hide("None" if v is None else str(v)) for v in value]
        out[name] = value
    return out


def _related(model, name):
    try:
        return model._meta.get_field(name).related_model
    except FieldDoesNotExist:  # a field since removed
        return None


def scrub_entry(sender, instance, **kwargs) -> None:
    """Before a change-log entry is saved: a label that names no one, and the hidden fields hidden."""
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model not in _SAFE_REPR:
        instance.object_repr = label(model, instance.object_pk,
                                     instance.content_type.model if instance.content_type_id else "row")
    instance.changes = safe_changes(model, instance.changes)
    if instance.changes_text:
        instance.changes_text = ""
    instance.serialized_data = None


def scrub_log(entries=None, chunk: int = 2000) -> int:
    """Apply the rule to entries already saved (all of them by default); return how many were rewritten."""
    from auditlog.models import LogEntry

    entries = LogEntry.objects.all() if entries is None else entries
    todo, changed = [], 0
    for entry in entries.select_related("content_type").order_by("pk").iterator(chunk_size=chunk):
        before = (entry.object_repr, entry.changes, entry.changes_text, entry.serialized_data)
        scrub_entry(LogEntry, entry)
        if (entry.object_repr, entry.changes, entry.changes_text, entry.serialized_data) != before:
            todo.append(entry)
        if len(todo) >= chunk:
            changed += _save(todo)
    return changed + _save(todo)


def _save(entries: list) -> int:
    from auditlog.models import LogEntry

    n = len(entries)
    LogEntry.objects.bulk_update(entries, ["object_repr", "changes", "changes_text", "serialized_data"])
    entries.clear()
    return n
