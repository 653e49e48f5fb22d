"""Tenders that people help decide: what a specification must answer, and a people's panel that scores the bids.

*Working together for change* puts anonymised support-plan information into tender documents and lets people
who use services and their families lead the choice of the successful bid. A :class:`Tender` is one piece of
support the council means to buy (a :class:`~goldenthread.market.models.ServiceType` in one area, maybe for one
user group). It carries the workshop themes a person chose for it, what success looks like
(:class:`SuccessLine`), and criteria drawn from those themes, each in plain words with a weight
(:class:`Criterion`). Bids (:class:`Bid`) are shown to the panel by a label only ("Bid A"), so the panel scores
blind. Each :class:`PanelMember` signs in with a personal link and scores every bid on every criterion from 0
("Not at all") to 4 ("Fully"); each :class:`Score` is kept, logged when it changes, and combined openly
(:func:`goldenthread.tenders.services.combine`).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from goldenthread.core.models import Area, UserGroup
from goldenthread.market.models import ServiceType
from goldenthread.workshops.models import Cluster, SuccessStatement

#: The panel's answers, in the words the scoring screen shows.
SCORE_WORDS = {0: "Not at all", 1: "A bit", 2: "Half", 3: "Mostly", 4: "Fully"}
TOP_SCORE = max(SCORE_WORDS)


class Tender(models.Model):
    class Status(models.TextChoices):
        DRAFTING = "drafting", "Drafting"
        OPEN = "open", "Open for bids"
        SCORING = "scoring", "Panel scoring"
        DECIDED = "decided", "Decided"

    name = models.CharField(max_length=200, help_text='For example "Evening and weekend support in Harford".')
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="tenders")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    user_group = models.ForeignKey(UserGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   help_text="Empty: everyone.")
    purpose = models.TextField(blank=True, help_text="What the support is for, in plain words.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFTING)
    themes = models.ManyToManyField(Cluster, related_name="tenders", blank=True,
                                    help_text="The workshop themes a person chose for this tender.")
    chosen_bid = models.ForeignKey("Bid", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.TextField(blank=True, help_text="Why this bid was chosen, in plain words.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("run_tenders", "Can set up tenders and their people's panel")]

    def __str__(self) -> str:
        return self.name

    @property
    def scoring_open(self) -> bool:
        return self.status == self.Status.SCORING


class SuccessLine(models.Model):
    """One line of "what success looks like": from a workshop's analysis of a theme, or typed in."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="success")
    text = models.CharField(max_length=300)
    source = models.ForeignKey(SuccessStatement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               help_text="The workshop's statement it came from, if any.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Criterion(models.Model):
    """One thing the panel scores each bid on: a question in plain words, drawn from one chosen theme."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    theme = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="tender_criteria")
    text = models.CharField(max_length=200, help_text='For example "Will I get home safely after an evening out?"')
    weight = models.PositiveSmallIntegerField(default=1, help_text="How much it counts, 1 to 5.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1) & Q(weight__lte=5),
                                              name="criterion_weight_1_to_5")]

    def __str__(self) -> str:
        return self.text


class Bid(models.Model):
    """One bid. The panel sees only its label ("Bid A") and its summary, never who made it."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="bids")
    label = models.CharField(max_length=20, help_text='What the panel calls it: "Bid A".')
    bidder = models.CharField(max_length=200, help_text="Who made the bid. Never shown to the panel.")
    summary = models.TextField(help_text="What the bid offers, in plain words, without the bidder's name.")

    class Meta:
        ordering = ["label", "pk"]
        constraints = [models.UniqueConstraint(fields=["tender", "label"], name="bid_label_once_per_tender")]

    def __str__(self) -> str:
        return self.label


class PanelMember(models.Model):
    """A person who uses services, or a family member, on the tender's panel. They need no account: they sign
    in with a personal link, of which only a hash is kept."""

    class Role(models.TextChoices):
        PERSON = "person", "Someone who uses services"
        FAMILY = "family", "A family member or carer"

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="panel")
    name = models.CharField(max_length=80, help_text="What to call them. A first name is enough.")
    role = models.CharField(max_length=8, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"Panel member #{self.pk}"


class Score(models.Model):
    """One panel member's score for one bid on one criterion, 0 ("Not at all") to 4 ("Fully")."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["member", "bid", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["member", "bid", "criterion"], name="one_score_per_member_bid_criterion"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=TOP_SCORE), name="score_0_to_4"),
        ]

    def __str__(self) -> str:
        return f"Score #{self.pk}: {self.value}"
