from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "goldenthread.market"
    label = "market"
    verbose_name = "Market"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.market import models

        # The council's own directory: no one's words, so logged in clear.
        register(models.ServiceType, clear_fields=["name", "description"], safe_repr=True)
        register(models.Provision, clear_fields=["name", "kind", "organisation", "capacity", "capacity_unit",
                                                 "notes"], safe_repr=True)
        register(models.ThemeServiceType, clear_fields=["status"])
