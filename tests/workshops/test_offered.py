"""Every page offers only what the server would accept: for each stage and each role, every workshop page is
rendered and every form on it names its operation (its action ``/do/<op>/``, or ``data-op`` for a form that
posts to its own page); each such operation must be one :func:`rules.allowed_ops` allows that person now."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.workshops import rules
from goldenthread.workshops import services as ops
from goldenthread.workshops.access import SESSION_KEY
from goldenthread.workshops.models import Delegate, Stage, Workshop


class Forms(HTMLParser):
    """The POST forms on a page, as (action, data-op) pairs."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append((attrs.get("action") or "", attrs.get("data-op")))


def ops_offered(html: str, code: str) -> list[str]:
    parser = Forms()
    parser.feed(html)
    found = []
    for action, data_op in parser.forms:
        if action == reverse("logout"):
            continue
        match = re.fullmatch(rf"/workshops/{code}/do/(\w+)/", action)
        op = data_op or (match and match.group(1))
        assert op, f"a form posting to {action!r} does not say which change it makes"
        found.append(op)
    return found


@pytest.fixture
def day(workshop, fac_actor):
    """Every kind of thing on every page: clusters on each board, a named theme with a reason and a success
    statement, notes on a working theme, an action, a sharing line, a pre-cluster board, one card still to call."""
    ops.run(workshop.pk, fac_actor, "set_stage", {"stage": "card_call"})
    cards = list(workshop.cards.order_by("order"))
    for card in cards[:-1]:
        ops.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    theme = ops.main_board(workshop, "not_working").clusters.first()
    working = ops.main_board(workshop, "working").clusters.first()
    ops.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": theme.pk, "name": "I can't get home"})
    ops.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": working.pk, "name": "I love the allotment"})
    ops.run(workshop.pk, fac_actor, "set_notes", {"cluster": working.pk, "what_works": "Friends", "stories": "Tuesdays"})
    ops.run(workshop.pk, fac_actor, "add_cause", {"cluster": theme.pk, "text": "The last bus is at six"})
    ops.run(workshop.pk, fac_actor, "add_success", {"cluster": theme.pk, "perspective": "people", "text": "I get home"})
    ops.run(workshop.pk, fac_actor, "add_action", {"stakeholder": "providers", "text": "Run a minibus",
                                                   "themes": [theme.pk], "owner": "Ann", "measure": "Trips",
                                                   "due": "2030-10-01"})
    ops.run(workshop.pk, fac_actor, "add_share", {"audience": "The group", "what": "The themes", "how": "A letter",
                                                  "due": "2030-07-01"})
    ops.run(workshop.pk, fac_actor, "add_board", {"kind": "not_working"})
    sam = Delegate.objects.create(workshop=workshop, name="Sam", group="person")
    return theme, working, sam


def pages(w, theme, working):
    code = w.code
    action, share = w.actions.get(), w.sharing.get()
    cause, success = theme.root_causes.get(), theme.success.get()
    urls = [reverse(f"workshop:{name}", args=[code]) for name in ("home", "call", "votes", "actions", "sharing")]
    urls += [reverse("workshop:board", args=[code, b.pk]) for b in w.boards.all()]
    urls += [reverse("workshop:theme", args=[code, c.pk]) for c in (theme, working)]
    urls += [reverse("workshop:action_edit", args=[code, action.pk]),
             reverse("workshop:place_rest", args=[code, "not_working"])]
    urls += [reverse("workshop:remove", args=[code, what, pk]) for what, pk in
             (("cause", cause.pk), ("success", success.pk), ("action", action.pk), ("share", share.pk))]
    return urls


