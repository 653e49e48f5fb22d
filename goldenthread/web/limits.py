"""Request size limits, enforced before any view reads the body.

A login form or a join-a-workshop form is a few hundred bytes; a review file
upload is at most ``GOLDENTHREAD_MAX_UPLOAD_BYTES``. Anything bigger is refused
with **413 Content Too Large** without the body being read, so a 300 MB POST
to ``/accounts/login/`` costs the server nothing:

* :class:`BodySizeLimit` wraps the ASGI application (``web/asgi.py``). It
  refuses a request whose ``Content-Length`` is over the limit before taking a
  single body message, and it counts the bytes of a body sent without a length
  (chunked), refusing as soon as they pass the limit. Only a body within the
  limit is handed to Django.
* :func:`install_daphne_limits` does the same one step earlier, inside Daphne
  (``goldenthread serve``): Daphne otherwise receives a whole body into a
  temporary file and then queues all of it in memory for the application.
  With the limit, an oversized request is answered 413 and the connection is
  closed as soon as its headers (or its first chunks past the limit) arrive.

Limits: ``GOLDENTHREAD_MAX_REQUEST_BYTES`` (default 2 MB) for every request,
and the upload limit plus 1 MB for the form overhead on the review import page.

**Sign-in before an upload is read.** Only signed-in people may import reviews, so a body sent to an
upload page (:data:`UPLOAD_PATHS`) by someone who is not signed in is never read: Daphne answers a
request with no session cookie as soon as its headers arrive (:func:`limited_web_request_class`), and
:class:`BodySizeLimit` checks that the session cookie belongs to a signed-in account (the session store
and the user, as Django's ``get_user`` does) before it takes a single body message. Either way the
answer is a redirect to the sign-in page (303, so the browser comes back with a GET) and the connection
is closed. Before, 20 anonymous 21 MB uploads at once took a server from 104 to 363 MB.
What is left: a request that carries *some* session cookie (a made-up one) is still received by Daphne
(into a temporary file, then handed over whole) before the session can be looked up, because the look-up
needs the database and Daphne's header step runs on its event loop; the application then refuses it
without reading it. The size limit above still bounds it.
"""
from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import quote

from django.conf import settings

#: Pages that take a review file; they get the upload limit instead of the request limit.
UPLOAD_PATHS = re.compile(r"^/cycles/[^/]+/import/$")
MULTIPART_OVERHEAD = 1024 * 1024
TOO_LARGE = ("The request is too large. The most this page accepts is {limit}. "
             "If you are uploading a review file, make it smaller or split it in two.")


def limit_for(path: str) -> int:
    """The most bytes a request body to ``path`` may have."""
    if UPLOAD_PATHS.match(path or ""):
        return settings.GOLDENTHREAD_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD
    return settings.GOLDENTHREAD_MAX_REQUEST_BYTES


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def too_large_message(limit: int) -> bytes:
    return TOO_LARGE.format(limit=_megabytes(limit)).encode("utf-8")


#: Methods that send no body: an upload page's GET goes to Django as usual (which sends a stranger to sign in).
BODYLESS = ("GET", "HEAD", "OPTIONS")


def needs_sign_in_first(method: str, path: str) -> bool:
    """Is this a request whose body may be read only for someone signed in?"""
    return (method or "GET").upper() not in BODYLESS and bool(UPLOAD_PATHS.match(path or ""))


def _session_key(headers) -> str | None:
    from django.http.cookie import parse_cookie

    cookie = "; ".join(value.decode("latin-1") for name, value in headers if name.lower() == b"cookie")
    return parse_cookie(cookie).get(settings.SESSION_COOKIE_NAME) or None


def session_is_signed_in(session_key: str) -> bool:
    """Does this session cookie belong to an active signed-in account (Django's own check, password hash included)?"""
    from importlib import import_module

    from django.contrib.auth import get_user
    from django.db import close_old_connections

    try:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        user = get_user(SimpleNamespace(session=store))
        return bool(user.is_authenticated and user.is_active)
    finally:
        close_old_connections()  # this runs outside Django's request cycle, which would otherwise close it


