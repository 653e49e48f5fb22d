"""The projector's room view at every stage, at 1920×1080 and 1280×720, and the board's overview: 100 cards
on one 1280×800 screen. Nothing may be cut off or need scrolling; axe finds nothing serious at 320, 390 and
1280 px.

Screenshots go to the folder in GOLDENTHREAD_SCREENSHOTS (else a "room-shots" folder in the temp folder) for
people to look at.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

from tests.browser.helpers import PASSWORD, sign_in
from tests.browser.test_wall import WIDEST, wall_workshop  # noqa: F401  (the fixture: 100 cards in 20 clusters)

SHOTS = Path(os.environ.get("GOLDENTHREAD_SCREENSHOTS") or Path(tempfile.gettempdir()) / "room-shots")
SIZES = [(1920, 1080), (1280, 720)]

# Invented card wording, short and long, like real cards.
WORKING = ["I love the allotment club on Tuesdays", "My support worker helps me cook my own tea",
           "I go swimming with my friend every week", "The café at the park knows my name",
           "I like my college course and the people there", "My key worker listens to me",
           "I can phone my sister when I want", "The day centre trip to the seaside was the best day"]
NOT_WORKING = ["I can't get a bus into town after six o'clock", "The bus stops too early in the evening",
               "Nobody can take me to church on Sunday", "Staff change so often I don't know who is coming",
               "New staff don't know how I like things done", "I have to tell my story again to every new person",
               "I feel lonely at the weekend when everything is shut", "I don't see my friends since the club closed",
               "Nobody asked me before they changed the times at the day centre, and now I miss my friends there",
               "My money runs out before the end of the month", "I can't pay for trips with the others",
               "The GP surgery phone line is always busy", "I wait weeks to see the dentist",
               "My flat is cold and the landlord does not fix it", "I want to move but nobody will help me look",
               "Forms are too hard and nobody explains them", "Letters come that I can't read",
               "I get scared going out on my own at night"]
FUTURE = ["I want my own flat one day", "I want a paid job in a shop", "I want to learn to drive",
          "I want to go on holiday with my friends", "I want to be on the committee that runs the centre",
          "I want to help other people like me", "I want to keep seeing my family", "I want to stay well"]
NAMES = ["I can't get out in the evening", "We never know who is coming", "We feel lonely", "I can't afford things",
         "I can't see a doctor when I need to", "My home is not right for me", "Nobody explains things to me",
         "I don't feel safe"]


@pytest.fixture
def room_workshop(transactional_db, monkeypatch):
    """34 invented cards (8 working, 18 not working, 8 future); the card call part-way through the not-working
    cards, which are in 8 clusters. Returns the workshop and a function that moves the day on."""
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
    cycle = ProgrammeCycle.objects.create(name="Room town, 2026", slug="room-2026", year=2026)
    cards = [("working", t) for t in WORKING] + [("not_working", t) for t in NOT_WORKING] + [
        ("future", t) for t in FUTURE]
    save_reviews(cycle, [ReviewDraft(reference=f"R-{i}", person_ref=f"P-{i}", review_date=dt.date(2026, 1, 1),
                                     area="Harford", user_group="Older people", consent=True,
                                     statements=[StatementDraft(kind, text, priority=1)])
                         for i, (kind, text) in enumerate(cards)])
    w = services.create_workshop(cycle, "Room day", "all", user)
    fac = services.Actor("fran", is_facilitator=True)

    def op(operation, **data):
        return services.run(w.pk, fac, operation, data)

    op("set_stage", stage="card_call")
    groups = {"working": [0, 0, 1, 1, 2, 2, 0, 1], "not_working": [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7],
              "future": [0, 0, 1, 2, 2, 3, 3, 3]}

    def call(kind, upto):
        board = services.main_board(w, kind)
        made: dict[int, int] = {}
        for card, group in list(zip(w.cards.filter(kind=kind).order_by("order"), groups[kind]))[:upto]:
            if board.placements.filter(card=card).exists():
                made.setdefault(group, board.placements.get(card=card).cluster_id)
                continue
            op("call_card", card=card.pk, cluster=made.get(group, "new"))
            made.setdefault(group, board.placements.get(card=card).cluster_id)

    call("working", 8)
    call("not_working", 16)

    def move_on(step):
        stage = {"votes shown": "analysis", "theme on screen": "analysis"}.get(step, step)
        if stage in ("boards", "naming", "analysis", "actions", "sharing"):
            call("not_working", 18)
            call("future", 8)
        if stage == "naming":
            for c, name in list(zip(services.main_board(w, "not_working").clusters.all(), NAMES))[:5]:
                if not c.name:
                    op("rename_cluster", cluster=c.pk, name=name)
        if stage in ("analysis", "actions", "sharing") and not w.delegates.exists():
            for c, name in zip(services.main_board(w, "not_working").clusters.all(), NAMES):
                op("rename_cluster", cluster=c.pk, name=name)
            op("set_stage", stage="analysis")
            themes = list(services.main_board(w, "not_working").clusters.all())
            for i in range(6):
                sam, _ = services.join(w.pk, f"Person {i}", "person")
                for t, dots in ((themes[1], 2), (themes[i % 8], 2), (themes[(i * 3) % 8], 1)):
                    services.run(w.pk, services.Actor(sam.name, delegate_id=sam.pk), "vote",
                                 {"cluster": t.pk, "dots": min(dots, 2)})
            chosen = themes[1]
            for text, parent in (("Staff leave after a few months", None), ("The pay is low", 0),
                                 ("Nobody writes down how I like things", None), ("There is no time to read notes", 2),
                                 ("Rotas are made at the last minute", 1)):
                op("add_cause", cluster=chosen.pk, text=text,
                   **({"parent": chosen.root_causes.order_by("id")[parent].pk} if parent is not None else {}))
            op("add_success", cluster=chosen.pk, perspective="people", text="I know who is coming and they know me")
            op("add_success", cluster=chosen.pk, perspective="staff", text="We stay long enough to know people well")
            op("add_success", cluster=chosen.pk, perspective="commissioners", text="Contracts reward keeping staff")
            for text, who in (("Keep the same small team for each person", "Provider managers"),
                              ("Write a one-page profile with each person", "Key workers"),
                              ("Pay for shadow shifts for new staff", "Commissioning lead")):
                op("add_action", stakeholder="providers", text=text, themes=[chosen.pk], owner=who,
                   measure="People say they know their staff", due="2026-10-01")
            for audience, what in (("People whose reviews were used", "The themes and what we will do"),
                                   ("Families and carers", "The action plan"), ("The provider forum", "The actions")):
                op("add_share", audience=audience, what=what, how="A letter and a meeting", due="2026-07-01",
                   easy_read="yes")
        if step == "votes shown":
            op("reveal_votes", revealed="yes")
        if step == "theme on screen":
            op("show_on_screen", cluster=services.main_board(w, "not_working").clusters.all()[1].pk)
        op("set_stage", stage=stage)
        w.refresh_from_db()
        return w

    return w, move_on


#: What must be in view at each stage: (stage, the steps to get there, CSS selectors that must all be
#: visible and inside the screen, words that must be on it, words or ".selectors" that must not).
STAGES = [
    ("join", ["join"], [".ws-room__huge"], ["people have joined"], []),
    ("card-call", ["card_call"], [".ws-room__card", ".ws-mini__col", ".ws-mini__key", ".ws-mini__card"],
     ["Which cluster does it go with?", "Not working"], ["Every card has been called"]),
    ("boards", ["boards"], [".ws-mini__col", ".ws-mini__card"], ["Working", "Not working", "Important for the future"], []),
    ("naming", ["naming"], [".ws-mini__col"], ["We never know who is coming", "Cluster F", "5 named"], []),
    ("voting-hidden", ["analysis"], [".ws-room__theme"], ["The dots are hidden", "We feel lonely"], [".ws-room__dots", "and their dots"]),
    ("voting-shown", ["votes shown"], [".ws-room__theme", ".ws-dot"], ["We never know who is coming", "11 dots"],
     ["The dots are hidden"]),
    ("analysis-theme", ["theme on screen"], [".ws-room__whys li", ".ws-room__list li"],
     ["We never know who is coming", "Why? (5 whys)", "The pay is low", "What success would look like"], []),
    ("actions", ["actions"], [".ws-room__actions li"], ["Keep the same small team for each person", "The pay is low"], []),
    ("sharing", ["sharing"], [".ws-room__list li"], ["Families and carers", "Pay for shadow shifts for new staff"], []),
]

IN_VIEW = """(selector) => [...document.querySelectorAll(selector)].filter(e => {
  const r = e.getBoundingClientRect();
  return r.width === 0 || r.height === 0 || r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1
}).map(e => e.textContent.trim().slice(0, 40))"""
#: Text cut off inside a box that hides what overflows (the wall's clusters, the called card).
CLIPPED = """() => [...document.querySelectorAll('[data-fit]')].filter(e => e.scrollHeight > e.clientHeight + 1
  || e.scrollWidth > e.clientWidth + 1).map(e => e.className)"""


def _check_screen(page, name, width, height, selectors, words, absent):
    assert page.evaluate("document.documentElement.scrollHeight") <= height, f"{name}: the page scrolls"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name}: the page scrolls sideways"
    assert page.evaluate(CLIPPED) == [], f"{name}: something is cut off"
    for selector in selectors:
        assert page.locator(selector).count(), f"{name}: nothing matches {selector}"
        assert page.evaluate(IN_VIEW, selector) == [], f"{name}: {selector} not all in view"
    text = page.locator("main").inner_text()
    for word in words:
        assert word in text, f"{name}: “{word}” is not on the screen"
    for word in absent:  # words, or (starting with ".") what no element may be
        if word.startswith("."):
            assert page.locator(word).count() == 0, f"{name}: {word} should not be on the screen"
        else:
            assert word not in text, f"{name}: “{word}” should not be on the screen"
    smallest = page.evaluate("Math.min(...[...document.querySelectorAll('.ws-room__frame *')].filter(e => "
                             "e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))"
                             ".map(e => parseFloat(getComputedStyle(e).fontSize)))")
    return smallest


def test_the_projector_shows_the_right_things_at_every_stage_at_1920_and_1280(browser, daphne_url, room_workshop, wait_live):
    w, move_on = room_workshop
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {}
    for width, height in SIZES:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        pages[width] = ctx.new_page()
        sign_in(pages[width], daphne_url, "fran")
    sizes = {}
    for name, steps, selectors, words, absent in STAGES:
        for step in steps:
            move_on(step)
        for width, height in SIZES:
            page = pages[width]
            page.goto(f"{daphne_url}/workshops/{w.code}/screen/")
            wait_live(page)
            page.wait_for_timeout(150)  # room.js fits the wall after the fonts settle
            page.screenshot(path=str(SHOTS / f"room-{name}-{width}x{height}.png"))
            smallest = _check_screen(page, f"{name} at {width}×{height}", width, height, selectors, words, absent)
            sizes[name, width] = round(smallest, 1)
            if name == "card-call":  # the wall's numbers are the keys: 1 to 7 for the 7 clusters so far
                keys = page.locator(".ws-mini__key").all_inner_texts()
                assert [k.replace("Number", "").strip() for k in keys] == [str(n) for n in range(1, 8)]
                assert page.locator(".ws-room__card .card__kind").inner_text().strip() == "Not working"
    print("\nsmallest text (px):", sizes)
    # Readable from the back of the room at 1920×1080: the called card and the votes are large.
    for name in ("join", "voting-shown", "analysis-theme", "actions", "sharing"):
        assert sizes[name, 1920] >= 18, (name, sizes[name, 1920])


def test_the_board_overview_puts_all_100_cards_on_one_1280_by_800_screen(browser, daphne_url, wall_workshop, wait_live):
    w, board = wall_workshop
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    sign_in(page, daphne_url, "fran")
    page.goto(f"{daphne_url}/workshops/{w.code}/boards/{board.pk}/")
    wait_live(page)
    toggle = page.get_by_role("button", name="Overview")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    page.wait_for_timeout(100)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "board-overview-100-cards-1280x800.png"))
    assert page.locator(".ws-card").count() == 100
    assert page.evaluate(IN_VIEW, ".ws-card") == []  # every card on the screen
    assert page.evaluate(IN_VIEW, ".ws-col__title") == []  # and every cluster, so every drop target
    assert page.evaluate(IN_VIEW, "[data-overview-toggle]") == []
    assert page.locator(".ws-card .card__kind", has_text="Not working").count() == 100  # kind in words too
    # A card dragged from the last cluster to the first, both on the screen.
    clusters = list(board.clusters.all())
    card = clusters[-1].placements.first().card
    page.drag_and_drop(f"[data-card='{card.pk}']", f"#cluster-{clusters[0].pk} .ws-col__title")
    page.wait_for_function(f"!!document.querySelector('#cluster-{clusters[0].pk} [data-card=\"{card.pk}\"]')")
    assert board.placements.get(card=card).cluster_id == clusters[0].pk
    assert page.locator("[data-overview-toggle]").get_attribute("aria-pressed") == "true"  # still in overview
    assert page.evaluate(IN_VIEW, ".ws-card") == []
    page.keyboard.press("Escape")
    assert page.locator("[data-overview-toggle]").get_attribute("aria-pressed") == "false"
    ctx.close()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_projector_and_the_board_overview_pass_axe(browser, daphne_url, room_workshop, axe, wait_live, width):
    w, move_on = room_workshop
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    page = ctx.new_page()
    sign_in(page, daphne_url, "fran")
    for step in ("card_call", "votes shown", "theme on screen"):
        move_on(step)
        page.goto(f"{daphne_url}/workshops/{w.code}/screen/")
        wait_live(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, page.evaluate(WIDEST)
        axe(page)
    board = w.boards.get(kind="not_working", is_main=True)
    page.goto(f"{daphne_url}/workshops/{w.code}/boards/{board.pk}/")
    wait_live(page)
    page.get_by_role("button", name="Overview").click()
    axe(page)
    page.keyboard.press("Escape")
    ctx.close()
