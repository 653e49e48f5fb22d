"""Everything the API uses from the rest of Golden Thread, imported in one place.

The API is a thin door onto the method's own rules: reviews come in through
the same parser and ``save_reviews`` as the file import, and results go out
through the same report numbers and small-number suppression as the shared
report. Importing them only here keeps the API's other modules independent of
where those rules live in the source tree.
"""
from __future__ import annotations

from goldenthread.privacy.suppression import is_small, suppress_inside, suppress_series, suppress_value
from goldenthread.reporting.data import build_report, in_services, pick_workshop, theme_people, threshold_setting
from goldenthread.reporting.disclosure import Disclosure, listable_cells
from goldenthread.reporting.golden_thread import action_thread, next_year
from goldenthread.reviews.importing import (
    MAX_TEXT_LENGTH,
    ImportResult,
    Problem,
    ReviewFileError,
    import_reviews,
)
from goldenthread.core.models import MAX_PRIORITY, Area, Kind, Perspective, Service, UserGroup
from goldenthread.reviews.cards import card_code
from goldenthread.reviews.models import ProgrammeCycle, Review, Statement
from goldenthread.core.roles import ROLE_PERMISSIONS, ROLES
from goldenthread.workshops.models import BOARD_KINDS, Action, Cluster, Placement, RootCause, Vote, Workshop

#: The Django model labels the API's own models point at (kept here so a move of the store is one edit).
CYCLE_MODEL = "reviews.ProgrammeCycle"
SERVICE_MODEL = "core.Service"

__all__ = [
    "Action", "Area", "BOARD_KINDS", "CYCLE_MODEL", "Cluster", "Disclosure", "ImportResult", "Kind", "MAX_PRIORITY",
    "MAX_TEXT_LENGTH", "Perspective", "Placement", "Problem", "ProgrammeCycle", "ROLES", "ROLE_PERMISSIONS",
    "Review", "ReviewFileError", "RootCause", "SERVICE_MODEL", "Service", "Statement", "UserGroup", "Vote",
    "Workshop", "action_thread", "build_report", "card_code", "import_reviews", "in_services", "is_small",
    "listable_cells", "next_year", "pick_workshop", "role_can", "suppress_inside", "suppress_series",
    "suppress_value", "theme_people", "threshold_setting",
]


def role_can(role: str, codename: str) -> bool:
    """Whether a role (a name from :data:`ROLES`) holds a permission, e.g. ``add_review``."""
    return codename in ROLE_PERMISSIONS.get(role, ())
