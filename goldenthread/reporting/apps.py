from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "goldenthread.reporting"
    label = "reporting"
    verbose_name = "Reports and the golden thread"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.reporting.models import NoMatch, ThemeMatch
        from goldenthread.reporting.withdrawn import exports_since
        from goldenthread.reviews.corrections import outputs_using

        outputs_using.connect(exports_since, dispatch_uid="reporting-exports-since")

        # A person confirming that two themes are the same is a decision too.
        register(ThemeMatch, safe_repr=True)
        register(NoMatch, safe_repr=True)
