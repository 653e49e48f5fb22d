"""Team and organisation planning, brought together for a provider's strategic plan.

What teams and groups say is grouped into themes by the same theme engine the
workshops use. :func:`group_texts` is the one place that calls the engine, so
the engine can change (or be missing) without touching the pages.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from goldenthread.store.models import TeamPlan, TeamPlanItem

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


def _engine_groups(texts: Sequence[str]) -> list[int]:
    """Ask the theme engine which texts belong together: one group number per text."""
    from goldenthread.engine.cluster import ThemeClusterer  # the engine's public API may move; only here
    from goldenthread.engine.embed import get_embedder

    vectors = get_embedder().encode(list(texts))
    return [int(label) for label in ThemeClusterer().fit_predict(vectors)]


def _name(texts: list[str]) -> str:
    """A theme's name: its shortest statement, which is usually the plainest."""
    return min(texts, key=lambda t: (len(t), t))


def group_texts(texts: Sequence[str]) -> tuple[list[list[int]], bool]:
    """Group texts into themes. Returns the groups (indexes into ``texts``) and whether the engine was used.

    Without the engine every text stays on its own, so nothing is lost.
    """
    if not texts:
        return [], True
    try:
        labels = _engine_groups(texts)
    except ImportError:
        return [[i] for i in range(len(texts))], False
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(label, []).append(index)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0])), True


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
