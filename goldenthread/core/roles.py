"""Roles are Django groups with a fixed set of permissions.

| role | sees identifiable reviews | enters and imports reviews | runs cycles and workshops |
|---|---|---|---|
| Administrator | yes | yes | yes |
| Review facilitator | yes | yes | no |
| Provider manager | yes | yes | no |
| Facilitator | no | yes | yes |
| Commissioner | no | no | yes |
| Viewer | no | no | no |

Running cycles includes keeping the council's lists of areas, services and user
groups (:mod:`goldenthread.core.lookups`); everyone else picks from them.

Seeing identifiable details is also decided per review, by
:func:`can_see_identifiable_review`: administrators see every review; a review
facilitator sees the reviews they facilitated (``Review.facilitated_by``); a
provider manager sees the reviews of the services they manage
(``StaffProfile.services``). Everyone else, and those roles for any other
review, sees only anonymised statements; the identifiable pages, exports and
API records answer them with a refusal (403). One-page profiles follow the same
rule through ``OnePageProfile.is_visible_to``.

**Refused consent.** A finished review whose person did not agree to its use
(``consent_given`` false, ``status`` finished) is shown with names only to
administrators and to the review facilitator who recorded it
(``facilitated_by``): the facilitator was in the room, may need to correct the
record, and is who the person told. Provider managers lose sight of it, as do
all other roles; its statements never become cards. A review still in
progress has not been asked yet, so the usual rule applies until it is
finished. Both checks below apply this, and ``ReviewQuerySet.identifiable_to``
(the rule every page uses) calls :func:`identifiable_reviews`.

Commissioners and administrators set up tenders and their people's panel
(``run_tenders``); panel members need no account: each signs in with a
personal link.

Workshop delegates need no account: they join with the workshop's code.

Everyone with an account can read anonymised statements and cards. The groups
are created (and their permissions reset) after every ``migrate``, so the table
above is always the truth.
"""
from __future__ import annotations

ADMINISTRATOR = "Administrator"
FACILITATOR = "Facilitator"
COMMISSIONER = "Commissioner"
PROVIDER_MANAGER = "Provider manager"
REVIEW_FACILITATOR = "Review facilitator"
VIEWER = "Viewer"

_READ = ["view_programmecycle", "view_review", "view_statement", "view_area", "view_service", "view_usergroup",
         "view_outcomearea", "view_measure", "view_themeoutcome", "view_servicetype", "view_provision",
         "view_themeservicetype"]
_ENTER = ["add_review", "change_review", "add_statement", "change_statement", "add_importbatch", "add_attendee",
          "change_attendee"]
#: Running cycles includes keeping the council's fixed lists (areas, services, user groups).
_RUN_CYCLES = ["add_programmecycle", "change_programmecycle",
               "add_area", "change_area", "delete_area", "add_service", "change_service", "delete_service",
               "add_usergroup", "change_usergroup", "delete_usergroup",
               # The outcome framework, its measures and the links from themes to outcomes (goldenthread/outcomes).
               "add_outcomearea", "change_outcomearea", "add_measure", "change_measure",
               "add_themeoutcome", "change_themeoutcome",
               # The market directory and the links from future themes to kinds of service (goldenthread/market).
               "add_servicetype", "change_servicetype", "delete_servicetype", "add_provision", "change_provision",
               "delete_provision", "add_themeservicetype", "change_themeservicetype"]
_IDENTIFIABLE = ["view_identifiable"]
_PERSON_CENTRED = ["add_reviewitem", "change_reviewitem", "delete_reviewitem", "view_reviewitem",
                   "add_individualaction", "change_individualaction", "delete_individualaction",
                   "view_individualaction", "add_onepageprofile", "change_onepageprofile", "view_onepageprofile"]
