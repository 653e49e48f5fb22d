"""Team and organisation planning for a provider's strategic plan.

Tables keep their original names (``store_teamplan`` ...), from when one
``store`` app held every model.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class TeamPlan(models.Model):
    """What one team or group said for its organisation's strategic plan.

    Teams (direct support, finance, HR …) give three things they are proud of,
    three they want to change and how, and three questions for the plan.
    Family and self-advocacy groups give three things they are pleased about
    and three they want changed.
    """

    class GroupType(models.TextChoices):
        TEAM = "team", "A team in the organisation"
        FAMILY = "family", "A family group"
        SELF_ADVOCACY = "self_advocacy", "A self-advocacy group"

    provider = models.CharField(
        max_length=120, help_text='The organisation whose strategic plan this is for, for example "Acorn Support".'
    )
    team = models.CharField("team or group name", max_length=120, help_text='For example "Finance" or "Maple House".')
    group_type = models.CharField("type of group", max_length=16, choices=GroupType.choices, default=GroupType.TEAM)
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "store_teamplan"
        ordering = ["provider", "-year", "team"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "team", "year"], name="one_plan_per_team_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.team}, {self.provider} ({self.year})"


class TeamPlanItem(models.Model):
    """One thing a team or group said."""

    class Kind(models.TextChoices):
        PROUD = "proud", "Proud of"
        CHANGE = "change", "Want to change"
        QUESTION = "question", "Question for the strategic plan"
        PLEASED = "pleased", "Pleased about"
        WANT_CHANGED = "want_changed", "Want changed"

    plan = models.ForeignKey(TeamPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField()
    how = models.TextField(blank=True, help_text="How the team will make the change.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "store_teamplanitem"
        ordering = ["plan", "kind", "position"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
