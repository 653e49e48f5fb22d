from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "goldenthread.programme"
    label = "programme"
    verbose_name = "The programme around the workshop"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.programme import models

        for model in (models.Plan, models.PopulationCount, models.Invitee, models.WorkshopDay, models.Evaluation,
                      models.ActionUpdate, models.Milestone, models.Comment, models.CarriedAction):
            register(model)
