from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "goldenthread.workshops"
    label = "workshops"
    verbose_name = "Workshops"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from goldenthread.core.audit import register
        from goldenthread.reviews.corrections import consent_withdrawn, outputs_using
        from goldenthread.workshops import models as m
        from goldenthread.workshops.withdrawn import take_out_withdrawn_cards, workshops_using

        consent_withdrawn.connect(take_out_withdrawn_cards, dispatch_uid="workshops-withdrawn-cards")
        outputs_using.connect(workshops_using, dispatch_uid="workshops-using-cards")

        # The version counter goes up with every change (each already logged on its own rows and in the
        # workshop's Change log), so a version bump alone writes no audit row.
        if not auditlog.contains(m.Workshop):
            auditlog.register(m.Workshop, exclude_fields=["version"])

        # The live workshop: every decision the group makes is logged.
        for model in (m.Workshop, m.Delegate, m.WorkshopCard, m.Board, m.Cluster, m.Placement, m.Decision, m.Vote, m.RootCause,
                      m.SuccessStatement, m.ShareItem, m.RestProposal, m.ProposedPlace):
            register(model)
        register(m.Action, m2m_fields={"themes", "root_causes"})