_PLANNING = ["add_teamplan", "change_teamplan", "add_teamplanitem", "change_teamplanitem", "delete_teamplanitem"]
#: Tenders people help decide (goldenthread/tenders): the pack, the bids and the people's panel.
_TENDERS = ["run_tenders", "view_tender"]
#: Running a live workshop: set it up, call cards, control stages and reveal votes.
_RUN_WORKSHOPS = ["add_workshop", "change_workshop", "view_workshop"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATOR: _READ + _ENTER + _RUN_CYCLES + _IDENTIFIABLE + _PERSON_CENTRED + _PLANNING + _RUN_WORKSHOPS
    + _TENDERS + ["delete_review", "delete_statement", "delete_programmecycle", "view_importbatch", "change_staffprofile",
       "add_staffprofile", "view_staffprofile"],
    REVIEW_FACILITATOR: _READ + _ENTER + _IDENTIFIABLE + _PERSON_CENTRED,
    PROVIDER_MANAGER: _READ + _ENTER + _IDENTIFIABLE + _PERSON_CENTRED + _PLANNING,
    FACILITATOR: _READ + _ENTER + _RUN_CYCLES + _PLANNING + _RUN_WORKSHOPS,
    COMMISSIONER: _READ + _RUN_CYCLES + _RUN_WORKSHOPS + _TENDERS,
    VIEWER: _READ,
}
ROLES = list(ROLE_PERMISSIONS)


def ensure_roles(**kwargs) -> None:
    """Create the role groups and give each exactly its permissions (a post_migrate hook)."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    labels = [c.label for c in apps.get_app_configs() if c.name.startswith("goldenthread.")]
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label__in=labels)}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([perms[c] for c in codenames if c in perms])


def user_roles(user) -> list[str]:
    """The role names a user holds (superusers count as administrators)."""
    if not user.is_authenticated:
        return []
    names = list(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    if user.is_superuser and ADMINISTRATOR not in names:
        names.insert(0, ADMINISTRATOR)
    return names


def can_see_identifiable(user) -> bool:
    """Whether the user's role may see identifiable details of *some* reviews (see the per-review checks)."""
    return user.is_authenticated and user.has_perm("reviews.view_identifiable")


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists())


def managed_service_ids(user) -> set[int]:
    """The services a provider manager manages (empty for everyone else)."""
    if not (user.is_authenticated and user.groups.filter(name=PROVIDER_MANAGER).exists()):
        return set()
    cache = getattr(user, "_gt_managed_services", None)
    if cache is None:
        from goldenthread.core.models import StaffProfile

        profile = StaffProfile.objects.filter(user=user).first()
        cache = set(profile.services.values_list("pk", flat=True)) if profile else set()
        user._gt_managed_services = cache
    return cache


def can_see_identifiable_review(user, review) -> bool:
    """Whether this user may see who this review is about, what was said in their words, and their actions."""
    if not can_see_identifiable(user):
        return False
    if is_administrator(user):
        return True
    if review.facilitated_by_id is not None and review.facilitated_by_id == user.pk \
            and user.groups.filter(name=REVIEW_FACILITATOR).exists():
        return True
    if refused_consent(review):
        return False
    return review.service_id is not None and review.service_id in managed_service_ids(user)


def refused_consent(review) -> bool:
    """A finished review whose person did not agree to its use."""
    return not review.consent_given and review.status == "complete"


def identifiable_reviews(user, reviews):
    """Narrow a queryset of reviews to those the user may see with names."""
    from django.db.models import Q

    if not can_see_identifiable(user):
        return reviews.none()
    if is_administrator(user):
        return reviews
    allowed = Q(pk__in=[])
    if user.groups.filter(name=REVIEW_FACILITATOR).exists():
        allowed |= Q(facilitated_by=user)
    services = managed_service_ids(user)
    if services:
        # Managers see their services' reviews, except those whose person refused consent.
        allowed |= Q(service_id__in=services) & ~Q(consent_given=False, status="complete")
    return reviews.filter(allowed)


def can_plan(user) -> bool:
    return user.is_authenticated and user.has_perm("planning.add_teamplan")


def can_enter_reviews(user) -> bool:
    return user.is_authenticated and user.has_perm("reviews.add_review")


def can_run_workshops(user) -> bool:
    return user.is_authenticated and user.has_perm("workshops.change_workshop")


def can_keep_outcomes(user) -> bool:
    """Whether the user may import the outcome framework and measures and decide which themes speak to which
    outcome (the people who run cycles)."""
    return user.is_authenticated and user.has_perm("outcomes.add_measure")


def can_run_tenders(user) -> bool:
    """Whether the user may set up tenders, their bids and their people's panel (commissioners, administrators)."""
    return user.is_authenticated and user.has_perm("tenders.run_tenders")


def can_run_cycles(user) -> bool:
    return user.is_authenticated and user.has_perm("reviews.add_programmecycle")


def can_keep_market(user) -> bool:
    """Whether the user may keep the market directory and decide which future themes ask for which kind of
    service (the people who run cycles, as for the outcome framework)."""
    return user.is_authenticated and user.has_perm("market.add_provision")
