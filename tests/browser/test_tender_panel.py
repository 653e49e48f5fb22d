"""The people's panel on a phone: a member opens their personal link, scores a bid with big answers in words, and
nothing scrolls sideways at 320 or 1280 px, and the page passes axe-core at 320 px, as "how we decided" does at
390 px. (The tender page itself is in the walk of every page at three widths, test_fits_the_screen.py.)"""
from __future__ import annotations

from goldenthread.demo import DEMO_PASSWORD
from tests.browser.helpers import axe_check, sign_in


def test_a_panel_member_scores_a_bid_on_a_phone(browser, live_server, transactional_db, demo_data):
    from goldenthread.demo.tenders import NAME, load_tenders_demo
    from goldenthread.tenders import services
    from goldenthread.tenders.models import Score, Tender

    load_tenders_demo()
    tender = Tender.objects.get(name=NAME)
    member, bid = tender.panel.first(), tender.bids.get(label="Bid C")
    Score.objects.filter(member=member, bid=bid).delete()
    link = live_server.url + f"/panel/join/{services.new_link(member)}/"
    for width in (320, 1280):
        ctx = browser.new_context(viewport={"width": width, "height": 800}, has_touch=width < 500)
        page = ctx.new_page()
        page.goto(link)
        page.get_by_role("link", name="Bid C").click()
        assert page.locator("h1").inner_text() == "Bid C"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), width
        labels = page.locator(".panel-score__answers .govuk-radios__label")
        assert labels.count() == 5 * tender.criteria.count()
        assert all(labels.nth(i).bounding_box()["height"] >= 24 for i in range(5))
        if width == 320:
            axe_check(page)
            for n, criterion in enumerate(tender.criteria.all()):
                page.locator(f"label[for=id_c{criterion.pk}_{n % 5}]").tap()
            page.get_by_role("button", name="Save my answers for Bid C").tap()
            page.wait_for_url("**/panel/")
            assert "Your answers for Bid C are saved" in page.content()
        ctx.close()
    saved = dict(Score.objects.filter(member=member, bid=bid).values_list("criterion__position", "value"))
    assert sorted(saved.values()) == [0, 1, 2, 3]
    ctx = browser.new_context(viewport={"width": 390, "height": 800})
    page = ctx.new_page()
    sign_in(page, live_server.url, "commissioner", DEMO_PASSWORD)
    page.goto(live_server.url + f"/tenders/{tender.pk}/how-we-decided/")
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    ctx.close()
