"""Every providers page in the browser at desktop (1280 px) and phone (390 px) widths, checked with axe-core."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from goldenthread.demo import DEMO_PASSWORD
from tests.browser.helpers import axe_check, sign_in


@pytest.fixture
def demo(transactional_db):
    from goldenthread.demo.providers import load_providers_demo
    from goldenthread.demo import create_demo_users
    from goldenthread.core.models import Service, StaffProfile
    from django.contrib.auth.models import User

    create_demo_users()
    service = Service.objects.create(name="Brookside Support")
    StaffProfile.objects.create(user=User.objects.get(username="provider")).services.add(service)
    load_providers_demo()
    return service


def urls(service):
    from django.urls import reverse

    from goldenthread.providers.models import Doughnut, Fund, SupportedPerson

    sally = SupportedPerson.objects.get(name="Sally")
    fund = Fund.objects.get(person=sally)
    shared = Fund.objects.get(name="Elm Road shared tenancy")
    entry = fund.entries.first()
    d = Doughnut.objects.get(person=sally)
    return [reverse("providers:index"), reverse("providers:person", args=[sally.pk]),
            reverse("providers:fund", args=[fund.pk]), reverse("providers:fund", args=[shared.pk]),
            reverse("providers:statement", args=[fund.pk, 2026, 11]),
            reverse("providers:easy_statement", args=[fund.pk, 2026, 11]),
            reverse("providers:record", args=[fund.pk]), reverse("providers:correct", args=[fund.pk, entry.pk]),
            reverse("providers:plan_line_new", args=[fund.pk]), reverse("providers:redivide", args=[shared.pk]),
            reverse("providers:matching", args=[sally.pk]), reverse("providers:team", args=[service.pk]),
            reverse("providers:four_plus_one_new", args=[sally.pk]),
            reverse("providers:learning_log_new", args=[sally.pk]), reverse("providers:doughnut_new", args=[sally.pk]),
            reverse("providers:job_spec", args=[sally.pk, d.pk]), reverse("providers:wishes", args=[sally.pk]),
            reverse("providers:staff_new", args=[service.pk]),
            reverse("providers:shared_people", args=[shared.pk]), reverse("providers:shared_new", args=[service.pk]),
            reverse("providers:accounts", args=[sally.pk])]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_every_providers_page_has_no_serious_axe_violations(browser, live_server, demo, width):
    context, page = signed_in(browser, live_server, width, "provider")
    for url in urls(demo):
        page.goto(live_server.url + url)
        assert page.locator("h1").count() == 1, url
        axe_check(page)
    # An error summary is accessible too.
    page.goto(live_server.url + urls(demo)[6])
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe_check(page)
    # The person sees their own easy-read statement.
    context.close()
    context, page = signed_in(browser, live_server, width, "sally")
    page.goto(live_server.url + urls(demo)[5])
    expect(page.get_by_text("Picture: a moon and a star, for late at night").first).to_be_visible()
    axe_check(page)
    context.close()


def setup_urls(service):
    """The pages that set people, funds, rules, accounts, plan lines and team notes up."""
    from django.urls import reverse

    from goldenthread.providers.models import Doughnut, FlexRule, Fund, SupportedPerson

    sally = SupportedPerson.objects.get(name="Sally")
    fund = Fund.objects.get(person=sally)
    band = FlexRule.objects.filter(fund=fund, kind="time_band").first()
    d = Doughnut.objects.get(person=sally)
    four, log = sally.four_plus_ones.first(), sally.learning_logs.first()
    urls = [reverse("providers:person_new"), reverse("providers:person_edit", args=[sally.pk]),
            reverse("providers:fund_new", args=[sally.pk]), reverse("providers:accounts", args=[sally.pk]),
            reverse("providers:rules", args=[fund.pk]), reverse("providers:band_new", args=[fund.pk]),
            reverse("providers:band_edit", args=[fund.pk, band.pk]), reverse("providers:allocation", args=[fund.pk]),
            reverse("providers:plan_line_edit", args=[fund.pk, fund.plan_lines.first().pk]),
            reverse("providers:doughnut_edit", args=[sally.pk, d.pk]),
            reverse("providers:job_spec", args=[sally.pk, d.pk])]
    if four:
        urls.append(reverse("providers:four_plus_one_edit", args=[sally.pk, four.pk]))
    if log:
        urls.append(reverse("providers:learning_log_edit", args=[sally.pk, log.pk]))
    return urls


def signed_in(browser, live_server, width, username):
    """A new browser window of this width, signed in as a demo account."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, username, DEMO_PASSWORD)
    page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_set_up_pages_and_the_persons_own_view_have_no_serious_axe_violations(browser, live_server, demo, width):
    context, page = signed_in(browser, live_server, width, "provider")
    for url in setup_urls(demo):
        page.goto(live_server.url + url)
        assert page.locator("h1").count() == 1, url
        axe_check(page)
    # Error summaries on the new forms.
    page.goto(live_server.url + setup_urls(demo)[2])  # open a fund
    page.get_by_label("Standard hours a week").fill("-3")
    page.get_by_role("button", name="Open the fund").click()
    expect(page.get_by_text("Standard hours a week must be 0 or more").first).to_be_visible()
    axe_check(page)
    page.goto(live_server.url + setup_urls(demo)[4])  # rules
    page.get_by_label("Unused hours can be turned into money").check()
    page.get_by_role("button", name="Save these rules").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe_check(page)
    context.close()
    # The person lands on the easy-read statement of their own fund, without the staff navigation; the full
    # statement is a link away, and the page fits the screen.
    context, page = signed_in(browser, live_server, width, "sally")
    assert page.locator("h1").inner_text().startswith("Sally: your support in ")
    assert page.get_by_role("navigation", name="Main").count() == 0
    expect(page.get_by_role("link", name=re.compile("^The full statement for "))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    axe_check(page)
    context.close()


LONG_WORD = "Supercalifragilisticexpialidocious-and-then-some-more-letters-without-a-break"


def test_a_long_word_never_widens_a_page_past_320_px_and_header_links_are_24_px_tall(browser, live_server, demo):
    """Issue 26: the profile, its print page and the easy-read statement with a long word fit 320 px; every
    header link is a 24 px target (WCAG 2.2, 2.5.8)."""
    import datetime as dt
    from decimal import Decimal as D

    from django.contrib.auth.models import User
    from django.urls import reverse

    from goldenthread.providers import services
    from goldenthread.providers.models import Fund, SupportedPerson
    from goldenthread.reviews.models import OnePageProfile

    fund = Fund.objects.get(person=SupportedPerson.objects.get(name="Sally"))
    day = dt.date.today()
    services.record_purchase(fund, day, D("1"), by=User.objects.get(username="admin"), description=LONG_WORD)
    OnePageProfile.objects.create(person_ref="P-LONG", name="Ivy", appreciate="Kind", support="Slowly",
                                  important=f"My garden\n{LONG_WORD}")
    pages = [reverse("profile", args=["P-LONG"]), reverse("profile_print", args=["P-LONG"]),
             reverse("providers:easy_statement", args=[fund.pk, day.year, day.month])]
    context, page = signed_in(browser, live_server, 320, "admin")
    for url in pages:
        page.goto(live_server.url + url)
        assert LONG_WORD[:20] in page.content(), url
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    heights = page.evaluate("[...document.querySelectorAll('.govuk-header a')].map(a => "
                            "a.getBoundingClientRect().height)")
    assert heights and min(heights) >= 24, heights
    context.close()
