"""Slow down anyone guessing workshop codes.

A workshop code is the only key a delegate needs, so guessing codes must be
slow and must not tell a guesser when they are close. Two rules:

* **Counted per address.** Each wrong try from one client address (a join
  form with a code that does not work, or a workshop page opened without
  having joined) counts; after ``GOLDENTHREAD_CODE_GUESSES`` wrong tries in
  ``GOLDENTHREAD_CODE_GUESS_WINDOW_SECONDS`` the address gets a plain "too
  many tries, wait" page (status 429) for the rest of the window, whatever
  code it tries. Right tries are not counted, so a room of delegates behind
  one council network is not locked out by a few typing mistakes.
* **Same answer for every code.** An anonymous visitor who opens
  ``/workshops/<code>/`` is sent to the join page with the code filled in,
  whether or not the code exists (before, an unknown code gave a 404).

The address is :func:`goldenthread.core.clientip.client_ip`: the socket's, or, behind a proxy listed in
``GOLDENTHREAD_TRUSTED_PROXIES``, the phone's own address from the proxy's ``X-Forwarded-For`` (the same
rule as the sign-in lock-out), so twenty wrong codes from one phone do not block the whole venue.

The counts live in Django's cache (per process with the default local-memory
cache; set up a shared cache such as Redis when running several processes).

Use: ``@guard_workshop_codes`` on a view; one line.
"""
from __future__ import annotations

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from goldenthread.core.clientip import client_ip
from goldenthread.core.logmask import address_for_log

log = logging.getLogger("goldenthread.ratelimit")
CACHE_PREFIX = "gt-code-guesses:"


def client_address(request) -> str:
    """The address the request came from (the client's own behind a trusted proxy)."""
    return client_ip(request) or "unknown"


def _key(request) -> str:
    return CACHE_PREFIX + client_address(request)


def _window() -> int:
    return settings.GOLDENTHREAD_CODE_GUESS_WINDOW_SECONDS


def wrong_tries(request) -> int:
    return int((cache.get(_key(request)) or {}).get("n", 0))


def count_wrong_try(request) -> None:
    key, now = _key(request), int(time.time())
    entry = cache.get(key) or {"n": 0, "since": now}
    entry["n"] += 1
    cache.set(key, entry, timeout=max(1, entry["since"] + _window() - now))
    if entry["n"] == settings.GOLDENTHREAD_CODE_GUESSES:
        log.warning("Workshop code guessing: %s made %s wrong tries; refused for %s s",
                    address_for_log(client_address(request)), entry["n"], _window())


def is_blocked(request) -> bool:
    return wrong_tries(request) >= settings.GOLDENTHREAD_CODE_GUESSES


def too_many_tries(request):
    minutes = max(1, _window() // 60)
    return render(request, "workshop_too_many_tries.html", {"minutes": minutes}, status=429)


def _wrong(request, response) -> bool:
    """Did this request try a code that did not work?"""
    if request.method == "POST" and response.status_code == 200:
        return True  # the join form came back with an error
    return response.status_code in (301, 302) and response.get("Location", "").startswith(reverse("workshop:join"))


def guard_workshop_codes(view):
    """Count wrong workshop-code tries per address, refuse after too many, and hide which codes exist."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        signed_in = request.user.is_authenticated
        if not signed_in and is_blocked(request):
            return too_many_tries(request)
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            code = kwargs.get("code")
            if signed_in or not code:
                raise
            # An unknown code answers exactly like a known one the visitor has not joined.
            response = redirect(f"{reverse('workshop:join')}?code={str(code).upper()}")
        if not signed_in and _wrong(request, response):
            count_wrong_try(request)
        return response

    return wrapped
