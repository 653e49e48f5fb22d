"""Shared tenancies and family invitations are set up on pages, not in the admin site (issue 26, part 6).

A shared tenancy is made, and people added to it or taken out of it, by a provider manager of its service or an
administrator only; each change is in the audit log. The person or a family member is invited by e-mail: the link
works once until it expires, they choose their own password, and the account reads that one person's fund only.
"""
import datetime as dt
import re
from decimal import Decimal as D
from html import unescape

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from goldenthread.providers import services as s
from goldenthread.providers.models import FamilyInvitation, Fund, is_person_account
from tests.providers.test_setup_pages import PASSWORD, x  # noqa: F401  (the same people, funds and accounts)


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def shared(x, people):  # noqa: F811
    fund = Fund.objects.create(name="Elm Road shared tenancy", service=x["service"], starts_on=dt.date(2026, 10, 1),
                               weekly_hours=D("60"), hourly_rate=D("20"))
    fund.shared_by.add(people["Paul"], people["Ade"])
    return fund


def new_tenancy_post(everyone, **extra):
    data = {"name": "Oak Lane shared tenancy", "people": [everyone["Colin"].pk, everyone["Dev"].pk],
            "weekly_hours": "48", "hourly_rate": "21", "starts_on_0": "2", "starts_on_1": "11", "starts_on_2": "2026"}
    return {**data, **extra}


# --- shared tenancies ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["manager", "admin"])
def test_a_manager_of_the_service_sets_up_a_shared_tenancy_on_a_page(client, x, people, who):  # noqa: F811
    client.force_login(x["users"][who])
    response = client.post(reverse("providers:shared_new", args=[x["service"].pk]), new_tenancy_post(people))
    fund = Fund.objects.get(name="Oak Lane shared tenancy")
    assert response.status_code == 302
    assert fund.is_shared and set(fund.shared_by.values_list("name", flat=True)) == {"Colin", "Dev"}
    assert (fund.weekly_hours, fund.hourly_rate) == (D("48.00"), D("21.00"))
    assert LogEntry.objects.get_for_object(fund).exists()


@pytest.mark.parametrize("who", ["person", "brian", "stranger", "viewer", "other_manager"])
def test_everyone_else_is_refused_setting_up_or_changing_a_shared_tenancy(client, x, people, shared, who):  # noqa
    client.force_login(x["users"][who])
    assert client.post(reverse("providers:shared_new", args=[x["service"].pk]),
                       new_tenancy_post(people)).status_code == 403
    assert client.get(reverse("providers:shared_people", args=[shared.pk])).status_code == 403
    assert client.post(reverse("providers:shared_people", args=[shared.pk]),
                       {"person": people["Dev"].pk}).status_code == 403
    assert client.post(reverse("providers:shared_remove", args=[shared.pk, people["Paul"].pk])).status_code == 403
    assert set(shared.shared_by.values_list("name", flat=True)) == {"Paul", "Ade"}
    assert not Fund.objects.filter(name="Oak Lane shared tenancy").exists()


def test_the_services_refuse_a_manager_of_another_service_whatever_the_page_does(x, people, shared):  # noqa: F811
    with pytest.raises(s.FundError):
        s.add_to_shared(shared, people["Dev"], by=x["users"]["other_manager"])
    with pytest.raises(s.FundError):
        s.remove_from_shared(shared, people["Paul"], by=x["users"]["person"])
    with pytest.raises(s.FundError):
        s.open_shared_fund(x["service"], [people["Colin"], people["Dev"]], name="X", weekly_hours=1, weekly_money=0,
                           hourly_rate=1, starts_on=dt.date(2026, 11, 2), by=x["users"]["viewer"])


def test_adding_and_removing_someone_is_audited_with_who_did_it(client, x, people, shared):  # noqa: F811
    client.force_login(x["users"]["manager"])
    before = LogEntry.objects.get_for_object(shared).count()
    assert client.post(reverse("providers:shared_people", args=[shared.pk]),
                       {"person": people["Dev"].pk}).status_code == 302
    assert client.post(reverse("providers:shared_remove", args=[shared.pk, people["Paul"].pk])).status_code == 302
    assert set(shared.shared_by.values_list("name", flat=True)) == {"Ade", "Dev"}
    entries = LogEntry.objects.get_for_object(shared).order_by("pk")[before:]
    assert len(entries) == 2 and {e.actor for e in entries} == {x["users"]["manager"]}


def test_the_last_person_in_a_tenancy_cannot_be_removed(client, x, people, shared):  # noqa: F811
    client.force_login(x["users"]["manager"])
    client.post(reverse("providers:shared_remove", args=[shared.pk, people["Paul"].pk]))
    page = client.post(reverse("providers:shared_remove", args=[shared.pk, people["Ade"].pk]), follow=True)
    assert list(shared.shared_by.values_list("name", flat=True)) == ["Ade"]
    assert "Ade is the only person left in this tenancy" in text(page)


def test_a_tenancy_for_one_person_or_someone_from_another_service_is_refused_by_field(client, x, people):  # noqa
    from goldenthread.providers.models import SupportedPerson

    outsider = SupportedPerson.objects.create(ref="P-99", name="Omar", service=x["other_service"])
    client.force_login(x["users"]["manager"])
    url = reverse("providers:shared_new", args=[x["service"].pk])
    one = text(client.post(url, new_tenancy_post(people, people=[people["Colin"].pk])))
    assert "Choose at least two people" in one and 'href="#id_people_0"' in client.post(
        url, new_tenancy_post(people, people=[people["Colin"].pk])).content.decode()
    other = text(client.post(url, new_tenancy_post(people, people=[people["Colin"].pk, outsider.pk])))
    assert "Choose people supported by this service" in other
    assert not Fund.objects.filter(name="Oak Lane shared tenancy").exists()


