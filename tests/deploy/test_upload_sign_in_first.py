"""Issue 24: an upload to the review import page from someone not signed in is refused before its body is read."""
from __future__ import annotations

import asyncio
import concurrent.futures

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory

from goldenthread.web.limits import BodySizeLimit, limited_web_request_class

IMPORT = "/cycles/ashdown-2026/import/"
TWENTY_MB = str(20 * 1024 * 1024).encode()


class _Inner:
    called = False

    async def __call__(self, scope, receive, send):
        self.called = True
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.body = body
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"imported"})


async def _unreadable():
    raise AssertionError("the upload's body was read")


def _post(app, headers, receive=_unreadable, path=IMPORT):
    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "query_string": b"",
             "headers": [(b"content-length", TWENTY_MB), (b"content-type", b"multipart/form-data; boundary=x"),
                         *headers]}
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent


def _session_cookie(user) -> bytes:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def test_an_anonymous_upload_is_sent_to_sign_in_without_its_body_being_read():
    inner = _Inner()
    sent = _post(BodySizeLimit(inner), [])
    assert sent[0]["status"] == 303 and not inner.called
    headers = dict(sent[0]["headers"])
    assert headers[b"location"] == b"/accounts/login/?next=/cycles/ashdown-2026/import/"
    assert headers[b"connection"] == b"close"


def test_an_upload_with_a_made_up_session_cookie_is_refused_unread(transactional_db):
    inner = _Inner()
    sent = _post(BodySizeLimit(inner), [(b"cookie", b"sessionid=not-a-session-anyone-has")])
    assert sent[0]["status"] == 303 and not inner.called


def test_an_upload_from_a_signed_in_person_reaches_the_import(transactional_db):
    cookie = _session_cookie(User.objects.create_user("fran", password="a-long-pass-phrase"))
    inner = _Inner()
    messages = iter([{"type": "http.request", "body": b"--x--", "more_body": False}])

    async def receive():
        return next(messages)

    sent = _post(BodySizeLimit(inner), [(b"cookie", cookie)], receive)
    assert sent[0]["status"] == 200 and inner.body == b"--x--"


def test_the_check_is_only_for_bodies_sent_to_the_upload_pages():
    inner = _Inner()
    messages = iter([{"type": "http.request", "body": b"a=1", "more_body": False}])

    async def receive():
        return next(messages)

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/workshops/join/", "query_string": b"",
             "headers": [(b"content-length", b"3")]}
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, BodySizeLimit(inner)(scope, receive, send)).result()
    assert inner.called and sent[0]["status"] == 200


def test_the_served_application_sends_an_anonymous_upload_to_sign_in_unread():
    from goldenthread.web.asgi import application

    assert _post(application, [])[0]["status"] == 303


def test_daphne_answers_an_upload_without_a_session_cookie_before_taking_its_body():
    from twisted.internet.testing import StringTransport
    from twisted.web.http import HTTPChannel

    class Server:
        applications = 0

        def protocol_connected(self, protocol):
            pass

        def protocol_disconnected(self, protocol):
            pass

        def create_application(self, *args, **kwargs):
            Server.applications += 1

    class Factory:
        server = Server()

    channel = HTTPChannel()
    channel.requestFactory = limited_web_request_class()
    channel.factory = Factory
    transport = StringTransport()
    channel.makeConnection(transport)
    channel.dataReceived(b"POST " + IMPORT.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: csrftoken=abc\r\n"
                         b"Content-Length: " + TWENTY_MB + b"\r\n\r\n" + b"x" * 100_000)
    assert transport.value().startswith(b"HTTP/1.1 303")
    assert b"Location: /accounts/login/?next=" in transport.value()
    assert transport.disconnecting and Server.applications == 0


def test_the_invisible_character_cleaner_does_not_read_an_upload_pages_body():
    from goldenthread.web.security import NulMiddleware

    request = RequestFactory().post(IMPORT, {"file_format": "csv"})

    class Unread(dict):
        def lists(self):
            raise AssertionError("the upload's form was parsed")

    request._post = Unread()
    request._files = {}
    NulMiddleware(lambda r: "reached")(request)
    assert request.POST is request._post  # untouched
