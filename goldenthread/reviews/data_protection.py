"""Data protection: everything held about one person, erasing it, and keeping reviews only as long as allowed.

A person is known to Golden Thread by their pseudonymous person ID
(``Review.person_ref``, the same every year). Everything held about them hangs
from it:

* their reviews, with the attendees, the statements (what was said, and the
  anonymised card wording), the person-centred review answers and actions;
* their one-page profile and its earlier versions;
* the workshop cards made from their statements (and where those cards were
  placed on the boards);
* the access log records and the change log (django-auditlog) entries about them.

:func:`subject_access` gathers all of it (for a subject access request);
:func:`erase_person` deletes it in one transaction; :func:`purge_expired`
deletes reviews older than the retention period through the same path
(:func:`erase_reviews`). Each is recorded in the access log.

Erasing reaches everything made from the data, not only the rows:

* **the change log**: every django-auditlog entry about every row the erasure
  deletes (the review, its attendees, statements, answers, actions, workshop
  cards and what cascades from them, profiles and their versions), including
  the entries the deletion itself writes, is deleted in the same transaction.
  The access log keeps the record of the erasure (person ID and counts);
* **files**: apps above this one listen to :data:`erased` (the batch app drops
  the work folders and Parquet outputs of every batch run that read the
  erased statements);
* **the erasure ledger** (:class:`~goldenthread.reviews.models.ErasureRecord`):
  one row per person, person ID and time only, written in the same
  transaction, so a restore of an older backup erases them again
  (:func:`reapply_erasures`).

Workshop cards live in a higher app (``workshops``); this module finds them
through Django's relation graph (every model that points at a statement), so
the reviews app never imports the apps above it.

What erasing does to reports
----------------------------
The person's statements leave the cards and the counts: a theme that held one
of their cards loses it (and its count of people goes down by one), while the
theme itself and everyone else's cards stay. Actions, root causes and success
statements written by the workshop group are the group's words and stay.
Reports already downloaded are files outside the system and do not change;
the export log keeps that they were made. The access log keeps its records
(they name a pseudonymous ID and never a name); the change log loses every
entry about the erased rows (and its other entries never held names).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core import serializers
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from goldenthread.core.access_log import record_access
from goldenthread.core.models import AccessRecord
from goldenthread.reviews.models import ErasureRecord, OnePageProfile, Review, Statement

#: Sent inside the erasure's transaction, after the rows are gone, with ``cycle_ids`` (the cycles the erased
#: reviews belonged to) and ``statement_ids``. Apps above this one drop what they made from those statements
#: outside the database (the batch app: its work folders and Parquet outputs).
erased = Signal()

#: While an erasure runs: every row it deletes, as (content type id, pk), so their change-log entries go too.
_deleted: ContextVar[list | None] = ContextVar("goldenthread_erasure_deleted", default=None)

DEFAULT_RETENTION_MONTHS = 84


def retention_months() -> int:
    """How long reviews are kept, in months (``GOLDENTHREAD_RETENTION_MONTHS``, default 84 = 7 years)."""
    return int(getattr(settings, "GOLDENTHREAD_RETENTION_MONTHS", DEFAULT_RETENTION_MONTHS))


def retention_cutoff(months: int | None = None, today: dt.date | None = None) -> dt.date:
    """Reviews held on a date before this one are past the retention period."""
    months = retention_months() if months is None else months
    today = today or timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, 28)
    return dt.date(year, month + 1, day)


def _derived(statements) -> list[models.QuerySet]:
    """Rows in any app made from these statements (workshop cards), found through the relation graph."""
    ids = list(statements.values_list("pk", flat=True))
    found = []
    for rel in Statement._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and rel.one_to_many \
                and rel.related_model._meta.app_label != "reviews":
            found.append(rel.related_model._default_manager.filter(**{f"{rel.field.name}__in": ids}))
    return found


def _rows(queryset) -> list[dict]:
    return [{"model": r["model"], "id": r["pk"], **r["fields"]} for r in serializers.serialize("python", queryset)]


def subject_access(person_ref: str, actor=None) -> dict:
    """Everything held about one person, as plain JSON types. Logged as a subject access export."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    reviews = Review.objects.filter(person_ref=person_ref).order_by("review_date", "pk")
    statements = Statement.objects.filter(review__in=reviews)
    profiles = OnePageProfile.objects.filter(person_ref=person_ref)
    owned = {Review: reviews, Statement: statements, OnePageProfile: profiles}
    change_log = []
    for model, qs in owned.items():
        ct = ContentType.objects.get_for_model(model)
        for entry in LogEntry.objects.filter(content_type=ct, object_pk__in=[str(pk) for pk in qs.values_list(
                "pk", flat=True)]).order_by("timestamp"):
            change_log.append({"at": entry.timestamp.isoformat(), "object": f"{model._meta.label_lower}:"
                               f"{entry.object_pk}", "action": entry.get_action_display(),
                               "by": entry.actor.get_username() if entry.actor else "", "changes": entry.changes})
    data = {
        "person_ref": person_ref,
        "made_at": timezone.now().isoformat(),
        "reviews": [review.as_json() for review in reviews],
        "attendees": _rows(_attendees(reviews)),
        "statements": [{"id": s.pk, "review": s.review.reference, "card": s.card_code, "kind": s.kind,
                        "said": s.text, "card_text": s.card_text} for s in statements.select_related("review")],
        "profiles": _rows(profiles),
        "profile_versions": _rows(_versions(profiles)),
        "workshop_cards": [row for qs in _derived(statements) for row in _rows(qs)],
        "access_log": [{"at": r.at.isoformat(), "actor": r.actor, "action": r.action, "object": r.object_type,
                        "object_id": r.object_id, "detail": r.detail}
                       for r in AccessRecord.objects.about_person(person_ref).order_by("at", "pk")],
        "change_log": change_log,
    }
    if actor is not None:
        record_access(actor, AccessRecord.Action.SUBJECT_ACCESS, None, person_ref=person_ref,
                      detail=f"{len(data['reviews'])} reviews, {len(data['statements'])} statements")
    return data


