"""The live workshop: stages 3 to 6 of the method, done together in one room.

A :class:`Workshop` takes cards from one programme cycle. Delegates join with a
short code and say which group they belong to. Cards are placed in clusters on
boards (one main board per kind, plus pre-cluster boards); a cluster becomes a
theme once it has a name. Not-working themes get votes, a "5 whys" tree of root
causes and "what success would look like" statements. The day ends with action
plans and a sharing plan.

Every change bumps ``Workshop.version`` inside one database transaction, so all
screens can tell whether they are up to date (see ``goldenthread.workshops.services``).
"""
from __future__ import annotations

import datetime as dt
import os
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from goldenthread.core.models import Kind
from goldenthread.reviews.models import ProgrammeCycle, Statement

#: Kinds that get a board in the workshop.
BOARD_KINDS = (Kind.WORKING, Kind.NOT_WORKING, Kind.FUTURE)
#: Letters for join codes: no 0/O or 1/I/L, so codes are easy to read off a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def join_code_hours() -> int:
    """Hours a join code keeps working after the end of the workshop day: the setting or environment variable
    ``GOLDENTHREAD_JOIN_CODE_HOURS`` (default 12)."""
    value = getattr(settings, "GOLDENTHREAD_JOIN_CODE_HOURS", None) or os.environ.get(
        "GOLDENTHREAD_JOIN_CODE_HOURS", "12")
    return int(value)


def join_code_expiry(now: dt.datetime | None = None) -> dt.datetime:
    """When a code made now stops working: the end of today (local time) plus :func:`join_code_hours`."""
    now = timezone.localtime(now or timezone.now())
    end_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    return end_of_day + dt.timedelta(hours=join_code_hours())


class Stage(models.TextChoices):
    JOIN = "join", "Joining"
    CARD_CALL = "card_call", "Card call"
    BOARDS = "boards", "Clustering on boards"
    NAMING = "naming", "Naming themes"
    ANALYSIS = "analysis", "Analysis and voting"
    ACTIONS = "actions", "Action plans"
    SHARING = "sharing", "Sharing plan"


class DelegateGroup(models.TextChoices):
    PERSON = "person", "Person who uses services"
    FAMILY = "family", "Family or carer"
    PROVIDER = "provider", "Provider"
    COMMISSIONER = "commissioner", "Commissioner"
    OTHER = "other", "Other"


class Workshop(models.Model):
    class Cards(models.TextChoices):
        ALL = "all", "All statements"
        TOP1 = "top1", "Each review's 1st choice for each kind"
        TOP2 = "top2", "Each review's 1st and 2nd choices for each kind"

    cycle = models.ForeignKey(ProgrammeCycle, on_delete=models.PROTECT, related_name="workshops")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=8, unique=True, default=new_code, editable=False)
    cards_used = models.CharField(max_length=8, choices=Cards.choices, default=Cards.ALL)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.JOIN)
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    vote_budget = models.PositiveSmallIntegerField(default=5, help_text="How many dots each person has.")
    vote_cap = models.PositiveSmallIntegerField(default=2, help_text="The most dots one person can put on one theme.")
    votes_revealed = models.BooleanField(default=False)
    joining_open = models.BooleanField(default=True, help_text="The facilitator can close joining.")
    suggestions_on = models.BooleanField(
        default=True, help_text="The theme engine's card-call suggestions. When off, none are made or shown to anyone.")
    suggestions_to_delegates = models.BooleanField(
        default=True, help_text="Delegates' phones show the card-call suggestions (in words, never with numbers). "
                                "When off, only the facilitator sees them.")
    screen_theme = models.ForeignKey(
        "Cluster", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The theme the projector shows in analysis, action plans and sharing (else the most voted).")
    expires_at = models.DateTimeField(default=join_code_expiry,
                                      help_text="After this the join code no longer lets anyone join.")
    version = models.PositiveIntegerField(default=0, help_text="Goes up by one with every change.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "store_workshop"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workshop:home", args=[self.code])

    def join_code_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at is not None and (now or timezone.now()) >= self.expires_at

    def joining_refusal(self) -> str | None:
        """Why the code cannot be used to join now, in plain words; ``None`` when it can."""
        if not self.joining_open:
            return "Joining this workshop has been closed. Ask the facilitator if you should be in it."
        if self.join_code_expired():
            return "This workshop code has run out. Ask the facilitator for help joining."
        return None

    def chosen_statements(self) -> models.QuerySet[Statement]:
        statements = self.cycle.card_statements().filter(kind__in=BOARD_KINDS)
        if self.cards_used == self.Cards.TOP1:
            statements = statements.filter(priority=1)
        elif self.cards_used == self.Cards.TOP2:
            statements = statements.filter(priority__in=[1, 2])
        return statements.order_by("kind", "card_number")


class Delegate(models.Model):
    """Someone taking part. No account: a phone joins with the code; the facilitator can add people without one."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="delegates")
    name = models.CharField(max_length=60, help_text="A first name or nickname. Everyone in the room will see it.")
    group = models.CharField(max_length=16, choices=DelegateGroup.choices)
    has_device = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "store_delegate"
        ordering = ["joined_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_group_display()})"


class WorkshopCard(models.Model):
    """One statement used as a card in this workshop, in card-call order."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="cards")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    order = models.PositiveIntegerField()

    class Meta:
        db_table = "store_workshopcard"
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["workshop", "statement"], name="card_once_per_workshop")]

    def __str__(self) -> str:
        return self.statement.card_code