def test_no_page_offers_a_form_the_server_would_refuse_at_any_stage_for_either_role(workshop, facilitator, day):
    theme, working, sam = day
    fac_client, sam_client = Client(), Client()
    fac_client.force_login(facilitator)
    session = sam_client.session
    session[SESSION_KEY] = {str(workshop.pk): sam.pk}
    session.save()
    people = {rules.FACILITATOR: (fac_client, ops.Actor("fran", True)),
              rules.DELEGATE: (sam_client, ops.Actor("Sam", delegate_id=sam.pk))}
    seen = set()
    for stage in Stage.values:
        Workshop.objects.filter(pk=workshop.pk).update(stage=stage)
        workshop.refresh_from_db()
        for role, (client, actor) in people.items():
            allowed = rules.allowed_ops(actor, workshop)
            for url in pages(workshop, theme, working):
                response = client.get(url)
                if response.status_code != 200:
                    assert response.status_code in (302, 403), (url, role, stage, response.status_code)
                    continue
                for op in ops_offered(response.content.decode(), workshop.code):
                    assert op in allowed, f"{url} offers {op} to the {role} at {stage}: {rules.refusal(actor, op, stage)}"
                    seen.add((op, role))
    # The test saw the forms it is about: each kind of change is offered somewhere, to whoever may make it.
    for op in ("rename_cluster", "set_notes", "add_cause", "add_success", "vote", "add_action", "add_share",
               "move_card", "call_card"):
        assert (op, rules.DELEGATE) in seen or op == "call_card", op
        assert (op, rules.FACILITATOR) in seen, op
    for op in ("edit_action", "set_action_status", "set_share_status", "remove_action", "undo_change"):
        assert (op, rules.FACILITATOR) in seen and (op, rules.DELEGATE) not in seen, op


def _as_delegate(client, workshop, delegate):
    session = client.session
    session[SESSION_KEY] = {str(workshop.pk): delegate.pk}
    session.save()


def test_delegates_get_no_status_or_update_controls_on_actions_and_sharing_lines(client, workshop, day):
    _, _, sam = day
    _as_delegate(client, workshop, sam)
    for stage in ("actions", "sharing"):
        Workshop.objects.filter(pk=workshop.pk).update(stage=stage)
        for name in ("actions", "sharing"):
            page = client.get(reverse(f"workshop:{name}", args=[workshop.code])).content.decode()
            assert "Update<span" not in page and 'name="status"' not in page


def test_at_the_voting_stage_a_delegate_is_not_offered_the_name_form_and_is_told_why(client, workshop, day):
    theme, _, sam = day
    _as_delegate(client, workshop, sam)
    Workshop.objects.filter(pk=workshop.pk).update(stage="analysis")
    page = client.get(reverse("workshop:theme", args=[workshop.code, theme.pk])).content.decode()
    assert 'name="name"' not in page
    assert "Naming themes happens during Clustering on boards or Naming themes." in page


def test_after_voting_closes_the_votes_page_says_so_and_what_stage_it_is(client, workshop, day):
    _, _, sam = day
    _as_delegate(client, workshop, sam)
    Workshop.objects.filter(pk=workshop.pk).update(stage="actions")
    page = client.get(reverse("workshop:votes", args=[workshop.code])).content.decode()
    assert "Voting has closed. The workshop is at “Action plans” now" in page
    assert "not open yet" not in page
    Workshop.objects.filter(pk=workshop.pk).update(stage="naming")
    page = client.get(reverse("workshop:votes", args=[workshop.code])).content.decode()
    assert "Voting is not open yet" in page and "The workshop is at “Naming themes” now" in page


def test_a_refused_plain_form_says_back_what_was_typed(client, workshop, day):
    theme, _, sam = day
    _as_delegate(client, workshop, sam)
    Workshop.objects.filter(pk=workshop.pk).update(stage="analysis")
    page = client.post(reverse("workshop:do", args=[workshop.code, "rename_cluster"]),
                       {"cluster": theme.pk, "name": "We want the same carers",
                        "next": reverse("workshop:theme", args=[workshop.code, theme.pk])}, follow=True)
    text = page.content.decode()
    assert "Naming themes happens during" in text and "Not saved: “We want the same carers”." in text
