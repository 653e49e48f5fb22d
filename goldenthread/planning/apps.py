from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "goldenthread.planning"
    label = "planning"
    verbose_name = "Team planning"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.planning import models

        register(models.TeamPlan)
        register(models.TeamPlanItem)
