from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "goldenthread.accounts"
    label = "accounts"
    verbose_name = "Signing in"

    def ready(self) -> None:
        from django.core import checks

        from goldenthread.accounts.oidc import check_configuration

        checks.register(check_configuration, checks.Tags.security)
