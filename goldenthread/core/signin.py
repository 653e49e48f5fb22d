"""Sign-in lock-out across addresses: django-axes' database handler plus one rule per username.

django-axes locks a username *from one address* after ``GOLDENTHREAD_LOGIN_FAILURES`` (5) wrong
passwords (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``), so someone typing wrong
passwords at one desk cannot lock the real user out at another. On its own that lets many
addresses guess one user's password without end, 5 tries each.

Why not axes' own ``[["username", "ip_address"], ["username"]]``: axes applies *one* failure limit to
every combination, so the username-only count would lock the user out everywhere after 5 wrong
passwords from a single address (exactly the lock-out the per-address rule avoids), and the
failures one locked-out address keeps sending would keep adding to it.

So this handler adds one rule: wrong passwords for one username from *all* addresses in the
cool-off window, each address counting at most the per-address limit, reaching
``GOLDENTHREAD_LOGIN_FAILURES_PER_USERNAME`` (default 30) lock that username from every address
for the cool-off. One address can add at most 5, so locking someone out everywhere takes at least
6 addresses, and guessing one password is capped at 30 tries per cool-off (15 minutes) whatever the
number of addresses.
"""
from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings


def failures_for_username(request, credentials, per_address: int) -> int:
    """Wrong passwords for this username from every address, each address counting at most ``per_address``."""
    username = get_client_username(request, credentials)
    if not username:
        return 0
    attempts = AccessAttempt.objects.filter(username=username)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return sum(min(n, per_address) for n in attempts.values_list("failures_since_start", flat=True))


class LockoutHandler(AxesDatabaseHandler):
    """Locked when one address has used up its tries for the username, or all addresses together have."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        per_address = get_failure_limit(request, credentials)
        if failures >= per_address:
            return failures
        if failures_for_username(request, credentials, per_address) >= settings.GOLDENTHREAD_LOGIN_FAILURES_PER_USERNAME:
            return per_address  # locked from every address until the cool-off passes
        return failures


#: The longest username an account can have (Django's default user model).
USERNAME_LENGTH = 150


def username_for_lockout(request, credentials=None):
    """The username django-axes records for a failed sign-in, cut to what an account's username can be.

    A longer one names no account; kept whole, PostgreSQL refused it (axes' column holds 255 characters) and the
    sign-in page answered with a server error instead of "wrong username or password".
    """
    from django.conf import settings

    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    value = credentials.get(field) if credentials else request.POST.get(field)
    return value[:USERNAME_LENGTH] if isinstance(value, str) else value
