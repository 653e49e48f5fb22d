from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goldenthread.core"
    label = "core"
    verbose_name = "Shared vocabulary, lookups and roles"

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from django.db.models.signals import post_migrate, pre_save

        from goldenthread.core import roles
        from goldenthread.core.audit import register, scrub_entry
        from goldenthread.core.models import Area, Service, StaffProfile, UserGroup

        # After every app's migrations and permissions: the role groups get exactly their permissions.
        post_migrate.connect(roles.ensure_roles, dispatch_uid="goldenthread.core.roles.ensure_roles")
        register(StaffProfile, m2m_fields={"services"}, safe_repr=True)
        for lookup in (Area, Service, UserGroup):
            register(lookup, clear_fields=["name", "provider"], safe_repr=True)
        # Every change-log entry is scrubbed just before it is saved: no names, no one's words (core/audit.py).
        pre_save.connect(scrub_entry, sender=LogEntry, dispatch_uid="goldenthread.core.audit.scrub_entry")
