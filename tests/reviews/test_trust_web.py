"""The web app's defences: body size limits before reading, CSP, sign-in lock-out, code guessing,
no-store, idle sessions, SQLite WAL and the deploy check."""
from __future__ import annotations

import asyncio
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

import goldenthread
from goldenthread.core import roles
from goldenthread.web.limits import BodySizeLimit, limited_web_request_class


def _run_in_a_fresh_loop(coroutine):
    """Run a coroutine on its own thread's event loop: the browser tests can leave one running on this thread."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

PACKAGE = Path(goldenthread.__file__).parent
BIG = 300 * 1024 * 1024


# --- Request size --------------------------------------------------------------------------------

def _run_asgi(app, path, headers, receive):
    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "headers": headers, "query_string": b""}
    _run_in_a_fresh_loop(app(scope, receive, send))
    return sent


class _Inner:
    def __init__(self):
        self.called = False
        self.body = b""

    async def __call__(self, scope, receive, send):
        self.called = True
        while True:
            message = await receive()
            self.body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize("path", ["/accounts/login/", "/workshops/join/"])
def test_a_300_mb_post_is_refused_with_413_before_any_of_it_is_read(path):
    inner, reads = _Inner(), []

    async def receive():
        reads.append(1)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

    sent = _run_asgi(BodySizeLimit(inner), path, [(b"content-length", str(BIG).encode())], receive)
    assert sent[0]["status"] == 413 and b"too large" in sent[1]["body"]
    assert reads == [] and not inner.called


def test_a_chunked_body_without_a_length_is_cut_off_just_past_the_limit(settings):
    settings.GOLDENTHREAD_MAX_REQUEST_BYTES = 1024 * 1024
    inner, reads = _Inner(), []

    async def receive():
        reads.append(1)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}  # never ends

    sent = _run_asgi(BodySizeLimit(inner), "/accounts/login/", [], receive)
    assert sent[0]["status"] == 413 and not inner.called
    assert len(reads) == 17  # 16 chunks make exactly 1 MB; the 17th is one too many


def test_a_small_body_reaches_the_application_whole():
    inner = _Inner()
    messages = iter([{"type": "http.request", "body": b"a=1&", "more_body": True},
                     {"type": "http.request", "body": b"b=2", "more_body": False}])

    async def receive():
        return next(messages)

    sent = _run_asgi(BodySizeLimit(inner), "/accounts/login/", [(b"content-length", b"7")], receive)
    assert sent[0]["status"] == 200 and inner.body == b"a=1&b=2"


def test_the_review_upload_page_keeps_its_own_larger_limit(settings):
    from goldenthread.web.limits import limit_for

    settings.GOLDENTHREAD_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    assert limit_for("/cycles/ashdown-2026/import/") > 20 * 1024 * 1024
    assert limit_for("/accounts/login/") == settings.GOLDENTHREAD_MAX_REQUEST_BYTES < 20 * 1024 * 1024


def test_the_served_asgi_application_refuses_a_huge_login_post_unread():
    from goldenthread.web.asgi import application

    async def receive():
        raise AssertionError("the body was read")

    sent = _run_asgi(application, "/accounts/login/", [(b"content-length", str(BIG).encode())], receive)
    assert sent[0]["status"] == 413


class _Server:
    def __init__(self):
        self.applications = 0

    def protocol_connected(self, protocol):
        pass

    def protocol_disconnected(self, protocol):
        pass

    def create_application(self, *args, **kwargs):
        self.applications += 1


def _daphne_channel():
    from twisted.internet.testing import StringTransport
    from twisted.web.http import HTTPChannel

    class Factory:
        server = _Server()

    channel = HTTPChannel()
    channel.requestFactory = limited_web_request_class()
    channel.factory = Factory
    transport = StringTransport()
    channel.makeConnection(transport)
    return channel, transport, Factory.server


def test_daphne_answers_413_and_hangs_up_when_the_declared_length_is_too_big():
    channel, transport, server = _daphne_channel()
    channel.dataReceived(b"POST /workshops/join/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Length: " + str(BIG).encode() + b"\r\n\r\n" + b"x" * 100_000)
    assert transport.value().startswith(b"HTTP/1.1 413")
    assert transport.disconnecting and server.applications == 0


def test_daphne_stops_a_chunked_body_once_it_passes_the_limit(settings):
    settings.GOLDENTHREAD_MAX_REQUEST_BYTES = 100_000
    channel, transport, server = _daphne_channel()
    channel.dataReceived(b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
    channel.dataReceived(chunk)
    assert transport.value() == b""
    channel.dataReceived(chunk)
    assert transport.value().startswith(b"HTTP/1.1 413") and transport.disconnecting


def test_goldenthread_serve_puts_the_limit_into_daphne():
    import daphne.http_protocol

    from goldenthread.web.limits import install_daphne_limits

    original = daphne.http_protocol.WebRequest
    try:
        install_daphne_limits()
        assert getattr(daphne.http_protocol.WebRequest, "gt_limited", False)
    finally:
        daphne.http_protocol.WebRequest = original


# --- Content-Security-Policy ---------------------------------------------------------------------

def test_every_page_has_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict((d.split(" ", 1) + [""])[:2] for d in (p.strip() for p in policy.split(";")) if d)
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and "unsafe" not in policy


# Standalone files people download and open from disk (no CSP there), so they carry their own <style>.
STANDALONE = {"reporting/full.html", "reporting/easy_read.html"}


def test_page_templates_have_no_inline_script_style_attribute_or_event_handler():
    problems = []
    for path in PACKAGE.rglob("templates/**/*.html"):  # every app's templates
        name = str(path).split("templates/", 1)[1]
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            problems.append(f"{name}: inline <script>")
        if re.search(r"\sstyle=", text):
            problems.append(f"{name}: style attribute")
        if re.search(r"\son[a-z]+\s*=", text):
            problems.append(f"{name}: on… handler")
        if "<style" in text and name not in STANDALONE:
            problems.append(f"{name}: <style> block")
    assert problems == []


# --- Sign-in lock-out ----------------------------------------------------------------------------

def test_five_wrong_passwords_lock_the_account_out_from_that_address_and_are_logged(client, make_user, caplog):
    make_user(roles.VIEWER, "vic")
    caplog.set_level(logging.INFO, logger="axes")
    for _ in range(5):
        client.post(reverse("login"), {"username": "vic", "password": "wrong"})
    r = client.post(reverse("login"), {"username": "vic", "password": "a-long-pass-phrase"})
    assert r.status_code == 429
    assert "Too many wrong passwords" in r.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("Locking out" in m for m in caplog.messages)
    assert any("New login failure" in m for m in caplog.messages)


def test_another_account_from_the_same_address_can_still_sign_in(client, make_user):
    make_user(roles.VIEWER, "vic")
    make_user(roles.COMMISSIONER, "cora")
    for _ in range(5):
        client.post(reverse("login"), {"username": "vic", "password": "wrong"})
    r = client.post(reverse("login"), {"username": "cora", "password": "a-long-pass-phrase"})
    assert r.status_code == 302 and "_auth_user_id" in client.session


# --- Workshop codes ------------------------------------------------------------------------------

@pytest.fixture
def a_workshop(cycle, make_user):
    from goldenthread.workshops.models import Workshop

    return Workshop.objects.create(cycle=cycle, name="May day", created_by=make_user(roles.FACILITATOR, "fran"))


def test_an_unknown_workshop_code_answers_exactly_like_a_known_one(client, a_workshop):
    known = client.get(f"/workshops/{a_workshop.code}/")
    unknown = client.get("/workshops/QQQQQQ/")
    assert known.status_code == unknown.status_code == 302
    assert known.url == f"/workshops/join/?code={a_workshop.code}"
    assert unknown.url == "/workshops/join/?code=QQQQQQ"


def test_guessing_codes_is_refused_after_the_limit_even_for_a_right_code(client, a_workshop, settings):
    settings.GOLDENTHREAD_CODE_GUESSES = 3
    for guess in ("AAAAAA", "BBBBBB"):
        assert client.post("/workshops/join/", {"code": guess, "name": "Sam", "group": "person"}).status_code == 200
    assert client.get("/workshops/CCCCCC/").status_code == 302
    r = client.post("/workshops/join/", {"code": a_workshop.code, "name": "Sam", "group": "person"})
    assert r.status_code == 429 and "Too many tries" in r.content.decode()
    assert client.get(f"/workshops/{a_workshop.code}/").status_code == 429


def test_delegates_who_join_with_the_right_code_use_up_no_tries(client, a_workshop, settings):
    settings.GOLDENTHREAD_CODE_GUESSES = 2
    for name in ("Sam", "Ali", "Jo", "Kim"):
        client.cookies.clear()
        r = client.post("/workshops/join/", {"code": a_workshop.code, "name": name, "group": "person"})
        assert r.status_code == 302
        assert client.get(f"/workshops/{a_workshop.code}/").status_code == 200


# --- Caching and sessions ------------------------------------------------------------------------

def test_pages_for_signed_in_people_and_the_api_are_never_stored(client, make_user):
    assert "no-store" not in client.get("/workshops/join/").get("Cache-Control", "")
    assert "no-store" in client.get("/api/reviews/1.json").get("Cache-Control", "")
    client.force_login(make_user(roles.VIEWER, "vic"))
    assert "no-store" in client.get(reverse("home"))["Cache-Control"]


def test_a_signed_in_session_ends_after_the_idle_time(client, make_user, settings):
    from goldenthread.web.security import LAST_SEEN_KEY

    settings.GOLDENTHREAD_SESSION_IDLE_SECONDS = 60
    client.force_login(make_user(roles.VIEWER, "vic"))
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 59
    session.save()
    assert client.get(reverse("home")).status_code == 200  # still within the idle time
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 61
    session.save()
    r = client.get(reverse("home"))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_a_file_database_runs_in_wal_mode_with_a_busy_timeout(tmp_path, db, settings):
    from django.db import connections
    from django.db.backends.sqlite3.base import DatabaseWrapper

    # The embedded default as settings.py configures it, whichever database this suite runs on.
    settings_dict = {**connections["default"].settings_dict, "ENGINE": "django.db.backends.sqlite3",
                     "NAME": str(tmp_path / "wal.sqlite3"), "OPTIONS": dict(settings.SQLITE_OPTIONS)}
    wrapper = DatabaseWrapper(settings_dict, alias="wal-check")
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
    finally:
        wrapper.close()


def test_check_deploy_is_clean_with_the_https_settings_on(tmp_path):
    env = {**os.environ, "GOLDENTHREAD_DATA_DIR": str(tmp_path), "PYTHONPATH": str(PACKAGE.parent),
           "GOLDENTHREAD_SECRET_KEY": "k" * 20 + "A-long-random-secret-for-this-test-only-9x7y5z3w1v",
           "GOLDENTHREAD_ALLOWED_HOSTS": "goldenthread.example.gov.uk", "GOLDENTHREAD_SECURE_COOKIES": "1",
           "GOLDENTHREAD_HSTS_SECONDS": "31536000", "GOLDENTHREAD_HSTS_INCLUDE_SUBDOMAINS": "1",
           "GOLDENTHREAD_HSTS_PRELOAD": "1", "GOLDENTHREAD_SSL_REDIRECT": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest for their live server only
    out = subprocess.run([sys.executable, str(PACKAGE.parent / "manage.py"), "check", "--deploy"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "System check identified no issues" in out.stdout, out.stdout + out.stderr
