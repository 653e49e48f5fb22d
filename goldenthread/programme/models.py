"""The programme around the workshop: what happens before it and in the year after it.

*Working together for change* is a yearly cycle, not a single day. Before the
workshop a **planning meeting** agrees the purpose and scope of the cycle (a
geographical area, the users of one service, or a whole locality), what
information to gather from reviews (at least each person's top three things
that are working, not working and important for the future), whose reviews to
use, and who gathers them (existing facilitators, newly trained ones, or
independent facilitators). That is a :class:`Plan`, one per cycle.

The sample: the guide's experience is that about 12 reviews are the fewest a
workshop can work with, and that past about 60 clustering only confirms the
themes already found (:data:`SAMPLE_MIN`, :data:`SAMPLE_ENOUGH`). The council
records the population in scope as :class:`PopulationCount` rows so the people
reviewed so far can be compared with it before the workshop.

The day needs the right people in the room: an :class:`Invitee` is one line of
a workshop's delegate list, with their stakeholder group and access needs.
After the day each delegate answers the three evaluation questions
(:class:`Evaluation`). Through the year the owners of actions record progress
(:class:`ActionUpdate`) and milestones (:class:`Milestone`); anyone with the
cycle's comment code may comment on an action (:class:`Comment`), and a comment
is shown to others only after someone approves it. Starting next year's cycle
carries open actions forward (:class:`CarriedAction`).

Action models belong to the ``workshops`` app; this app only points at them.
"""
from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.models import CODE_ALPHABET, Action, Delegate, Status, Workshop

#: The fewest reviews a workshop can work with, in the guide's experience.
SAMPLE_MIN = 12
#: Past about this many reviews, clustering only reconfirms themes already found.
SAMPLE_ENOUGH = 60
#: The guide's advice on how many people take part in the workshop.
DELEGATES_MIN, DELEGATES_MAX = 15, 25
#: Longest comment or evaluation answer, in characters.
MAX_TEXT = 1000


def new_comment_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class Plan(models.Model):
    """The decisions of the planning meeting for one cycle."""

    class ScopeType(models.TextChoices):
        AREA = "area", "A geographical area"
        SERVICE = "service", "The people who use one service"
        LOCALITY = "locality", "A whole locality"

    cycle = models.OneToOneField(ProgrammeCycle, on_delete=models.CASCADE, related_name="plan")
    scope_type = models.CharField("what the cycle covers", max_length=16, choices=ScopeType.choices, blank=True)
    meeting_date = models.DateField("date of the planning meeting", null=True, blank=True)
    information = models.TextField("what information to gather", blank=True,
                                   help_text="For example: each person's top three working, not working and "
                                             "important for the future.")
    top_three = models.BooleanField("gather each person's top three working, not working and future", default=False)
    whose_reviews = models.TextField("whose reviews will be used", blank=True)
    existing_facilitators = models.BooleanField("existing facilitators gather the reviews", default=False)
    train_facilitators = models.BooleanField("new facilitators will be trained", default=False)
    independent_facilitators = models.BooleanField("independent facilitators gather some reviews", default=False)
    sample_target = models.PositiveSmallIntegerField(
        "how many reviews to use", null=True, blank=True,
        help_text=f"At least {SAMPLE_MIN}. Past about {SAMPLE_ENOUGH} the themes only repeat.")
    delegate_groups = models.JSONField(default=dict, blank=True,
                                       help_text="Stakeholder groups planned for the workshop, with numbers.")
    comment_code = models.CharField(max_length=12, unique=True, default=new_comment_code, editable=False)
    comments_open = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Plan for {self.cycle}"

    @property
    def how_gathered(self) -> list[str]:
        return [label for flag, label in (
            (self.existing_facilitators, "existing facilitators"), (self.train_facilitators, "training new facilitators"),
            (self.independent_facilitators, "independent facilitators")) if flag]


class PopulationCount(models.Model):
    """How many people in scope belong to one group, as the council counts them."""

    class Dimension(models.TextChoices):
        AREA = "area", "Area"
        USER_GROUP = "user_group", "User group"
        SERVICE = "service", "Service"
        AGE_BAND = "age_band", "Age band"
        ETHNICITY = "ethnicity", "Ethnicity"
        GENDER = "gender", "Gender"

    cycle = models.ForeignKey(ProgrammeCycle, on_delete=models.CASCADE, related_name="population")
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    value = models.CharField("group", max_length=120)
    count = models.PositiveIntegerField("number of people")

    class Meta:
        ordering = ["dimension", "value"]
        constraints = [models.UniqueConstraint(fields=["cycle", "dimension", "value"], name="one_count_per_group")]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.value} ({self.count})"


