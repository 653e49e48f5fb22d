"""The data model for the whole *Working together for change* method.

A :class:`ProgrammeCycle` is one yearly round of the method for a population
("Older people, Harford, 2026"). Reviews are gathered into a cycle; each
:class:`Review` holds the identifiable record of one person-centred review and
the :class:`Statement` objects it produced. A statement carries both the words
as recorded (``text``, identifiable, shown only to roles allowed to see it) and
the anonymised card wording (``card_text``) that everyone else sees.

Stages 3-6 (themes, votes, root causes, success statements, actions and sharing
plans) hang off a cycle and its statements; their models live beside these.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse


class Kind(models.TextChoices):
    """What a statement says. The card colour follows the kind, but the label always says it in words."""

    WORKING = "working", "Working"
    NOT_WORKING = "not_working", "Not working"
    FUTURE = "future", "Important for the future"
    IMPORTANT_NOW = "important_now", "Important now"


class Perspective(models.TextChoices):
    """Whose view a statement records."""

    PERSON = "person", "The person"
    FAMILY = "family", "Family or carer"
    STAFF = "staff", "Staff"
    PROFESSIONAL = "professional", "Other professional"


#: Kinds the person picks their top choices from.
RANKED_KINDS = (Kind.WORKING, Kind.NOT_WORKING, Kind.FUTURE)
#: The person picks at most this many top choices per kind.
MAX_PRIORITY = 3


class NamedLookup(models.Model):
    """A short list a council keeps tidy: areas, services, user groups."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(NamedLookup):
    """A locality the council compares (a district, a town, a neighbourhood)."""


class UserGroup(NamedLookup):
    """A group of people who use services, e.g. "Learning disability" or "Older people"."""


class Service(NamedLookup):
    """A service or provider that supports people; reviews are compared across them."""

    provider = models.CharField(max_length=120, blank=True, help_text="The organisation that runs it, if known.")


class ProgrammeCycle(models.Model):
    """One yearly round of *Working together for change* for a population.

    Cycles repeat each year; ``previous`` links this year's cycle to last
    year's so themes and actions can be compared.
    """

    name = models.CharField(max_length=200, help_text='For example "Older people, Harford, 2026".')
    slug = models.SlugField(max_length=80, unique=True, help_text="Short name used in web addresses and commands.")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    purpose = models.TextField(blank=True, help_text="Why this cycle is being run and what it should inform.")
    scope = models.TextField(blank=True, help_text="Which people, services and areas are included.")
    people_involved = models.TextField(
        blank=True, help_text="Who takes part: commissioners, providers, self-advocates, family carers."
    )
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="cycles")
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycles",
        help_text="Last year's cycle, to compare with.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cycle", args=[self.slug])

    def card_statements(self) -> models.QuerySet["Statement"]:
        """Statements that may become cards: those from finished reviews whose person consented."""
        return self.statements.filter(review__consent_given=True, review__status=Review.Status.COMPLETE)