def sign_in_location(path: str) -> bytes:
    from django.shortcuts import resolve_url

    return f"{resolve_url(settings.LOGIN_URL)}?next={quote(path)}".encode("latin-1")


def _declared_length(headers) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


class BodySizeLimit:
    """ASGI middleware: HTTP bodies over :func:`limit_for` get a 413 before the application sees them."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if needs_sign_in_first(scope.get("method", ""), path) and not await self._signed_in(scope):
            return await self._to_sign_in(send, path)
        limit = limit_for(path)
        declared = _declared_length(scope.get("headers", []))
        if declared is not None and (declared < 0 or declared > limit):
            return await self._refuse(send, limit, 413 if declared > limit else 400)
        # Read the body here, counting as it comes, so a body without a length is bounded too.
        messages, total = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                messages.append(message)  # a disconnect: pass it on, Django handles it
                break
            total += len(message.get("body", b""))
            if total > limit:
                return await self._refuse(send, limit, 413)
            messages.append(message)
            if not message.get("more_body", False):
                break
        queue = iter(messages)

        async def replay():
            try:
                return next(queue)
            except StopIteration:
                return await receive()

        return await self.app(scope, replay, send)

    @staticmethod
    async def _signed_in(scope) -> bool:
        from asgiref.sync import sync_to_async

        key = _session_key(scope.get("headers", []))
        return bool(key) and await sync_to_async(session_is_signed_in, thread_sensitive=True)(key)

    @staticmethod
    async def _to_sign_in(send, path: str):
        body = b"Sign in before uploading a file."
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", sign_in_location(path)),
                                (b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    async def _refuse(send, limit: int, status: int):
        body = too_large_message(limit) if status == 413 else b"The Content-Length header is not a number."
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


# --- Daphne --------------------------------------------------------------------------------------

def limited_web_request_class():
    """A Daphne ``WebRequest`` that stops receiving a body as soon as it is known to be too big."""
    from daphne.http_protocol import WebRequest

    class LimitedWebRequest(WebRequest):
        gt_limited = True
        _gt_refused = False
        _gt_received = 0
        _gt_limit = 0

        def gotLength(self, length):
            path = getattr(self.channel, "_path", b"/").split(b"?", 1)[0].decode("latin-1")
            self._gt_limit = limit_for(path)
            method = getattr(self.channel, "_command", b"GET").decode("latin-1")
            if needs_sign_in_first(method, path) \
                    and settings.SESSION_COOKIE_NAME.encode() not in (getattr(self, "received_cookies", None) or {}):
                self._gt_refuse(sign_in=path)  # no session at all: not one byte of the body is taken
                length = 0
            elif length is not None and length > self._gt_limit:
                self._gt_refuse()
                length = 0
            super().gotLength(length)

        def handleContentChunk(self, data):
            if self._gt_refused:
                return
            self._gt_received += len(data)
            if self._gt_received > self._gt_limit:
                self._gt_refuse()
                return
            super().handleContentChunk(data)

        def requestReceived(self, command, path, version):
            if self._gt_refused:
                return
            super().requestReceived(command, path, version)

        def _gt_refuse(self, sign_in: str | None = None):
            self._gt_refused = True
            transport = self.channel.transport
            if sign_in is not None:
                body = b"Sign in before uploading a file."
                head = b"HTTP/1.1 303 See Other\r\nLocation: " + sign_in_location(sign_in) + b"\r\n"
            else:
                body = too_large_message(self._gt_limit)
                head = b"HTTP/1.1 413 Content Too Large\r\n"
            transport.write(head + b"Content-Type: text/plain; charset=utf-8\r\n"
                            b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
            transport.loseConnection()

    return LimitedWebRequest


def install_daphne_limits() -> None:
    """Make Daphne (as started by ``goldenthread serve``) use :func:`limited_web_request_class`."""
    import daphne.http_protocol

    if not getattr(daphne.http_protocol.WebRequest, "gt_limited", False):
        daphne.http_protocol.WebRequest = limited_web_request_class()
