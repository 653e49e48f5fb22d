"""Council sign-in: OpenID Connect through the local provider (tests/accounts/fake_idp.py), with Django's test
client going through mozilla-django-oidc's real views (state, nonce and PKCE checked) and our backend."""
from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from goldenthread.accounts import oidc

PERSON = dict(sub="0f3c-entra-object-id", preferred_username="Sam.Jones@Council.example.gov.uk",
              email="sam.jones@council.example.gov.uk", given_name="Sam", family_name="Jones")


def sign_in_through_the_provider(client: Client, provider, **person):
    """Press "Sign in with your council account", let the provider approve, follow it back. The last response."""
    provider.sign_in_as(**(PERSON | person))
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer + "/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlparse(at_provider.headers["Location"])
    assert back.path == "/oidc/callback/"
    return client.get(back.path, dict(parse_qs(back.query)))


def roles_of(username: str) -> set[str]:
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


def test_council_sign_in_is_off_until_it_is_set_up(client, db):
    page = client.get("/accounts/login/")
    assert b"Sign in with your council account" not in page.content and b'id="id_password"' in page.content
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_the_sign_in_page_offers_the_council_account_and_a_password(client, council_idp):
    page = client.get("/accounts/login/?next=/people/").content.decode()
    assert "Sign in with your council account" in page
    assert 'href="/oidc/authenticate/?next=/people/"' in page
    assert 'id="id_password"' in page and "I have forgotten my password" in page


def test_a_council_sign_in_makes_the_account_with_the_role_its_group_maps_to(client, council_idp):
    response = sign_in_through_the_provider(client, council_idp, groups=["gt-commissioners", "not-mapped"])
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="sam.jones@council.example.gov.uk")
    assert roles_of(user.username) == {"Commissioner"}
    assert (user.email, user.first_name, user.last_name) == ("sam.jones@council.example.gov.uk", "Sam", "Jones")
    assert not user.has_usable_password()
    home = client.get("/")
    assert home.status_code == 200 and b"sam.jones@council.example.gov.uk" in home.content
    assert b"0f3c-entra-object-id" not in home.content  # the provider's subject is never shown
    # The provider was asked for a code with the nonce and a PKCE challenge.
    asked = council_idp.authorize_requests[-1]
    assert asked["nonce"] and asked["code_challenge_method"] == "S256"