class Board(models.Model):
    """Clusters of one kind. Each kind has one main board; pre-cluster boards are merged into it."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="boards")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=80)
    is_main = models.BooleanField(default=False)

    class Meta:
        db_table = "store_board"
        ordering = ["-is_main", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["workshop", "kind"], condition=models.Q(is_main=True),
                                               name="one_main_board_per_kind")]

    def __str__(self) -> str:
        return self.name


class ClusterQuerySet(models.QuerySet):
    def themes(self) -> "ClusterQuerySet":
        """A theme is a named cluster on a main board (pre-cluster boards and unnamed clusters are not themes)."""
        return self.filter(board__is_main=True, name__gt="")

    def in_workshop(self, workshop) -> "ClusterQuerySet":
        return self.filter(board__workshop=workshop)


def serial_letters(serial: int) -> str:
    """A cluster's serial as letters: 1 is A, 26 is Z, 27 is AA (like spreadsheet columns)."""
    letters = ""
    while serial > 0:
        serial, rest = divmod(serial - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters or "?"


class Cluster(models.Model):
    """A group of cards on a board. Once named, it is a theme (see :meth:`ClusterQuerySet.themes`).

    Each cluster gets a serial when it is made (1, 2, 3... on its board, never reused while the board has
    a higher one), so until it has a name it is "Cluster A", "Cluster B": a label that stays the same when
    its cards move, the clusters are reordered or another cluster goes.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="clusters")
    name = models.CharField(max_length=200, blank=True)
    serial = models.PositiveIntegerField(default=0, help_text="Its stable label on the board: 1 is “Cluster A”.")
    position = models.PositiveIntegerField(default=0)
    what_works = models.TextField(blank=True, help_text="What makes this work, and how could it spread?")
    stories = models.TextField(blank=True, help_text="Success stories.")

    objects = ClusterQuerySet.as_manager()

    class Meta:
        db_table = "store_cluster"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["board", "serial"], name="cluster_serial_once_per_board")]

    def __str__(self) -> str:
        return self.name or self.tag

    def save(self, *args, **kwargs):
        if not self.serial:
            last = Cluster.objects.filter(board_id=self.board_id).aggregate(m=models.Max("serial"))["m"]
            self.serial = (last or 0) + 1
        super().save(*args, **kwargs)

    @property
    def tag(self) -> str:
        """Its stable label, named or not: "Cluster C"."""
        return f"Cluster {serial_letters(self.serial)}"

    @property
    def label(self) -> str:
        """Its name, else its stable label ("Cluster C")."""
        return self.name or self.tag


class Placement(models.Model):
    """A card in a cluster. A card is in at most one cluster on each board."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="placements")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="placements")
    card = models.ForeignKey(WorkshopCard, on_delete=models.CASCADE, related_name="placements")
    position = models.PositiveIntegerField(default=0)
    disputed = models.BooleanField(default=False, help_text="Pre-cluster boards put this card in different places.")

    class Meta:
        db_table = "store_placement"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["board", "card"], name="card_once_per_board")]


