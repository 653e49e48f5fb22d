"""What every app shares: the statement-kind vocabulary and the short lookups a council keeps tidy.

:class:`Kind`, :class:`Perspective` and :data:`MAX_PRIORITY` are defined here
once; reviews, workshops, reporting and the importer all use these.
The tables keep their original names (``store_area`` ...), from when one
``store`` app held every model.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models


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

    class Meta(NamedLookup.Meta):
        db_table = "store_area"


class UserGroup(NamedLookup):
    """A group of people who use services, e.g. "Learning disability" or "Older people"."""

    class Meta(NamedLookup.Meta):
        db_table = "store_usergroup"


class Service(NamedLookup):
    """A service or provider that supports people; reviews are compared across them."""

    provider = models.CharField(max_length=120, blank=True, help_text="The organisation that runs it, if known.")

    class Meta(NamedLookup.Meta):
        db_table = "store_service"


class StaffProfile(models.Model):
    """Which services a provider manager manages. Managers see identifiable reviews of those services only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    services = models.ManyToManyField(Service, blank=True, related_name="managers")

    class Meta:
        db_table = "store_staffprofile"

    def __str__(self) -> str:
        return f"Services of {self.user}"
