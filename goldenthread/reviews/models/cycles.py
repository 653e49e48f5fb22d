"""The data model for the whole *Working together for change* method.

A :class:`ProgrammeCycle` is one yearly round of the method for a population
("Older people, Harford, 2026"). Reviews are gathered into a cycle; each
:class:`Review` holds the identifiable record of one person-centred review and
the :class:`Statement` objects it produced. A statement carries both the words
as recorded (``text``, identifiable, shown only to roles allowed to see it) and
the anonymised card wording (``card_text``) that everyone else sees.

Stages 3-6 (themes, votes, root causes, success statements, actions and sharing
plans) hang off a cycle and its statements; their models live in the
``workshops`` app, which depends on this one (never the other way round).
The statement-kind vocabulary and the lookups (areas, services, user groups)
live in ``goldenthread.core.models``.
"""
from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.core.models import MAX_PRIORITY, Area, Kind, Perspective, Service, UserGroup
from goldenthread.privacy.normalise import normalise

#: What a word nobody has checked yet shows as, in the anonymiser's own style ("[name]", "[phone]" ...):
#: the question mark says it may not be a name at all, only that nobody has looked yet.
UNCHECKED_PLACEHOLDER = "[name?]"


def shown_card_text(card_text: str, uncertain: list[dict] | None, checked_at) -> str:
    """The card wording anyone may see: ``card_text`` with every unchecked word masked.

    The anonymiser hides the names it is sure of (``[name]``). Words it was *unsure* about are kept in
    ``Statement.uncertain``; some it hid anyway (``replaced`` is true), the rest it left on the card
    ("I miss Carys, she moved away": is Carys a person? a place?). Until someone who may see the review
    has checked the card (``checked_at`` is set, see :meth:`Statement.accept_card_text`), each word it
    left is shown as :data:`UNCHECKED_PLACEHOLDER`::

        >>> shown_card_text("I miss Carys, she moved away", [{"text": "Carys", "replaced": False}], None)
        'I miss [name?], she moved away'

    Words are found by the text of each uncertain span (its offsets point into the words *as said*, which
    a correction or the anonymiser's clean-up can move), as a whole word ("Ann" leaves "Annual" alone),
    with the same capitals, everywhere it occurs on the card. Invisible characters inside the span are
    dropped first, as the card itself drops them. Once checked, the wording is shown as it is: the check
    is the person's decision that the word may stay (or their corrected wording has replaced it).

    This is the one rule for every screen, export, API answer and engine or language-model call; only the
    check itself (the "Check before printing" list) shows the word, to people who may see the review.
    """
    if checked_at is not None or not uncertain:
        return card_text
    words = {normalise(u.get("text") or "").clean.strip() for u in uncertain if not u.get("replaced")}
    words.discard("")
    if not words:
        return card_text
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # longest first
    return re.sub(rf"(?<!\w)(?:{pattern})(?!\w)", UNCHECKED_PLACEHOLDER, card_text)


class ReviewQuerySet(models.QuerySet):
    """Named rules about which reviews count and who may see them."""

    def identifiable_to(self, user) -> "ReviewQuerySet":
        """The reviews this user may see with names (see :mod:`goldenthread.core.roles` for the table)."""
        return roles.identifiable_reviews(user, self)


class StatementQuerySet(models.QuerySet):
    """Named rules about statements, including the one card-number allocator."""

    def to_check(self) -> "StatementQuerySet":
        """Card statements with words the anonymiser was unsure about that nobody has checked yet."""
        return self.for_cards().filter(checked_at__isnull=True).exclude(uncertain=[])

    def for_cards(self) -> "StatementQuerySet":
        """Statements that may become cards: those from finished reviews whose person consented."""
        return self.filter(review__consent_given=True, review__status=Review.Status.COMPLETE)

    def next_card_numbers(self, cycle_id: int) -> dict[str, int]:
        """The next free card number of each kind in a cycle: ``{"working": 18, ...}`` (1 for an unused kind).

        This is the one card-number allocator: :meth:`Statement.save` and the bulk
        import (:func:`goldenthread.reviews.saving.save_reviews`) both take numbers here.
        """
        rows = self.filter(cycle_id=cycle_id).values("kind").annotate(top=models.Max("card_number"))
        numbers = {kind: 1 for kind in Kind.values}
        numbers.update({row["kind"]: (row["top"] or 0) + 1 for row in rows})
        return numbers


