"""What the reports need to remember: theme matches between years, and who made each export.

:class:`ThemeMatch` links a theme (a named :class:`~goldenthread.workshops.models.Cluster`)
to the same theme in last year's cycle. The theme engine only *suggests* a match;
it counts for the year-on-year comparison and the golden thread only once a
person has confirmed it.

:class:`ExportRecord` is the log of every report, data file and wall sheet
made, by whom and when, and whether small counts were hidden.

:class:`NoMatch` records that a person has said one of last year's themes has no
match among a later workshop's themes: only then is it "not raised again".
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.models import Cluster, Workshop


class ThemeMatch(models.Model):
    """This year's theme ``cluster`` is last year's ``previous_cluster``, as suggested and then checked by a person."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested, not checked yet"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Not the same theme"

    previous_cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="later_matches")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="earlier_matches")
    score = models.FloatField(default=0, help_text="How alike the engine found the two themes, 0 to 1.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUGGESTED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    suggested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "store_themematch"
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["previous_cluster", "cluster"], name="theme_match_once")]

    def __str__(self) -> str:
        return f"{self.previous_cluster} -> {self.cluster} ({self.status})"

    def decide(self, user, *, same: bool) -> None:
        """A person decides: the two themes are the same (confirmed) or not (rejected). Only then does it count."""
        self.status = self.Status.CONFIRMED if same else self.Status.REJECTED
        self.confirmed_by, self.confirmed_at = user, timezone.now()
        self.save()


class NoMatch(models.Model):
    """A person said that none of ``workshop``'s themes is last year's theme ``previous_cluster``.

    Until someone says so (or confirms a match), last year's theme is "not matched yet", never "not raised
    again". A match confirmed later wins over this record.
    """

    previous_cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="no_matches")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "store_nomatch"
        constraints = [models.UniqueConstraint(fields=["previous_cluster", "workshop"], name="no_match_once")]

    def __str__(self) -> str:
        return f"{self.previous_cluster}: no match in {self.workshop}"


class ExportRecord(models.Model):
    """One report or data file made, by whom and when."""

    class Via(models.TextChoices):
        WEB = "web", "Web app"
        CLI = "cli", "Command line"

    cycle = models.ForeignKey(ProgrammeCycle, on_delete=models.CASCADE, related_name="exports")
    workshop = models.ForeignKey(Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    output = models.CharField(max_length=20, help_text="full, easy_read, wall_sheets or data.")
    file_format = models.CharField(max_length=8)
    shared = models.BooleanField(default=True, help_text="Small counts hidden, fit to share beyond the team.")
    threshold = models.PositiveSmallIntegerField(default=5)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    made_by_name = models.CharField(max_length=150, help_text="Kept even if the account is later removed.")
    made_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=4, choices=Via.choices, default=Via.WEB)

    class Meta:
        db_table = "store_exportrecord"
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"{self.output} {self.file_format} by {self.made_by_name} at {self.made_at:%Y-%m-%d %H:%M}"
