"""A batch run over the database, and the themes it proposes.

:class:`BatchRun` is one run of the theme engine over every card statement of
one or more cycles: which cycles, how (per kind, and per area or user group
when asked), where its checkpoints live (``work_dir``), how far it has got, and
who confirmed its result. Only one run per cycle is active at a time.

What the engine found comes back as a *proposal*: :class:`ProposedTheme` rows
(a name, a kind, a size) and one :class:`ProposedMembership` per statement.
A membership is unique per run and statement, so writing a run's result again
(after a crash, or a resumed run) can never put a statement in two themes or
count it twice. Nothing here changes a workshop board or a report until a
person looks at the proposal and confirms it.
"""
from __future__ import annotations

import datetime as dt
import os
import socket

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from goldenthread.core.models import Kind
from goldenthread.reviews.models import ProgrammeCycle, Statement

#: A running run's process says it is alive this often (a thread beside the work, whatever stage it is in).
HEARTBEAT_SECONDS = 10
#: A run whose process has not reported for this long is taken to have stopped (killed, or the machine restarted).
STALE_AFTER = dt.timedelta(seconds=60)
#: What a run whose worker died says, on its page and in ``error``.
WORKER_GONE = "stopped: the worker went away"


def this_worker() -> str:
    """This process, as a run's ``worker`` names it: ``host:pid``."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def worker_is_gone(worker: str) -> bool:
    """True when ``worker`` ran on this machine and its process no longer exists (no need to wait for the
    heartbeat to go stale). A worker on another machine is judged by its heartbeat only."""
    host, _, pid = (worker or "").rpartition(":")
    if not host or host != socket.gethostname()[:80] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


class BatchRunQuerySet(models.QuerySet):
    def active(self) -> "BatchRunQuerySet":
        """Runs still going: queued or running, and heard from within :data:`STALE_AFTER`."""
        return self.filter(status__in=BatchRun.ACTIVE, updated_at__gte=timezone.now() - STALE_AFTER)

    def for_cycle(self, cycle) -> "BatchRunQuerySet":
        return self.filter(cycles=cycle)

    def mark_stopped(self) -> int:
        """Runs still marked as going whose worker went away (heartbeat stale, or its process gone on this
        machine) become failed, ``error`` saying so; return how many. They can then be resumed or started again."""
        now = timezone.now()
        going = self.filter(status__in=BatchRun.ACTIVE)
        gone = set(going.filter(updated_at__lt=now - STALE_AFTER).values_list("pk", flat=True))
        gone |= {pk for pk, worker in going.exclude(worker="").values_list("pk", "worker") if worker_is_gone(worker)}
        if not gone:
            return 0
        return BatchRun.objects.filter(pk__in=gone, status__in=BatchRun.ACTIVE).update(
            status=BatchRun.Status.FAILED, error=WORKER_GONE, stage="", updated_at=now)


class BatchRun(models.Model):
    """One batch theming run over the card statements of some cycles."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Theming statements"
        WRITING = "writing", "Saving the proposed themes"
        DONE = "done", "Finished: themes proposed"
        FAILED = "failed", "Stopped with a problem"
        CONFIRMED = "confirmed", "Themes confirmed"

    class Per(models.TextChoices):
        KIND = "", "Each kind of statement"
        AREA = "area", "Each kind, in each area"
        USER_GROUP = "user_group", "Each kind, in each user group"

    ACTIVE = (Status.QUEUED, Status.RUNNING, Status.WRITING)

    cycles = models.ManyToManyField(ProgrammeCycle, related_name="batch_runs")
    per = models.CharField(max_length=16, choices=Per.choices, default=Per.KIND, blank=True)
    options = models.JSONField(default=dict, blank=True, help_text="Engine settings: model, partition size, scheduler.")
    work_dir = models.CharField(max_length=500, unique=True, help_text="Checkpoints; keep it to resume the run.")
    output = models.CharField(max_length=500, blank=True, help_text="The Parquet file written at the end.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=16, blank=True, help_text="The engine stage running now.")
    progress = models.JSONField(default=dict, blank=True, help_text="Partitions done and total, per stage.")
    statements = models.PositiveIntegerField(default=0, help_text="Statements sent to the engine.")
    written = models.PositiveIntegerField(default=0, help_text="Statements saved into proposed themes.")
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=100, blank=True, help_text="host:pid of the process running it now.")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now, help_text="Last heard from the run.")
    finished_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = BatchRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"Batch run {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("batch:run", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return (self.status in self.ACTIVE and self.updated_at >= timezone.now() - STALE_AFTER
                and not worker_is_gone(self.worker))

    @property
    def worker_went_away(self) -> bool:
        return self.status == self.Status.FAILED and self.error == WORKER_GONE

    @property
    def can_resume(self) -> bool:
        """A failed run can carry on from its checkpoints (finished partitions are not redone)."""
        return self.status == self.Status.FAILED

    @property
    def percent(self) -> int:
        """A rough share of the whole job done, 0-100, for the progress page."""
        if self.status in (self.Status.DONE, self.Status.CONFIRMED):
            return 100
        stages = [s for s in self.progress.values() if isinstance(s, dict) and s.get("total")]
        engine = sum(min(1.0, s["done"] / s["total"]) for s in stages) / 8 if stages else 0.0
        saving = self.written / self.statements if self.statements else 0.0
        return int(90 * min(engine, 1.0) + 10 * saving)


class ProposedTheme(models.Model):
    """One theme the engine proposes: a first-person name a person can change, and its size."""

    class Source(models.TextChoices):
        CLUSTERED = "clustered", "Found in this run"
        KNOWN = "known", "Last cycle's theme"

    run = models.ForeignKey(BatchRun, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveIntegerField(help_text="The engine's theme number within the run.")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    group = models.CharField(max_length=200, blank=True, help_text="The area or user group, when themed per group.")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0, help_text="Statements in this theme.")
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.CLUSTERED)

    class Meta:
        ordering = ["kind", "group", "-size", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="proposed_theme_number_once")]

    def __str__(self) -> str:
        return self.name


class ProposedMembership(models.Model):
    """One statement in one proposed theme. Unique per run: a statement is in exactly one theme of a run."""

    run = models.ForeignKey(BatchRun, on_delete=models.CASCADE, related_name="memberships")
    theme = models.ForeignKey(ProposedTheme, on_delete=models.CASCADE, related_name="memberships")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "statement"], name="statement_once_per_run")]
        indexes = [models.Index(fields=["theme", "-similarity"])]
