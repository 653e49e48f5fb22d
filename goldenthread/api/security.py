"""Who is calling, what they may do, how often, and the log of every call.

* :class:`TokenAuth` reads ``Authorization: Bearer gt_…``, finds the active
  :class:`~goldenthread.api.models.ApiClient`, applies its rate limit and
  refuses request bodies larger than ``GOLDENTHREAD_API_MAX_BODY_BYTES``
  *before* the body is read (the ``Content-Length`` header is checked; a body
  without one is refused).
* :func:`check_rate` is a fixed one-minute window per token in Django's cache
  (the default in-process cache for one server; set a shared cache such as
  Redis when several processes serve the API). Over the limit the answer is
  429 with ``Retry-After``.
* :func:`logged` wraps every API view so each call is written to
  :class:`~goldenthread.api.models.ApiCallLog` with its client.
"""
from __future__ import annotations

import functools
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone
from ninja.security import HttpBearer

from goldenthread.api.models import ApiCallLog, ApiClient
from goldenthread.api.problems import ApiProblem

logger = logging.getLogger(__name__)

#: One API database write at a time in this process (saving reviews, the call log, "last used").
#: SQLite takes one writer anyway; queuing here instead of in SQLite's lock means a burst of
#: concurrent clients waits its turn rather than failing with "database is locked".
WRITE_LOCK = threading.Lock()

#: Largest request body the API reads, in bytes (``GOLDENTHREAD_API_MAX_BODY_BYTES``, default 5 MB).
DEFAULT_MAX_BODY = 5 * 1024 * 1024
WINDOW_SECONDS = 60


def max_body_bytes() -> int:
    return int(getattr(settings, "GOLDENTHREAD_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY))


def check_body_size(request) -> None:
    """Refuse a body that is too large, or of unknown size, before anything reads it."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    length = request.META.get("CONTENT_LENGTH")
    if length in (None, ""):
        if request.META.get("HTTP_TRANSFER_ENCODING"):  # a body of unknown size
            raise ApiProblem(411, "Send the request body with a Content-Length header.", "length-required")
        raise ApiProblem(400, "The request has no body. Send it as JSON.", "bad-request")
    try:
        size = int(length)
    except ValueError:
        raise ApiProblem(400, "The Content-Length header is not a number.", "bad-request") from None
    if size > max_body_bytes():
        raise ApiProblem(413, f"The request body is {size:,} bytes; the most the API takes is "
                              f"{max_body_bytes():,}. Send the reviews in smaller batches.", "too-large")


def check_rate(client: ApiClient, now: float | None = None) -> tuple[int, int]:
    """Count one call against the client's limit; (calls left, seconds to the next window) or raise 429."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"gt-api-rate:{client.prefix}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        used = 1
    reset = max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))
    if used > client.rate_limit:
        raise ApiProblem(429, f"This token may make {client.rate_limit} calls a minute. Try again in {reset} "
                              "seconds.", "rate-limited", headers={"Retry-After": str(reset)})
    return client.rate_limit - used, reset


class TokenAuth(HttpBearer):
    """``Authorization: Bearer gt_<prefix>_<secret>`` for an active API client."""

    openapi_description = ("A token made by an administrator (`goldenthread manage api_token create`). "
                           "Send it as `Authorization: Bearer gt_…`.")

    def authenticate(self, request, token: str):
        client = ApiClient.for_token(token.strip())
        if client is None:
            return None
        request.api_client = client
        left, reset = check_rate(client)
        request.api_rate = (client.rate_limit, left, reset)
        check_body_size(request)
        if client.last_used_at is None or (timezone.now() - client.last_used_at).total_seconds() > 60:
            with WRITE_LOCK:
                ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
        return client


def logged(view):
    """Write every call of this view to the API call log, with its client and status."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        started = time.perf_counter()
        response = view(request, *args, **kwargs)
        client = getattr(request, "api_client", None)
        rate = getattr(request, "api_rate", None)
        if rate is not None:
            response["RateLimit-Limit"] = str(rate[0])
            response["RateLimit-Remaining"] = str(max(0, rate[1]))
            response["RateLimit-Reset"] = str(rate[2])
        entry = ApiCallLog(
            client=client, method=request.method[:8], path=request.get_full_path()[:300],
            status=response.status_code, duration_ms=int((time.perf_counter() - started) * 1000),
            remote_addr=(request.META.get("REMOTE_ADDR") or "")[:64],
            note=str(getattr(request, "api_note", ""))[:300],
        )
        try:
            with WRITE_LOCK:
                entry.save()
        except OperationalError:  # the database stayed locked by another process: keep the answer, say so
            logger.error("API call not written to the call log (database locked): client=%s %s %s -> %s",
                         client.pk if client else None, entry.method, entry.path, entry.status)
        return response

    return wrapper
