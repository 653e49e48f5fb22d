"""The board as a wall: 100 cards in 20 clusters fit in three screens, and a keyboard move keeps your place.

Screenshots go to /tmp/wall-shots/ (override with GOLDENTHREAD_SHOTS) for people to look at.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.browser.helpers import PASSWORD, sign_in

SHOTS = Path(os.environ.get("GOLDENTHREAD_SHOTS", "/tmp/wall-shots"))

# Invented card wording: short and long, like real cards.
PLACES = ["the day centre", "the bus into town", "my flat", "the GP surgery", "the allotment club", "the library",
          "the swimming pool", "my college course", "the café at the park", "church on Sunday"]
FEELINGS = ["I can't get to {p} after six o'clock because nobody can take me",
            "Staff at {p} keep changing and I don't know who is coming",
            "I want to go to {p} more",
            "Nobody asked me before they changed the times at {p}, and now I miss my friends there",
            "I feel lonely when {p} is closed"]


#: The outermost elements that stick out past the right edge of the screen (for a failing width check).
WIDEST = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1
  && !(e.parentElement && e.parentElement.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def invented_cards():
    return [FEELINGS[i % 5].format(p=PLACES[i // 10]) for i in range(100)]


@pytest.fixture
def wall_workshop(transactional_db, monkeypatch):
    """A workshop with 100 not-working cards placed in 20 clusters of 5; half of the clusters named."""
    from django.contrib.auth.models import Group, User

    from goldenthread.core import roles
    from goldenthread.core import themes as suggest
    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.reviews.saving import save_reviews
    from goldenthread.workshops import services

    monkeypatch.setattr(suggest, "_engine_vectors", lambda texts: None)
    roles.ensure_roles()
    user = User.objects.create_user("fran", password=PASSWORD)
    user.groups.add(Group.objects.get(name=roles.FACILITATOR))
    cycle = ProgrammeCycle.objects.create(name="Wall town, 2026", slug="wall-2026", year=2026)
    save_reviews(cycle, [ReviewDraft(reference=f"R-{i}", person_ref=f"P-{i}", review_date=dt.date(2026, 1, 1),
                                     area="Harford", user_group="Older people", consent=True,
                                     statements=[StatementDraft("not_working", text, priority=1)])
                         for i, text in enumerate(invented_cards())])
    w = services.create_workshop(cycle, "Wall day", "all", user)
    fac = services.Actor("fran", is_facilitator=True)
    board = services.main_board(w, "not_working")
    cluster = None
    for i, card in enumerate(w.cards.order_by("order")):
        services.run(w.pk, fac, "call_card", {"card": card.pk, "cluster": "new" if i % 5 == 0 else cluster})
        cluster = board.clusters.order_by("-id").first().pk
    for c in list(board.clusters.all())[::2]:
        services.run(w.pk, fac, "rename_cluster", {"cluster": c.pk, "name": f"We feel let down by {PLACES[c.pk % 10]}"})
    return w, board


def test_a_hundred_cards_fit_in_three_screens_and_the_page_never_scrolls_sideways(browser, daphne_url, wall_workshop, axe, wait_live):
    w, board = wall_workshop
    assert board.placements.count() == 100 and board.clusters.count() == 20
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    sign_in(page, daphne_url, "fran")
    page.goto(f"{daphne_url}/workshops/{w.code}/boards/{board.pk}/")
    wait_live(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.evaluate("document.documentElement.scrollWidth")
    print(f"\n100 cards, 20 clusters at 1280x800: page height {height} px ({height / 800:.2f} screens), "
          f"page width {width} px")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "board-100-cards-1280.png"))
    assert height <= 3 * 800, height
    assert width <= 1280, page.evaluate(WIDEST)
    wall = page.get_by_role("region", name="The wall: 20 clusters")
    assert wall.get_attribute("tabindex") == "0"
    assert page.evaluate("document.querySelector('[data-wall]').scrollWidth") > 1280  # the wall scrolls, not the page
    # Every card says its kind in words, not only in colour; no cluster is called by a number.
    assert page.locator(".ws-card .card__kind", has_text="Not working").count() == 100
    assert "Cluster 1" not in page.locator(".ws-wall").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "board-100-cards-1280.png"))
    axe(page)
    ctx.close()


def test_a_keyboard_move_comes_back_to_the_card_with_focus_and_says_what_moved(browser, daphne_url, wall_workshop, axe, wait_live):
    w, board = wall_workshop
    clusters = list(board.clusters.all())
    far, target = clusters[15], clusters[2]
    card = far.placements.first().card
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    sign_in(page, daphne_url, "fran")
    page.goto(f"{daphne_url}/workshops/{w.code}/boards/{board.pk}/")
    wait_live(page)
    summary = page.locator(f"#menu-{card.pk} summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the "Move to…" menu
    menu = page.get_by_role("list", name=f"Move card {card.statement.card_code} to")
    button = menu.get_by_role("button").nth(2)
    name = button.inner_text()
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**#card-{card.pk}")
    wait_live(page)
    assert page.evaluate("document.activeElement.id") == f"card-{card.pk}"
    status = page.locator("[data-move-status]")
    status.get_by_text(f"Card {card.statement.card_code} is now in").wait_for(timeout=3000)
    assert name in status.inner_text()
    box = page.locator(f"#card-{card.pk}").bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 1280 and 0 <= box["y"] < 800  # in view, not at the top
    card.refresh_from_db()
    assert board.placements.get(card=card).cluster_id != far.pk
    page.screenshot(path=str(SHOTS / "board-after-keyboard-move-1280.png"))
    ctx.close()
