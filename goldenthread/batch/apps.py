from django.apps import AppConfig


class BatchConfig(AppConfig):
    name = "goldenthread.batch"
    label = "batch"
    verbose_name = "Batch theming"

    def ready(self) -> None:
        from goldenthread.batch.erasure import on_erased
        from goldenthread.batch.models import BatchRun, ProposedMembership, ProposedTheme
        from goldenthread.core.audit import register
        from goldenthread.reviews.data_protection import erased

        # Erasing a person (or the retention purge) deletes the files of the batch runs that read their statements.
        erased.connect(on_erased, dispatch_uid="goldenthread.batch.erasure")

        # Starting a batch, renaming a proposed theme and confirming a proposal are decisions: log them.
        register(BatchRun, m2m_fields={"cycles"}, clear_fields=["options", "work_dir", "output", "stage", "progress"],
                 safe_repr=True)  # its error message is hidden: it may quote a statement
        register(ProposedTheme, clear_fields=["group", "name"], safe_repr=True)
        # Moving a statement to another proposed theme is a decision too (keys only: no wording is logged).
        register(ProposedMembership)