class Decision(models.Model):
    """One card-call decision, kept so it can be undone."""

    class Action(models.TextChoices):
        JOIN = "join", "Joined a cluster"
        NEW = "new", "Started a new cluster"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="decisions")
    card = models.ForeignKey(WorkshopCard, on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(Cluster, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices)
    by = models.CharField(max_length=150)
    made_at = models.DateTimeField(auto_now_add=True)
    undone = models.BooleanField(default=False)

    class Meta:
        db_table = "store_decision"
        ordering = ["-id"]


class Change(models.Model):
    """One logged change: a board change (kept with the board's layout before and after, so it can be undone)
    or something removed. Card-call decisions have their own log, :class:`Decision`."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="changes")
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    op = models.CharField(max_length=32)
    summary = models.CharField(max_length=400)
    by = models.CharField(max_length=150)
    made_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    undone = models.BooleanField(default=False)

    class Meta:
        db_table = "store_change"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.summary


class Vote(models.Model):
    """Dots one delegate put on one not-working theme."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="votes")
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="votes")
    dots = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "store_vote"
        constraints = [models.UniqueConstraint(fields=["cluster", "delegate"], name="one_vote_row_per_theme")]


class RootCause(models.Model):
    """One answer to "why?" in a theme's 5 whys tree. Children answer "why?" about their parent."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="root_causes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    text = models.CharField(max_length=300)
    depth = models.PositiveSmallIntegerField(default=1)

    class Meta:
        db_table = "store_rootcause"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class SuccessStatement(models.Model):
    class Perspective(models.TextChoices):
        PEOPLE = "people", "People who use services and families"
        STAFF = "staff", "Staff and managers"
        COMMISSIONERS = "commissioners", "Commissioners"

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="success")
    perspective = models.CharField(max_length=16, choices=Perspective.choices)
    text = models.CharField(max_length=300)

    class Meta:
        db_table = "store_successstatement"
        ordering = ["perspective", "id"]


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    UNDERWAY = "underway", "Under way"
    DONE = "done", "Done"


class Action(models.Model):
    class Stakeholder(models.TextChoices):
        PROVIDERS = "providers", "Providers"
        COMMUNITY = "community", "People who use services and community groups"
        COMMISSIONERS = "commissioners", "Commissioners"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="actions")
    stakeholder = models.CharField(max_length=16, choices=Stakeholder.choices)
    text = models.CharField("what will be done", max_length=300)
    themes = models.ManyToManyField(Cluster, related_name="actions")
    root_causes = models.ManyToManyField(RootCause, blank=True, related_name="actions")
    owner = models.CharField("who will do it", max_length=120)
    measure = models.CharField("how we will know it worked", max_length=300)
    due = models.DateField("by when")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        db_table = "store_action"
        ordering = ["stakeholder", "due", "id"]

    def __str__(self) -> str:
        return self.text


class ShareItem(models.Model):
    """One line of the sharing plan: who needs to know what, how and by when."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sharing")
    audience = models.CharField("who needs to know", max_length=200)
    what = models.CharField("what they need to know", max_length=300)
    how = models.CharField("how we will tell them", max_length=200)
    due = models.DateField("by when")
    easy_read = models.BooleanField("easy-read version", default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        db_table = "store_shareitem"
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.audience}: {self.what}"


class LiveConnection(models.Model):
    """One open websocket to a workshop, so that every server process can count who is looking.

    Kept in the database, not in a process's memory, because with a Redis channel layer the screens
    of one workshop may be connected to different processes. A row is added when a screen connects
    and removed when it disconnects; a process that died without saying goodbye leaves rows that stop
    counting as soon as its :class:`ServerProcess` heartbeat is older than
    :data:`goldenthread.workshops.presence.STALE_AFTER` (seconds, not minutes). See
    :mod:`goldenthread.workshops.presence`.
    """

    channel_name = models.CharField(max_length=255, unique=True)
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="live_connections")
    person = models.CharField(max_length=64, help_text="Who: user:<username> or delegate:<id>.")
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    process = models.CharField(max_length=100, blank=True, db_index=True,
                               help_text="The server process holding the websocket (ServerProcess.name).")

    def __str__(self) -> str:
        return f"{self.person} on {self.workshop_id}"


