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


class AccessRecordQuerySet(models.QuerySet):
    """Access records are append-only: a queryset may read them, never change or remove them."""

    def update(self, **kwargs):
        raise PermissionError("The access log is append-only: records cannot be changed.")

    def delete(self):
        raise PermissionError("The access log is append-only: records cannot be deleted.")

    def about_person(self, person_ref: str) -> "AccessRecordQuerySet":
        return self.filter(person_ref=person_ref)


class AccessRecord(models.Model):
    """One look at, export of, or change to identifiable data: who, what, when. Append-only.

    django-auditlog records each create/change/delete of a row; this log adds
    what auditlog cannot see: someone *reading* or *exporting* identifiable
    data (a review with names, its JSON record, a profile or its PDF, a team
    version of a report, a subject access export) and whole-person actions
    (erasure, retention purge, backup, restore). ``actor`` is a plain string,
    so users, workshop delegates and API clients fit the same column:
    ``user:<username>``, ``delegate:<id>@<workshop code>``, ``api:<client name>``,
    ``system:<command>``.

    Records cannot be changed or deleted: ``save`` on an existing record and
    ``delete`` raise, the queryset's ``update``/``delete`` raise, and the admin
    gives no change or delete permission. Erasing a person keeps the records
    about them (they hold a pseudonymous person ID, never a name).
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        SUBJECT_ACCESS = "subject_access", "Subject access export"
        ERASE = "erase", "Erased a person's data"
        PURGE = "purge", "Retention purge"
        BACKUP = "backup", "Backup"
        RESTORE = "restore", "Restore"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=200, db_index=True,
                             help_text="Who: user:<name>, delegate:<id>@<workshop>, api:<client> or system:<job>.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", db_constraint=False)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, help_text="For example reviews.review.")
    object_id = models.CharField(max_length=64, blank=True)
    person_ref = models.CharField(max_length=64, blank=True, db_index=True,
                                  help_text="The pseudonymous person ID the data is about, if one person.")
    detail = models.CharField(max_length=500, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "access log record"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only: records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only: records cannot be deleted.")
