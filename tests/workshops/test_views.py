"""Every workshop page through Django's test client, so `make test-fast` covers each view without a browser.

Each test asserts what the page is for, not only that it answers: the card being
called, the board's clusters, a theme's reasons, an action saved from the form.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from goldenthread.workshops import services


@pytest.fixture
def themed(workshop, fac_actor):
    """The workshop with one not-working theme that has a reason, a success statement, an action and a share line."""
    card = workshop.cards.filter(kind="not_working").first()
    services.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    theme = services.main_board(workshop, "not_working").clusters.get()
    services.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": theme.pk, "name": "I can't get home at night"})
    services.run(workshop.pk, fac_actor, "add_cause", {"cluster": theme.pk, "text": "The last bus is at six"})
    services.run(workshop.pk, fac_actor, "add_success", {"cluster": theme.pk, "perspective": "people",
                                                         "text": "I get home safely after the club"})
    services.run(workshop.pk, fac_actor, "add_action", {
        "stakeholder": "providers", "text": "Run an evening minibus", "themes": [theme.pk], "owner": "Acorn",
        "measure": "Trips each week", "due": "2026-09-30"})
    services.run(workshop.pk, fac_actor, "add_share", {"audience": "The self-advocacy group", "what": "The themes",
                                                       "how": "A meeting", "due": "2026-07-01"})
    return workshop, theme


def due_in(days):
    """The action form's day, month and year boxes, filled with a date this many days from today."""
    date = dt.date.today() + dt.timedelta(days=days)
    return {"due_0": str(date.day), "due_1": str(date.month), "due_2": str(date.year)}


def url(name, workshop, *args):
    return reverse(f"workshop:{name}", args=[workshop.code, *args])


def test_the_workshop_list_shows_each_workshop(client, facilitator, workshop):
    client.force_login(facilitator)
    page = client.get(reverse("workshop:list")).content.decode()
    assert workshop.name in page and reverse("workshop:new") in page


def test_the_new_workshop_form_offers_the_cycles(client, facilitator, workshop_cycle):
    client.force_login(facilitator)
    page = client.get(reverse("workshop:new")).content.decode()
    assert workshop_cycle.name in page


def test_the_join_link_fills_in_the_code(client, workshop):
    page = client.get(reverse("workshop:join_code", args=[workshop.code])).content.decode()
    assert f'value="{workshop.code}"' in page


def test_someone_who_has_not_joined_is_sent_to_the_join_page(client, workshop):
    r = client.get(url("board", workshop, workshop.boards.first().pk))
    assert r.status_code == 302 and r.url == f"{reverse('workshop:join')}?code={workshop.code}"


def test_the_home_page_gives_the_join_link_and_the_boards(client, facilitator, workshop):
    client.force_login(facilitator)
    page = client.get(url("home", workshop)).content.decode()
    assert reverse("workshop:join_code", args=[workshop.code]) in page
    assert all(b.name in page for b in workshop.boards.all())


def test_the_card_call_shows_the_next_card_and_counts_down(client, facilitator, workshop, fac_actor):
    client.force_login(facilitator)
    first = workshop.cards.select_related("statement").first()
    total = workshop.cards.count()
    page = client.get(url("call", workshop)).content.decode()
    assert first.statement.card_text in page and f"{total} of {total} cards still to call" in page
    services.run(workshop.pk, fac_actor, "call_card", {"card": first.pk, "cluster": "new"})
    page = client.get(url("call", workshop)).content.decode()
    assert f'name="card" value="{first.pk}"' not in page and f"{total - 1} of {total} cards" in page


def test_the_projector_screen_shows_the_card_being_called_with_no_controls(client, facilitator, workshop, fac_actor):
    client.force_login(facilitator)
    card = workshop.cards.select_related("statement").first()
    page = client.get(url("screen", workshop)).content.decode()
    assert workshop.code in page and "joined so far" in page  # while people join: the code, large
    services.run(workshop.pk, fac_actor, "set_stage", {"stage": "card_call"})
    page = client.get(url("screen", workshop)).content.decode()
    assert card.statement.card_text in page and "<form" not in page and "<button" not in page


