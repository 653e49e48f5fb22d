"""The batch proposal: move a statement to another theme of its kind by keyboard alone, at 390 px and 1280 px.

Screenshots go to /tmp/batch-shots/ (override with GOLDENTHREAD_SHOTS) for people to look at.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.helpers import axe_check, sign_in

SHOTS = Path(os.environ.get("GOLDENTHREAD_SHOTS", "/tmp/batch-shots"))
WIDEST = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1
  && !(e.parentElement && e.parentElement.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture
def proposal(transactional_db, make_user, tmp_path):
    from goldenthread.batch.bigdb import make_big_db
    from goldenthread.core import roles
    from goldenthread.reviews.models import ProgrammeCycle
    from tests.batch.test_moving import finished_run_by_kind

    make_big_db(60, 1, workshop=False)
    user = make_user(roles.FACILITATOR, "fay")
    run = finished_run_by_kind(ProgrammeCycle.objects.get(), tmp_path, per_kind=3)
    names = ["I like the people who help me", "My day centre is a good place", "I enjoy my clubs and groups"]
    for theme, name in zip(run.themes.filter(kind="working").order_by("number"), names):
        theme.name = name
        theme.save(update_fields=["name"])
    return run, user


def test_a_statement_is_moved_by_keyboard_on_a_phone_and_the_page_fits(browser, live_server, proposal):
    from goldenthread.batch.models import ProposedMembership

    run, user = proposal
    first, _, third = run.themes.filter(kind="working").order_by("number")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        sign_in(page, live_server.url, user.username)
        page.goto(f"{live_server.url}/batch/{run.pk}/")
        assert page.evaluate(WIDEST) == [], f"run page at {width}px"
        page.screenshot(path=str(SHOTS / f"batch-run-{width}.png"), full_page=True)
        page.goto(f"{live_server.url}/batch/{run.pk}/themes/{first.pk}/")
        assert page.evaluate(WIDEST) == [], f"theme page at {width}px"
        axe_check(page)
        page.screenshot(path=str(SHOTS / f"batch-theme-move-{width}.png"), full_page=False)
        context.close()
    # by keyboard alone at 390 px: Tab to the first statement's "Move to", pick a theme, Tab to Move, Enter
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/batch/{run.pk}/themes/{first.pk}/")
    select = page.locator("form.batch-move select").first
    statement = int(page.locator("form.batch-move input[name=statement]").first.get_attribute("value"))
    select.focus()
    select.select_option(str(third.pk))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim().startsWith('Move')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/themes/*/?page=1")
    assert "moved to “I enjoy my clubs and groups”" in page.content()
    page.screenshot(path=str(SHOTS / "batch-theme-moved-390.png"))
    assert ProposedMembership.objects.get(run=run, statement_id=statement).theme_id == third.pk
    # confirmed: the run page says where the themes lead (report, downloads, a workshop's proposal board)
    page.goto(f"{live_server.url}/batch/{run.pk}/")
    page.get_by_role("button", name="Confirm these themes").click()
    assert "Themes across the whole council" in page.content()
    assert page.evaluate(WIDEST) == [], "confirmed run page at 390px"
    page.screenshot(path=str(SHOTS / "batch-run-confirmed-390.png"))
    context.close()