def _attendees(reviews):
    from goldenthread.reviews.models import Attendee

    return Attendee.objects.filter(review__in=reviews)


def _versions(profiles):
    from goldenthread.reviews.models import ProfileVersion

    return ProfileVersion.objects.filter(profile__in=profiles)


@dataclass
class Erased:
    """What an erasure removed, in counts (for the log and the confirmation message)."""

    person_refs: list[str] = field(default_factory=list)
    reviews: int = 0
    statements: int = 0
    workshop_cards: int = 0
    profiles: int = 0

    def summary(self) -> str:
        return (f"{self.reviews} reviews, {self.statements} statements, {self.workshop_cards} workshop cards, "
                f"{self.profiles} one-page profiles")


def impact(person_ref: str) -> Erased:
    """What :func:`erase_person` would remove, without removing it (for the confirmation page)."""
    reviews = Review.objects.filter(person_ref=person_ref)
    statements = Statement.objects.filter(review__in=reviews)
    return Erased(person_refs=[person_ref], reviews=reviews.count(), statements=statements.count(),
                  workshop_cards=sum(qs.count() for qs in _derived(statements)),
                  profiles=OnePageProfile.objects.filter(person_ref=person_ref).count())


def note_deletion(sender, log_entry=None, **kwargs) -> None:
    """django-auditlog ``post_log`` receiver: while an erasure runs, remember every row it logs (all it deletes)."""
    rows = _deleted.get()
    if rows is not None and log_entry is not None:
        rows.append((log_entry.content_type_id, log_entry.object_pk))


def _forget_in_change_log(rows: list) -> int:
    """Delete every change-log entry about these (content type id, pk) rows; return how many went."""
    from auditlog.models import LogEntry

    by_type = defaultdict(set)
    for ct, pk in rows:
        by_type[ct].add(str(pk))
    gone = 0
    for ct, pks in by_type.items():
        pks = sorted(pks)
        for i in range(0, len(pks), 500):
            gone += LogEntry.objects.filter(content_type_id=ct, object_pk__in=pks[i:i + 500]).delete()[0]
    return gone


