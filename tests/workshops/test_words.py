"""What the workshop pages say: plain-English form errors, day/month/year dates, plurals, clusters in words."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from goldenthread.workshops import services
from goldenthread.workshops.forms import ActionForm, ShareForm


def url(name, workshop, *args):
    return reverse(f"workshop:{name}", args=[workshop.code, *args])


def test_an_empty_action_form_says_what_to_enter_not_this_field_is_required(workshop):
    form = ActionForm(workshop, {})
    assert not form.is_valid()
    messages = [e for errs in form.errors.values() for e in errs]
    assert "Enter what will be done" in messages and "Enter the due date" in messages
    assert not any("This field is required" in m for m in messages)


@pytest.mark.parametrize("parts, message", [
    (("", "3", "2030"), "The due date must include a day"),
    (("31", "2", "2030"), "The due date must be a real date"),
    (("1", "x", "2030"), "The due date must be numbers"),
    (("1", "1", "2020"), "The due date must be today or in the future"),
])
def test_a_bad_due_date_is_refused_naming_the_problem(workshop, parts, message):
    data = {"due_0": parts[0], "due_1": parts[1], "due_2": parts[2]}
    form = ShareForm({"audience": "Carers", "what": "The themes", "how": "A letter", **data})
    assert not form.is_valid()
    assert any(e.startswith(message.replace("The due date", "The date to tell them by"))
               for e in form.errors["due"]) or any(e.startswith(message) for e in form.errors["due"])


def test_an_old_action_keeps_its_past_due_date_when_edited(workshop):
    old = dt.date(2020, 5, 1)
    form = ActionForm(workshop, {"due_0": "1", "due_1": "5", "due_2": "2020"}, initial={"due": old})
    form.is_valid()
    assert "due" not in form.errors


def test_the_action_page_shows_an_error_summary_linking_to_the_day_box(client, facilitator, workshop):
    client.force_login(facilitator)
    page = client.post(url("actions", workshop), {"stakeholder": "providers"}).content.decode()
    assert "There is a problem" in page and 'href="#id_due_0"' in page and "Enter the due date" in page
    assert 'id="id_due_0"' in page and ">Day</label>" in page and ">Year</label>" in page


def test_the_card_call_names_clusters_by_their_first_card_not_a_number(client, facilitator, workshop, fac_actor):
    card = workshop.cards.first()  # a working card; the next card called is working too
    services.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    client.force_login(facilitator)
    page = client.get(url("call", workshop)).content.decode()
    first_words = escape(" ".join(card.statement.card_text.split()[:4]))
    assert f"Put it with the cards that start “{first_words}" in page
    assert "Cluster 1" not in page and "% alike" not in page


def test_one_voter_is_one_person_not_one_people(client, facilitator, workshop, fac_actor):
    card = workshop.cards.filter(kind="not_working").first()
    services.run(workshop.pk, fac_actor, "set_stage", {"stage": "card_call"})
    services.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    theme = services.main_board(workshop, "not_working").clusters.get()
    services.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": theme.pk, "name": "I cannot get home"})
    sam, _ = services.join(workshop.pk, "Sam", "person")
    services.run(workshop.pk, fac_actor, "set_stage", {"stage": "analysis"})  # voting opens here, on named themes
    services.run(workshop.pk, fac_actor, "vote", {"cluster": theme.pk, "dots": 1, "delegate": sam.pk})
    client.force_login(facilitator)
    page = client.get(url("votes", workshop)).content.decode()
    assert "1 person has voted so far" in page


def test_a_move_comes_back_to_the_moved_card_saying_where_it_went(client, facilitator, workshop, fac_actor):
    cards = list(workshop.cards.filter(kind="not_working")[:2])
    for card in cards:
        services.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    board = services.main_board(workshop, "not_working")
    target = board.clusters.get(placements__card=cards[0])
    services.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": target.pk, "name": "We cannot get home"})
    client.force_login(facilitator)
    board_url = url("board", workshop, board.pk)
    page = client.get(board_url).content.decode()
    assert f'value="{board_url}?moved={cards[1].pk}#card-{cards[1].pk}"' in page
    r = client.post(url("do", workshop, "move_card"), {"card": cards[1].pk, "board": board.pk, "cluster": target.pk,
                                                       "next": f"{board_url}?moved={cards[1].pk}#card-{cards[1].pk}"})
    assert r.status_code == 302 and r["Location"].endswith(f"#card-{cards[1].pk}")
    page = client.get(r["Location"]).content.decode()
    code = cards[1].statement.card_code
    assert f"Card {code} is now in “We cannot get home”." in page and f'id="card-{cards[1].pk}"' in page


def test_a_missing_page_is_styled_with_a_link_home(client, facilitator):
    client.force_login(facilitator)
    r = client.get("/cycles/nope/")
    assert r.status_code == 404
    page = r.content.decode()
    assert "Page not found" in page and 'href="/"' in page and "app.css" in page


def test_the_sign_in_page_offers_to_join_a_workshop(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("workshop:join")}"' in page and "Join a workshop" in page
