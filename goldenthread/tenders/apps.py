from django.apps import AppConfig


class TendersConfig(AppConfig):
    name = "goldenthread.tenders"
    label = "tenders"
    verbose_name = "Tenders and people's panels"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.tenders import models

        # The council's own words about what it buys: logged in clear. A bid's summary and bidder are the
        # bidder's, a panel member's name is personal: hidden in the log (register() hides text unless named).
        register(models.Tender, clear_fields=["name", "purpose", "status", "decision"], m2m_fields=["themes"],
                 safe_repr=True)
        register(models.SuccessLine, clear_fields=["text"])
        register(models.Criterion, clear_fields=["text"])
        register(models.Bid, clear_fields=["label"])
        register(models.PanelMember, clear_fields=["role"], exclude_fields=["token_hash"], safe_repr=True)
        # Every score and every change to one: who scored, which bid, which criterion, old and new value.
        register(models.Score, safe_repr=True)
