"""A whole workshop in the browser, served by Daphne (HTTP and websockets) on 127.0.0.1, checked with axe-core."""
from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest

from goldenthread.store import roles

SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def daphne_url():
    """Daphne in a thread, once per test session (Twisted's reactor cannot restart)."""
    from daphne.server import Server

    from goldenthread.web.asgi import application

    server = Server(application=application, endpoints=["tcp:port=0:interface=127.0.0.1"], signal_handlers=False)
    threading.Thread(target=server.run, daemon=True).start()
    for _ in range(100):
        if server.listening_addresses:
            break
        time.sleep(0.05)
    host, port = server.listening_addresses[0]
    yield f"http://{host}:{port}"


def axe_check(page):
    import axe_playwright_python

    script = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    page.evaluate(script)
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']})")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in SERIOUS]
    assert not bad, f"{page.url}: {bad}"


@pytest.fixture
def demo_workshop(transactional_db):
    from django.contrib.auth.models import Group, User

    from goldenthread.store.drafts import ReviewDraft, StatementDraft
    from goldenthread.store.models import ProgrammeCycle
    from goldenthread.store.reviews import save_reviews

    roles.ensure_roles()
    User.objects.create_user("fran", password="a-long-pass-phrase").groups.add(Group.objects.get(name=roles.FACILITATOR))
    cycle = ProgrammeCycle.objects.create(name="Browser town, 2026", slug="browser-2026", year=2026)
    texts = [("working", "I love the allotment club"), ("working", "I like going to the allotment"),
             ("not_working", "I can't get a bus home after six"), ("not_working", "The last bus is too early"),
             ("not_working", "My support staff keep changing"), ("future", "I want my own flat")]
    save_reviews(cycle, [ReviewDraft(reference=f"B-{i}", person_ref=f"P-{i}", review_date=dt.date(2026, 2, 1),
                                     area="Harford", user_group="Older people", consent=True,
                                     statements=[StatementDraft(k, t, priority=1)]) for i, (k, t) in enumerate(texts)])
    return cycle


def sign_in_at(page, base, username="fran"):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-pass-phrase")
    page.get_by_role("button", name="Sign in").click()


def live(page):
    page.wait_for_function("document.querySelector('[data-live-status]').textContent.startsWith('Live')")


