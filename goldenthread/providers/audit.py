"""Who changed what: every model of this app is logged with django-auditlog (who, when, what changed)."""
from auditlog.registry import auditlog


def register_models() -> None:
    from goldenthread.providers import models

    if auditlog.contains(models.Fund):
        return
    auditlog.register(models.SupportedPerson, m2m_fields={"people"})
    auditlog.register(models.Fund, m2m_fields={"shared_by"}, exclude_fields=["lock_version"])
    for model in (models.AllocationChange, models.FlexRule, models.Approval, models.IssuedStatement,
                  models.LedgerEntry, models.PlanLine, models.Redivision, models.RedivisionShare, models.Wishes, models.StaffMember, models.FourPlusOne,
                  models.LearningLog, models.Doughnut):
        auditlog.register(model)
