"""Writing reviews: the one place where drafts become rows, and statements become anonymised cards."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from goldenthread.privacy import Anonymiser
from goldenthread.reviews.drafts import ReviewDraft
from goldenthread.core.models import Area, Service, UserGroup
from goldenthread.reviews.models import Attendee, ImportBatch, ProgrammeCycle, Review, Statement


@dataclass
class SaveResult:
    reviews: list[Review]
    statements_created: int


def _lookup(model, names: set[str]) -> dict[str, object]:
    """Fetch or create the named lookup rows, matching names without regard to case."""
    found = {obj.name.lower(): obj for obj in model.objects.all()}
    for name in sorted(names):
        if name and name.lower() not in found:
            found[name.lower()] = model.objects.create(name=name)
    return found


def uncertain_spans(result) -> list[dict]:
    """The anonymiser's uncertain words as plain JSON, to keep on the statement for a person to check."""
    return [{"start": u.start, "end": u.end, "text": u.text, "replaced": u.replaced, "reason": u.reason}
            for u in result.uncertain]


def card_text_for(draft: ReviewDraft, text: str, anonymiser: Anonymiser | None = None) -> str:
    """The anonymised wording of one statement of a review."""
    anonymiser = anonymiser or Anonymiser(draft_names(draft))
    return anonymiser(text)


def draft_names(draft: ReviewDraft) -> list[str]:
    names = [draft.person_name, draft.facilitator, *(name for name, _ in draft.attendees)]
    return [n for n in names if n and n.strip()]


@transaction.atomic
def save_reviews(
    cycle: ProgrammeCycle,
    drafts: Iterable[ReviewDraft],
    *,
    user=None,
    source: str = Review.Source.WEB,
    batch: ImportBatch | None = None,
) -> SaveResult:
    """Save checked drafts as reviews with their attendees and anonymised statements, all or nothing.

    Card numbers continue from the highest number already used for each kind
    in the cycle. Bulk inserts keep a 10,000-review import to seconds.
    """
    drafts = list(drafts)
    areas = _lookup(Area, {d.area for d in drafts})
    groups = _lookup(UserGroup, {d.user_group for d in drafts})
    services = _lookup(Service, {d.service for d in drafts if d.service})
    user = user if (user is not None and user.is_authenticated) else None

    reviews = Review.objects.bulk_create(
        [
            Review(
                cycle=cycle,
                reference=d.reference,
                person_ref=d.person_ref,
                person_name=d.person_name,
                review_date=d.review_date,
                facilitator=d.facilitator,
                location=d.location,
                area=areas[d.area.lower()],
                service=services[d.service.lower()] if d.service else None,
                user_group=groups[d.user_group.lower()],
                consent_given=d.consent,
                source=source,
                import_batch=batch,
                fingerprint=d.fingerprint(),
                created_by=user,
            )
            for d in drafts
        ],
        batch_size=500,
    )
    Attendee.objects.bulk_create(
        [
            Attendee(review=review, name=name, relationship=relationship, position=i)
            for review, d in zip(reviews, drafts)
            for i, (name, relationship) in enumerate(d.attendees)
        ],
        batch_size=1000,
    )
    next_number = Statement.objects.next_card_numbers(cycle.pk)
    statements = []
    for review, d in zip(reviews, drafts):
        anonymiser = Anonymiser(draft_names(d))
        for i, s in enumerate(d.statements):
            result = anonymiser.anonymise(s.text)
            statements.append(
                Statement(
                    review=review,
                    cycle=cycle,
                    kind=s.kind,
                    perspective=s.perspective,
                    priority=s.priority,
                    text=s.text,
                    card_text=result.text,
                    uncertain=uncertain_spans(result),
                    card_number=next_number[s.kind],
                    position=i,
                )
            )
            next_number[s.kind] += 1
    Statement.objects.bulk_create(statements, batch_size=1000)
    return SaveResult(reviews=reviews, statements_created=len(statements))
