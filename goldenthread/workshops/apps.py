from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "goldenthread.workshops"
    label = "workshops"
    verbose_name = "Workshops"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.reviews.corrections import consent_withdrawn, outputs_using
        from goldenthread.workshops import models as m
        from goldenthread.workshops.withdrawn import take_out_withdrawn_cards, workshops_using

        consent_withdrawn.connect(take_out_withdrawn_cards, dispatch_uid="workshops-withdrawn-cards")
        outputs_using.connect(workshops_using, dispatch_uid="workshops-using-cards")

        # The version counter goes up with every change (each already logged on its own rows and in the
        # workshop's Change log), so a version bump alone writes no audit row.
        register(m.Workshop, exclude_fields=["version"], clear_fields=["name", "code", "cards_used"], safe_repr=True)

        # The live workshop: every decision the group makes is logged. Text is hidden in the change log unless
        # listed (core/audit.py): themes and the group's own words are clear; delegates' names, who did what
        # ("by"), a theme's stories and the card wording a proposal quotes ("like") are hidden.
        register(m.Board, clear_fields=["name"], safe_repr=True)
        register(m.Cluster, clear_fields=["name"], safe_repr=True)
        for model in (m.Delegate, m.WorkshopCard, m.Placement, m.Decision, m.Vote, m.RestProposal, m.ProposedPlace):
            register(model)
        register(m.RootCause, clear_fields=["text"])
        register(m.SuccessStatement, clear_fields=["text"])
        register(m.ShareItem, clear_fields=["audience", "what", "how", "status"])
        register(m.Action, m2m_fields={"themes", "root_causes"}, clear_fields=["stakeholder", "text", "measure"])
