"""Who changed what: every change to the review data is logged with django-auditlog.

Identifiable fields are masked in the log, so the log itself does not become a
second copy of special-category data: a masked field is recorded only as
"(changed)", and the entry's description of the object is its kind and number
("Attendee 12"), never its ``str()`` (which for people is a name). Erasing a
person deletes the entries about their rows (:mod:`goldenthread.reviews.data_protection`). Bulk imports are logged once, as their
:class:`~goldenthread.reviews.models.ImportBatch`.

Each app registers its own models from its ``AppConfig.ready`` with
:func:`register`, so the rule "log it, masking these fields" sits beside the model.
"""
from auditlog.registry import auditlog

#: What the log keeps of a masked field: that it changed, nothing of its value.
CHANGED = "(changed)"

#: Models with identifiable fields: their log entries describe the object by kind and number only.
IDENTIFIABLE: set = set()


def masked(value) -> str:
    """The mask for identifiable fields (django-auditlog's ``mask_callable``): the whole value goes."""
    return CHANGED


def neutral_object_repr(sender, instance, **kwargs) -> None:
    """``pre_save`` of auditlog's LogEntry: an entry about an identifiable model names it by kind and number."""
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model in IDENTIFIABLE:
        instance.object_repr = f"{model._meta.verbose_name.capitalize()} {instance.object_pk}"


def register(model, *, mask_fields=(), m2m_fields=()) -> None:
    """Log every change to ``model``; ``mask_fields`` are identifiable and are masked in the log."""
    if auditlog.contains(model):
        return
    kwargs = {}
    if mask_fields:
        kwargs["mask_fields"] = list(mask_fields)
        kwargs["mask_callable"] = "goldenthread.core.audit.masked"
        IDENTIFIABLE.add(model)
    if m2m_fields:
        kwargs["m2m_fields"] = set(m2m_fields)
    auditlog.register(model, **kwargs)
