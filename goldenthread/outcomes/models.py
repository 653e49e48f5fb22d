"""A council's outcome framework, its activity and results measures, and which themes speak to which outcome.

Three kinds of evidence together show whether an outcome is being reached: *activity* (how much was done,
e.g. hours of support delivered), *results* (what changed, e.g. fewer emergency admissions) and *experience*
(what people said at their reviews). The council brings the first two as :class:`Measure` rows; the third is
the workshops' themes, linked to an :class:`OutcomeArea` by a :class:`ThemeOutcome` that the engine suggests
and a person confirms. Only a confirmed link counts anywhere.
"""
from __future__ import annotations

from django.db import models
from django.utils import timezone

from goldenthread.core.models import Area, UserGroup
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.models import Cluster
from goldenthread.workshops.theme_links import ThemeLink, link_constraints


class OutcomeArea(models.Model):
    """One outcome the council works towards, said as a short "I" statement."""

    code = models.CharField(max_length=20, unique=True, help_text='A short reference, for example "O1".')
    statement = models.CharField(max_length=300, help_text='For example "I have people I can count on".')
    description = models.TextField(blank=True, help_text="What the council means by it, if it needs saying.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.statement}"


class MeasureQuerySet(models.QuerySet):
    def for_groups(self, area: Area | None = None, user_group: UserGroup | None = None) -> "MeasureQuerySet":
        """The measures for exactly this area and user group (None: the whole council, or every group)."""
        return self.filter(area=area, user_group=user_group)

    def of_cycle(self, cycle: ProgrammeCycle) -> "MeasureQuerySet":
        return self.filter(cycle=cycle)


class Measure(models.Model):
    """One figure the council holds elsewhere, for one period, outcome, area and user group."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", "Activity (what was done)"
        RESULTS = "results", "Results (what changed)"

    outcome = models.ForeignKey(OutcomeArea, on_delete=models.CASCADE, related_name="measures")
    cycle = models.ForeignKey(ProgrammeCycle, on_delete=models.CASCADE, related_name="+",
                              help_text="The cycle whose year the period belongs to.")
    name = models.CharField(max_length=200, help_text='For example "Hours of home care delivered".')
    kind = models.CharField(max_length=10, choices=Kind.choices)
    unit = models.CharField(max_length=40, blank=True, help_text='For example "hours" or "%".')
    value = models.DecimalField(max_digits=14, decimal_places=2)
    period = models.CharField(max_length=40, help_text='For example "2025-26" or "April to June 2025".')
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="Empty: the whole council.")
    user_group = models.ForeignKey(UserGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   help_text="Empty: every user group.")
    imported_at = models.DateTimeField(default=timezone.now)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["outcome", "kind", "name", "period"]
        constraints = [models.UniqueConstraint(
            fields=["outcome", "cycle", "name", "period", "area", "user_group"], name="one_figure_per_measure",
            nulls_distinct=False)]

    def __str__(self) -> str:
        return f"{self.name} ({self.period}): {self.value} {self.unit}".strip()

    @property
    def shown_value(self) -> str:
        """The value as people write it: 412,000 not 412000.00, 12.5 not 12.50."""
        return format(self.value.normalize(), ",f")


class ThemeOutcome(ThemeLink):
    """A theme (a named cluster) speaks to an outcome area: suggested by the engine, then checked by a person."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="outcome_links")
    outcome = models.ForeignKey(OutcomeArea, on_delete=models.CASCADE, related_name="theme_links")

    class Meta(ThemeLink.Meta):
        constraints = link_constraints("outcome", "theme_outcome")

    def __str__(self) -> str:
        return f"{self.cluster} -> {self.outcome.code} ({self.status})"
