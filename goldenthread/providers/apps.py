from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "goldenthread.providers"
    label = "providers"
    verbose_name = "Individual Service Funds and team tools"

    def ready(self) -> None:
        from goldenthread.providers import audit

        audit.register_models()
