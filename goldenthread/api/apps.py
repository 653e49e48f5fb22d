from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "goldenthread.api"
    label = "api"
    verbose_name = "API clients"
    default_auto_field = "django.db.models.BigAutoField"
