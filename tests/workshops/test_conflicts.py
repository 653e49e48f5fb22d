"""Two people editing one text: an edit carries the version it started from (``base``), and a save that started
from an older version is refused with both texts (a Conflict), changing nothing, until the person chooses."""
from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.workshops import services as ops
from goldenthread.workshops.models import Delegate, Workshop


@pytest.fixture
def theme(workshop, fac_actor):
    card = workshop.cards.filter(kind="not_working").first()
    ops.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    ops.run(workshop.pk, fac_actor, "set_stage", {"stage": "naming"})
    return ops.main_board(workshop, "not_working").clusters.get()


@pytest.fixture
def kim(workshop):
    return ops.Actor("Kim", delegate_id=Delegate.objects.create(workshop=workshop, name="Kim", group="person").pk)


@pytest.fixture
def sam(workshop):
    return ops.Actor("Sam", delegate_id=Delegate.objects.create(workshop=workshop, name="Sam", group="family").pk)


def test_two_renames_from_the_same_base_the_second_gets_a_conflict_and_nothing_is_overwritten(workshop, theme, kim,
                                                                                                 sam):
    base = ops.name_base(theme)  # both opened the theme while it had no name
    ops.run(workshop.pk, kim, "rename_cluster", {"cluster": theme.pk, "name": "We want the same carers", "base": base})
    version = Workshop.objects.get(pk=workshop.pk).version
    with pytest.raises(ops.Conflict) as conflict:
        ops.run(workshop.pk, sam, "rename_cluster", {"cluster": theme.pk, "name": "Staff keep changing", "base": base})
    assert str(conflict.value).startswith("Kim saved “We want the same carers”; you wrote “Staff keep changing”.")
    assert conflict.value.theirs == {"name": "We want the same carers"}
    assert conflict.value.mine == {"name": "Staff keep changing"}
    theme.refresh_from_db()
    assert theme.name == "We want the same carers"
    assert Workshop.objects.get(pk=workshop.pk).version == version


def test_keeping_mine_resends_with_the_new_base_and_saves(workshop, theme, kim, sam):
    base = ops.name_base(theme)
    ops.run(workshop.pk, kim, "rename_cluster", {"cluster": theme.pk, "name": "We want the same carers", "base": base})
    with pytest.raises(ops.Conflict) as conflict:
        ops.run(workshop.pk, sam, "rename_cluster", {"cluster": theme.pk, "name": "Staff keep changing", "base": base})
    theme.refresh_from_db()
    assert conflict.value.base == ops.name_base(theme)
    ops.run(workshop.pk, sam, "rename_cluster",
            {"cluster": theme.pk, "name": "Staff keep changing", "base": conflict.value.base})
    theme.refresh_from_db()
    assert theme.name == "Staff keep changing"


def test_saving_what_is_saved_already_is_not_a_conflict_and_no_base_saves_as_before(workshop, theme, kim, sam):
    base = ops.name_base(theme)
    ops.run(workshop.pk, kim, "rename_cluster", {"cluster": theme.pk, "name": "We want the same carers", "base": base})
    ops.run(workshop.pk, sam, "rename_cluster", {"cluster": theme.pk, "name": "We want the same carers", "base": base})
    ops.run(workshop.pk, sam, "rename_cluster", {"cluster": theme.pk, "name": "Same carers"})
    theme.refresh_from_db()
    assert theme.name == "Same carers"


def test_notes_from_an_old_base_are_a_conflict_naming_both(workshop, fac_actor, kim):
    card = workshop.cards.filter(kind="working").first()
    ops.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    ops.run(workshop.pk, fac_actor, "set_stage", {"stage": "analysis"})
    garden = ops.main_board(workshop, "working").clusters.get()
    base = ops.notes_base(garden)
    ops.run(workshop.pk, fac_actor, "set_notes", {"cluster": garden.pk, "what_works": "Friends", "stories": "",
                                                  "base": base})
    with pytest.raises(ops.Conflict) as conflict:
        ops.run(workshop.pk, kim, "set_notes", {"cluster": garden.pk, "what_works": "Tuesdays", "stories": "",
                                                "base": base})
    assert "saved “Friends”; you wrote “Tuesdays”" in str(conflict.value)
    garden.refresh_from_db()
    assert garden.what_works == "Friends"


def test_an_action_changed_from_an_old_base_is_a_conflict_and_keeps_the_saved_one(workshop, fac_actor, theme):
    fields = {"stakeholder": "providers", "text": "Run a minibus", "themes": [theme.pk], "owner": "Ann",
              "measure": "Trips", "due": (dt.date.today() + dt.timedelta(days=30)).isoformat()}
    ops.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": theme.pk, "name": "I can't get home"})
    ops.run(workshop.pk, fac_actor, "add_action", fields)
    action = workshop.actions.get()
    base = ops.action_base(action)
    kim = ops.Actor("kim", is_facilitator=True)
    ops.run(workshop.pk, kim, "edit_action", {**fields, "action": action.pk, "text": "Run two minibuses",
                                              "base": base})
    with pytest.raises(ops.Conflict) as conflict:
        ops.run(workshop.pk, fac_actor, "edit_action", {**fields, "action": action.pk, "text": "Pay for taxis",
                                                        "base": base})
    assert str(conflict.value).startswith("kim saved “Run two minibuses”; you wrote “Pay for taxis”.")
    action.refresh_from_db()
    assert action.text == "Run two minibuses"


