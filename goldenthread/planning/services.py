"""Team and organisation planning, brought together for a provider's strategic plan.

What teams and groups say is grouped into themes by the same theme engine the
workshops use, through :func:`goldenthread.core.themes.group_texts` (the one
adapter to the engine), so the engine can change (or be missing) without
touching the pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from goldenthread.core.themes import group_texts

from goldenthread.planning.models import TeamPlan, TeamPlanItem

#: Which kinds of item are shown together in the strategic-planning view.
STRATEGIC_GROUPS = [
    ("pleased", "What teams and groups are proud of or pleased about",
     [TeamPlanItem.Kind.PROUD, TeamPlanItem.Kind.PLEASED]),
    ("change", "What teams and groups want to change",
     [TeamPlanItem.Kind.CHANGE, TeamPlanItem.Kind.WANT_CHANGED]),
    ("question", "Questions for the strategic plan", [TeamPlanItem.Kind.QUESTION]),
]

#: How many of each kind a plan asks for.
ITEMS_PER_KIND = 3


@dataclass
class PlanTheme:
    name: str
    items: list[TeamPlanItem] = field(default_factory=list)

    @property
    def teams(self) -> list[str]:
        return sorted({i.plan.team for i in self.items})


def _name(texts: list[str]) -> str:
    """A theme's name: its shortest statement, which is usually the plainest."""
    return min(texts, key=lambda t: (len(t), t))


def strategic_view(provider: str, year: int | None = None) -> dict:
    """Everything the provider's teams and groups said, themed, for the strategic-planning page."""
    plans = TeamPlan.objects.filter(provider__iexact=provider)
    if year:
        plans = plans.filter(year=year)
    items = list(TeamPlanItem.objects.filter(plan__in=plans).select_related("plan").order_by("plan__team", "kind",
                                                                                              "position"))
    sections, engine_used = [], True
    for key, heading, kinds in STRATEGIC_GROUPS:
        chosen = [i for i in items if i.kind in kinds]
        groups, used = group_texts([i.text for i in chosen])
        engine_used = engine_used and used
        themes = [PlanTheme(_name([chosen[i].text for i in g]), [chosen[i] for i in g]) for g in groups]
        sections.append({"key": key, "heading": heading, "themes": themes, "count": len(chosen)})
    return {"plans": list(plans), "sections": sections, "engine_used": engine_used}


@transaction.atomic
def save_plan(*, provider: str, team: str, group_type: str, year: int, items: list[dict], user=None) -> TeamPlan:
    """Create or replace one team's planning for a year (items: kind, text, how)."""
    user = user if (user is not None and user.is_authenticated) else None
    plan, created = TeamPlan.objects.get_or_create(
        provider=provider, team=team, year=year, defaults={"group_type": group_type, "created_by": user})
    if not created:
        plan.group_type = group_type
        plan.save()
        plan.items.all().delete()
    for position, item in enumerate(items):
        TeamPlanItem.objects.create(plan=plan, position=position, **item)
    return plan
