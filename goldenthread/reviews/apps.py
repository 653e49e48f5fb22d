from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "goldenthread.reviews"
    label = "reviews"
    verbose_name = "Cycles and reviews"

    def ready(self) -> None:
        from auditlog.signals import post_log

        from goldenthread.core.audit import register
        from goldenthread.reviews import data_protection, models

        # An erasure notes every row it deletes, so their change-log entries can be deleted with them.
        post_log.connect(data_protection.note_deletion, dispatch_uid="goldenthread.reviews.erasure_notes")

        # Text is hidden in the change log unless listed here (core/audit.py). Clear: the cycle's own
        # description, and the pseudonymous review and person IDs. Hidden: names, places, what was said,
        # card wording, the anonymiser's unsure words, profiles, file names (they may carry a name).
        register(models.ProgrammeCycle, m2m_fields={"team"}, safe_repr=True,
                 clear_fields=["name", "slug", "purpose", "scope", "people_involved"])
        register(models.ImportBatch, clear_fields=["file_format", "sha256"])
        register(models.Review, clear_fields=["reference", "person_ref", "steps_done"])
        register(models.Attendee)
        register(models.Statement)
        register(models.ReviewCorrection, clear_fields=["card", "fields"])
        register(models.ReviewItem)
        register(models.IndividualAction)
        register(models.OnePageProfile, clear_fields=["person_ref"])
        register(models.ProfileVersion)
        # The erasure ledger is not logged: it is itself a log (person IDs and dates), kept apart from the data.
