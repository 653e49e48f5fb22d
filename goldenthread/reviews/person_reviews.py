"""Writing person-centred reviews from the guided form, and keeping one-page profiles up to date.

Every function that writes runs in one transaction, so a step is saved whole or not at all.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from goldenthread.privacy import Anonymiser
from goldenthread.core.models import Perspective
from goldenthread.reviews.models import (
    IndividualAction,
    OnePageProfile,
    ProfileVersion,
    Review,
    ReviewItem,
    Section,
    Statement,
)
from goldenthread.reviews.models import SECTION_KIND
from goldenthread.reviews.saving import uncertain_spans


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    question: str
    hint: str
    section: str | None = None
    perspective: str | None = None


_WHO = {
    Perspective.PERSON: ("the person", "Ask the person first. Use their words."),
    Perspective.FAMILY: ("the family or carers", "Ask the family members or carers who came."),
    Perspective.STAFF: ("staff and managers", "Ask the support staff and managers who came."),
    Perspective.PROFESSIONAL: ("other professionals", "For example health workers or care managers."),
}

#: The guided form, one question a page, in the order the review asks them.
STEPS: list[Step] = [
    Step("appreciate", "What people like and admire", "What do people like and admire about the person?",
         "Ask everyone at the review. Write each thing on its own line.", Section.APPRECIATE),
    Step("important-now", "Important now", "What is important to the person now?",
         "What matters most to them today. Write each thing on its own line.", Section.IMPORTANT_NOW),
    Step("future", "Important for the future", "What is important to the person for the future?",
         "What they want next year and later on. Write each thing on its own line.", Section.FUTURE),
    Step("support", "Best support", "How can we best support the person?",
         "What helps them stay healthy and well. Write each thing on its own line.", Section.SUPPORT),
    Step("questions", "Questions", "What questions are there to answer?",
         "Things nobody knows yet, or problems to solve. Write each one on its own line.", Section.QUESTION),
] + [
    Step(f"working-{p.value}", f"Working and not working: {_WHO[p][0]}",
         f"What is working and not working for {_WHO[p][0]}?", _WHO[p][1], perspective=p.value)
    for p in (Perspective.PERSON, Perspective.FAMILY, Perspective.STAFF, Perspective.PROFESSIONAL)
] + [
    Step("actions", "Actions", "What will happen to change things for the person?",
         "Agree actions that change what is not working and move towards what matters for the future."),
    Step("top-choices", "Top choices and consent", "Which things does the person want to go forward?",
         "Ask the person to pick their top 3 of each kind. Only these go forward to the council."),
]
STEP_BY_SLUG = {s.slug: s for s in STEPS}

MAX_LINE = 500


def item_lines(text: str) -> list[str]:
    return [line.strip().lstrip("-•* ").strip() for line in (text or "").splitlines() if line.strip()]


@transaction.atomic
def start_review(cycle, *, reference, person_ref, review_date, area, user_group, service=None, person_name="",
                 location="", facilitator="", user=None) -> Review:
    """Create a review in progress with its details. The user who starts it is its facilitator."""
    user = user if (user is not None and user.is_authenticated) else None
    return Review.objects.create(
        cycle=cycle, reference=reference, person_ref=person_ref, person_name=person_name, review_date=review_date,
        area=area, user_group=user_group, service=service, location=location,
        facilitator=facilitator or (user.get_full_name() or user.get_username() if user else ""),
        status=Review.Status.IN_PROGRESS, facilitated_by=user, created_by=user, consent_given=False,
    )


def _mark_done(review: Review, slug: str) -> None:
    if slug not in review.steps_done:
        review.steps_done = [*review.steps_done, slug]
    review.save(update_fields=["steps_done", "updated_at"])


@transaction.atomic
def save_items(review: Review, section: str, perspective: str, lines: list[str], *, step: str) -> None:
    """Replace the items of one section and perspective. Items whose words are unchanged keep their top choice."""
    existing = {i.text: i for i in review.items.filter(section=section, perspective=perspective)}
    keep = []
    for position, text in enumerate(lines):
        item = existing.pop(text, None)
        if item is None:
            item = ReviewItem(review=review, section=section, perspective=perspective, text=text)
        item.position = position
        item.save()
        keep.append(item.pk)
    for item in existing.values():
        item.delete()
    _mark_done(review, step)


@transaction.atomic
def save_actions(review: Review, actions: list[dict], *, step: str = "actions") -> None:
    """Replace the review's actions with these (each: text, owner, due_date, status)."""
    review.actions.all().delete()
    for position, action in enumerate(actions):
        IndividualAction.objects.create(review=review, position=position, **action)
    _mark_done(review, step)


