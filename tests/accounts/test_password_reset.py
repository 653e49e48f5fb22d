"""Password reset by e-mail (Django's own views, GOV.UK pages): never says whether an address has an account,
limited per address, and only for accounts that sign in with a Golden Thread password."""
from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.core import mail


def _account(make_user, email="robin@council.example.gov.uk"):
    user = make_user("Viewer", username="robin")
    user.email = email
    user.save()
    return user


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)


def test_a_reset_link_is_emailed_and_sets_a_new_password(client, make_user):
    _account(make_user)
    page = client.get("/accounts/login/")
    assert b'href="/accounts/password-reset/"' in page.content
    response = client.post("/accounts/password-reset/", {"email": "Robin@Council.example.gov.uk"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["robin@council.example.gov.uk"]
    assert mail.outbox[0].subject == "Choose a new Golden Thread password"
    form = client.get(_link(mail.outbox[0]), follow=True)
    assert b"Choose a new password" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "a-brand-new-phrase-2026",
                                                    "new_password2": "a-brand-new-phrase-2026"})
    assert done["Location"] == "/accounts/reset/done/"
    assert b"Your password has been changed" in client.get(done["Location"]).content
    assert client.post("/accounts/login/", {"username": "robin", "password": "a-brand-new-phrase-2026"}).status_code == 302


def test_a_reset_link_works_once(client, make_user):
    _account(make_user)
    client.post("/accounts/password-reset/", {"email": "robin@council.example.gov.uk"})
    link = _link(mail.outbox[0])
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": "a-brand-new-phrase-2026",
                                             "new_password2": "a-brand-new-phrase-2026"})
    again = client.get(link, follow=True)
    assert b"This link does not work" in again.content and b"Ask for a new link" in again.content


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, make_user):
    _account(make_user)
    known = client.post("/accounts/password-reset/", {"email": "robin@council.example.gov.uk"})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@council.example.gov.uk"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    done = client.get(known["Location"]).content.decode()
    assert "If that address belongs to a Golden Thread account" in done


def test_a_council_account_gets_no_reset_email(client, make_user):
    user = _account(make_user)
    user.set_unusable_password()  # how council sign-in makes accounts
    user.save()
    response = client.post("/accounts/password-reset/", {"email": "robin@council.example.gov.uk"})
    assert response.status_code == 302 and mail.outbox == []


def test_reset_emails_are_limited_for_one_address(client, make_user, settings):
    _account(make_user)
    for _ in range(settings.GOLDENTHREAD_PASSWORD_RESETS + 3):
        response = client.post("/accounts/password-reset/", {"email": "robin@council.example.gov.uk"})
        assert response["Location"] == "/accounts/password-reset/sent/"  # the same answer every time
    assert len(mail.outbox) == settings.GOLDENTHREAD_PASSWORD_RESETS


def test_reset_emails_are_limited_from_one_client_address(client, make_user, settings):
    for n in range(settings.GOLDENTHREAD_PASSWORD_RESETS + 2):
        user = User.objects.create_user(f"user{n}", email=f"user{n}@council.example.gov.uk", password="x-long-phrase")
        client.post("/accounts/password-reset/", {"email": user.email})
    assert len(mail.outbox) == settings.GOLDENTHREAD_PASSWORD_RESETS


def test_a_badly_formed_address_is_shown_as_a_gov_uk_error(client, db):
    page = client.post("/accounts/password-reset/", {"email": "not an address"}).content.decode()
    assert 'class="govuk-error-summary"' in page and 'href="#id_email"' in page
    assert 'aria-describedby="id_email_error"' in page
