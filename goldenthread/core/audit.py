"""Who changed what: every change to the review data is logged with django-auditlog.

Identifiable fields are masked in the log, so the log itself does not become a
second copy of special-category data. Bulk imports are logged once, as their
:class:`~goldenthread.store.models.ImportBatch`.
"""
from auditlog.registry import auditlog


def register_models() -> None:
    from goldenthread.store import models

    if auditlog.contains(models.Review):
        return
    auditlog.register(models.ProgrammeCycle, m2m_fields={"team"})
    auditlog.register(models.ImportBatch)
    auditlog.register(models.Review, mask_fields=["person_name", "facilitator", "location"])
    auditlog.register(models.Attendee, mask_fields=["name"])
    auditlog.register(models.Statement, mask_fields=["text"])
    auditlog.register(models.ReviewItem, mask_fields=["text"])
    auditlog.register(models.IndividualAction, mask_fields=["text", "owner"])
    auditlog.register(models.OnePageProfile, mask_fields=["name", "appreciate", "important", "support"])
    auditlog.register(models.ProfileVersion, mask_fields=["name", "appreciate", "important", "support"])
    auditlog.register(models.StaffProfile, m2m_fields={"services"})
    auditlog.register(models.TeamPlan)
    auditlog.register(models.TeamPlanItem)
    # The live workshop: every decision the group makes is logged too.
    for model in (models.Workshop, models.Delegate, models.Board, models.Cluster, models.Placement, models.Decision,
                  models.Vote, models.RootCause, models.SuccessStatement, models.ShareItem):
        auditlog.register(model)
    auditlog.register(models.Action, m2m_fields={"themes", "root_causes"})
    # Reports: a person confirming that two themes are the same is a decision too.
    auditlog.register(models.ThemeMatch)
