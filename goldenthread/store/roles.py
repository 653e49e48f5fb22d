"""Roles are Django groups with a fixed set of permissions.

| role | sees identifiable reviews | enters and imports reviews | runs cycles and workshops |
|---|---|---|---|
| Administrator | yes | yes | yes |
| Review facilitator | yes | yes | no |
| Provider manager | yes | yes | no |
| Facilitator | no | yes | yes |
| Commissioner | no | no | yes |
| Viewer | no | no | no |

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

_READ = ["view_programmecycle", "view_review", "view_statement", "view_area", "view_service", "view_usergroup"]
_ENTER = ["add_review", "change_review", "add_statement", "change_statement", "add_importbatch", "add_attendee",
          "change_attendee", "add_area", "add_service", "add_usergroup"]
_RUN_CYCLES = ["add_programmecycle", "change_programmecycle"]
_IDENTIFIABLE = ["view_identifiable"]
#: Running a live workshop: set it up, call cards, control stages and reveal votes.
_RUN_WORKSHOPS = ["add_workshop", "change_workshop", "view_workshop"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATOR: _READ + _ENTER + _RUN_CYCLES + _IDENTIFIABLE
    + _RUN_WORKSHOPS + ["delete_review", "delete_statement", "delete_programmecycle", "view_importbatch"],
    REVIEW_FACILITATOR: _READ + _ENTER + _IDENTIFIABLE,
    PROVIDER_MANAGER: _READ + _ENTER + _IDENTIFIABLE,
    FACILITATOR: _READ + _ENTER + _RUN_CYCLES + _RUN_WORKSHOPS,
    COMMISSIONER: _READ + _RUN_CYCLES + _RUN_WORKSHOPS,
    VIEWER: _READ,
}
ROLES = list(ROLE_PERMISSIONS)


def ensure_roles(**kwargs) -> None:
    """Create the role groups and give each exactly its permissions (a post_migrate hook)."""
    from django.contrib.auth.models import Group, Permission

    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="store")}
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
    return user.is_authenticated and user.has_perm("store.view_identifiable")


def can_enter_reviews(user) -> bool:
    return user.is_authenticated and user.has_perm("store.add_review")


def can_run_workshops(user) -> bool:
    return user.is_authenticated and user.has_perm("store.change_workshop")


def can_run_cycles(user) -> bool:
    return user.is_authenticated and user.has_perm("store.add_programmecycle")
