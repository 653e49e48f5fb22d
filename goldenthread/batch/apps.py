from django.apps import AppConfig


class BatchConfig(AppConfig):
    name = "goldenthread.batch"
    label = "batch"
    verbose_name = "Batch theming"

    def ready(self) -> None:
        from goldenthread.batch.models import BatchRun, ProposedTheme
        from goldenthread.core.audit import register

        # Starting a batch, renaming a proposed theme and confirming a proposal are decisions: log them.
        register(BatchRun, m2m_fields={"cycles"})
        register(ProposedTheme)