@transaction.atomic
def save_top_choices(review: Review, picks: dict[str, list[int | None]], consent: bool,
                     *, step: str = "top-choices") -> None:
    """Record the person's picks (item ids in order 1st, 2nd, 3rd for each ranked section) and their consent."""
    review.items.update(priority=None)
    for section, ids in picks.items():
        for priority, item_id in enumerate(ids, start=1):
            if item_id:
                review.items.filter(pk=item_id, section=section, perspective=Perspective.PERSON).update(
                    priority=priority)
    review.consent_given = consent
    review.save(update_fields=["consent_given", "updated_at"])
    _mark_done(review, step)


def completion_problems(review: Review) -> list[dict]:
    """What must be done before a review can be finished, each with a link to the page that fixes it."""
    from django.urls import reverse

    problems = []
    if not review.items.filter(section__in=[Section.WORKING, Section.NOT_WORKING],
                               perspective=Perspective.PERSON).exists():
        problems.append({"text": "Write at least one thing that is working or not working for the person.",
                         "href": reverse("pcr_step", args=[review.pk, "working-person"])})
    if "top-choices" not in review.steps_done:
        problems.append({"text": "Ask the person for their top choices and their consent.",
                         "href": reverse("pcr_step", args=[review.pk, "top-choices"])})
    return problems


@transaction.atomic
def complete_review(review: Review, user=None) -> list[Statement]:
    """Finish a review: the person's top choices become anonymised statements for the cycle's cards.

    Only items with ``goes_forward`` (a ranked section, the person's own view,
    picked 1st, 2nd or 3rd) become statements. Finishing again (after a change)
    replaces the review's statements.
    """
    review = Review.objects.select_for_update().get(pk=review.pk)
    for old in review.statements.all():
        old.delete()
    anonymiser = Anonymiser(review.names_to_hide())
    created = []
    items = sorted((i for i in review.items.all() if i.goes_forward), key=lambda i: (i.section, i.priority))
    for position, item in enumerate(items):
        result = anonymiser.anonymise(item.text)
        statement = Statement.objects.create(
            review=review, kind=SECTION_KIND[item.section], perspective=item.perspective, priority=item.priority,
            text=item.text, card_text=result.text, uncertain=uncertain_spans(result), position=position,
        )
        item.statement = statement
        item.save(update_fields=["statement"])
        created.append(statement)
    review.status = Review.Status.COMPLETE
    review.completed_at = timezone.now()
    review.save(update_fields=["status", "completed_at", "updated_at"])
    return created


# --- last year: what a new review starts from ------------------------------------------------------------------

def previous_review(review: Review, user=None) -> Review | None:
    """The person's last finished review before this one (that ``user`` may see with names), or None."""
    earlier = (Review.objects.filter(person_ref=review.person_ref, status=Review.Status.COMPLETE)
               .exclude(pk=review.pk).filter(review_date__lte=review.review_date)
               .order_by("-review_date", "-created_at", "-pk"))
    if user is not None:
        earlier = earlier.identifiable_to(user)
    return earlier.select_related("cycle").first()


def last_year(review: Review, user) -> dict | None:
    """What the person said last time, the actions agreed then with their progress, and their one-page profile now.

    Shown read-only beside a new review's questions. From a guided review it is
    the person's own answers; from an imported review, the statements the file
    held. Only what ``user`` may see with names is returned.
    """
    before = previous_review(review, user)
    profile = OnePageProfile.objects.filter(person_ref=review.person_ref).first()
    if profile is not None and not profile.is_visible_to(user):
        profile = None
    if before is None and profile is None:
        return None
    said = {Section.WORKING: [], Section.NOT_WORKING: [], Section.FUTURE: []}
    if before is not None:
        items = before.items.filter(section__in=list(said), perspective=Perspective.PERSON).order_by("position")
        if items.exists():
            for item in items:
                said[item.section].append(item.text)
        else:
            by_kind = {kind: section for section, kind in SECTION_KIND.items()}
            for st in before.statements.filter(perspective=Perspective.PERSON).order_by("priority", "position"):
                if st.kind in by_kind:
                    said[by_kind[st.kind]].append(st.text)
    return {
        "review": before,
        "said": [("What was working", said[Section.WORKING]), ("What was not working", said[Section.NOT_WORKING]),
                 ("What was important for the future", said[Section.FUTURE])],
        "actions": list(before.actions.all()) if before is not None else [],
        "profile": profile,
    }


