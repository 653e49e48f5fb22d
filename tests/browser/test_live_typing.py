"""Typing while the room changes things: a live update never takes away what a delegate is writing, and two
people saving one theme's name see each other's. Two browser contexts (the facilitator and a delegate's phone)."""
from __future__ import annotations

from playwright.sync_api import expect

from goldenthread.demo import DEMO_PASSWORD
from tests.browser.helpers import axe_check, sign_in, wait_live
from tests.browser.test_workshop import busy_workshop, demo_workshop, move  # noqa: F401  (fixtures)

MARK = "document.querySelector('[data-live] h1').dataset.old = 'yes'"
REFRESHED = "!document.querySelector('[data-live] h1').dataset.old"


def stage(w, value):
    from goldenthread.workshops import services as ops

    ops.run(w.pk, ops.Actor("facilitator", is_facilitator=True), "set_stage", {"stage": value})


def phone_of(browser, base, w, name, width=390):
    page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(f"{base}/workshops/join/{w.code}/")
    page.get_by_label("Your first name or a nickname").fill(name)
    page.get_by_label("Person who uses services").check()
    page.get_by_role("button", name="Join").click()
    wait_live(page)
    return page


def facilitator_of(browser, base):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, base, "facilitator", DEMO_PASSWORD)
    return page


def clusters(w):
    board = w.boards.get(kind="not_working", is_main=True)
    return board, list(board.clusters.order_by("position"))


def someone_moves_a_card(fac, base, w):
    board, cs = clusters(w)
    fac.goto(f"{base}/workshops/{w.code}/boards/{board.pk}/")
    move(fac, cs[-1].placements.first().card.statement.card_code, "A new cluster")
    fac.wait_for_load_state()


def someone_renames(fac, base, w, cluster, name):
    fac.goto(f"{base}/workshops/{w.code}/themes/{cluster.pk}/")
    fac.get_by_label("Theme name").fill(name)
    fac.get_by_role("button", name="Save the name").click()
    fac.wait_for_load_state()


def still_typing(phone, field_id, text):
    assert phone.evaluate("document.activeElement.id") == field_id
    assert phone.evaluate(f"document.getElementById('{field_id}').value") == text
    assert phone.evaluate(f"document.getElementById('{field_id}').selectionStart") == len(text)


def test_a_half_typed_theme_name_keeps_its_text_focus_and_caret_when_someone_moves_a_card(browser, daphne_url,
                                                                                          busy_workshop):
    w = busy_workshop
    stage(w, "naming")
    _, (theme, other, *_) = clusters(w)
    fac = facilitator_of(browser, daphne_url)
    phone = phone_of(browser, daphne_url, w, "Kim")
    phone.goto(f"{daphne_url}/workshops/{w.code}/themes/{other.pk}/")
    wait_live(phone)
    phone.get_by_label("Theme name").fill("We want the same ca")
    phone.evaluate(MARK)
    someone_moves_a_card(fac, daphne_url, w)
    phone.wait_for_function(REFRESHED, timeout=5000)  # the page around the form was replaced
    still_typing(phone, "theme-name", "We want the same ca")
    phone.keyboard.type("rers")
    phone.get_by_role("button", name="Save the name").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("We want the same carers")


def test_a_half_typed_why_survives_another_theme_being_renamed(browser, daphne_url, busy_workshop):
    w = busy_workshop
    stage(w, "analysis")
    _, (theme, other, *_) = clusters(w)
    fac = facilitator_of(browser, daphne_url)
    phone = phone_of(browser, daphne_url, w, "Kim")
    phone.goto(f"{daphne_url}/workshops/{w.code}/themes/{theme.pk}/")
    wait_live(phone)
    phone.locator("#why-top").fill("Because nob")
    phone.evaluate(MARK)
    someone_renames(fac, daphne_url, w, other, "We never see the same staff")
    phone.wait_for_function(REFRESHED, timeout=5000)
    still_typing(phone, "why-top", "Because nob")
    phone.keyboard.type("ody asked us")
    phone.get_by_role("button", name="Add a reason", exact=True).click()
    expect(phone.get_by_text("Because: Because nobody asked us")).to_be_visible()


def test_an_action_form_showing_an_error_keeps_the_error_and_the_typing_through_a_live_update(
        browser, daphne_url, busy_workshop):
    w = busy_workshop
    stage(w, "actions")
    fac = facilitator_of(browser, daphne_url)
    phone = phone_of(browser, daphne_url, w, "Kim")
    phone.goto(f"{daphne_url}/workshops/{w.code}/actions/")
    wait_live(phone)
    phone.get_by_role("button", name="Add the action").click()
    expect(phone.get_by_text("There is a problem")).to_be_visible()
    wait_live(phone)
    phone.get_by_label("What will be done").fill("Meet people at the cen")
    phone.evaluate(MARK)
    someone_moves_a_card(fac, daphne_url, w)
    phone.wait_for_function(REFRESHED, timeout=5000)
    expect(phone.get_by_text("There is a problem")).to_be_visible()
    still_typing(phone, "id_text", "Meet people at the cen")


