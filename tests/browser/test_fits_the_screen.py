"""Every main page at 320, 390 and 1280 px: never wider than the screen, and no serious axe-core violations.

A wide table may scroll inside its own labelled region; the page itself never scrolls sideways.
Screenshots of the delegate's phone view at each stage go to /tmp/wall-shots/ (GOLDENTHREAD_SHOTS).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from goldenthread.demo import DEMO_PASSWORD
from tests.browser.helpers import sign_in

SHOTS = Path(os.environ.get("GOLDENTHREAD_SHOTS", "/tmp/wall-shots"))
WIDTHS = [320, 390, 1280]

#: The outermost elements that stick out past the right edge (named in a failing check).
WIDEST = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1
  && !(e.parentElement && e.parentElement.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 4).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture
def demo(transactional_db, demo_data, monkeypatch):
    from goldenthread.core import themes as suggest

    monkeypatch.setattr(suggest, "_engine_vectors", lambda texts: None)


def staff_pages():
    """Paths of the main pages outside the workshop, with the demo's data."""
    from goldenthread.reviews.models import OnePageProfile, Review
    from goldenthread.workshops.models import Action, Cluster

    slug = "ashdown-2026"
    review = Review.objects.filter(cycle__slug=slug).first()
    pages = ["/", f"/cycles/{slug}/", f"/cycles/{slug}/reviews/", f"/reviews/{review.pk}/", f"/cycles/{slug}/cards/",
             f"/cycles/{slug}/import/", f"/cycles/{slug}/reviews/new/", f"/cycles/{slug}/report/",
             f"/cycles/{slug}/theme-matches/", f"/cycles/{slug}/golden-thread/", "/cycles/ashdown-2025/report/",
             "/indicators/", "/planning/", "/planning/strategic/", "/people/", "/cycles/new/", "/cycles/nope/"]
    profile = OnePageProfile.objects.first()
    if profile:
        pages += [f"/people/{profile.person_ref}/profile/", f"/people/{profile.person_ref}/profile/edit/"]
    theme = Cluster.objects.themes().first()
    action = Action.objects.first()
    if theme:
        pages.append(f"/golden-thread/themes/{theme.pk}/")
    if action:
        pages.append(f"/golden-thread/actions/{action.pk}/")
    from goldenthread.demo.outcomes import load_outcomes_demo
    from goldenthread.outcomes.models import OutcomeArea

    load_outcomes_demo()
    pages += ["/outcomes/", f"/outcomes/{OutcomeArea.objects.get(code='O6').pk}/?area=Harford",
              f"/cycles/{slug}/outcome-links/", "/outcomes/import/measures/"]
    from goldenthread.demo.market import load_market_demo

    load_market_demo()
    pages += [f"/cycles/{slug}/market/", "/market/provisions/add/"]

    from goldenthread.demo.tenders import load_tenders_demo
    from goldenthread.tenders.models import Tender

    load_tenders_demo()
    pages += ["/tenders/", f"/tenders/{Tender.objects.get().pk}/"]
    return pages


def workshop_pages(w):
    from goldenthread.workshops.models import Cluster

    code = w.code
    pages = ["/workshops/", "/workshops/new/", f"/workshops/{code}/", f"/workshops/{code}/call/",
             f"/workshops/{code}/screen/", f"/workshops/{code}/votes/", f"/workshops/{code}/actions/",
             f"/workshops/{code}/sharing/"]
    pages += [f"/workshops/{code}/boards/{b.pk}/" for b in w.boards.all()]
    pages += [f"/workshops/{code}/themes/{c.pk}/" for c in Cluster.objects.themes().filter(board__workshop=w)[:2]]
    action = w.actions.first()
    if action:
        pages += [f"/workshops/{code}/actions/{action.pk}/edit/", f"/workshops/{code}/remove/action/{action.pk}/"]
    return pages


def check(page, url, width, problems, axe):
    page.goto(url)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{url} at {width}px is {scroll}px wide: {page.evaluate(WIDEST)}")
    try:
        axe(page)
    except AssertionError as exc:
        problems.append(f"{url} at {width}px: {exc}")


def signed_in_at_every_width(browser, base_url, username):
    """One page per width, each in its own browser context signed in as ``username``: {width: page}."""
    pages = {}
    for width in WIDTHS:
        page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
        sign_in(page, base_url, username, DEMO_PASSWORD)
        pages[width] = page
    return pages


def test_no_page_is_wider_than_the_screen_at_320_390_or_1280(browser, daphne_url, demo, axe):
    """One walk over the pages: each is opened once at each width (a page per width), and checked there."""
    from goldenthread.workshops.models import Workshop

    problems: list[str] = []
    signed_out = {w: browser.new_context(viewport={"width": w, "height": 800}).new_page() for w in WIDTHS}
    for path in ("/accounts/login/", "/workshops/join/"):
        for width, page in signed_out.items():
            check(page, daphne_url + path, width, problems, axe)
    admin = signed_in_at_every_width(browser, daphne_url, "admin")
    for path in staff_pages():
        for width, page in admin.items():
            check(page, daphne_url + path, width, problems, axe)
    facilitator = signed_in_at_every_width(browser, daphne_url, "facilitator")
    for w in Workshop.objects.all():
        for path in workshop_pages(w):
            for width, page in facilitator.items():
                check(page, daphne_url + path, width, problems, axe)
    for page in (*signed_out.values(), *admin.values(), *facilitator.values()):
        page.context.close()
    assert not problems, "\n".join(problems)


def test_a_delegate_phone_fits_at_every_stage(browser, daphne_url, demo, axe):
    """A delegate joins on a 390 px phone (and a 320 px one) and follows the day, stage by stage."""
    from goldenthread.workshops import services
    from goldenthread.workshops.models import Stage, Workshop

    SHOTS.mkdir(parents=True, exist_ok=True)
    w = Workshop.objects.order_by("-cycle__year").first()
    fac = services.Actor("facilitator", is_facilitator=True)
    problems: list[str] = []
    for width in (390, 320):
        ctx = browser.new_context(viewport={"width": width, "height": 800})
        phone = ctx.new_page()
        phone.goto(f"{daphne_url}/workshops/join/{w.code}/")
        phone.get_by_label("Your first name or a nickname").fill(f"Sam{width}")
        phone.get_by_label("Person who uses services").check()
        phone.get_by_role("button", name="Join").click()
        for stage, path in [(Stage.JOIN, ""), (Stage.CARD_CALL, "call/"), (Stage.BOARDS, "boards"),
                            (Stage.NAMING, "boards"), (Stage.ANALYSIS, "votes/"), (Stage.ACTIONS, "actions/"),
                            (Stage.SHARING, "sharing/")]:
            services.run(w.pk, fac, "set_stage", {"stage": stage})
            if path == "boards":
                path = f"boards/{w.boards.get(kind='not_working', is_main=True).pk}/"
            url = f"{daphne_url}/workshops/{w.code}/{path}"
            check(phone, url, width, problems, axe)
            expect(phone.get_by_role("heading", name="What to do now")).to_be_visible()
            if width == 390:
                phone.screenshot(path=str(SHOTS / f"delegate-390-{stage}.png"), full_page=True)
        ctx.close()
    assert not problems, "\n".join(problems)