class ServerProcess(models.Model):
    """A server process that holds live websockets, and when it last said it is alive (every few seconds).

    Its connections count only while its heartbeat is fresh, so the screens of a process that crashed
    (killed, out of memory, the machine restarted) stop being "people looking" within seconds.
    """

    name = models.CharField(max_length=100, unique=True, help_text="host:pid:random, new at every start.")
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.name


class RestProposal(models.Model):
    """The theme engine's "place the rest" for one kind: a proposal, never applied without a person.

    It proposes a place for every card of its kind not yet on the main board (see
    :func:`goldenthread.workshops.services.place_rest`). The facilitator accepts places (all above a
    confidence, or one by one), chooses another cluster for a card, or rejects one; each acceptance is an
    ordinary change of the main board (logged, broadcast, undoable). A newer proposal for the same kind
    replaces this one (``open`` becomes False), so an old page cannot apply a stale proposal.
    """

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="rest_proposals")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    made_by = models.CharField(max_length=150)
    made_at = models.DateTimeField(auto_now_add=True)
    open = models.BooleanField(default=True)
    #: The workshop's version when it was made (shown, so people can tell how old it is).
    version = models.PositiveIntegerField(default=0)
    #: Where the proposal's new theme groups come from, when it was made from confirmed whole-council themes:
    #: ``{"1": "I want to get out more", ...}`` (group number -> the whole-council theme's name), shown as a
    #: name the room may give the cluster. Empty for the engine's own "place the rest".
    group_names = models.JSONField(default=dict, blank=True)
    #: The cluster each new theme group started when its first card was accepted as proposed: ``{"1": 42, ...}``
    #: (group number -> cluster id). The group's other cards join that cluster while it is on the board; they
    #: never follow a card of the group that the room put somewhere else.
    group_clusters = models.JSONField(default=dict, blank=True)
    #: The new theme groups that start one of last year's themes again: ``{"1": 17, ...}`` (group number -> last
    #: year's cluster id); their name is in ``group_names`` and the cluster a group starts is given it.
    group_last_year = models.JSONField(default=dict, blank=True)
    #: How many of the kind's cards were on the main board, and how many the kind has, when the engine was asked
    #: (empty for a proposal made from whole-council themes, and for those made before these were kept).
    cards_on_board = models.PositiveIntegerField(null=True, blank=True)
    cards_in_kind = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Place the rest ({self.get_kind_display()}), proposal {self.pk}"

    @property
    def early(self) -> bool:
        """Asked with too few cards on the board for its percentages to be accepted in bulk."""
        return self.cards_needed > 0

    @property
    def cards_needed(self) -> int:
        """How many more cards the board needed, when it was asked, before a bulk accept is offered
        (:func:`goldenthread.engine.cardcall_calib.rest_cards_needed`; 0 where nothing was recorded)."""
        from goldenthread.engine.cardcall_calib import rest_cards_needed

        if self.cards_on_board is None:
            return 0
        return rest_cards_needed(self.cards_on_board, self.cards_in_kind or 0)


class ProposedPlace(models.Model):
    """Where the engine proposes one card goes: a cluster on the main board, or a new theme group.

    Whether it has been placed is read from the board itself (a placement of the card on the main board),
    so an undo puts the card back on the proposal without anything here changing.
    """

    proposal = models.ForeignKey(RestProposal, on_delete=models.CASCADE, related_name="places")
    card = models.ForeignKey(WorkshopCard, on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: Cards proposed to start the same new theme share a group number (1, 2, ...); else null.
    new_group = models.PositiveIntegerField(null=True, blank=True)
    confidence = models.FloatField()
    #: The placed (or fellow) cards it is most like: ``[[card text, similarity], ...]``.
    like = models.JSONField(default=list, blank=True)
    rejected = models.BooleanField(default=False)

    class Meta:
        ordering = ["-confidence", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "card"], name="card_once_per_rest_proposal")]