def test_the_page_asked_for_before_signing_in_is_where_the_council_sign_in_lands(client, council_idp):
    council_idp.sign_in_as(**PERSON, groups=["gt-facilitators"])
    start = client.get("/oidc/authenticate/?next=/people/")
    back = urlparse(requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"])
    response = client.get(back.path, dict(parse_qs(back.query)))
    assert response["Location"] == "/people/"


def test_roles_the_provider_no_longer_grants_are_taken_away_at_the_next_sign_in(client, council_idp):
    sign_in_through_the_provider(client, council_idp, groups=["gt-commissioners", "gt-admins"])
    username = "sam.jones@council.example.gov.uk"
    assert roles_of(username) == {"Commissioner", "Administrator"}
    User.objects.get(username=username).groups.add(Group.objects.create(name="Newsletter"))  # not a role: kept
    client.post("/accounts/logout/")
    sign_in_through_the_provider(client, council_idp, groups=["gt-facilitators"])
    assert roles_of(username) == {"Facilitator", "Newsletter"}
    assert client.get("/").status_code == 200


def test_someone_in_no_mapped_group_gets_no_role_and_the_no_access_page(client, council_idp):
    response = sign_in_through_the_provider(client, council_idp, groups=["everyone-at-the-council"])
    assert response.status_code == 302
    assert roles_of("sam.jones@council.example.gov.uk") == set()
    home = client.get("/")
    assert home.status_code == 403 and b"You do not have access yet" in home.content


def test_an_existing_account_with_the_same_username_becomes_the_council_account(client, council_idp, make_user):
    user = make_user("Viewer", username="sam.jones@council.example.gov.uk")
    sign_in_through_the_provider(client, council_idp, groups=["gt-facilitators"])
    assert User.objects.filter(username__iexact="sam.jones@council.example.gov.uk").count() == 1
    assert roles_of(user.username) == {"Facilitator"}  # the provider's groups decide, not the old role


def test_the_email_address_is_the_username_when_the_provider_sends_no_preferred_username(client, council_idp):
    council_idp.sign_in_as(sub="abc", email="Pat@Council.example.gov.uk", groups=["gt-facilitators"])
    start = client.get("/oidc/authenticate/")
    back = urlparse(requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"])
    client.get(back.path, dict(parse_qs(back.query)))
    assert roles_of("pat@council.example.gov.uk") == {"Facilitator"}


def test_an_email_address_the_provider_has_not_verified_is_refused(client, council_idp):
    response = sign_in_through_the_provider(client, council_idp, email_verified=False, groups=["gt-admins"])
    assert response.status_code == 302 and response["Location"] == "/accounts/council-sign-in/problem/"
    assert not User.objects.filter(username="sam.jones@council.example.gov.uk").exists()
    problem = client.get(response["Location"])
    assert b"We could not sign you in with your council account" in problem.content
    assert client.get("/").status_code == 302  # still signed out


def test_an_id_token_for_another_client_is_refused(client, council_idp):
    council_idp.id_token_extra = {"aud": "some-other-app"}
    response = sign_in_through_the_provider(client, council_idp, groups=["gt-admins"])
    assert response["Location"] == "/accounts/council-sign-in/problem/"
    assert not User.objects.filter(username="sam.jones@council.example.gov.uk").exists()


def test_an_id_token_from_another_issuer_is_refused(client, council_idp):
    council_idp.id_token_extra = {"iss": "https://login.example.com/another-tenant/v2.0"}
    response = sign_in_through_the_provider(client, council_idp, groups=["gt-admins"])
    assert response["Location"] == "/accounts/council-sign-in/problem/"
    assert not User.objects.filter(username="sam.jones@council.example.gov.uk").exists()


def test_an_id_token_with_another_nonce_is_refused(client, council_idp):
    council_idp.id_token_extra = {"nonce": "not-the-one-this-browser-was-given"}
    response = sign_in_through_the_provider(client, council_idp, groups=["gt-admins"])
    assert response.status_code == 400
    assert not User.objects.filter(username="sam.jones@council.example.gov.uk").exists()


def test_a_return_from_the_provider_with_a_state_this_browser_was_not_given_is_refused(client, council_idp):
    council_idp.sign_in_as(**PERSON, groups=["gt-admins"])
    start = client.get("/oidc/authenticate/")
    back = urlparse(requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"])
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    assert client.get(back.path, query | {"state": "forged"}).status_code == 400
    # Another browser (no state at all) that was handed the link is not signed in either.
    other = Client()
    assert other.get(back.path, query)["Location"] == "/accounts/council-sign-in/problem/"
    assert not User.objects.filter(username="sam.jones@council.example.gov.uk").exists()


def test_a_provider_that_does_not_answer_gives_the_problem_page_not_a_server_error(client, council_idp, settings):
    import socket

    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        settings.GOLDENTHREAD_OIDC_ISSUER = f"http://127.0.0.1:{closed.getsockname()[1]}"
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302 and response["Location"] == "/accounts/council-sign-in/problem/"
    assert b"did not answer" in client.get(response["Location"]).content


def test_refused_council_sign_ins_are_not_counted_as_wrong_passwords(client, council_idp, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in_through_the_provider(client, council_idp, email_verified=False)
    assert AccessAttempt.objects.count() == 0
    response = sign_in_through_the_provider(client, council_idp, groups=["gt-facilitators"])
    assert response["Location"] == "/" and client.get("/").status_code == 200


def test_the_sign_in_log_names_no_one(client, council_idp, caplog):
    with caplog.at_level(logging.INFO, logger="goldenthread.sign_in"):
        sign_in_through_the_provider(client, council_idp, groups=["gt-commissioners"])
        sign_in_through_the_provider(Client(), council_idp, email_verified=False)
    text = caplog.text.lower()
    user = User.objects.get(username="sam.jones@council.example.gov.uk")
    assert f"account {user.pk} made with roles commissioner" in text
    assert "not verified" in text
    for personal in ("sam", "jones", "council.example", "0f3c"):
        assert personal not in text


def test_passwords_still_work_beside_the_council_sign_in(client, council_idp, make_user):
    make_user("Viewer", username="small-council-user")
    response = client.post("/accounts/login/", {"username": "small-council-user", "password": "a-long-pass-phrase"})
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_with_passwords_off_the_form_is_gone_and_a_posted_password_is_refused(client, council_idp, settings,
                                                                              make_user):
    from django.contrib.auth import authenticate

    settings.GOLDENTHREAD_PASSWORD_SIGN_IN = False
    make_user("Administrator", username="old-admin")
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with your council account" in page
    assert 'id="id_password"' not in page and "forgotten my password" not in page
    response = client.post("/accounts/login/", {"username": "old-admin", "password": "a-long-pass-phrase"})
    assert response.status_code == 403 and client.get("/").status_code == 302
    # The admin's own sign-in page uses the same backends: refused there too.
    assert authenticate(client.request().wsgi_request, username="old-admin", password="a-long-pass-phrase") is None
    client.post("/admin/login/", {"username": "old-admin", "password": "a-long-pass-phrase"})
    assert client.get("/").status_code == 302
    assert client.get("/accounts/password-reset/").status_code == 404
    # The council account still signs in.
    assert sign_in_through_the_provider(client, council_idp, groups=["gt-admins"])["Location"] == "/"


def test_the_role_map_names_only_real_roles():
    assert oidc.parse_role_map("a=Commissioner; b=Facilitator ;a=Viewer;") == {
        "a": {"Commissioner", "Viewer"}, "b": {"Facilitator"}}
    # Entra ID group object IDs and names with '=' in them keep the last '=' as the separator.
    assert oidc.parse_role_map("x=y=Viewer") == {"x=y": {"Viewer"}}
    with pytest.raises(ImproperlyConfigured, match="not a role"):
        oidc.parse_role_map("g=Superhero")
    with pytest.raises(ImproperlyConfigured):
        oidc.parse_role_map("no-separator")


def test_a_half_set_up_council_sign_in_stops_the_server(settings):
    settings.OIDC_RP_CLIENT_ID = "an-app"
    settings.GOLDENTHREAD_OIDC_ISSUER = ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    settings.GOLDENTHREAD_OIDC_ROLE_MAP = "g=Superhero"
    ids = {e.id for e in oidc.check_configuration()}
    assert ids == {"goldenthread.accounts.E001", "goldenthread.accounts.E002"}
    settings.OIDC_RP_CLIENT_ID = ""
    settings.GOLDENTHREAD_OIDC_ROLE_MAP = ""
    settings.GOLDENTHREAD_PASSWORD_SIGN_IN = False
    assert {e.id for e in oidc.check_configuration()} == {"goldenthread.accounts.E003"}