class StakeholderGroup(models.TextChoices):
    PERSON = "person", "People who use services or their representatives"
    FAMILY = "family", "Families and carers"
    PROVIDER = "provider", "Providers"
    COMMISSIONER = "commissioner", "Commissioners and strategic decision makers"
    OTHER = "other", "Others, for example health or advocacy"


class InviteeQuerySet(models.QuerySet):
    def coming(self) -> "InviteeQuerySet":
        """Everyone still expected: invited or confirmed, not those who said no."""
        return self.exclude(reply=Invitee.Reply.DECLINED)


class Invitee(models.Model):
    """One person on a workshop's delegate list."""

    class Reply(models.TextChoices):
        INVITED = "invited", "Invited"
        COMING = "coming", "Coming"
        DECLINED = "declined", "Not coming"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(max_length=120)
    organisation = models.CharField("organisation or role", max_length=160, blank=True)
    group = models.CharField("stakeholder group", max_length=16, choices=StakeholderGroup.choices)
    provider_manager = models.BooleanField("manages a provider service", default=False)
    reply = models.CharField(max_length=12, choices=Reply.choices, default=Reply.INVITED)
    induction_loop = models.BooleanField("hearing (induction) loop", default=False)
    easy_read = models.BooleanField("easy-read papers", default=False)
    interpreter = models.CharField("interpreter (language)", max_length=80, blank=True,
                                   help_text="For example British Sign Language. Leave empty if none.")
    step_free = models.BooleanField("step-free access", default=False)
    other_needs = models.CharField("other access needs", max_length=300, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = InviteeQuerySet.as_manager()

    class Meta:
        ordering = ["group", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_group_display()})"

    @property
    def access_needs(self) -> list[str]:
        needs = [label for flag, label in ((self.induction_loop, "hearing loop"), (self.easy_read, "easy read"),
                                           (self.step_free, "step-free access")) if flag]
        if self.interpreter:
            needs.append(f"interpreter ({self.interpreter})")
        if self.other_needs:
            needs.append(self.other_needs)
        return needs


class WorkshopDay(models.Model):
    """When and where the workshop happens, and who to contact: what the invitations say."""

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="day")
    date = models.DateField("date of the workshop", null=True, blank=True)
    times = models.CharField("start and finish", max_length=60, blank=True, help_text='For example "10am to 3pm".')
    venue = models.CharField("where", max_length=200, blank=True)
    contact = models.CharField("who to contact", max_length=200, blank=True,
                               help_text="A name and a phone number or email address.")


class Evaluation(models.Model):
    """One delegate's answers to the three evaluation questions after the workshop."""

    QUESTIONS = [("worked", "What worked?"), ("not_so_well", "What didn't work so well?"),
                 ("future", "What needs to be considered for the future?")]

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="evaluations")
    delegate = models.OneToOneField(Delegate, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="evaluation")
    group = models.CharField("stakeholder group", max_length=16, choices=StakeholderGroup.choices, blank=True)
    worked = models.TextField("What worked?", max_length=MAX_TEXT, blank=True)
    not_so_well = models.TextField("What didn't work so well?", max_length=MAX_TEXT, blank=True)
    future = models.TextField("What needs to be considered for the future?", max_length=MAX_TEXT, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text="The facilitator who typed it in, if not the delegate.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class ActionUpdate(models.Model):
    """A dated note on how an action is going, from its owner."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("date of the update", default=dt.date.today)
    note = models.TextField("what has happened", max_length=MAX_TEXT)
    status = models.CharField(max_length=16, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]


class Milestone(models.Model):
    """A step on the way to finishing an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    text = models.CharField("milestone", max_length=200)
    due = models.DateField("by when")
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.text


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        return self.filter(state=Comment.State.APPROVED)

    def waiting(self) -> "CommentQuerySet":
        return self.filter(state=Comment.State.WAITING)


class Comment(models.Model):
    """A comment on a proposed action from someone with the cycle's comment code. Shown only once approved."""

    class From(models.TextChoices):
        REVIEWED = "reviewed", "Someone whose review was used"
        FAMILY = "family", "A family member or carer"
        PROVIDER = "provider", "Someone who works for a provider"
        OTHER = "other", "Someone else"

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting to be checked"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not shown"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField("your comment", max_length=MAX_TEXT)
    came_from = models.CharField("who you are", max_length=16, choices=From.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]


class CarriedAction(models.Model):
    """An action still open at the end of last year's cycle, carried into this one."""

    cycle = models.ForeignKey(ProgrammeCycle, on_delete=models.CASCADE, related_name="carried_actions")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="carried_into")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "action"], name="carry_action_once")]
