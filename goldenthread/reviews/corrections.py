"""Putting a review right, and withdrawing consent: the rules, in one place.

Who may do it
-------------
Anyone who may see the review with names (``Review.objects.identifiable_to``):
administrators, the review's facilitator, and the provider managers of its
service while the person has not refused consent. Each change needs a reason
and leaves a :class:`~goldenthread.reviews.models.ReviewCorrection` (who, when,
why, which fields); the change log keeps the old and new values, masked where
they could identify someone.

Correcting
----------
A statement's words, kind, whose view it is and its top-choice place, and the
review's details, can be corrected. Corrected words are anonymised again with
the names on the record (and must be checked again if the anonymiser is unsure
of a word); a statement moved to another kind gets the next card number of that
kind. Changing the person's or the facilitator's name anonymises every
statement again.

The people who came to the review can be corrected too (one per line, "Name
(relationship)"): a name added or put right is hidden on every card from then on.

Withdrawing consent
-------------------
The review's statements stop being cards at once: ``Statement.objects.for_cards``
only takes consented reviews, so they leave the card lists, the card PDF,
future workshops (``Workshop.chosen_statements``), reports and the API. Their
card wording becomes :data:`WITHDRAWN_CARD_TEXT` everywhere it is still shown.
Workshops already under way are told through :data:`consent_withdrawn`: a card
not yet called leaves the workshop; a card already on a board stays in its place
(so the board's history, undo and votes still add up) but shows only that it was
withdrawn. What was printed before cannot be called back:
:func:`outputs_that_used` lists the card PDFs, reports and data files made for
the cycle since the review was added, so someone can withdraw the paper copies.

Giving consent
--------------
Consent recorded as No (withdrawn, or No from the start) can be recorded as Yes
later, with a reason: the statements are anonymised again from what was said,
with the names on the record, and become cards for card lists, reports and
workshops set up from then on (a workshop already under way does not take them
back). A flagged word must be checked again before the cards are printed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

from goldenthread.core.models import Perspective
from goldenthread.privacy import Anonymiser
from goldenthread.reviews.models import Attendee, Review, ReviewCorrection, Statement
from goldenthread.reviews.saving import uncertain_spans

#: The card wording of a statement whose person withdrew consent.
WITHDRAWN_CARD_TEXT = "Card withdrawn: the person no longer agrees to its use."

#: Sent (inside the transaction) when a review's consent is withdrawn; ``statement_ids`` are its statements.
consent_withdrawn = Signal()

#: Asked for the outputs made from a review's cycle: each receiver returns a list of :class:`PrintedOutput`.
outputs_using = Signal()

#: Details of a review that can be corrected (the form's fields).
DETAIL_FIELDS = ("reference", "person_ref", "person_name", "review_date", "facilitator", "location", "area",
                 "service", "user_group", "attendees")
_NAME_FIELDS = {"person_name", "facilitator", "attendees"}


class CorrectionError(ValueError):
    """A correction the rules do not allow; ``field`` names the form field it is about (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PrintedOutput:
    """Something made from the cycle that may hold the review's cards: what, when, by whom."""

    what: str
    made_at: dt.datetime
    made_by: str


def may_correct(user, review: Review) -> bool:
    """Those who may see the review with names may correct it and withdraw its consent."""
    return Review.objects.identifiable_to(user).filter(pk=review.pk).exists()


def _allowed(user, review: Review, reason: str) -> str:
    if not may_correct(user, review):
        raise CorrectionError("Only someone who may see this review with names can change it.")
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionError("Enter the reason for the change.", "reason")
    return reason


def _record(review: Review, what: str, by, reason: str, fields: list[str], card: str = "") -> ReviewCorrection:
    signed_in = getattr(by, "is_authenticated", False)
    return ReviewCorrection.objects.create(
        review=review, what=what, card=card, fields=fields, reason=reason, made_by=by if signed_in else None,
        made_by_name=by.get_username() if signed_in else "unknown")


def _reword(statement: Statement, anonymiser: Anonymiser) -> None:
    """Anonymise the statement's words again (or show it withdrawn); a flagged word must be checked again."""
    if statement.review.consent_given:
        result = anonymiser.anonymise(statement.text)
        statement.card_text, statement.uncertain = result.text, uncertain_spans(result)
    else:
        statement.card_text, statement.uncertain = WITHDRAWN_CARD_TEXT, []
    statement.checked_at, statement.checked_by = None, None


@transaction.atomic
def correct_statement(statement: Statement, *, by, reason: str, text: str, kind: str, perspective: str,
                      priority: int | None) -> ReviewCorrection:
    """Correct one statement's words, kind, whose view it is and top-choice place, and say why."""
    review = statement.review
    reason = _allowed(by, review, reason)
    text = (text or "").strip()
    if not text:
        raise CorrectionError("Enter what was said.", "text")
    if priority and perspective != Perspective.PERSON:
        raise CorrectionError("Only the person's own statements can be their top choices.", "priority")
    if priority and review.statements.filter(kind=kind, priority=priority).exclude(pk=statement.pk).exists():
        raise CorrectionError("Another statement of this kind is already that top choice: change that one first.",
                              "priority")
    wanted = {"text": text, "kind": kind, "perspective": perspective, "priority": priority or None}
    changed = [name for name, value in wanted.items() if getattr(statement, name) != value]
    if not changed:
        raise CorrectionError("Nothing has changed: correct the statement, or go back.", "text")
    old_code = statement.card_code
    for name in changed:
        setattr(statement, name, wanted[name])
    if "kind" in changed:
        statement.card_number = Statement.objects.next_card_numbers(statement.cycle_id)[kind]
    if "text" in changed:
        _reword(statement, Anonymiser(review.names_to_hide()))
    statement.save()
    card = old_code if old_code == statement.card_code else f"{old_code} → {statement.card_code}"
    return _record(review, ReviewCorrection.What.STATEMENT, by, reason, changed, card=card)


@transaction.atomic
def correct_details(review: Review, *, by, reason: str, **values) -> ReviewCorrection:
    """Correct the review's details (see :data:`DETAIL_FIELDS`), and say why."""
    reason = _allowed(by, review, reason)
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise CorrectionError(f"These details cannot be corrected here: {', '.join(sorted(unknown))}.")
    if "reference" in values and Review.objects.filter(cycle=review.cycle_id, reference=values["reference"]) \
            .exclude(pk=review.pk).exists():
        raise CorrectionError("A review with this ID is already in this cycle. Use a different ID.", "reference")
    attendees = values.pop("attendees", None)
    changed = [name for name, value in values.items() if getattr(review, name) != value]
    if attendees is not None and _attendees(review) != [(n, r) for n, r in attendees]:
        changed.append("attendees")
    if not changed:
        raise CorrectionError("Nothing has changed: correct a detail, or go back.")
    for name in changed:
        if name != "attendees":
            setattr(review, name, values[name])
    review.save()
    if "attendees" in changed:
        # One by one, so the change log has each attendee removed and added (their names hidden there).
        for attendee in review.attendees.all():
            attendee.delete()
        for position, (name, relationship) in enumerate(attendees):
            Attendee.objects.create(review=review, name=name, relationship=relationship, position=position)
    if _NAME_FIELDS & set(changed):
        anonymiser = Anonymiser(review.names_to_hide())
        for statement in review.statements.all():
            _reword(statement, anonymiser)
            statement.save(update_fields=["card_text", "uncertain", "checked_at", "checked_by"])
    return _record(review, ReviewCorrection.What.DETAILS, by, reason, changed)


@transaction.atomic
def withdraw_consent(review: Review, *, by, reason: str) -> ReviewCorrection:
    """The person no longer agrees: their statements stop being cards everywhere (see the module docstring)."""
    reason = _allowed(by, review, reason)
    if not review.consent_given:
        raise CorrectionError("The person's consent is already recorded as No.")
    review.consent_given = False
    review.save(update_fields=["consent_given", "updated_at"])
    statements = list(review.statements.all())
    for statement in statements:
        _reword(statement, Anonymiser(()))
        statement.save(update_fields=["card_text", "uncertain", "checked_at", "checked_by"])
    correction = _record(review, ReviewCorrection.What.CONSENT_WITHDRAWN, by, reason, ["consent_given"])
    consent_withdrawn.send(sender=Review, review=review, statement_ids=[s.pk for s in statements])
    return correction


@transaction.atomic
def give_consent(review: Review, *, by, reason: str) -> ReviewCorrection:
    """Consent recorded as No is now Yes: the statements become cards again (see the module docstring)."""
    reason = _allowed(by, review, reason)
    if review.consent_given:
        raise CorrectionError("The person's consent is already recorded as Yes.")
    review.consent_given = True
    review.save(update_fields=["consent_given", "updated_at"])
    anonymiser = Anonymiser(review.names_to_hide())
    for statement in review.statements.all():
        _reword(statement, anonymiser)
        statement.save(update_fields=["card_text", "uncertain", "checked_at", "checked_by"])
    return _record(review, ReviewCorrection.What.CONSENT_GIVEN, by, reason, ["consent_given"])


def _attendees(review: Review) -> list[tuple[str, str]]:
    return [(a.name, a.relationship) for a in review.attendees.order_by("position", "id")]


def attendees_text(review: Review) -> str:
    """The review's attendees as the form writes them: one per line, "Name (relationship)"."""
    return "\n".join(f"{n} ({r})" if r else n for n, r in _attendees(review))


def outputs_that_used(review: Review) -> list[PrintedOutput]:
    """Card PDFs, reports and data files made for the review's cycle since the review was added, oldest first."""
    from goldenthread.core.models import AccessRecord

    found = [PrintedOutput(r.detail, r.at, r.actor.removeprefix("user:"))
             for r in AccessRecord.objects.filter(object_type="reviews.programmecycle", object_id=str(review.cycle_id),
                                                  action=AccessRecord.Action.EXPORT, at__gte=review.created_at)]
    for _, answer in outputs_using.send(sender=Review, review=review):
        found.extend(answer or [])
    return sorted(found, key=lambda o: o.made_at)
