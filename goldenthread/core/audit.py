"""Who changed what: every change to the review data is logged with django-auditlog.

Identifiable fields are masked in the log, so the log itself does not become a
second copy of special-category data. Bulk imports are logged once, as their
:class:`~goldenthread.reviews.models.ImportBatch`.

Each app registers its own models from its ``AppConfig.ready`` with
:func:`register`, so the rule "log it, masking these fields" sits beside the model.
"""
from auditlog.registry import auditlog


def register(model, *, mask_fields=(), m2m_fields=()) -> None:
    """Log every change to ``model``; ``mask_fields`` are identifiable and are masked in the log."""
    if auditlog.contains(model):
        return
    kwargs = {}
    if mask_fields:
        kwargs["mask_fields"] = list(mask_fields)
    if m2m_fields:
        kwargs["m2m_fields"] = set(m2m_fields)
    auditlog.register(model, **kwargs)
