from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goldenthread.core"
    label = "core"
    verbose_name = "Shared vocabulary, lookups and roles"

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from django.db.models.signals import post_migrate, pre_save

        from goldenthread.core import roles
        from goldenthread.core.audit import neutral_object_repr, register
        from goldenthread.core.models import Area, Service, StaffProfile, UserGroup

        # After every app's migrations and permissions: the role groups get exactly their permissions.
        post_migrate.connect(roles.ensure_roles, dispatch_uid="goldenthread.core.roles.ensure_roles")
        pre_save.connect(neutral_object_repr, sender=LogEntry, dispatch_uid="goldenthread.core.audit.neutral_repr")
        register(StaffProfile, m2m_fields={"services"})
        for lookup in (Area, Service, UserGroup):
            register(lookup)
