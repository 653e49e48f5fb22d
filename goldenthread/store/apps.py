from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "goldenthread.store"
    label = "store"
    verbose_name = "Reviews and cycles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from goldenthread.store import audit, roles

        post_migrate.connect(roles.ensure_roles, sender=self)
        audit.register_models()