def test_a_whole_workshop(page, browser, daphne_url, demo_workshop):
    from goldenthread.store.workshop import Workshop

    base = daphne_url
    sign_in_at(page, base)
    page.goto(f"{base}/workshops/new/")
    axe_check(page)
    page.get_by_label("Programme cycle").select_option(label="Browser town, 2026")
    page.get_by_label("Workshop name").fill("Harford day")
    page.get_by_label("All statements").check()
    page.get_by_role("button", name="Create the workshop").click()
    w = Workshop.objects.get(name="Harford day")
    live(page)
    axe_check(page)

    # A delegate joins on a phone with the code, no account.
    phone_ctx = browser.new_context(viewport={"width": 390, "height": 800})
    phone = phone_ctx.new_page()
    phone.goto(f"{base}/workshops/join/")
    axe_check(phone)
    phone.get_by_label("Workshop code").fill(w.code.lower())
    phone.get_by_label("Your first name or a nickname").fill("Sam")
    phone.get_by_label("Person who uses services").check()
    phone.get_by_role("button", name="Join").click()
    assert phone.get_by_text("Welcome, Sam").is_visible()
    live(phone)
    # The facilitator's screen shows Sam without reloading.
    page.get_by_text("Sam: Person who uses services").wait_for(timeout=3000)

    # Card call with keys and undo.
    page.get_by_role("link", name="Card call").click()
    live(page)
    axe_check(page)
    assert page.locator(".ws-projector .card__kind").inner_text().strip() == "Working"
    page.keyboard.press("n")
    page.get_by_text("5 of 6 cards still to call").wait_for(timeout=3000)
    page.get_by_role("button", name="Join cluster 1", exact=False).first.click()
    page.get_by_role("button", name="Undo the last decision").click()
    assert "(undone)" in page.locator(".ws-log").inner_text()
    page.get_by_role("button", name="Join cluster 1", exact=False).first.click()
    for _ in range(4):
        page.get_by_role("button", name="Start a new cluster").click()
    assert "Every card has been called" in page.content()

    # The not-working board: keyboard "move to" and drag; a second screen sees the move.
    board = w.boards.get(kind="not_working", is_main=True)
    page.goto(f"{base}/workshops/{w.code}/boards/{board.pk}/")
    live(page)
    axe_check(page)
    other_ctx = browser.new_context()
    other = other_ctx.new_page()
    sign_in_at(other, base)
    other.goto(page.url)
    live(other)
    assert other.locator(".ws-cluster").count() == 3
    move = page.locator("form", has=page.get_by_label("Move card N-002 to"))
    move.get_by_label("Move card N-002 to").select_option(label="Cluster 1")
    move.get_by_role("button", name="Move").click()
    other.wait_for_function("document.querySelectorAll('.ws-cluster').length === 2", timeout=2000)
    # Drag the staff card's cluster card onto cluster 1.
    page.wait_for_function("document.querySelectorAll('.ws-cluster').length === 2", timeout=2000)
    staff = page.locator("[data-card]", has_text="support staff")
    staff.drag_to(page.locator("[data-cluster]").first.locator(".card__text").first)
    other.wait_for_function("document.querySelectorAll('.ws-cluster').length === 1", timeout=2000)
    page.wait_for_function("document.querySelectorAll('.ws-cluster').length === 1", timeout=2000)
    # Split the staff card off again with the form.
    page.get_by_role("checkbox", name="Card N-003").check()
    page.get_by_role("button", name="Split into a new cluster").click()
    assert page.locator(".ws-cluster").count() == 2
    other_ctx.close()

    # Naming: a warning, never a block.
    page.get_by_role("link", name="Name and discuss cluster 1").click()
    axe_check(page)
    page.get_by_label("Theme name").fill("Transport")
    page.get_by_role("button", name="Save the name").click()
    assert "first person" in page.locator(".notice--warning").inner_text()
    page.get_by_label("Theme name").fill("I want to get home in the evening")
    page.get_by_role("button", name="Save the name").click()
    assert page.get_by_role("heading", name="I want to get home in the evening").is_visible()
    # Root causes: two whys deep, and what success looks like.
    page.get_by_label("Why is “I want to get home in the evening” happening?").fill("The last bus is at six")
    page.get_by_role("button", name="Add a reason").click()
    page.get_by_label("Why? (about “The last bus is at six”)").fill("The evening route was cut")
    page.get_by_role("button", name="Add a reason why The last bus is at six").click()
    assert page.get_by_text("Because: The evening route was cut").is_visible()
    page.get_by_label("Who would say it").select_option(label="People who use services and families")
    page.get_by_label("What they would say").fill("I can stay out until nine and get home safely")
    page.get_by_role("button", name="Add what success looks like").click()
    assert page.get_by_text("I can stay out until nine").is_visible()
    axe_check(page)

    # Voting: Sam votes on the phone; hidden until revealed.
    phone.goto(f"{base}/workshops/{w.code}/votes/")
    axe_check(phone)
    phone.get_by_label("Dots on I want to get home in the evening").select_option("2")
    phone.get_by_role("button", name="Save dots on I want to get home in the evening").click()
    assert "You have used 2 of 5 dots" in phone.content()
    assert "hidden until the facilitator" in phone.content()
    page.goto(f"{base}/workshops/{w.code}/votes/")
    page.get_by_role("button", name="Show the votes to everyone").click()
    phone.get_by_role("table", name="Dots on each theme, and from each group").wait_for(timeout=3000)
    axe_check(page)

    # One action for each stakeholder group, then a sharing plan line.
    page.get_by_role("link", name="Actions").click()
    for who in ("Providers", "People who use services and community groups", "Commissioners"):
        page.get_by_label("Who will do it").select_option(label=who)
        page.get_by_label("What will be done").fill(f"{who}: work on evening transport")
        page.get_by_label("I want to get home in the evening (Not working)").check()
        page.get_by_label("The evening route was cut").check()
        page.get_by_label("Who is in charge of it").fill("Named lead")
        page.get_by_label("How we will know it worked").fill("People say they get home safely")
        page.get_by_label("By when").fill("2026-10-01")
        page.get_by_role("button", name="Add the action").click()
    assert w.actions.count() == 3
    axe_check(page)
    page.get_by_role("link", name="Sharing plan").click()
    page.get_by_label("Who needs to know").fill("People whose reviews were used")
    page.get_by_label("What they need to know").fill("The themes and the actions")
    page.get_by_label("How we will tell them").fill("An easy-read letter and a meeting")
    page.get_by_label("By when").fill("2026-07-01")
    page.get_by_label("Make an easy-read version").check()
    page.get_by_role("button", name="Add to the sharing plan").click()
    assert page.get_by_role("cell", name="People whose reviews were used", exact=True).is_visible()
    axe_check(page)
    phone_ctx.close()