#: Said when a new cycle would take the name of one already there.
CYCLE_NAME_TAKEN = "A cycle with this name already exists. Give it a different name, for example with the year or the area."


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
        db_table = "store_programmecycle"
        ordering = ["-year", "name"]
        constraints = [
            # Two cycles with one name cannot be told apart in lists, reports and comparisons.
            models.UniqueConstraint(models.functions.Lower("name"), name="cycle_name_unique",
                                    violation_error_message=CYCLE_NAME_TAKEN),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def name_taken(cls, name: str, exclude_pk: int | None = None) -> bool:
        """Is ``name`` already the name of another cycle (ignoring capitals and spaces at the ends)?"""
        return cls.objects.filter(name__iexact=" ".join(str(name or "").split())).exclude(pk=exclude_pk).exists()

    def get_absolute_url(self) -> str:
        return reverse("cycle", args=[self.slug])

    def card_statements(self) -> models.QuerySet["Statement"]:
        """Statements that may become cards: those from finished reviews whose person consented."""
        return self.statements.for_cards()


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
        db_table = "store_importbatch"
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"


class Review(models.Model):
    """The record of one person-centred review, as on the review feedback template.

    ``person_name``, ``facilitator``, the attendees and each statement's
    ``text`` identify the person; pages show them only to users with the
    ``reviews.view_identifiable`` permission.
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

    objects = ReviewQuerySet.as_manager()

    class Meta:
        db_table = "store_review"
        ordering = ["-review_date", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "reference"], name="review_reference_unique_in_cycle"),
        ]
        # "How many people in this cycle" is asked on most pages: this index answers it without reading reviews.
        indexes = [models.Index(fields=["cycle", "person_ref"], name="review_cycle_person")]
        permissions = [("view_identifiable", "Can see identifiable review details")]

    def __str__(self) -> str:
        return f"Review {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("review", args=[self.pk])

    def is_identifiable_to(self, user) -> bool:
        """Whether ``user`` may see this review with names (the same rule as ``Review.objects.identifiable_to``)."""
        return roles.can_see_identifiable_review(user, self)

    @property
    def refused_consent(self) -> bool:
        """Finished, and the person did not agree to its use: shown in full only to administrators and its facilitator."""
        return roles.refused_consent(self)

    def as_json(self) -> dict:
        """The whole identifiable record of this review, as plain JSON types (for other systems).

        Identifiable: only for users who may see this review with names.
        """
        return {
            "id": self.pk, "reference": self.reference, "cycle": self.cycle.slug, "person_ref": self.person_ref,
            "person_name": self.person_name, "review_date": self.review_date.isoformat(),
            "status": self.status, "facilitator": self.facilitator, "location": self.location,
            "area": self.area.name, "service": self.service.name if self.service else None,
            "user_group": self.user_group.name, "consent_given": self.consent_given,
            "attendees": [{"name": a.name, "relationship": a.relationship} for a in self.attendees.all()],
            "items": [{"section": i.section, "perspective": i.perspective, "text": i.text, "priority": i.priority,
                       "goes_forward": i.goes_forward} for i in self.items.all()],
            "actions": [{"text": a.text, "owner": a.owner, "due_date": a.due_date.isoformat(), "status": a.status}
                        for a in self.actions.all()],
            "statements": [{"card": s.card_code, "kind": s.kind, "perspective": s.perspective,
                            "priority": s.priority, "text": s.text, "card_text": s.card_text}
                           for s in self.statements.all()],
        }

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
        db_table = "store_attendee"
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

    objects = StatementQuerySet.as_manager()
    position = models.PositiveSmallIntegerField(default=0)
    uncertain = models.JSONField(
        default=list, db_default=models.Value([], output_field=models.JSONField()), blank=True,
        help_text="Words the anonymiser was unsure about (start, end, text, replaced, reason), to check before "
                  "cards are printed.",
    )
    checked_at = models.DateTimeField(null=True, blank=True, help_text="When someone checked the card wording.")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        db_table = "store_statement"
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
        return f"{self.card_code}: {self.shown_text[:60]}"

    @property
    def card_code(self) -> str:
        from goldenthread.reviews.cards import card_code

        return card_code(self.kind, self.card_number)

    @property
    def needs_check(self) -> bool:
        """Words the anonymiser was unsure about, and nobody who may see the review has checked them yet."""
        return bool(self.uncertain) and self.checked_at is None

    @property
    def shown_text(self) -> str:
        """The card wording for everyone and everything but the check itself: unchecked words masked.

        Use this, not ``card_text``, wherever card wording leaves the check page: pages, boards, the
        projector, exports, the API and anything sent to the theme engine or a language model. See
        :func:`shown_card_text` (the same rule, for rows read with ``values_list``).
        """
        return shown_card_text(self.card_text, self.uncertain, self.checked_at)

    @property
    def unprintable(self) -> list[str]:
        """The characters of the card's words that no font on this machine can print (empty: it prints as
        written). The cards page says so beside the card, so a printed card is never changed silently."""
        from goldenthread.pdf import missing

        return missing(self.shown_text)

    def accept_card_text(self, user, card_text: str | None = None) -> None:
        """A person has checked the card wording: keep it as it is, or replace it with ``card_text``."""
        from django.utils import timezone

        if card_text is not None and card_text.strip():
            self.card_text = card_text.strip()
        self.checked_at = timezone.now()
        self.checked_by = user if getattr(user, "is_authenticated", False) else None
        self.save(update_fields=["card_text", "checked_at", "checked_by"])

    def save(self, *args, **kwargs):
        self.cycle_id = self.review.cycle_id
        if not self.card_number:
            self.card_number = Statement.objects.next_card_numbers(self.cycle_id)[self.kind]
        super().save(*args, **kwargs)
