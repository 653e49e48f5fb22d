"""Workshop pages work as plain forms, without JavaScript."""
from __future__ import annotations

import re

from django.urls import reverse

from goldenthread.core import roles
from goldenthread.workshops.models import Workshop


def test_facilitator_sets_up_a_workshop_with_top_choices(client, facilitator, workshop_cycle):
    client.force_login(facilitator)
    r = client.post(reverse("workshop:new"), {"cycle": workshop_cycle.pk, "name": "May day", "cards_used": "top1"})
    w = Workshop.objects.get(name="May day")
    assert r.status_code == 302 and w.cards.count() == 6


def test_a_viewer_cannot_set_up_a_workshop(client, make_user):
    client.force_login(make_user(roles.VIEWER))
    assert client.get(reverse("workshop:new")).status_code == 403


def test_a_delegate_joins_with_the_code_and_no_account(client, workshop):
    assert client.get(reverse("workshop:home", args=[workshop.code])).url.startswith(reverse("workshop:join"))
    r = client.post(reverse("workshop:join"), {"code": workshop.code.lower(), "name": "Sam", "group": "person"})
    assert r.status_code == 302
    page = client.get(reverse("workshop:home", args=[workshop.code])).content.decode()
    assert "Sam: Person who uses services" in page
    assert "Change stage" not in page  # delegates do not control the day


def test_a_wrong_code_is_explained(client, workshop):
    r = client.post(reverse("workshop:join"), {"code": "ZZZZZZ", "name": "Sam", "group": "person"})
    assert "There is no workshop with that code" in r.content.decode()


def test_forms_make_changes_and_errors_are_shown(client, facilitator, workshop):
    client.force_login(facilitator)
    card = workshop.cards.first()
    back = reverse("workshop:call", args=[workshop.code])
    call_card = reverse("workshop:do", args=[workshop.code, "call_card"])
    r = client.post(call_card, {"card": card.pk, "cluster": "new", "next": back})
    assert r.url == back
    r = client.post(call_card, {"card": card.pk, "cluster": "new", "next": back},
                    follow=True)
    assert "has already been called" in r.content.decode()
    r = client.post(reverse("workshop:do", args=[workshop.code, "set_stage"]),
                    {"stage": "boards", "next": "https://evil.example/"})
    assert r.url == workshop.get_absolute_url()


def test_votes_stay_hidden_until_revealed(client, facilitator, workshop):
    from goldenthread.workshops import services as ops

    actor = ops.Actor("fran", True)
    card = workshop.cards.filter(kind="not_working").first()
    ops.run(workshop.pk, actor, "call_card", {"card": card.pk, "cluster": "new"})
    client.force_login(facilitator)
    page = client.get(reverse("workshop:votes", args=[workshop.code])).content.decode()
    assert "hidden until the facilitator" in page
    ops.run(workshop.pk, actor, "reveal_votes", {"revealed": "yes"})
    assert "Dots on each theme" in client.get(reverse("workshop:votes", args=[workshop.code])).content.decode()


def test_every_workshop_page_has_a_polite_place_for_the_live_presence_count(client, facilitator, workshop):
    client.force_login(facilitator)
    for url in (reverse("workshop:home", args=[workshop.code]),
                reverse("workshop:board", args=[workshop.code, workshop.boards.first().pk])):
        page = client.get(url).content.decode()
        assert page.count("data-presence") == 1
        tag = re.search(r"<p [^>]*data-presence[^>]*>", page).group(0)
        assert 'aria-live="polite"' in tag and 'aria-atomic="true"' in tag and " hidden" in tag
