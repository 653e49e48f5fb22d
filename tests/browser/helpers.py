"""What the browser tests share: signing in as a person would, and the axe-core accessibility check.

Test modules import these (``from tests.browser.helpers import axe_check, sign_in``); the fixtures
in ``conftest.py`` (``sign_in``, ``axe``, ``wait_live``) are built on them.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

PASSWORD = "a-long-pass-phrase"  # what tests/conftest.py's make_user gives every account; the demo's is DEMO_PASSWORD
SERIOUS_IMPACTS = {"serious", "critical"}
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def sign_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign in on the sign-in page of the server at ``base_url``."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()  # not "Sign in with your council account"


@cache
def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


#: Every WCAG 2.2 AA rule runs on the whole page; only the violations come back (``resultTypes`` spares axe
#: collecting every passing element, which is most of its time on a long page).
_AXE_RUN = f"""axe.run(document, {{runOnly: {WCAG_22_AA!r}, resultTypes: ['violations']}})
  .then(r => r.violations.map(v => ({{id: v.id, impact: v.impact, nodes: v.nodes.map(n => ({{target: n.target}}))}})))"""


def axe_check(page) -> None:
    """axe-core (shipped inside axe-playwright-python) on the page: no serious or critical WCAG 2.2 AA violations."""
    if not page.evaluate("typeof axe === 'object'"):  # once per document: a second check on it reuses it
        page.evaluate(_axe_source())
    violations = page.evaluate(_AXE_RUN)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in violations if v["impact"] in SERIOUS_IMPACTS]
    assert not bad, f"{page.url}: {bad}"


def wait_live(page) -> None:
    """Wait until the page's websocket says it is live."""
    page.wait_for_function("(document.querySelector('[data-live-status]')?.textContent || '').startsWith('Live')")
