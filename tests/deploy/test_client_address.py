"""Issue 24: behind a reverse proxy, the lock-out and the code limit count the client's own address, and a
per-username rule stops many addresses guessing one password."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.core.clientip import resolve

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.GOLDENTHREAD_TRUSTED_PROXIES = [PROXY, "172.16.0.0/12"]
    return settings


def _from(client_address: str, *, forwarded: bool = True) -> Client:
    """A browser at ``client_address`` reaching the app through the proxy (or directly)."""
    if forwarded:
        return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)
    return Client(REMOTE_ADDR=client_address)


def _wrong_passwords(client, username, n):
    for _ in range(n):
        client.post(reverse("login"), {"username": username, "password": "wrong"})


def _signs_in(client, username) -> bool:
    r = client.post(reverse("login"), {"username": username, "password": "a-long-pass-phrase"})
    return r.status_code == 302 and "_auth_user_id" in client.session


def test_the_client_is_the_right_most_address_not_a_trusted_proxy(behind_proxy):
    assert resolve(PROXY, "203.0.113.5") == "203.0.113.5"
    assert resolve(PROXY, "198.51.100.66, 203.0.113.5") == "203.0.113.5"       # the left one was forged
    assert resolve(PROXY, "203.0.113.5, 172.18.0.3") == "203.0.113.5"          # two trusted hops
    assert resolve("::ffff:10.0.0.2", "203.0.113.5") == "203.0.113.5"


def test_a_forwarded_header_from_an_address_that_is_not_a_trusted_proxy_is_ignored(behind_proxy):
    assert resolve("198.51.100.7", "203.0.113.5") == "198.51.100.7"


def test_no_header_is_believed_when_no_proxy_is_configured(settings):
    settings.GOLDENTHREAD_TRUSTED_PROXIES = []
    assert resolve(PROXY, "203.0.113.5") == PROXY


def test_a_wrong_trusted_proxy_setting_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    from goldenthread.core.clientip import parse_trusted

    assert parse_trusted(" 10.0.0.2, 172.16.0.0/12 ,") == ["10.0.0.2", "172.16.0.0/12"]
    with pytest.raises(ImproperlyConfigured):
        parse_trusted("10.0.0.2,caddy")


def test_wrong_passwords_at_one_desk_behind_the_proxy_do_not_lock_the_user_out_at_another(behind_proxy, make_user):
    make_user(roles.VIEWER, "vic")
    _wrong_passwords(_from("203.0.113.5"), "vic", 5)
    assert not _signs_in(_from("203.0.113.5"), "vic")   # that desk is locked out
    assert _signs_in(_from("203.0.113.9"), "vic")       # the real user, elsewhere, is not


def test_many_addresses_guessing_one_username_lock_it_from_every_address(behind_proxy, make_user):
    behind_proxy.GOLDENTHREAD_LOGIN_FAILURES_PER_USERNAME = 12
    make_user(roles.VIEWER, "vic")
    for n in range(3):
        _wrong_passwords(_from(f"203.0.113.{n + 10}"), "vic", 4)  # never 5 from one address
    assert not _signs_in(_from("198.51.100.1"), "vic")


def test_one_address_alone_never_locks_a_user_out_everywhere(behind_proxy, make_user):
    behind_proxy.GOLDENTHREAD_LOGIN_FAILURES_PER_USERNAME = 12
    make_user(roles.VIEWER, "vic")
    _wrong_passwords(_from("203.0.113.5"), "vic", 40)  # locked there; its failures count 5 towards the username
    assert _signs_in(_from("203.0.113.9"), "vic")


@pytest.fixture
def a_workshop(cycle, make_user):
    from goldenthread.workshops.models import Workshop

    return Workshop.objects.create(cycle=cycle, name="May day", created_by=make_user(roles.FACILITATOR, "fran"))


def test_one_phone_guessing_codes_behind_the_venue_proxy_does_not_block_the_other_delegates(
        behind_proxy, a_workshop):
    behind_proxy.GOLDENTHREAD_CODE_GUESSES = 3
    guesser = _from("192.168.1.50")
    for guess in ("AAAAAA", "BBBBBB", "CCCCCC"):
        guesser.post("/workshops/join/", {"code": guess, "name": "Sam", "group": "person"})
    assert guesser.post("/workshops/join/", {"code": a_workshop.code, "name": "Sam",
                                             "group": "person"}).status_code == 429
    delegate = _from("192.168.1.51")
    r = delegate.post("/workshops/join/", {"code": a_workshop.code, "name": "Ola", "group": "person"})
    assert r.status_code == 302


def test_serve_turns_on_daphnes_proxy_headers_only_when_trusted_proxies_are_set(settings, monkeypatch):
    import daphne.http_protocol
    import daphne.ws_protocol

    from goldenthread.cli.server import daphne_command

    for module in (daphne.http_protocol, daphne.ws_protocol):
        monkeypatch.setattr(module, "parse_x_forwarded_for", module.parse_x_forwarded_for)
    monkeypatch.setattr(daphne.http_protocol, "WebRequest", daphne.http_protocol.WebRequest)
    settings.GOLDENTHREAD_TRUSTED_PROXIES = []
    assert "--proxy-headers" not in daphne_command("127.0.0.1", 8000)
    settings.GOLDENTHREAD_TRUSTED_PROXIES = [PROXY]
    assert "--proxy-headers" in daphne_command("127.0.0.1", 8000)


def test_daphnes_proxy_headers_believe_only_a_trusted_proxy_and_skip_a_forged_left_entry(behind_proxy):
    from twisted.web.http_headers import Headers

    from goldenthread.core.clientip import daphne_forwarded

    headers = Headers({b"X-Forwarded-For": [b"198.51.100.66, 203.0.113.5"], b"X-Forwarded-Proto": [b"https"]})
    assert daphne_forwarded(headers, original_addr=[PROXY, 5000], original_scheme="http") == \
        (["203.0.113.5", 0], "https")
    assert daphne_forwarded(headers, original_addr=["198.51.100.7", 5000], original_scheme="http") == \
        (["198.51.100.7", 5000], "http")
    ws = {b"x-forwarded-for": b"203.0.113.5"}
    assert daphne_forwarded(ws, original_addr=[PROXY, 5000])[0] == ["203.0.113.5", 0]


def test_a_request_made_in_code_has_no_address_rather_than_a_made_up_one(behind_proxy):
    from django.http import HttpRequest

    from goldenthread.core.clientip import client_ip

    assert client_ip(HttpRequest()) is None  # axes keeps addresses in an IP column (PostgreSQL refuses "unknown")


def test_a_username_longer_than_any_account_gets_the_sign_in_form_back_and_counts_towards_its_lockout(client, db):
    from axes.models import AccessAttempt

    long = "a" * 300
    for _ in range(2):
        r = client.post(reverse("login"), {"username": long, "password": "wrong"})
        assert r.status_code == 200  # the form again, never a server error (PostgreSQL refused 300 characters)
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "a" * 150 and attempt.failures_since_start == 2
