"""Template context shared by every page."""
from goldenthread.core import roles as store_roles


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_roles": store_roles.user_roles(user),
        "can_see_identifiable": store_roles.can_see_identifiable(user),
        "can_enter_reviews": store_roles.can_enter_reviews(user),
        "can_run_cycles": store_roles.can_run_cycles(user),
    }