def carried_actions(review: Review, user=None) -> list[dict]:
    """Last time's actions that are not done or stopped, with their progress, to start this review's actions from."""
    before = previous_review(review, user)
    if before is None:
        return []
    open_ = before.actions.exclude(status__in=[IndividualAction.Status.DONE, IndividualAction.Status.STOPPED])
    return [{"text": a.text, "owner": a.owner, "due_date": a.due_date, "status": a.status} for a in open_]


def profile_from_review(review: Review) -> dict:
    """The one-page profile a review suggests: its appreciations, what matters now and later, and best support."""
    def lines(*sections):
        return "\n".join(i.text for s in sections for i in review.items.filter(section=s).order_by("position"))

    return {
        "name": review.person_name,
        "appreciate": lines(Section.APPRECIATE),
        "important": lines(Section.IMPORTANT_NOW, Section.FUTURE),
        "support": lines(Section.SUPPORT),
        "service": review.service,
    }


PROFILE_SECTIONS = [("appreciate", "What people like and admire about me"), ("important", "What is important to me"),
                    ("support", "How best to support me")]


def _key(line: str) -> str:
    return " ".join(line.lower().split())


def profile_update(current: OnePageProfile | None, review: Review) -> dict:
    """What "update the profile from this review" would do, before anything is saved: each section before and after.

    The new review's lines go in. Lines written by hand (not from the review the
    profile was last brought up to date from) are kept unless someone takes them
    out on the edit page. Lines that came from that earlier review and were not
    said again this time are taken out, and listed so that nobody is surprised.
    """
    proposed = profile_from_review(review)
    old_review = profile_from_review(current.source_review) if current and current.source_review else None
    sections, merged = [], {"name": (current.name if current else "") or proposed["name"],
                            "service": proposed["service"]}
    for field, heading in PROFILE_SECTIONS:
        before = OnePageProfile.lines(getattr(current, field)) if current else []
        new = OnePageProfile.lines(proposed[field])
        from_old = {_key(line) for line in OnePageProfile.lines(old_review[field])} if old_review else set()
        new_keys = {_key(line) for line in new}
        hand = [line for line in before if _key(line) not in from_old and _key(line) not in new_keys]
        after = [{"text": line, "note": "Kept" if _key(line) in {_key(b) for b in before} else "New from this review"}
                 for line in new] + [{"text": line, "note": "Kept: written by hand"} for line in hand]
        removed = [line for line in before if _key(line) in from_old and _key(line) not in new_keys]
        merged[field] = "\n".join(a["text"] for a in after)
        sections.append({"field": field, "heading": heading, "before": before, "after": after, "removed": removed})
    return {"sections": sections, "merged": merged,
            "changed": current is None or any(s["before"] != [a["text"] for a in s["after"]] for s in sections)}


@transaction.atomic
def save_profile(person_ref: str, data: dict, *, user=None, review: Review | None = None) -> OnePageProfile:
    """Create or update a person's one-page profile and keep the new wording as a version."""
    user = user if (user is not None and user.is_authenticated) else None
    profile = OnePageProfile.objects.filter(person_ref=person_ref).first() or OnePageProfile(person_ref=person_ref)
    for field in ("name", "appreciate", "important", "support"):
        setattr(profile, field, data[field])
    if "service" in data and data["service"] is not None:
        profile.service = data["service"]
    if data.get("shared_with_supporters") is not None:
        profile.shared_with_supporters = data["shared_with_supporters"]
    if review is not None:
        profile.source_review = review
    profile.updated_by = user
    profile.save()
    ProfileVersion.objects.create(profile=profile, name=profile.name, appreciate=profile.appreciate,
                                  important=profile.important, support=profile.support, review=review,
                                  saved_by=user)
    return profile
