from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "goldenthread.programme"
    label = "programme"
    verbose_name = "The programme around the workshop"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.programme import models

        # Text is hidden in the change log unless listed (core/audit.py): the plan, counts and milestones are
        # clear; invitees' names and needs, contacts, evaluations, update notes and comments are hidden.
        register(models.Plan, clear_fields=["scope_type", "information", "whose_reviews", "delegate_groups",
                                            "comment_code"], safe_repr=True)
        register(models.PopulationCount, clear_fields=["dimension", "value"], safe_repr=True)
        register(models.Invitee, clear_fields=["organisation", "group", "reply"])
        register(models.WorkshopDay, clear_fields=["times", "venue"])
        register(models.Milestone, clear_fields=["text"], safe_repr=True)
        for model in (models.Evaluation, models.ActionUpdate, models.Comment, models.CarriedAction):
            register(model)
