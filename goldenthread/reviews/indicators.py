"""Success indicators from the providers' guide, for a provider, a service or the whole council.

Everything counts **people** (``person_ref``), never reviews: a person with
three reviews is one person. Each person is judged on their latest finished
review in the scope. Plain functions over querysets, so they can be tested on
known data and used by pages, exports and the command line alike.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from goldenthread.reviews.models import IndividualAction, OnePageProfile, Review

#: A review older than this is overdue: reviews are yearly.
REVIEW_INTERVAL_DAYS = 365


@dataclass
class Indicator:
    key: str
    label: str
    people: int
    out_of: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.people / self.out_of) if self.out_of else None


@dataclass
class OverdueReview:
    person_ref: str
    last_review: dt.date
    service: str
    days_late: int


@dataclass
class Indicators:
    scope: str
    people: int
    indicators: list[Indicator] = field(default_factory=list)
    overdue: list[OverdueReview] = field(default_factory=list)
    #: People whose latest review came from a file: files hold no actions, so they are left out of the actions rows.
    without_action_record: int = 0

    def get(self, key: str) -> Indicator:
        return next(i for i in self.indicators if i.key == key)


def scoped_reviews(*, provider: str | None = None, service=None, area=None):
    """Finished reviews in a scope: a provider (by name), a service, an area, or everything."""
    reviews = Review.objects.filter(status=Review.Status.COMPLETE)
    if provider:
        reviews = reviews.filter(service__provider__iexact=provider)
    if service is not None:
        reviews = reviews.filter(service=service)
    if area is not None:
        reviews = reviews.filter(area=area)
    return reviews


def latest_reviews(reviews) -> dict[str, Review]:
    """Each person's latest review (by date, then by when it was entered)."""
    latest: dict[str, Review] = {}
    for review in reviews.select_related("service").order_by("person_ref", "-review_date", "-created_at", "-pk"):
        latest.setdefault(review.person_ref, review)
    return latest


def success_indicators(*, provider: str | None = None, service=None, area=None,
                       today: dt.date | None = None, scope: str = "") -> Indicators:
    today = today or dt.date.today()
    latest = latest_reviews(scoped_reviews(provider=provider, service=service, area=area))
    people = len(latest)
    refs = set(latest)
    review_ids = [r.pk for r in latest.values()]

    with_profile = set(OnePageProfile.objects.filter(person_ref__in=refs).values_list("person_ref", flat=True))
    cutoff = today - dt.timedelta(days=REVIEW_INTERVAL_DAYS)
    recent = {ref for ref, r in latest.items() if r.review_date >= cutoff}

    actions: dict[int, list[str]] = {}
    for review_id, status in IndividualAction.objects.filter(review_id__in=review_ids).values_list(
            "review_id", "status"):
        actions.setdefault(review_id, []).append(status)
    # Only the guided form asks for actions; an imported file holds none, so "0 of 50" would say nothing true.
    asked = {ref for ref, r in latest.items() if r.source == Review.Source.WEB}
    with_actions = {ref for ref, r in latest.items() if actions.get(r.pk)}
    actions_done = {ref for ref in with_actions
                    if all(s == IndividualAction.Status.DONE for s in actions[latest[ref].pk])}

    forward_ids = set(
        Review.objects.filter(pk__in=review_ids, consent_given=True, statements__priority__isnull=False)
        .values_list("pk", flat=True)
    )
    went_forward = {ref for ref, r in latest.items() if r.pk in forward_ids}

    result = Indicators(scope=scope, people=people, indicators=[
        Indicator("profile", "have a one-page profile", len(with_profile), people),
        Indicator("recent_review", "had a review in the last 12 months", len(recent), people),
        Indicator("actions", "had a review that ended with actions", len(with_actions), len(asked | with_actions)),
        Indicator("actions_done", "had all the actions from their review done", len(actions_done),
                  len(with_actions)),
        Indicator("forward", "had their top choices go forward to commissioning", len(went_forward), people),
    ])
    result.without_action_record = len(set(latest) - asked - with_actions)
    result.overdue = sorted(
        (OverdueReview(ref, r.review_date, r.service.name if r.service else "",
                       (today - r.review_date).days - REVIEW_INTERVAL_DAYS)
         for ref, r in latest.items() if ref not in recent),
        key=lambda o: (o.last_review, o.person_ref),
    )
    return result
