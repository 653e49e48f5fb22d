"""Mistakes can be removed (after an "are you sure?" page) and actions changed; each is logged."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from goldenthread.workshops.models import RootCause
from goldenthread.workshops import services as ops


@pytest.fixture
def planned(workshop, fac_actor):
    card = workshop.cards.filter(kind="not_working").first()
    ops.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    theme = ops.main_board(workshop, "not_working").clusters.get()
    ops.run(workshop.pk, fac_actor, "add_cause", {"cluster": theme.pk, "text": "The last bus is at six"})
    top = RootCause.objects.get()
    ops.run(workshop.pk, fac_actor, "add_cause", {"cluster": theme.pk, "text": "The route was cut", "parent": top.pk})
    ops.run(workshop.pk, fac_actor, "add_success", {"cluster": theme.pk, "perspective": "people", "text": "I get home"})
    ops.run(workshop.pk, fac_actor, "add_action", {"stakeholder": "providers", "text": "Run a minibus",
                                                   "themes": [theme.pk], "owner": "Ann", "measure": "Trips",
                                                   "due": "2026-10-01"})
    ops.run(workshop.pk, fac_actor, "add_share", {"audience": "Everyone", "what": "The plan", "how": "A letter",
                                                  "due": "2026-07-01"})
    return theme


def test_each_kind_of_mistake_can_be_removed_and_is_logged(workshop, fac_actor, planned):
    top = RootCause.objects.get(parent=None)
    ops.run(workshop.pk, fac_actor, "remove_cause", {"cause": top.pk}, confirm=True)
    assert not RootCause.objects.exists()  # the reason under it goes too
    ops.run(workshop.pk, fac_actor, "remove_success", {"success": planned.success.get().pk}, confirm=True)
    ops.run(workshop.pk, fac_actor, "remove_action", {"action": workshop.actions.get().pk}, confirm=True)
    ops.run(workshop.pk, fac_actor, "remove_share", {"item": workshop.sharing.get().pk}, confirm=True)
    assert not planned.success.exists() and not workshop.actions.exists() and not workshop.sharing.exists()
    assert [c.summary for c in workshop.changes.exclude(op="call_card").order_by("id")] == [
        "Removed the reason “The last bus is at six” and the reasons under it",
        "Removed “I get home” from what success looks like",
        "Removed the action “Run a minibus”", "Removed telling Everyone from the sharing plan"]


def test_removing_something_from_another_workshop_is_refused(workshop, fac_actor, planned, workshop_cycle,
                                                             facilitator):
    other = ops.create_workshop(workshop_cycle, "Other", "all", facilitator)
    with pytest.raises(ops.OpError, match="not in this workshop"):
        ops.run(other.pk, fac_actor, "remove_action", {"action": workshop.actions.get().pk})
    assert workshop.actions.exists()


def test_an_action_can_be_changed_all_or_nothing(workshop, fac_actor, planned):
    action = workshop.actions.get()
    fields = {"action": action.pk, "stakeholder": "commissioners", "text": "Pay for a late bus",
              "themes": [planned.pk], "owner": "Bea", "measure": "People get home", "due": "2026-12-01"}
    with pytest.raises(ops.OpError, match="date"):
        ops.run(workshop.pk, fac_actor, "edit_action", {**fields, "due": "soon"})
    action.refresh_from_db()
    assert action.text == "Run a minibus"
    ops.run(workshop.pk, fac_actor, "edit_action", fields)
    action.refresh_from_db()
    assert (action.stakeholder, action.text, action.owner, str(action.due)) == (
        "commissioners", "Pay for a late bus", "Bea", "2026-12-01")
    assert workshop.changes.filter(op="edit_action").get().summary == "Changed the action “Pay for a late bus”"


def test_removing_asks_first_then_removes(client, facilitator, workshop, planned):
    client.force_login(facilitator)
    item = workshop.sharing.get()
    sharing = reverse("workshop:sharing", args=[workshop.code])
    link = reverse("workshop:remove", args=[workshop.code, "share", item.pk])
    assert link in client.get(sharing).content.decode()
    page = client.get(link, {"next": sharing}).content.decode()
    assert "Remove this sharing plan line?" in page and "Yes, remove it" in page and "No, keep it" in page
    assert workshop.sharing.exists()  # asking changes nothing
    response = client.post(reverse("workshop:do", args=[workshop.code, "remove_share"]), {"item": item.pk, "next": sharing,
                                                                                          "confirm": "yes"})
    assert response.url == sharing and not workshop.sharing.exists()
    assert client.get(reverse("workshop:remove", args=[workshop.code, "nonsense", 1])).status_code == 404


def test_the_edit_page_changes_an_action(client, facilitator, workshop, planned):
    client.force_login(facilitator)
    action = workshop.actions.get()
    url = reverse("workshop:action_edit", args=[workshop.code, action.pk])
    soon = dt.date.today() + dt.timedelta(days=30)  # the form's day, month and year boxes
    due = {"due_0": soon.day, "due_1": soon.month, "due_2": soon.year}
    assert "Run a minibus" in client.get(url).content.decode()
    bad = client.post(url, {"stakeholder": "providers", "text": "", "themes": [planned.pk], "owner": "Ann",
                            "measure": "Trips", **due})
    assert bad.status_code == 200 and "error-message" in bad.content.decode()
    client.post(url, {"stakeholder": "providers", "text": "Run two minibuses", "themes": [planned.pk],
                      "owner": "Ann", "measure": "Trips", **due})
    action.refresh_from_db()
    assert action.text == "Run two minibuses"
