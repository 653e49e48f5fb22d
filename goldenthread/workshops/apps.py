from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "goldenthread.workshops"
    label = "workshops"
    verbose_name = "Workshops"

    def ready(self) -> None:
        from goldenthread.core.audit import register
        from goldenthread.workshops import models as m

        # The live workshop: every decision the group makes is logged.
        for model in (m.Workshop, m.Delegate, m.WorkshopCard, m.Board, m.Cluster, m.Placement, m.Decision, m.Vote, m.RootCause,
                      m.SuccessStatement, m.ShareItem):
            register(model)
        register(m.Action, m2m_fields={"themes", "root_causes"})
