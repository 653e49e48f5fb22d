"""Four small middlewares for data about people: no copies kept by browsers, signed-in sessions that end when
idle, and no access for an account without a role.

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

:class:`NulMiddleware`
    An address whose path or query holds a NUL character (``%00``) is a bad
    request (400) before any view runs: no database can look it up, and
    PostgreSQL refuses it outright. A form's fields (not its files, and not on the review upload pages, whose
    body is read only after sign-in)
    lose their invisible characters before any view reads them: NUL and other
    control characters, zero-width spaces and joiners, and the marks that
    reverse the direction of text (:func:`goldenthread.privacy.normalise.strip_invisible`),
    so a name or a person ID that looks the same on screen is the same in the
    database. (Review files lose them in the import; the API refuses NUL and
    direction controls with a problem naming the field.)

:class:`NoRoleMiddleware`
    Deny by default: a signed-in account with no role (no role group, so no
    permission, and not a superuser) that is not a person's or family member's account (those see
    their own fund, :mod:`goldenthread.providers.middleware`) gets the "You do
    not have access yet" page (403) for every address except signing in and
    out (council sign-in's ``/oidc/`` included) and the static files. An account made without a role, or a family
    account whose link was removed, sees nothing until an administrator gives
    it a role.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

from goldenthread.core.sessions import LAST_SEEN_KEY, WRITE_EVERY_SECONDS
from goldenthread.web.limits import UPLOAD_PATHS


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


class NulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", "") \
                or any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            detail = "The address holds a NUL character (%00), which is not allowed."
            if request.path_info.startswith("/api/"):
                from goldenthread.api.problems import ApiProblem, problem_response

                return problem_response(ApiProblem(400, detail, "bad-parameter"))
            from django.http import HttpResponseBadRequest

            return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
        if request.method == "POST" and request.content_type in FORM_TYPES \
                and not request.path_info.startswith("/api/") and not UPLOAD_PATHS.match(request.path_info) \
                and _within_limit(request):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The review upload pages are left alone: their body is read only after the sign-in check (goldenthread.web.limits),
# their one field is a fixed choice, and the import cleans every row of the file itself.


def _within_limit(request) -> bool:
    """Only read a body Django would read anyway (the ASGI limit, ``web/limits.py``, has already refused a
    larger one; a big review upload is left to the view, and the import cleans its rows itself)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is None or length <= limit


def _cleaned(data):
    from goldenthread.privacy.normalise import strip_invisible

    if not any(strip_invisible(v) != v for _, values in data.lists() for v in values):
        return data
    cleaned = data.copy()
    for key, values in data.lists():
        cleaned.setlist(key, [strip_invisible(v) for v in values])
    cleaned._mutable = False
    return cleaned


class NoRoleMiddleware:
    ALLOWED = ("/accounts/", "/oidc/", settings.STATIC_URL or "/static/", "/healthz", "/readyz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Every role grants permissions, and the permission set is cached on the user for the page's own
        # checks (user.has_perm), so this costs no query of its own.
        user = request.user
        request.no_role = (_signed_in(request) and not getattr(request, "person_account", False)
                           and not user.is_superuser and not user.get_all_permissions())
        if request.no_role and not request.path_info.startswith(self.ALLOWED):
            from django.shortcuts import render

            return render(request, "no_access.html", status=403)
        return self.get_response(request)
