from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "goldenthread.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.outcomes import models

        # The council's own framework and figures: no one's words, so logged in clear.
        register(models.OutcomeArea, clear_fields=["code", "statement", "description"], safe_repr=True)
        register(models.Measure, clear_fields=["name", "kind", "unit", "value", "period"])
        register(models.ThemeOutcome, clear_fields=["status"])
