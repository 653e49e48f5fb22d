"""A whole workshop in the browser, served by Daphne (HTTP and websockets) on 127.0.0.1, checked with axe-core."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from goldenthread.demo import DEMO_PASSWORD
from tests.browser.helpers import axe_check, sign_in, wait_live


@pytest.fixture
def demo_workshop(transactional_db, demo_data, monkeypatch):
    """The invented Ashdown demo data, with the theme engine faked: suggestions use plain word overlap."""
    from goldenthread.core import themes as suggest

    monkeypatch.setattr(suggest, "_engine_vectors", lambda texts: None)


def move(page, code, to):
    """The keyboard alternative to dragging: the card's "Move to…" menu. ``to`` is "A new cluster" or the
    number of a column on the wall (its heading names it in words)."""
    if to != "A new cluster":
        to = cluster(page, to).locator(".ws-col__title").inner_text().strip()
    card = page.locator(".ws-slot", has=page.locator(f"[data-code='{code}']"))
    card.locator("summary").click()
    card.get_by_role("list", name=f"Move card {code} to").get_by_role("button", name=to, exact=True).click()


def fill_date(page, days):
    """The day, month and year boxes, filled with a date this many days ahead."""
    import datetime as dt

    date = dt.date.today() + dt.timedelta(days=days)
    page.get_by_label("Day", exact=True).fill(str(date.day))
    page.get_by_label("Month", exact=True).fill(str(date.month))
    page.get_by_label("Year", exact=True).fill(str(date.year))


def cluster(page, n):
    return page.locator("[data-cluster]").nth(n - 1)


def test_a_whole_workshop_on_the_demo_data(page, browser, daphne_url, demo_workshop):
    from goldenthread.workshops import services as ops
    from goldenthread.workshops.models import Workshop

    base = daphne_url
    sign_in(page, base, "facilitator", DEMO_PASSWORD)
    page.goto(f"{base}/workshops/new/")
    axe_check(page)
    page.get_by_label("Programme cycle").select_option(label="Ashdown adult social care, 2026")
    page.get_by_label("Workshop name").fill("Ashdown day")
    page.get_by_label("Each review's 1st choice for each kind").check()
    page.get_by_role("button", name="Create the workshop").click()
    w = Workshop.objects.get(name="Ashdown day")
    total = w.cards.count()
    assert w.cycle.slug == "ashdown-2026" and 0 < total < w.cycle.card_statements().count()
    wait_live(page)
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
    expect(phone.get_by_text("Welcome, Sam")).to_be_visible()
    wait_live(phone)
    # The facilitator's screen shows Sam without reloading.
    page.get_by_text("Sam: Person who uses services").wait_for(timeout=3000)

    # Card call with keys, buttons and undo: the first three cards (card-call undo works during the card call).
    ops.run(w.pk, ops.Actor("facilitator", is_facilitator=True), "set_stage", {"stage": "card_call"})
    page.get_by_role("link", name="Card call").click()
    wait_live(page)
    axe_check(page)
    assert page.locator(".ws-projector .card__kind").inner_text().strip() == "Working"
    page.keyboard.press("n")
    page.get_by_text(f"{total - 1} of {total} cards still to call").wait_for(timeout=3000)
    page.get_by_role("button", name="Put it with", exact=False).first.click()
    page.get_by_role("button", name="Undo the last decision").click()
    assert "(undone)" in page.locator(".ws-log").inner_text()
    page.get_by_text(f"{total - 1} of {total} cards still to call").wait_for()
    page.keyboard.press("1")
    page.get_by_text(f"{total - 2} of {total} cards still to call").wait_for(timeout=3000)
    page.get_by_role("button", name="Start a new cluster").click()
    page.get_by_text(f"{total - 3} of {total} cards still to call").wait_for()

    # Pre-cluster: two people sort some not-working cards on their own boards, then the boards are merged.
    page.goto(f"{base}{w.get_absolute_url()}")
    for _ in range(2):
        page.get_by_role("button", name="Add a pre-cluster board for Not working").click()
    sorts = {  # Brackenridge closing, and being lonely. The boards disagree about N-029.
        "Not working: pre-cluster board 1": [("N-004", "A new cluster"), ("N-013", 1),
                                             ("N-029", 1), ("N-021", "A new cluster"),
                                             ("N-032", 2)],
        "Not working: pre-cluster board 2": [("N-004", "A new cluster"), ("N-013", 1),
                                             ("N-029", "A new cluster"), ("N-021", 2),
                                             ("N-032", 2)],
    }
    for name, moves in sorts.items():
        page.get_by_role("link", name=name).click()
        wait_live(page)
        for code, to in moves:
            move(page, code, to)
        assert page.locator(".ws-cluster").count() == 2
        page.get_by_role("link", name="Start").click()
    axe_check(page)
    page.get_by_role("button", name="Merge Not working pre-cluster boards into the main board").click()
    page.get_by_role("link", name="Not working: main board").click()
    wait_live(page)
    axe_check(page)
    assert page.locator(".ws-cluster").count() == 2
    assert "N-004" in cluster(page, 1).inner_text() and "N-013" in cluster(page, 1).inner_text()
    assert "N-021" in cluster(page, 2).inner_text() and "N-032" in cluster(page, 2).inner_text()
    disputed = page.locator(".ws-card", has_text="The boards disagree about this card")
    assert disputed.count() == 1 and "N-029" in disputed.inner_text()

    # Review the disagreement on the main board, with a second screen watching: keyboard move, then drag back.
    other_ctx = browser.new_context()
    other = other_ctx.new_page()
    sign_in(other, base, "facilitator", DEMO_PASSWORD)
    other.goto(page.url)
    wait_live(other)
    move(page, "N-029", 2)
    other.wait_for_function("document.querySelectorAll('[data-cluster]')[1].textContent.includes('N-029')",
                            timeout=3000)
    cluster(page, 1).locator(".card__text").first.scroll_into_view_if_needed()  # the card and its target both in view
    page.locator("[data-card]", has_text="N-029").drag_to(cluster(page, 1).locator(".card__text").first)
    other.wait_for_function("document.querySelectorAll('[data-cluster]')[0].textContent.includes('N-029')",
                            timeout=3000)
    page.wait_for_function("document.querySelectorAll('[data-cluster]')[0].textContent.includes('N-029')",
                           timeout=3000)
    assert "disagree" not in page.locator(".ws-board").inner_text()
    other_ctx.close()

    # Naming: a warning, never a block.
    cluster(page, 1).get_by_role("link", name="Name").click()
    axe_check(page)
    page.get_by_label("Theme name").fill("Brackenridge")
    page.get_by_role("button", name="Save the name").click()
    assert "first person" in page.get_by_role("status").filter(has_text="first person").inner_text()
    theme = "We are scared our day centre will close"
    page.get_by_label("Theme name").fill(theme)
    page.get_by_role("button", name="Save the name").click()
    expect(page.get_by_role("heading", name=theme)).to_be_visible()
    # Root causes: two whys deep, and what success looks like.
    page.get_by_label(f"Why is “{theme}” happening?").fill("Nobody has told us what will happen")
    page.get_by_role("button", name="Add a reason").click()
    page.get_by_label("Why? (about “Nobody has told us what").fill("The council has not decided yet")
    page.get_by_role("button", name="Add a reason why Nobody has told us what will happen").click()
    expect(page.get_by_text("Because: The council has not decided yet")).to_be_visible()
    page.get_by_label("Who would say it").select_option(label="People who use services and families")
    page.get_by_label("What they would say").fill("I know where I will go in the day and my friends come too")
    page.get_by_role("button", name="Add what success looks like").click()
    expect(page.get_by_text("I know where I will go in the day")).to_be_visible()
    axe_check(page)

    # Voting: the facilitator opens it; Sam votes on the phone; hidden until revealed.
    ops.run(w.pk, ops.Actor("facilitator", is_facilitator=True), "set_stage", {"stage": "analysis"})
    phone.goto(f"{base}/workshops/{w.code}/votes/")
    axe_check(phone)
    phone.get_by_role("button", name=f"Add a dot to {theme}").click()  # tap to place, twice
    phone.wait_for_url("**#theme-*")
    assert "You have 4 dots left" in phone.locator(".ws-dots-left").inner_text()
    assert phone.evaluate("document.activeElement.id").startswith("theme-")  # the place is kept
    phone.get_by_role("button", name=f"Add a dot to {theme}").click()
    phone.get_by_text("You have 3 dots left (you have used 2 of 5)").wait_for(timeout=3000)
    assert "hidden until the facilitator" in phone.content()
    page.goto(f"{base}/workshops/{w.code}/votes/")
    page.get_by_role("button", name="Show the votes to everyone").click()
    results = phone.get_by_role("list", name="Dots on each theme, most first")
    results.wait_for(timeout=3000)
    assert "2 dots from 1 person" in results.inner_text()  # one stacked line per theme, no table to scroll
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    axe_check(phone)

    # One action for each stakeholder group, then a sharing plan line.
    page.get_by_role("link", name="Actions").click()
    for who in ("Providers", "People who use services and community groups", "Commissioners"):
        page.get_by_label("Who will do it").select_option(label=who)
        page.get_by_label("What will be done").fill(f"{who}: meet people at Brackenridge about its future")
        page.get_by_label(f"{theme} (Not working)").check()
        page.get_by_label("The council has not decided yet").check()
        page.get_by_label("Who is in charge of it").fill("Named lead")
        page.get_by_label("How we will know it worked").fill("People say they know what will happen")
        fill_date(page, 60)
        page.get_by_role("button", name="Add the action").click()
    assert sorted(w.actions.values_list("stakeholder", flat=True)) == ["commissioners", "community", "providers"]
    axe_check(page)
    page.get_by_role("link", name="Sharing plan").click()
    page.get_by_label("Who needs to know").fill("People whose reviews were used")
    page.get_by_label("What they need to know").fill("The themes and the actions")
    page.get_by_label("How we will tell them").fill("An easy-read letter and a meeting")
    fill_date(page, 30)
    page.get_by_label("Make an easy-read version").check()
    page.get_by_role("button", name="Add to the sharing plan").click()
    expect(page.get_by_role("heading", name="Tell People whose reviews were used")).to_be_visible()
    axe_check(page)
    phone_ctx.close()


@pytest.fixture
def busy_workshop(demo_workshop):
    """A demo workshop part-way through the day, made through ops: every page has something on it."""
    from django.contrib.auth.models import User

    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.workshops import services as ops

    w = ops.create_workshop(ProgrammeCycle.objects.get(slug="ashdown-2026"), "Ashdown day", "top1",
                            User.objects.get(username="facilitator"))
    fac = ops.Actor("facilitator", is_facilitator=True)
    sam, _ = ops.join(w.pk, "Sam", "person")
    for card in w.cards.filter(kind="not_working")[:4]:
        ops.run(w.pk, fac, "call_card", {"card": card.pk, "cluster": "new"})
    ops.run(w.pk, fac, "call_card", {"card": w.cards.filter(kind="working").first().pk})
    ops.run(w.pk, fac, "add_board", {"kind": "not_working"})
    theme = ops.main_board(w, "not_working").clusters.first()
    ops.run(w.pk, fac, "rename_cluster", {"cluster": theme.pk, "name": "We are scared our day centre will close"})
    ops.run(w.pk, fac, "add_cause", {"cluster": theme.pk, "text": "Nobody has told us"})
    ops.run(w.pk, fac, "add_success", {"cluster": theme.pk, "perspective": "people", "text": "I know where I go"})
    ops.run(w.pk, fac, "set_stage", {"stage": "analysis"})
    ops.run(w.pk, ops.Actor("Sam", delegate_id=sam.pk), "vote", {"cluster": theme.pk, "dots": 2})
    ops.run(w.pk, fac, "set_stage", {"stage": "join"})  # back to the start, for the tests that move it on
    ops.run(w.pk, fac, "reveal_votes", {"revealed": "yes"})
    ops.run(w.pk, fac, "add_action", {"stakeholder": "providers", "text": "Meet people at the centre",
                                      "themes": [theme.pk], "owner": "Named lead", "measure": "People know",
                                      "due": "2026-10-01"})
    ops.run(w.pk, fac, "add_share", {"audience": "People whose reviews were used", "what": "The themes",
                                     "how": "A letter", "due": "2026-07-01", "easy_read": "yes"})
    return w


def workshop_pages(w):
    """Every workshop page a facilitator can open, as (path, what to do before checking) pairs."""
    code = w.code

    def submit(button):
        return lambda page: page.get_by_role("button", name=button).click()

    def bad_join(page):
        page.get_by_label("Workshop code").fill("ZZZZZZ")
        page.get_by_role("button", name="Join").click()
        assert "There is no workshop with that code" in page.content()

    theme = w.boards.get(kind="not_working", is_main=True).clusters.first()
    working = w.boards.get(kind="working", is_main=True).clusters.first()
    pages = [("/workshops/", None), ("/workshops/new/", None), ("/workshops/new/", submit("Create the workshop")),
             ("/workshops/join/", None), ("/workshops/join/", bad_join), (f"/workshops/{code}/", None),
             (f"/workshops/{code}/call/", None), (f"/workshops/{code}/themes/{theme.pk}/", None),
             (f"/workshops/{code}/themes/{working.pk}/", None), (f"/workshops/{code}/votes/", None),
             (f"/workshops/{code}/actions/", None), (f"/workshops/{code}/actions/", submit("Add the action")),
             (f"/workshops/{code}/sharing/", None), (f"/workshops/{code}/sharing/", submit("Add to the sharing plan"))]
    pages += [(f"/workshops/{code}/boards/{b.pk}/", None) for b in w.boards.all()]
    action, cause = w.actions.first(), theme.root_causes.first()
    pages += [(f"/workshops/{code}/actions/{action.pk}/edit/", None),
              (f"/workshops/{code}/remove/cause/{cause.pk}/", None),
              (f"/workshops/{code}/remove/action/{action.pk}/", None),
              (f"/workshops/{code}/screen/", None)]
    return pages


@pytest.mark.parametrize("width", [1100, 390], ids=["desktop", "phone"])
def test_every_workshop_page_has_no_serious_axe_violations(browser, daphne_url, busy_workshop, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, daphne_url, "facilitator", DEMO_PASSWORD)
    for path, before in workshop_pages(busy_workshop):
        page.goto(daphne_url + path)
        if before:
            before(page)
        if "submit" in getattr(before, "__qualname__", ""):
            assert page.locator(".govuk-error-message").count(), f"{path}: no error shown for an empty form"
        axe_check(page)
    context.close()


#: Keeps each page's websockets in window.__sockets, and while window.__offline is true points new ones at a
#: same-host address with no websocket behind it (the Content-Security-Policy refuses any other host or
#: port), so a test can drop the connection and hold it down.
SOCKET_SPY = """
(() => {
  const Real = window.WebSocket;
  window.__sockets = [];
  window.__offline = false;
  window.WebSocket = function (url, protocols) {
    const ws = new Real(window.__offline ? "ws://" + location.host + "/ws/offline/" : url, protocols);
    window.__sockets.push(ws);
    return ws;
  };
  window.WebSocket.prototype = Real.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""


def test_a_dropped_connection_reconnects_and_catches_up(browser, daphne_url, busy_workshop):
    w = busy_workshop
    board = w.boards.get(kind="not_working", is_main=True)
    url = f"{daphne_url}/workshops/{w.code}/boards/{board.pk}/"
    first_ctx, other_ctx = browser.new_context(), browser.new_context()
    first, other = first_ctx.new_page(), other_ctx.new_page()
    first.add_init_script(SOCKET_SPY)
    for p in (first, other):
        sign_in(p, daphne_url, "facilitator", DEMO_PASSWORD)
        p.goto(url)
        wait_live(p)
    clusters = first.locator(".ws-cluster").count()

    first.evaluate("window.__offline = true; window.__sockets.forEach(s => s.close())")
    first.get_by_text("Connection lost. Trying again").wait_for(timeout=3000)
    card = board.placements.order_by("cluster__position").last().card.statement.card_code
    move(other, card, 1)  # made on the other screen
    assert other.locator(".ws-cluster").count() == clusters - 1
    first.wait_for_timeout(500)
    assert first.locator(".ws-cluster").count() == clusters  # it has not heard

    first.evaluate("window.__offline = false")
    wait_live(first)
    first.wait_for_function(f"document.querySelectorAll('.ws-cluster').length === {clusters - 1}", timeout=8000)
    assert card in first.locator("[data-cluster]").first.inner_text()
    first_ctx.close()
    other_ctx.close()


def test_delegates_are_told_when_the_group_moves_on_and_can_choose_to_follow(browser, daphne_url, busy_workshop):
    w = busy_workshop
    fac_ctx, phone_ctx = browser.new_context(), browser.new_context(viewport={"width": 390, "height": 800})
    fac, phone = fac_ctx.new_page(), phone_ctx.new_page()
    sign_in(fac, daphne_url, "facilitator", DEMO_PASSWORD)
    fac.goto(f"{daphne_url}/workshops/{w.code}/")
    phone.goto(f"{daphne_url}/workshops/join/{w.code}/")
    phone.get_by_label("Your first name or a nickname").fill("Ali")
    phone.get_by_label("Family or carer").check()
    phone.get_by_role("button", name="Join").click()
    wait_live(phone)
    wait_live(fac)
    phone.get_by_label("Take me to each new stage when the group moves on").focus()

    def set_stage(label):
        fac.get_by_label("Stage everyone is on").select_option(label=label)
        fac.get_by_role("button", name="Change stage").click()

    set_stage("Analysis and voting")
    prompt = phone.locator("[data-stage-prompt]")
    prompt.get_by_role("link", name="go there").wait_for(timeout=3000)
    assert prompt.inner_text().startswith("The group has moved to: Analysis and voting")
    assert phone.evaluate("document.activeElement.id") == "follow-stage"  # no surprise focus jump
    assert phone.url.endswith(f"/workshops/{w.code}/")  # not moved without asking
    axe_check(phone)
    prompt.get_by_role("link", name="go there").click()
    phone.wait_for_url(f"**/workshops/{w.code}/votes/")

    # Ali chooses to follow: the next stage change takes the phone there.
    wait_live(phone)
    phone.get_by_label("Take me to each new stage when the group moves on").check()
    set_stage("Action plans")
    phone.wait_for_url(f"**/workshops/{w.code}/actions/", timeout=5000)
    fac_ctx.close()
    phone_ctx.close()


def test_the_projector_screen_follows_the_card_call_with_no_controls(browser, daphne_url, busy_workshop):
    from goldenthread.workshops import services as ops

    w = busy_workshop
    ops.run(w.pk, ops.Actor("facilitator", is_facilitator=True), "set_stage", {"stage": "card_call"})
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    fac, screen = ctx.new_page(), ctx.new_page()
    sign_in(fac, daphne_url, "facilitator", DEMO_PASSWORD)
    fac.goto(f"{daphne_url}/workshops/{w.code}/call/")
    screen.goto(f"{daphne_url}/workshops/{w.code}/screen/")
    wait_live(screen)
    wait_live(fac)
    assert screen.locator("button, input, select, textarea, form").count() == 0
    first = screen.locator(".ws-room__card-text").inner_text()
    assert first == fac.locator(".ws-projector .card__text").inner_text()
    assert float(screen.locator(".ws-room__card-text").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 32
    fac.keyboard.press("n")
    screen.wait_for_function(f"document.querySelector('.ws-room__card-text').textContent !== {first!r}", timeout=3000)
    fac.wait_for_load_state()
    assert screen.locator(".ws-room__card-text").inner_text() == fac.locator(".ws-projector .card__text").inner_text()
    ctx.close()


def test_a_screen_whose_sign_in_ends_says_so_at_once_with_a_link_and_keeps_what_was_typed(browser, daphne_url,
                                                                                         busy_workshop, monkeypatch):
    from django.contrib.sessions.models import Session

    from goldenthread.workshops import presence

    monkeypatch.setattr(presence, "REFRESH_SECONDS", 0.2)  # the screen's keep-alive check, every 0.2 s here
    w = busy_workshop
    board = w.boards.get(kind="not_working", is_main=True)
    ctx = browser.new_context()
    page = ctx.new_page()
    sign_in(page, daphne_url, "facilitator", DEMO_PASSWORD)
    theme = board.clusters.first()
    page.goto(f"{daphne_url}/workshops/{w.code}/themes/{theme.pk}/")
    wait_live(page)
    name = page.locator("input[name='name']").first
    name.fill("We want the same ca")
    Session.objects.all().delete()  # signed out in another tab
    alert = page.locator("[data-signed-out]")
    alert.wait_for(timeout=15000)  # a loaded 2-core CI machine can take more than 5 s to answer
    assert "not saved" in alert.inner_text() or "no longer signed in" in alert.inner_text()
    link = alert.get_by_role("link", name="Sign in again (opens a new tab)")
    assert link.get_attribute("target") == "_blank" and "/accounts/login/" in link.get_attribute("href")
    assert name.input_value() == "We want the same ca"
    ctx.close()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_joining_controls_and_are_you_sam_pages_have_no_serious_axe_violations(browser, daphne_url,
                                                                                  busy_workshop, width):
    from goldenthread.workshops.models import Delegate

    w = busy_workshop
    Delegate.objects.get_or_create(workshop=w, name="Sam", group="person")
    Delegate.objects.get_or_create(workshop=w, name="Kim", group="family")
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    page = ctx.new_page()
    sign_in(page, daphne_url, "facilitator", DEMO_PASSWORD)
    page.goto(f"{daphne_url}/workshops/{w.code}/")
    page.get_by_role("button", name="Close joining").wait_for()
    assert page.get_by_role("button", name="Put them together").count() == 1
    axe_check(page)
    phone = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    phone.goto(f"{daphne_url}/workshops/join/?code={w.code}")
    phone.get_by_label("Your first name or a nickname").fill("Sam")
    phone.get_by_label("Person who uses services").check()
    phone.get_by_role("button", name="Join").click()
    phone.get_by_role("heading", name="Are you Sam (Person who uses services)?").wait_for()
    axe_check(phone)
    phone.get_by_role("button", name="Yes, that is me").click()
    phone.get_by_text("Welcome back, Sam").wait_for()
    assert w.delegates.filter(name="Sam").count() == 1
    phone.context.close()
    ctx.close()
