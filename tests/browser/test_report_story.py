"""The report on a 390 px phone: the story is on the first screen, nothing scrolls sideways, and each chart
is a list of themes with their numbers in words instead of a drawing too small to read."""
from __future__ import annotations

from playwright.sync_api import expect

from goldenthread.core import roles
from tests.browser.helpers import axe_check, sign_in
from tests.reporting.conftest import BUS, build_world


def test_on_a_phone_the_report_opens_with_the_story_and_charts_become_lists(browser, live_server, cycle, make_user):
    build_world(cycle, make_user(roles.COMMISSIONER, "cora"))
    make_user(roles.VIEWER, "vic")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    sign_in(phone, live_server.url, "vic")
    phone.goto(f"{live_server.url}/cycles/{cycle.slug}/report/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    story = phone.get_by_role("heading", name="The story in two minutes")
    expect(story).to_be_in_viewport()
    expect(phone.get_by_role("heading", name="What people said", exact=True)).to_be_in_viewport()
    box = phone.locator("[data-story-kind=not_working]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The drawing is hidden; its list shows each theme and its number in words.
    expect(phone.locator(".chart-figure").first).to_be_hidden()
    first_list = phone.locator(".chart-list").first
    expect(first_list).to_be_visible()
    expect(phone.locator("#h-kind-not_working ~ .chart-list")).to_contain_text(BUS)
    downloads = phone.get_by_text("Download this report")
    assert downloads.bounding_box()["y"] > story.bounding_box()["y"]
    axe_check(phone)
    context.close()