def test_two_people_name_one_theme_and_the_second_is_shown_both_names_and_chooses(browser, daphne_url,
                                                                                 busy_workshop):
    w = busy_workshop
    stage(w, "naming")
    _, (theme, other, *_) = clusters(w)
    fac = facilitator_of(browser, daphne_url)
    phone = phone_of(browser, daphne_url, w, "Kim")
    for page in (fac, phone):
        page.goto(f"{daphne_url}/workshops/{w.code}/themes/{other.pk}/")
        wait_live(page)
    phone.get_by_label("Theme name").fill("Staff keep changing")
    fac.get_by_label("Theme name").fill("We want the same carers")
    fac.get_by_role("button", name="Save the name").click()
    # Kim's form stays as she typed it, and says what changed under it.
    note = phone.locator("[data-changed-note]")
    expect(note).to_contain_text("Someone changed this theme — see their change: “We want the same carers”")
    still_typing(phone, "theme-name", "Staff keep changing")
    phone.get_by_role("button", name="Save the name").click()
    expect(phone.get_by_role("alert")).to_contain_text(
        "facilitator saved “We want the same carers”; you wrote “Staff keep changing”.")
    assert phone.get_by_label("Theme name").input_value() == "Staff keep changing"
    other.refresh_from_db()
    assert other.name == "We want the same carers"
    phone.get_by_role("button", name="Keep mine").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Staff keep changing")
    other.refresh_from_db()
    assert other.name == "Staff keep changing"


def test_a_name_being_typed_when_naming_closes_is_kept_to_copy_and_cannot_be_sent_to_be_refused(
        browser, daphne_url, busy_workshop):
    w = busy_workshop
    stage(w, "naming")
    _, (theme, other, *_) = clusters(w)
    fac = facilitator_of(browser, daphne_url)
    fac.goto(f"{daphne_url}/workshops/{w.code}/")
    phone = phone_of(browser, daphne_url, w, "Kim")
    phone.goto(f"{daphne_url}/workshops/{w.code}/themes/{other.pk}/")
    wait_live(phone)
    phone.get_by_label("Theme name").fill("We want the same ca")
    fac.get_by_label("Stage everyone is on").select_option(label="Analysis and voting")
    fac.get_by_role("button", name="Change stage").click()
    expect(phone.locator("[data-gone-note]")).to_contain_text("This can no longer be saved here")
    expect(phone.get_by_text("Naming themes happens during")).to_be_visible()  # the new page, around the form
    assert phone.get_by_label("Theme name").input_value() == "We want the same ca"
    assert phone.get_by_role("button", name="Save the name").is_disabled()


def test_the_changed_pages_have_no_serious_axe_violations_at_320_390_and_1280(browser, daphne_url, busy_workshop):
    from goldenthread.workshops import services as ops

    w = busy_workshop
    _, (theme, *_) = clusters(w)
    fac_actor = ops.Actor("facilitator", is_facilitator=True)
    action = w.actions.first()
    for width in (320, 390, 1280):
        stage(w, "naming")
        phone = phone_of(browser, daphne_url, w, f"Kim {width}", width=width)
        fac = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        sign_in(fac, daphne_url, "facilitator", DEMO_PASSWORD)
        phone.goto(f"{daphne_url}/workshops/{w.code}/themes/{theme.pk}/")
        phone.get_by_label("Theme name").fill(f"Mine at {width}")
        ops.run(w.pk, fac_actor, "rename_cluster", {"cluster": theme.pk, "name": f"Theirs at {width}"})
        phone.get_by_role("button", name="Save the name").click()
        expect(phone.get_by_role("alert")).to_contain_text(f"you wrote “Mine at {width}”")
        axe_check(phone)  # the conflict, both names and the choice
        fac.goto(f"{daphne_url}/workshops/{w.code}/actions/{action.pk}/edit/")
        fac.get_by_label("What will be done").fill(f"Ours at {width}")
        ops.run(w.pk, fac_actor, "edit_action", {"action": action.pk, "stakeholder": action.stakeholder,
                                                 "text": f"Theirs at {width}", "themes": [theme.pk],
                                                 "owner": action.owner, "measure": action.measure,
                                                 "due": action.due.isoformat(),
                                                 "base": ops.action_base(w.actions.get(pk=action.pk))})
        fac.get_by_role("button", name="Save the changes").click()
        expect(fac.get_by_role("alert").first).to_contain_text(f"you wrote “Ours at {width}”")
        axe_check(fac)
        stage(w, "actions")
        for path in ("votes", "actions", "sharing", f"themes/{theme.pk}"):
            phone.goto(f"{daphne_url}/workshops/{w.code}/{path}/")
            axe_check(phone)
        phone.context.close()
        fac.context.close()
