"""API clients: the machines allowed to call ``/api/v1/``, what each may do, and the log of their calls.

An administrator makes an :class:`ApiClient` for each system (a council's
case-management system, an analyst's notebook). Each client holds one token,
tied to

* a **role** (one of the Golden Thread roles): the role decides what the token
  *could* do — sending reviews needs a role that enters reviews, seeing
  identifiable details needs a role that may see them;
* a **scope**: which cycles it may use (all, or a list) and which services'
  reviews it may send or read (all, or a list);
* two switches the administrator turns on deliberately: **write** (send
  reviews) and **identifiable** (words as recorded, unsuppressed counts).

The token itself is shown once, when it is made, and never stored: only its
SHA-256 hash is kept, with a short public prefix to find the row. A token is
32 random bytes, so a plain hash is enough (there is nothing to guess).
Revoking sets ``revoked_at``; a revoked token is refused from the next call.
Every call is written to :class:`ApiCallLog` with the client that made it.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from goldenthread.api.domain import CYCLE_MODEL, ROLES, SERVICE_MODEL, role_can

#: Tokens look like ``gt_<prefix>_<secret>``; the prefix is public and finds the row.
TOKEN_START = "gt_"
PREFIX_LENGTH = 10


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """``gt_<prefix>_<secret>`` → (prefix, secret), or None for anything else."""
    if not token.startswith(TOKEN_START):
        return None
    prefix, sep, secret = token[len(TOKEN_START):].partition("_")
    if not sep or len(prefix) != PREFIX_LENGTH or not secret:
        return None
    return prefix, secret


class ApiClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    """One machine allowed to call the API, with its role, scope and hashed token."""

    name = models.CharField(max_length=120, unique=True, help_text='For example "Harford case-management system".')
    role = models.CharField(max_length=40, choices=[(r, r) for r in ROLES],
                            help_text="What the token may do follows this role's permissions.")
    all_cycles = models.BooleanField(default=False, help_text="May use every cycle, now and later.")
    cycles = models.ManyToManyField(CYCLE_MODEL, blank=True, related_name="+",
                                    help_text="The cycles it may use, when not all cycles.")
    services = models.ManyToManyField(
        SERVICE_MODEL, blank=True, related_name="+",
        help_text="If any are chosen, it may only send and read reviews of these services.")
    can_write = models.BooleanField("may send reviews", default=False)
    identifiable = models.BooleanField(
        "may see identifiable data", default=False,
        help_text="Words as recorded and counts without small-number suppression. Needs a role that may see them.")
    rate_limit = models.PositiveIntegerField("calls per minute", default=600)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "API client"

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_START}{self.prefix}_…)"

    # --- the token ---------------------------------------------------------------------------

    def new_token(self) -> str:
        """Make a fresh token for this client, keep only its hash, and return it (to show once)."""
        self.prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        token = f"{TOKEN_START}{self.prefix}_{secrets.token_urlsafe(32)}"
        self.key_hash = hash_token(token)
        return token

    def token_matches(self, token: str) -> bool:
        return hmac.compare_digest(self.key_hash, hash_token(token))

    @classmethod
    def for_token(cls, token: str) -> ApiClient | None:
        """The active client this token belongs to, or None (unknown, malformed or revoked)."""
        parts = split_token(token)
        if parts is None:
            return None
        client = cls.objects.active().filter(prefix=parts[0]).first()
        return client if client is not None and client.token_matches(token) else None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    # --- what it may do ----------------------------------------------------------------------

    def clean(self) -> None:
        problems = {}
        if self.can_write and not role_can(self.role, "add_review"):
            problems["can_write"] = f"The {self.role} role cannot send reviews. Choose a role that enters reviews."
        if self.identifiable and not role_can(self.role, "view_identifiable"):
            problems["identifiable"] = f"The {self.role} role may not see identifiable details."
        if self.rate_limit < 1:
            problems["rate_limit"] = "Allow at least one call a minute."
        if problems:
            raise ValidationError(problems)

    @property
    def may_write(self) -> bool:
        return self.can_write and role_can(self.role, "add_review")

    @property
    def may_see_identifiable(self) -> bool:
        return self.identifiable and role_can(self.role, "view_identifiable")

    def may_use_cycle(self, cycle) -> bool:
        return self.all_cycles or self.cycles.filter(pk=cycle.pk).exists()

    def cycle_ids(self):
        """None for every cycle, else the set of cycle ids in scope."""
        return None if self.all_cycles else set(self.cycles.values_list("pk", flat=True))

    def service_names(self) -> set[str] | None:
        """None for every service, else the lower-cased names of the services in scope."""
        cached = getattr(self, "_service_names", "unset")
        if cached == "unset":
            names = {n.lower() for n in self.services.values_list("name", flat=True)}
            cached = self._service_names = names or None
        return cached


class ApiCallLog(models.Model):
    """One call to the API: which client, what it asked for, and the answer's status."""

    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField(default=0)
    remote_addr = models.CharField(max_length=64, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="For example how many reviews were created.")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "API call"

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"
