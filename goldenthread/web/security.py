"""Two small middlewares for data about people: no copies kept by browsers, and signed-in sessions that end when idle.

:class:`NoStoreMiddleware`
    Every response to a signed-in user, and every ``/api/`` response, carries
    ``Cache-Control: no-store`` (with Django's other never-cache headers), so a
    review, a profile or a JSON record is not kept in the browser's cache or
    a shared proxy for the next person at the same computer. Pages for
    anonymous visitors (the sign-in page, static files) are unaffected.

:class:`IdleTimeoutMiddleware`
    A signed-in session ends after ``GOLDENTHREAD_SESSION_IDLE_SECONDS``
    (default 30 minutes) without a request; the next request is signed out and
    goes to the sign-in page. The time of the last request is written at most
    once a minute, so busy pages do not write the session on every request.
    Workshop delegates (who join with a code and have no account) are not
    signed in and are not timed out.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

LAST_SEEN_KEY = "goldenthread_last_seen"
WRITE_EVERY_SECONDS = 60


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _signed_in(request) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request):
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - int(last) > settings.GOLDENTHREAD_SESSION_IDLE_SECONDS:
                logout(request)  # flushes the session; the login-required check then sends them to sign in
            elif last is None or now - int(last) >= WRITE_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