def test_a_board_shows_its_clusters_and_cards(client, facilitator, themed):
    workshop, theme = themed
    client.force_login(facilitator)
    page = client.get(url("board", workshop, theme.board_id)).content.decode()
    assert "I can&#x27;t get home at night" in page or "I can't get home at night" in page
    assert reverse("workshop:do", args=[workshop.code, "move_card"]) in page


def test_a_board_from_another_workshop_is_not_found(client, facilitator, workshop, workshop_cycle):
    other = services.create_workshop(workshop_cycle, "Another day", "all", facilitator)
    client.force_login(facilitator)
    assert client.get(url("board", workshop, other.boards.first().pk)).status_code == 404


def test_a_theme_page_shows_its_reasons_and_what_success_looks_like(client, facilitator, themed):
    workshop, theme = themed
    client.force_login(facilitator)
    page = client.get(url("theme", workshop, theme.pk)).content.decode()
    assert "The last bus is at six" in page and "I get home safely after the club" in page


def test_the_votes_page_lists_the_not_working_themes(client, facilitator, themed):
    workshop, theme = themed
    client.force_login(facilitator)
    page = client.get(url("votes", workshop)).content.decode()
    assert "get home at night" in page


def test_an_action_is_added_from_the_form(client, facilitator, themed):
    workshop, theme = themed
    client.force_login(facilitator)
    r = client.post(url("actions", workshop), {"stakeholder": "commissioners", "text": "Fund a later bus",
                                               "themes": [theme.pk], "owner": "Ashdown council",
                                               "measure": "Buses after six", **due_in(30)})
    assert r.status_code == 302 and workshop.actions.filter(text="Fund a later bus").exists()
    assert "Fund a later bus" in client.get(url("actions", workshop)).content.decode()


def test_an_action_without_a_theme_is_refused_with_the_reason(client, facilitator, themed):
    workshop, _ = themed
    client.force_login(facilitator)
    r = client.post(url("actions", workshop), {"stakeholder": "commissioners", "text": "Fund a later bus",
                                               "owner": "Ashdown council", "measure": "Buses", **due_in(30)})
    assert r.status_code == 200 and not workshop.actions.filter(text="Fund a later bus").exists()


def test_an_action_is_changed_from_its_edit_page(client, facilitator, themed):
    workshop, theme = themed
    action = workshop.actions.get()
    client.force_login(facilitator)
    assert "Run an evening minibus" in client.get(url("action_edit", workshop, action.pk)).content.decode()
    r = client.post(url("action_edit", workshop, action.pk), {
        "stakeholder": "providers", "text": "Run a late minibus", "themes": [theme.pk], "owner": "Acorn",
        "measure": "Trips each week", **due_in(45)})
    action.refresh_from_db()
    assert r.status_code == 302 and (action.text, action.due) == ("Run a late minibus", dt.date.today() + dt.timedelta(days=45))


def test_a_sharing_line_is_added_from_the_form(client, facilitator, themed):
    workshop, _ = themed
    client.force_login(facilitator)
    r = client.post(url("sharing", workshop), {"audience": "Family carers", "what": "The actions",
                                               "how": "A letter", **due_in(60)})
    assert r.status_code == 302 and workshop.sharing.filter(audience="Family carers").exists()
    assert "Family carers" in client.get(url("sharing", workshop)).content.decode()


@pytest.mark.parametrize("what", ["cause", "success", "action", "share"])
def test_removing_asks_first_and_names_the_thing(client, facilitator, themed, what):
    workshop, theme = themed
    obj = {"cause": lambda: theme.root_causes.get(), "success": lambda: theme.success.get(),
           "action": lambda: workshop.actions.get(), "share": lambda: workshop.sharing.get()}[what]()
    client.force_login(facilitator)
    page = client.get(url("remove", workshop, what, obj.pk)).content.decode()
    assert reverse("workshop:do", args=[workshop.code, f"remove_{what}"]) in page
    assert type(obj).objects.filter(pk=obj.pk).exists(), "asking does not remove anything"


def test_removing_an_unknown_kind_of_thing_is_not_found(client, facilitator, workshop):
    client.force_login(facilitator)
    assert client.get(url("remove", workshop, "workshop", workshop.pk)).status_code == 404


def test_an_unknown_change_is_not_found(client, facilitator, workshop):
    client.force_login(facilitator)
    assert client.post(url("do", workshop, "drop_tables"), {}).status_code == 404