class ImportBatch(models.Model):
    """One successful import of a review file, kept so re-imports are recognised and audited."""

    cycle = models.ForeignKey(ProgrammeCycle, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8)
    sha256 = models.CharField(max_length=64, db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    reviews_created = models.PositiveIntegerField(default=0)
    reviews_unchanged = models.PositiveIntegerField(default=0)
    statements_created = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"


class Review(models.Model):
    """The record of one person-centred review, as on the review feedback template.

    ``person_name``, ``facilitator``, the attendees and each statement's
    ``text`` identify the person; pages show them only to users with the
    ``store.view_identifiable`` permission.
    """

    class Source(models.TextChoices):
        WEB = "web", "Entered on the web form"
        IMPORT = "import", "Imported from a file"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Finished"

    cycle = models.ForeignKey(ProgrammeCycle, on_delete=models.PROTECT, related_name="reviews")
    reference = models.CharField(
        "review ID", max_length=64, help_text="The review's ID in your own records, for example ASH-2026-014."
    )
    person_ref = models.CharField(
        "person ID", max_length=64, db_index=True,
        help_text="A pseudonymous ID for the person, the same every year. Not their name or NHS number.",
    )
    person_name = models.CharField(
        max_length=200, blank=True, help_text="Used only to hide the name in statements. Never shown on cards."
    )
    review_date = models.DateField()
    facilitator = models.CharField(max_length=200, blank=True, help_text="Who facilitated the review.")
    location = models.CharField(max_length=200, blank=True, help_text="Where the review took place.")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="reviews")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")
    user_group = models.ForeignKey(UserGroup, on_delete=models.PROTECT, related_name="reviews")
    consent_given = models.BooleanField(
        "consent to use in this cycle", default=False,
        help_text="The person agreed that their anonymised statements can be used in this cycle.",
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="Hash of the imported content, so an identical re-import is a no-op."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.COMPLETE,
        help_text="A review on the guided form stays in progress until it is finished.",
    )
    facilitated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilitated_reviews",
        help_text="The Golden Thread user who facilitated the review. They can see it with names.",
    )
    steps_done = models.JSONField(default=list, blank=True, help_text="Steps of the guided form already saved.")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-review_date", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "reference"], name="review_reference_unique_in_cycle"),
        ]
        permissions = [("view_identifiable", "Can see identifiable review details")]

    def __str__(self) -> str:
        return f"Review {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("review", args=[self.pk])

    def names_to_hide(self) -> list[str]:
        """Every name recorded on the review: the person's, the facilitator's and the attendees'."""
        names = [self.person_name, self.facilitator, *(a.name for a in self.attendees.all())]
        return [n for n in names if n.strip()]


class Attendee(models.Model):
    """Someone who took part in a review, with how they relate to the person."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=120, blank=True, help_text='For example "sister" or "support worker".')
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["review", "position"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})" if self.relationship else self.name


class Statement(models.Model):
    """One thing said at a review. Each consented statement becomes a card.

    ``text`` is what was recorded and may identify people; ``card_text`` is the
    anonymised wording used on cards, boards and every shared output.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="statements")
    cycle = models.ForeignKey(
        ProgrammeCycle, on_delete=models.CASCADE, related_name="statements", editable=False,
        help_text="Copied from the review, so card numbers can be unique within a cycle.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    perspective = models.CharField(max_length=16, choices=Perspective.choices, default=Perspective.PERSON)
    priority = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_PRIORITY)],
        help_text="The person's 1st, 2nd or 3rd choice for this kind, if they picked it.",
    )
    text = models.TextField()
    card_text = models.TextField(help_text="The anonymised wording shown on the card.")
    card_number = models.PositiveIntegerField(help_text="Card number within the cycle and kind.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["review", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind", "card_number"], name="card_number_unique"),
            models.CheckConstraint(
                condition=models.Q(priority__isnull=True) | models.Q(priority__gte=1, priority__lte=MAX_PRIORITY),
                name="priority_in_range",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "kind"])]

    def __str__(self) -> str:
        return f"{self.card_code}: {self.card_text[:60]}"

    @property
    def card_code(self) -> str:
        from goldenthread.reports.cards import card_code

        return card_code(self.kind, self.card_number)

    def save(self, *args, **kwargs):
        self.cycle_id = self.review.cycle_id
        if not self.card_number:
            self.card_number = next_card_number(self.cycle_id, self.kind)
        super().save(*args, **kwargs)


def next_card_number(cycle_id: int, kind: str) -> int:
    """The next free card number for a kind in a cycle."""
    last = (
        Statement.objects.filter(cycle_id=cycle_id, kind=kind).aggregate(m=models.Max("card_number"))["m"] or 0
    )
    return last + 1


# The person-centred review, one-page profiles and team planning live in their own module.
from goldenthread.store.people import (  # noqa: E402,F401
    IndividualAction,
    OnePageProfile,
    ProfileVersion,
    ReviewItem,
    Section,
    StaffProfile,
    TeamPlan,
    TeamPlanItem,
)
# The live workshop's models (stages 3-6) live in their own module.
from goldenthread.store.workshop import (  # noqa: E402,F401
    Action, Board, Cluster, Decision, Delegate, Placement, RootCause, ShareItem, SuccessStatement, Vote, Workshop,
    WorkshopCard,
)
# Reports: theme matches between years and the log of exports.
from goldenthread.store.reports import ExportRecord, ThemeMatch  # noqa: E402,F401