@transaction.atomic
def erase_reviews(reviews, actor, action: str = AccessRecord.Action.ERASE, detail: str = "", *,
                  profiles=None, reviews_before: dt.date | None = None, ledger: bool = True) -> Erased:
    """Delete these reviews and everything made from them, all or nothing; profiles of those left with no review too.

    ``profiles`` are deleted as well (erasing a person: their profile, even with no review). The change log
    loses every entry about the deleted rows, apps above are told (:data:`erased`), and with ``ledger`` each
    person gets a row in the erasure ledger (``reviews_before``: a purge took only reviews held before then).
    """
    reviews = Review.objects.filter(pk__in=list(reviews.values_list("pk", flat=True)))
    refs = sorted(set(reviews.values_list("person_ref", flat=True)))
    statements = Statement.objects.filter(review__in=reviews)
    cycle_ids = sorted(set(reviews.values_list("cycle_id", flat=True)))
    statement_ids = list(statements.values_list("pk", flat=True))
    result = Erased(person_refs=refs, reviews=reviews.count(), statements=len(statement_ids))
    deleted: list = []
    token = _deleted.set(deleted)
    try:
        for qs in _derived(statements):
            result.workshop_cards += qs.count()
            for row in qs:  # one by one, so every deletion (and what cascades from it) is seen
                row.delete()
        for review in reviews:
            review.delete()
        orphaned = OnePageProfile.objects.filter(person_ref__in=refs).exclude(
            person_ref__in=Review.objects.values("person_ref"))
        if profiles is not None:
            orphaned = orphaned | profiles
        for profile in orphaned.distinct():
            profile.delete()
            result.profiles += 1
            if profile.person_ref not in refs:
                refs.append(profile.person_ref)
    finally:
        _deleted.reset(token)
    _forget_in_change_log(deleted)
    result.person_refs = refs
    if ledger:
        ErasureRecord.objects.bulk_create([ErasureRecord(person_ref=ref, reviews_before=reviews_before)
                                           for ref in refs])
    erased.send(sender=Review, cycle_ids=cycle_ids, statement_ids=statement_ids)
    for ref in refs:
        record_access(actor, action, None, person_ref=ref, detail=(detail + " " + result.summary()).strip())
    return result


def erase_person(person_ref: str, actor) -> Erased:
    """Delete everything held about one person (reviews, statements, cards, profiles), in one transaction."""
    with transaction.atomic():
        result = erase_reviews(Review.objects.filter(person_ref=person_ref), actor,
                               profiles=OnePageProfile.objects.filter(person_ref=person_ref))
        if not result.person_refs:
            ErasureRecord.objects.create(person_ref=person_ref)
            record_access(actor, AccessRecord.Action.ERASE, None, person_ref=person_ref, detail=result.summary())
        return result


@transaction.atomic
def reapply_erasures(actor="system:restore") -> list[ErasureRecord]:
    """Erase again, from restored data, everyone in the erasure ledger; return the erasures that found something.

    Only data that existed when the erasure was made goes (reviews created, profiles last saved, before it),
    so a person who came back with a new review after being erased keeps it; for a purge, only their
    reviews held before its cut-off. Erasures made before the backup find nothing and are not counted.
    """
    applied = []
    for record in ErasureRecord.objects.order_by("erased_at", "pk"):
        reviews = Review.objects.filter(person_ref=record.person_ref, created_at__lte=record.erased_at)
        profiles = OnePageProfile.objects.none()
        if record.reviews_before is not None:
            reviews = reviews.filter(review_date__lt=record.reviews_before)
        else:
            profiles = OnePageProfile.objects.filter(person_ref=record.person_ref,
                                                     updated_at__lte=record.erased_at)
        if reviews.exists() or profiles.exists():
            erase_reviews(reviews, actor, profiles=profiles, ledger=False,
                          detail=f"re-applied the erasure of {record.erased_at:%Y-%m-%d %H:%M} after a restore:")
            applied.append(record)
    return applied


def expired_reviews(months: int | None = None, today: dt.date | None = None):
    """Reviews held on a date before the retention cut-off."""
    return Review.objects.filter(review_date__lt=retention_cutoff(months, today))


def purge_expired(actor="system:purge_expired", *, months: int | None = None, dry_run: bool = False,
                  today: dt.date | None = None) -> Erased:
    """Delete reviews older than the retention period through :func:`erase_reviews` (or count them, dry run)."""
    expired = expired_reviews(months, today)
    if dry_run:
        statements = Statement.objects.filter(review__in=expired)
        return Erased(person_refs=sorted(set(expired.values_list("person_ref", flat=True))),
                      reviews=expired.count(), statements=statements.count(),
                      workshop_cards=sum(qs.count() for qs in _derived(statements)))
    months = retention_months() if months is None else months
    return erase_reviews(expired, actor, AccessRecord.Action.PURGE, detail=f"older than {months} months:",
                         reviews_before=retention_cutoff(months, today))
