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
    _check_here(page, url, width, problems, axe)


def _check_here(page, url, width, problems, axe=None):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{url} at {width}px is {scroll}px wide: {page.evaluate(WIDEST)}")
    if axe is None:
        return
    try:
        axe(page)
    except AssertionError as exc:
        problems.append(f"{url} at {width}px: {exc}")


#: axe-core runs at the narrowest and the widest; 390 px is checked for width only (axe's rules read the page,
#: and what 390 px lays out differently from 320 px is what the width check measures).
AXE_WIDTHS = {320, 1280}


def check_at_every_width(page, url, problems, axe):
    """Open ``url`` once and check it at every width, widest first, resizing the window as a person turning a
    tablet or narrowing a desktop window would: the CSS lays it out afresh at each, without loading it again."""
    page.set_viewport_size({"width": max(WIDTHS), "height": 800})
    page.goto(url)
    for width in sorted(WIDTHS, reverse=True):
        page.set_viewport_size({"width": width, "height": 800})
        _check_here(page, url, width, problems, axe if width in AXE_WIDTHS else None)


def signed_in_page(browser, base_url, username=None):
    """A page in a browser context of its own, signed in as ``username`` (signed out if None)."""
    page = browser.new_context(viewport={"width": max(WIDTHS), "height": 800}).new_page()
    if username:
        sign_in(page, base_url, username, DEMO_PASSWORD)
    return page


def test_no_page_is_wider_than_the_screen_at_320_390_or_1280(browser, daphne_url, demo, axe):
    """One walk over the pages: each is opened once and checked at each width; every workshop page of the
    newest workshop, and the front page of each older one (the same templates)."""
    from goldenthread.workshops.models import Workshop

    problems: list[str] = []
    people = {who: signed_in_page(browser, daphne_url, who) for who in (None, "admin", "facilitator")}
    for path in ("/accounts/login/", "/workshops/join/"):
        check_at_every_width(people[None], daphne_url + path, problems, axe)
    for path in staff_pages():
        check_at_every_width(people["admin"], daphne_url + path, problems, axe)
    workshops = list(Workshop.objects.order_by("-cycle__year", "-pk"))
    for w in workshops:
        for path in workshop_pages(w) if w == workshops[0] else [f"/workshops/{w.code}/"]:
            check_at_every_width(people["facilitator"], daphne_url + path, problems, axe)
    for page in people.values():
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
