from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "goldenthread.reviews"
    label = "reviews"
    verbose_name = "Cycles and reviews"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.reviews import models

        register(models.ProgrammeCycle, m2m_fields={"team"})
        register(models.ImportBatch)
        register(models.Review, mask_fields=["person_name", "facilitator", "location"])
        register(models.Attendee, mask_fields=["name"])
        register(models.Statement, mask_fields=["text", "card_text", "uncertain"])
        register(models.ReviewCorrection, mask_fields=["reason"])
        register(models.ReviewItem, mask_fields=["text"])
        register(models.IndividualAction, mask_fields=["text", "owner"])
        register(models.OnePageProfile, mask_fields=["name", "appreciate", "important", "support"])
        register(models.ProfileVersion, mask_fields=["name", "appreciate", "important", "support"])
