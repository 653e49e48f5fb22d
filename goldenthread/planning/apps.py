from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "goldenthread.planning"
    label = "planning"
    verbose_name = "Team planning"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.planning import models

        # A team's plan is the team's own words: logged in clear (core/audit.py hides text not listed).
        register(models.TeamPlan, clear_fields=["provider", "team", "group_type"], safe_repr=True)
        register(models.TeamPlanItem, clear_fields=["text", "how"])
