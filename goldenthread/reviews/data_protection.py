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
(they name a pseudonymous ID and never a name, and say what was erased); the
change log's entries about the erased rows are deleted with them (elsewhere it
never holds an identifiable value: those fields are logged as "(changed)").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core import serializers
from django.db import models, transaction
from django.utils import timezone

from goldenthread.core.access_log import record_access
from goldenthread.core.models import AccessRecord
from goldenthread.reviews.models import OnePageProfile, Review, Statement

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


def _held(reviews) -> dict:
    """Every row held about the people of these reviews, as {model: [primary keys]}: the reviews, every row that
    points at them (attendees, statements, answers, actions, corrections…), what was made from the statements
    (workshop cards) and the people's one-page profiles with their versions — found through the relation graph."""
    held = {Review: list(reviews.values_list("pk", flat=True))}
    for rel in Review._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and rel.one_to_many:
            pks = list(rel.related_model._default_manager.filter(**{f"{rel.field.name}__in": held[Review]})
                       .values_list("pk", flat=True))
            held.setdefault(rel.related_model, []).extend(pks)
    for qs in _derived(Statement.objects.filter(review__in=held[Review])):
        held.setdefault(qs.model, []).extend(qs.values_list("pk", flat=True))
    profiles = OnePageProfile.objects.filter(person_ref__in=reviews.values("person_ref")).exclude(
        person_ref__in=Review.objects.exclude(pk__in=held[Review]).values("person_ref"))  # left with no review
    held[OnePageProfile] = list(profiles.values_list("pk", flat=True))
    versions = _versions(profiles)
    held.setdefault(versions.model, []).extend(versions.values_list("pk", flat=True))
    return held


def _forget_changes(held: dict) -> int:
    """Delete the change log's entries about these rows (their creation, every change and their deletion)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    deleted = 0
    for model, pks in held.items():
        if pks:
            deleted += LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                               object_pk__in=[str(pk) for pk in pks]).delete()[0]
    return deleted


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


@transaction.atomic
def erase_reviews(reviews, actor, action: str = AccessRecord.Action.ERASE, detail: str = "") -> Erased:
    """Delete these reviews and everything made from them, all or nothing; profiles of people left with no review go too."""
    reviews = Review.objects.filter(pk__in=list(reviews.values_list("pk", flat=True)))
    refs = sorted(set(reviews.values_list("person_ref", flat=True)))
    held = _held(reviews)
    statements = Statement.objects.filter(review__in=reviews)
    result = Erased(person_refs=refs, reviews=reviews.count(), statements=statements.count())
    for qs in _derived(statements):
        result.workshop_cards += qs.count()
        for row in qs:  # one by one, so django-auditlog logs each deletion
            row.delete()
    for review in reviews:
        review.delete()
    orphaned = OnePageProfile.objects.filter(person_ref__in=refs).exclude(
        person_ref__in=Review.objects.values("person_ref"))
    result.profiles = orphaned.count()
    for profile in orphaned:
        profile.delete()
    _forget_changes(held)
    for ref in refs:
        record_access(actor, action, None, person_ref=ref, detail=(detail + " " + result.summary()).strip())
    return result


def erase_person(person_ref: str, actor) -> Erased:
    """Delete everything held about one person (reviews, statements, cards, profiles), in one transaction."""
    with transaction.atomic():
        result = erase_reviews(Review.objects.filter(person_ref=person_ref), actor)
        profiles = OnePageProfile.objects.filter(person_ref=person_ref)
        held = {OnePageProfile: list(profiles.values_list("pk", flat=True))}
        versions = _versions(profiles)
        held[versions.model] = list(versions.values_list("pk", flat=True))
        for profile in profiles:
            profile.delete()
            result.profiles += 1
        _forget_changes(held)
        if not result.person_refs:
            record_access(actor, AccessRecord.Action.ERASE, None, person_ref=person_ref, detail=result.summary())
        return result


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
    return erase_reviews(expired, actor, AccessRecord.Action.PURGE, detail=f"older than {months} months:")
