"""Council sign-in in the browser: "Sign in with your council account", through the local OpenID provider
(tests/accounts/fake_idp.py, a WSGI app on 127.0.0.1 in this process), back signed in with the mapped role.
The sign-in and password reset pages pass axe-core and fit the screen at 320, 390 and 1280 px."""
from __future__ import annotations

import pytest

from tests.accounts.fake_idp import FakeProvider, configure

WIDTHS = [320, 390, 1280]


@pytest.fixture
def council_idp(settings, live_server):
    from goldenthread.core import roles

    roles.ensure_roles()
    provider = FakeProvider.start()
    configure(settings, provider)
    yield provider
    provider.stop()


def test_a_council_sign_in_through_the_local_provider_lands_signed_in_with_the_mapped_role(
        page, live_server, council_idp):
    council_idp.sign_in_as(sub="7d1e-object-id", preferred_username="alex.khan@council.example.gov.uk",
                           email="alex.khan@council.example.gov.uk", groups=["gt-commissioners"])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with your council account").click()
    page.wait_for_url(f"{live_server.url}/")
    header = page.get_by_role("navigation", name="Account")
    assert "Signed in as alex.khan@council.example.gov.uk (Commissioner)" in header.inner_text()
    assert page.get_by_role("heading", level=1).count() == 1
    assert len(council_idp.authorize_requests) == 1 and council_idp.codes == {}  # the code was used up


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sign_in_and_password_reset_pages_pass_axe_and_fit_the_screen(browser, live_server, council_idp, axe,
                                                                           width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    problems = []
    for path in ("/accounts/login/", "/accounts/password-reset/", "/accounts/password-reset/sent/",
                 "/accounts/reset/MQ/not-a-real-token/", "/accounts/council-sign-in/problem/"):
        page.goto(live_server.url + path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{path} at {width}px is {scroll}px wide")
        try:
            axe(page)
        except AssertionError as exc:
            problems.append(f"{path} at {width}px: {exc}")
    # The reset form with its error, as someone who typed a wrong address sees it.
    page.goto(live_server.url + "/accounts/password-reset/")
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_text("There is a problem").wait_for()
    axe(page)
    context.close()
    assert not problems, "\n".join(problems)
