"""Who changed what: every model of this app is logged with django-auditlog (who, when, what changed).

Text is hidden in the change log unless listed here (:mod:`goldenthread.core.audit`): a person's name, the
name of their fund, what they spend it on and with whom, reasons, wishes, staff details and learning notes are
all hidden; the person's reference (a pseudonym) and band names are clear.
"""


def register_models() -> None:
    from goldenthread.core.audit import register
    from goldenthread.providers import models

    register(models.SupportedPerson, m2m_fields={"people"}, clear_fields=["ref"])
    register(models.Fund, m2m_fields={"shared_by"}, exclude_fields=["lock_version"])
    register(models.FlexRule, clear_fields=["name"])
    register(models.LedgerEntry, clear_fields=["band"])
    register(models.PlanLine, clear_fields=["band"])
    for model in (models.AllocationChange, models.Approval, models.FamilyInvitation, models.IssuedStatement,
                  models.Redivision, models.RedivisionShare,
                  models.Wishes, models.StaffMember, models.FourPlusOne, models.LearningLog, models.Doughnut):
        register(model)
