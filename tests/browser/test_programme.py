"""The programme pages in the browser, checked with axe-core at desktop (1280 px) and phone (390 px) widths."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from goldenthread.demo import DEMO_PASSWORD
from tests.browser.helpers import axe_check, sign_in

WIDTHS = [1280, 390]


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), \
        f"{page.url} scrolls sideways at {page.viewport_size['width']} px"


@pytest.fixture
def demo(transactional_db, demo_data, monkeypatch):
    from goldenthread.core import themes
    from goldenthread.reviews.models import ProgrammeCycle

    monkeypatch.setattr(themes, "_engine_vectors", lambda texts: None)
    monkeypatch.setattr(themes, "_engine_groups", lambda texts: list(range(len(texts))))
    return ProgrammeCycle.objects.get(slug="ashdown-2025")


def test_every_programme_page_passes_axe_at_desktop_and_phone_widths(browser, live_server, demo):
    from goldenthread.programme import services

    base = live_server.url
    workshop = demo.workshops.order_by("created_at").first()
    action = workshop.actions.order_by("id").first()
    invitee = workshop.invitees.first()
    code = services.plan_for(demo).comment_code
    slug = demo.slug
    signed_in = [f"/cycles/{slug}/programme/", f"/cycles/{slug}/programme/purpose/",
                 f"/cycles/{slug}/programme/decisions/", f"/cycles/{slug}/programme/sample/",
                 f"/cycles/{slug}/programme/workshops/", f"/cycles/{slug}/programme/evaluations/",
                 f"/cycles/{slug}/programme/actions/", f"/cycles/{slug}/programme/next/",
                 f"/programme/workshops/{workshop.code}/delegates/",
                 f"/programme/workshops/{workshop.code}/delegates/{invitee.pk}/",
                 f"/programme/workshops/{workshop.code}/invitation/",
                 f"/programme/workshops/{workshop.code}/invitation/easy-read/",
                 f"/programme/workshops/{workshop.code}/evaluation/", f"/programme/actions/{action.pk}/",
                 f"/cycles/{slug}/you-said-we-did/", f"/cycles/{slug}/report/", f"/cycles/{slug}/programme/sample/"]
    public = ["/comment/", f"/comment/{code}/", f"/programme/workshops/{workshop.code}/evaluation/"]
    for width in WIDTHS:
        ctx = browser.new_context(viewport={"width": width, "height": 900})
        page = ctx.new_page()
        for path in public:  # nobody signed in: the comment pages, and the evaluation's "join first" page
            page.goto(base + path)
            axe_check(page)
            no_sideways_scroll(page)
        sign_in(page, base, "admin", DEMO_PASSWORD)
        for path in signed_in:
            page.goto(base + path)
            assert page.locator("h1").count() == 1, path
            axe_check(page)
        # Error summaries: an empty purpose form, and a wrong comment code.
        page.goto(f"{base}/cycles/{slug}/programme/purpose/")
        page.get_by_label("Purpose").fill("")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("There is a problem")).to_be_visible()
        axe_check(page)
        ctx.close()


def test_a_delegate_evaluates_on_a_phone_and_a_viewer_sees_it_themed_in_the_report(browser, live_server, demo):
    base = live_server.url
    workshop = demo.workshops.order_by("created_at").first()
    phone_ctx = browser.new_context(viewport={"width": 390, "height": 800})
    phone = phone_ctx.new_page()
    phone.goto(f"{base}/programme/workshops/{workshop.code}/evaluation/")
    phone.get_by_role("link", name="Join with the code").click()
    phone.get_by_label("Your first name or a nickname").fill("Ade")
    phone.get_by_label("Family or carer").check()
    phone.get_by_role("button", name="Join").click()
    phone.goto(f"{base}/programme/workshops/{workshop.code}/evaluation/")
    axe_check(phone)
    phone.get_by_label("What worked?").fill("Being listened to by the commissioners")
    phone.get_by_label("What needs to be considered for the future?").fill("A hearing loop that works")
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_role("heading", name="Thank you")).to_be_visible()
    axe_check(phone)
    no_sideways_scroll(phone)
    phone_ctx.close()

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    sign_in(page, base, "viewer", DEMO_PASSWORD)
    page.goto(f"{base}/cycles/{demo.slug}/report/")
    expect(page.get_by_text("Being listened to by the commissioners")).to_be_visible()
    page.goto(f"{base}/cycles/{demo.slug}/programme/sample/")
    expect(page.get_by_text("Under-represented").first).to_be_visible()
    ctx.close()
