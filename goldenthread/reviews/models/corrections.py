"""Corrections to a review and withdrawals of consent: who changed what, when, and why.

A person has the right to have their record put right and to withdraw their
consent. Each change made on the review's pages leaves one
:class:`ReviewCorrection`: who made it, when, the reason they gave, and which
fields changed (the field names only -- the old and new values are in the
change log, masked where they could identify someone).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from goldenthread.reviews.models.cycles import Review


class ReviewCorrection(models.Model):
    """One change to a review made on its pages, with the reason for it."""

    class What(models.TextChoices):
        DETAILS = "details", "The review's details"
        STATEMENT = "statement", "A statement"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
        CONSENT_GIVEN = "consent_given", "Consent given"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="corrections")
    what = models.CharField(max_length=20, choices=What.choices)
    card = models.CharField(max_length=20, blank=True, help_text="The card code of the statement corrected.")
    fields = models.JSONField(default=list, blank=True, help_text="The names of the fields that changed.")
    reason = models.TextField("reason for the change")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    made_by_name = models.CharField(max_length=150, help_text="Kept even if the account is later removed.")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_what_display()} on review {self.review_id} by {self.made_by_name}"