# --- the plain forms (no JavaScript) -------------------------------------------------------------------------

def _join(client, workshop, delegate):
    from goldenthread.workshops.access import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = {str(workshop.pk): delegate.delegate_id}
    session.save()


def test_a_name_form_posted_from_an_old_base_shows_both_names_and_keeps_the_typed_one(client, workshop, theme, kim,
                                                                                    sam):
    from django.urls import reverse

    base = ops.name_base(theme)
    ops.run(workshop.pk, kim, "rename_cluster", {"cluster": theme.pk, "name": "We want the same carers", "base": base})
    _join(client, workshop, sam)
    response = client.post(reverse("workshop:do", args=[workshop.code, "rename_cluster"]),
                           {"cluster": theme.pk, "name": "Staff keep changing", "base": base,
                            "next": reverse("workshop:theme", args=[workshop.code, theme.pk])})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Kim saved “We want the same carers”; you wrote “Staff keep changing”." in page
    assert 'value="Staff keep changing"' in page  # what was typed is still in the box
    theme.refresh_from_db()
    assert theme.name == "We want the same carers"
    assert f'name="base" value="{ops.name_base(theme)}"' in page  # "Keep mine" sends the version saved now
    assert "Keep mine" in page and "Keep theirs" in page
    # Forms on the page go back to the theme page, not to the change's address.
    assert f'name="next" value="{reverse("workshop:theme", args=[workshop.code, theme.pk])}"' in page

    client.post(reverse("workshop:do", args=[workshop.code, "rename_cluster"]),
                {"cluster": theme.pk, "name": "Staff keep changing", "base": ops.name_base(theme)})
    theme.refresh_from_db()
    assert theme.name == "Staff keep changing"


def test_notes_posted_from_an_old_base_show_both_and_keep_what_was_typed(client, workshop, fac_actor, kim):
    from django.urls import reverse

    card = workshop.cards.filter(kind="working").first()
    ops.run(workshop.pk, fac_actor, "call_card", {"card": card.pk, "cluster": "new"})
    ops.run(workshop.pk, fac_actor, "set_stage", {"stage": "naming"})
    garden = ops.main_board(workshop, "working").clusters.get()
    base = ops.notes_base(garden)
    ops.run(workshop.pk, fac_actor, "set_notes", {"cluster": garden.pk, "what_works": "Friends", "stories": "",
                                                  "base": base})
    _join(client, workshop, kim)
    response = client.post(reverse("workshop:do", args=[workshop.code, "set_notes"]),
                           {"cluster": garden.pk, "what_works": "Going on Tuesdays", "stories": "", "base": base})
    page = response.content.decode()
    assert response.status_code == 409 and "saved “Friends”; you wrote “Going on Tuesdays”" in page
    assert ">Going on Tuesdays</textarea>" in page


def test_an_action_edit_posted_from_an_old_base_shows_both_and_keeps_the_form(client, facilitator, workshop,
                                                                              fac_actor, theme):
    from django.urls import reverse

    ops.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": theme.pk, "name": "I can't get home"})
    due = dt.date.today() + dt.timedelta(days=30)
    fields = {"stakeholder": "providers", "text": "Run a minibus", "themes": [theme.pk], "owner": "Ann",
              "measure": "Trips", "due": due.isoformat()}
    ops.run(workshop.pk, fac_actor, "add_action", fields)
    action = workshop.actions.get()
    client.force_login(facilitator)
    edit = reverse("workshop:action_edit", args=[workshop.code, action.pk])
    base = ops.action_base(action)
    assert f'name="base" value="{base}"' in client.get(edit).content.decode()
    ops.run(workshop.pk, ops.Actor("Kim", True), "edit_action", {**fields, "action": action.pk,
                                                                "text": "Run two minibuses", "base": base})
    form = {"stakeholder": "providers", "text": "Pay for taxis", "themes": [theme.pk], "owner": "Ann",
            "measure": "Trips", "due_0": due.day, "due_1": due.month, "due_2": due.year, "base": base}
    response = client.post(edit, form)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Kim saved “Run two minibuses”; you wrote “Pay for taxis”." in page
    assert "Pay for taxis</textarea>" in page
    action.refresh_from_db()
    assert action.text == "Run two minibuses"
    response = client.post(edit, {**form, "base": ops.action_base(action)})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.text == "Pay for taxis"


def test_a_form_with_an_error_keeps_the_base_it_started_from(client, facilitator, workshop, fac_actor, theme):
    from django.urls import reverse

    ops.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": theme.pk, "name": "I can't get home"})
    ops.run(workshop.pk, fac_actor, "add_action", {"stakeholder": "providers", "text": "Run a minibus",
                                                   "themes": [theme.pk], "owner": "Ann", "measure": "Trips",
                                                   "due": "2030-01-01"})
    action = workshop.actions.get()
    client.force_login(facilitator)
    page = client.post(reverse("workshop:action_edit", args=[workshop.code, action.pk]),
                       {"text": "Half typed", "base": "started-here"}).content.decode()
    assert 'name="base" value="started-here"' in page and "There is a problem" in page
