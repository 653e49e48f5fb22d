from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "goldenthread.api"
    label = "api"
    verbose_name = "API clients"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from goldenthread.api.models import ApiClient
        from goldenthread.core.audit import register

        # Who made, changed or revoked a token is logged; the token's hash never goes in the log.
        register(ApiClient, exclude_fields=["key_hash", "last_used_at"], m2m_fields={"cycles", "services"},
                 clear_fields=["name", "role", "prefix"], safe_repr=True)
