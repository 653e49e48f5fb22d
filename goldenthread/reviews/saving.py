"""Writing reviews: the one place where drafts become rows, and statements become anonymised cards."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from goldenthread.privacy import Anonymiser
from goldenthread.reviews.drafts import ReviewDraft
from goldenthread.core.lookups import name_key
from goldenthread.core.models import Area, Service, UserGroup
from goldenthread.reviews.models import Attendee, ImportBatch, ProgrammeCycle, Review, Statement


@dataclass
class SaveResult:
    reviews: list[Review]
    statements_created: int


def _lookup(model, names: set[str]) -> dict[str, object]:
    """The named lookup rows, keyed by the names as given, matching without regard to case or spacing.

    Every way in (the review form, the person-centred review, review files and the API) first checks
    the names against the council's fixed lists (:mod:`goldenthread.core.lookups`). A name still
    missing here comes from code that makes reviews directly (tests, benchmarks, the big-database
    generator) and is added to its list.
    """
    found = {name_key(obj.name): obj for obj in model.objects.all()}
    for name in sorted(names):
        if name and name_key(name) not in found:
            found[name_key(name)] = model.objects.create(name=" ".join(name.split()))
    return {name: found[name_key(name)] for name in names if name}


def uncertain_spans(result) -> list[dict]:
    """The anonymiser's uncertain words as plain JSON, to keep on the statement for a person to check."""
    return [{"start": u.start, "end": u.end, "text": u.text, "replaced": u.replaced, "reason": u.reason}
            for u in result.uncertain]


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
                area=areas[d.area],
                service=services[d.service] if d.service else None,
                user_group=groups[d.user_group],
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
