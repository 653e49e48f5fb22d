"""The individual side: full person-centred reviews and one-page profiles (team planning is the ``planning`` app).

A person-centred review entered on the guided form starts as a :class:`Review`
with ``status = in_progress`` and collects :class:`ReviewItem` rows, one per
thing said, in the sections of the providers' guide (what people appreciate,
what is important now and in the future, best support, questions, and what is
working and not working from four perspectives), plus :class:`IndividualAction`
rows for the person's own life.

**What goes forward into the cycle.** When the review is finished, only the
items the person picked as their 1st, 2nd or 3rd choice of each ranked kind
(working, not working, important for the future) become
:class:`~goldenthread.reviews.models.Statement` rows, and so cards; everything
else stays with the person's own review and profile. Cards still need the
person's consent, as for every review. Imported reviews are unchanged: their
file already holds only the statements meant for the cycle.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.core.models import MAX_PRIORITY, Kind, Perspective, Service
from goldenthread.reviews.models.cycles import Review, Statement


class Section(models.TextChoices):
    """The questions a person-centred review asks, in the order it asks them."""

    APPRECIATE = "appreciate", "What people like and admire about the person"
    IMPORTANT_NOW = "important_now", "What is important to the person now"
    FUTURE = "future", "What is important to the person for the future"
    SUPPORT = "support", "How best to support the person"
    QUESTION = "question", "Questions to answer"
    WORKING = "working", "What is working"
    NOT_WORKING = "not_working", "What is not working"


#: Sections whose items can be picked as the person's top choices, and the statement kind each becomes.
SECTION_KIND = {
    Section.WORKING: Kind.WORKING,
    Section.NOT_WORKING: Kind.NOT_WORKING,
    Section.FUTURE: Kind.FUTURE,
}


class ReviewItem(models.Model):
    """One thing said at a person-centred review, in one section, from one perspective.

    ``priority`` is the person's own 1st, 2nd or 3rd choice; only those items
    go forward into the cycle (see the module notes). ``statement`` links an
    item to the card it became, so the golden thread can be followed back.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=16, choices=Section.choices)
    perspective = models.CharField(max_length=16, choices=Perspective.choices, default=Perspective.PERSON)
    text = models.TextField()
    priority = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_PRIORITY)],
    )
    statement = models.OneToOneField(
        Statement, null=True, blank=True, on_delete=models.SET_NULL, related_name="review_item",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "store_reviewitem"
        ordering = ["review", "section", "perspective", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(priority__isnull=True) | models.Q(priority__gte=1, priority__lte=MAX_PRIORITY),
                name="item_priority_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.text[:60]}"

    @property
    def goes_forward(self) -> bool:
        """True when this item becomes a card: a ranked kind, the person's view, and picked by the person."""
        return self.section in SECTION_KIND and self.perspective == Perspective.PERSON and self.priority is not None


class IndividualAction(models.Model):
    """Something that will change the person's own life, agreed at their review."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        STOPPED = "stopped", "Stopped"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("what will happen")
    owner = models.CharField("who will do it", max_length=200)
    due_date = models.DateField("when by")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "store_individualaction"
        ordering = ["review", "position"]

    def __str__(self) -> str:
        return self.text[:60]


class OnePageProfile(models.Model):
    """A person's one-page profile: what people appreciate, what matters to them, how best to support them.

    One per person (``person_ref``). Each save through :func:`save_profile`
    also keeps a :class:`ProfileVersion`, so earlier wording is never lost.
    """

    person_ref = models.CharField("person ID", max_length=64, unique=True)
    name = models.CharField("name on the profile", max_length=200, help_text="The name the person likes to be called.")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="profiles",
        help_text="The service that supports the person. Its managers can see this profile.",
    )
    appreciate = models.TextField(
        "What people like and admire about me", help_text="Write each thing on its own line.",
    )
    important = models.TextField("What is important to me", help_text="Write each thing on its own line.")
    support = models.TextField("How best to support me", help_text="Write each thing on its own line.")
    source_review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The review this profile was last brought up to date from.",
    )
    shared_with_supporters = models.BooleanField(
        "the person agreed that the service that supports them may see this profile", null=True, blank=True,
        help_text="A consent of its own, asked apart from the council's use of the person's top choices. Empty: not "
                  "asked yet (profiles made before the question was asked keep the earlier rule; see "
                  "docs/data-protection.md).",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "store_onepageprofile"
        ordering = ["person_ref"]

    def __str__(self) -> str:
        return f"One-page profile {self.person_ref}"

    def get_absolute_url(self) -> str:
        return reverse("profile", args=[self.person_ref])

    def is_visible_to(self, user) -> bool:
        """A one-page profile is identifiable. Who sees it rests on the person's own answer about their profile.

        Two consents, asked separately: whether the council may use the person's
        top choices (``Review.consent_given``) and whether the service that
        supports them may see this profile (``shared_with_supporters``).

        * Administrators, and whoever facilitated one of the person's reviews, always.
        * Agreed: the managers of the profile's service, whatever was said about council use.
        * Said no: nobody else.
        * Not asked yet (older profiles): the earlier rule — the service's managers,
          unless the person refused council use of a finished review.
        """
        if not roles.can_see_identifiable(user):
            return False
        if roles.is_administrator(user):
            return True
        reviews = Review.objects.filter(person_ref=self.person_ref)
        if reviews.filter(facilitated_by=user).identifiable_to(user).exists():
            return True
        managed = self.service_id is not None and self.service_id in roles.managed_service_ids(user)
        if self.shared_with_supporters is True:
            return managed
        if self.shared_with_supporters is False:
            return False
        refused = reviews.filter(consent_given=False, status=Review.Status.COMPLETE)
        if refused.exists():
            # The person refused consent: only whoever recorded that review (and administrators) see the profile.
            return refused.identifiable_to(user).exists()
        if managed:
            return True
        return reviews.identifiable_to(user).exists()

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    def sections(self) -> list[dict]:
        return [
            {"key": "appreciate", "heading": "What people like and admire about me",
             "icon": "heart", "icon_words": "A heart", "lines": self.lines(self.appreciate)},
            {"key": "important", "heading": "What is important to me",
             "icon": "star", "icon_words": "A star", "lines": self.lines(self.important)},
            {"key": "support", "heading": "How best to support me",
             "icon": "hand", "icon_words": "A helping hand", "lines": self.lines(self.support)},
        ]


class ProfileVersion(models.Model):
    """The wording of a one-page profile as it was saved at one time."""

    profile = models.ForeignKey(OnePageProfile, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=200)
    appreciate = models.TextField()
    important = models.TextField()
    support = models.TextField()
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "store_profileversion"
        ordering = ["-saved_at", "-id"]

    lines = staticmethod(OnePageProfile.lines)
    sections = OnePageProfile.sections

    def get_absolute_url(self) -> str:
        return reverse("profile_version", args=[self.profile.person_ref, self.pk])