def test_people_sharing_a_tenancy_read_it_and_its_page_links_who_shares_it_for_managers(client, x, people,  # noqa
                                                                                         shared):
    paul = User.objects.create_user("paul", password=PASSWORD)
    people["Paul"].people.add(paul)
    client.force_login(paul)
    page = client.get(reverse("providers:fund", args=[shared.pk]))
    assert page.status_code == 200 and "Change who shares it" not in text(page)
    client.force_login(x["users"]["manager"])
    assert "Change who shares it" in text(client.get(reverse("providers:fund", args=[shared.pk])))


# --- inviting family ----------------------------------------------------------------------------------------------

def invite(client, x, email="rose@example.org"):  # noqa: F811
    client.force_login(x["users"]["manager"])
    response = client.post(reverse("providers:accounts", args=[x["sally"].pk]), {"email": email})
    client.logout()
    return response


def link_in(message) -> str:
    return re.search(r"https?://\S+/providers/invitations/\S+/", message.body).group(0)


def test_inviting_family_sends_an_email_with_a_link_and_keeps_only_a_hash_of_its_token(client, x):  # noqa: F811
    assert invite(client, x).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rose@example.org"]
    link = link_in(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = FamilyInvitation.objects.get()
    assert "Sally" in mail.outbox[0].body and invitation.person == x["sally"]
    assert token not in invitation.token_hash and len(token) >= 40
    assert not User.objects.filter(username="rose@example.org").exists()  # no account until they accept


def test_a_family_member_sets_their_own_password_and_reads_only_that_persons_fund(client, x):  # noqa: F811
    invite(client, x)
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and "rose@example.org" in text(page)
    done = client.post(link, {"password1": "kettle-orchard-17", "password2": "kettle-orchard-17"})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    rose = User.objects.get(username="rose@example.org")
    assert is_person_account(rose) and list(rose.supported_as.all()) == [x["sally"]]
    assert not rose.is_staff and not rose.groups.exists()
    assert rose.check_password("kettle-orchard-17") and rose.is_active
    client.force_login(rose)
    assert client.get(reverse("providers:fund", args=[x["fund"].pk])).status_code == 200
    assert client.get(reverse("providers:fund", args=[x["brians"].pk])).status_code == 403
    assert client.get(reverse("providers:accounts", args=[x["sally"].pk])).status_code == 403
    assert FamilyInvitation.objects.get().account == rose


def test_an_invitation_link_works_once(client, x):  # noqa: F811
    invite(client, x)
    link = link_in(mail.outbox[0])
    client.post(link, {"password1": "kettle-orchard-17", "password2": "kettle-orchard-17"})
    again = client.get(link)
    assert again.status_code == 404 and "This invitation link does not work" in text(again)
    assert client.post(link, {"password1": "other-words-99", "password2": "other-words-99"}).status_code == 404
    assert User.objects.filter(username="rose@example.org").count() == 1


def test_an_expired_or_withdrawn_invitation_link_makes_no_account(client, x):  # noqa: F811
    invite(client, x)
    invitation = FamilyInvitation.objects.get()
    FamilyInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(link_in(mail.outbox[0])).status_code == 404
    invite(client, x, "ben@example.org")
    client.force_login(x["users"]["manager"])
    client.post(reverse("providers:invitation_withdraw", args=[x["sally"].pk, FamilyInvitation.objects.first().pk]))
    client.logout()
    link = link_in(mail.outbox[1])
    assert client.post(link, {"password1": "kettle-orchard-17", "password2": "kettle-orchard-17"}).status_code == 404
    assert not User.objects.filter(username__in=["rose@example.org", "ben@example.org"]).exists()


def test_choosing_a_password_names_each_problem_by_field_in_plain_words(client, x):  # noqa: F811
    invite(client, x)
    link = link_in(mail.outbox[0])
    empty = client.post(link, {})
    body = text(empty)
    assert "Enter a password" in body and "Type the password again" in body
    assert "This field is required" not in body
    differ = text(client.post(link, {"password1": "kettle-orchard-17", "password2": "kettle-orchard-18"}))
    assert "The passwords do not match" in differ
    assert not User.objects.filter(username="rose@example.org").exists()


@pytest.mark.parametrize("who", ["person", "brian", "stranger", "viewer", "other_manager"])
def test_only_the_persons_managers_can_invite_family(client, x, who):  # noqa: F811
    client.force_login(x["users"][who])
    assert client.post(reverse("providers:accounts", args=[x["sally"].pk]),
                       {"email": "rose@example.org"}).status_code == 403
    assert not mail.outbox and not FamilyInvitation.objects.exists()


def test_an_invitation_to_an_address_that_has_an_account_is_refused_on_the_field(client, x):  # noqa: F811
    User.objects.create_user("kim", email="kim@example.org", password=PASSWORD)
    client.force_login(x["users"]["manager"])
    page = client.post(reverse("providers:accounts", args=[x["sally"].pk]), {"email": "Kim@Example.org"})
    assert "There is already an account with this e-mail address" in text(page)
    assert 'href="#id_email"' in page.content.decode() and not mail.outbox
    bad = text(client.post(reverse("providers:accounts", args=[x["sally"].pk]), {"email": "not an address"}))
    assert "Enter an e-mail address in the correct format, like name@example.com" in bad
