"""The story first: every report opens (the page, the HTML file and page 1 of the PDF) with what people said,
what was decided and what changed since last year, counted in people and hidden where the report hides.

The world (tests/reporting/conftest.py): the bus theme has 9 cards from 8 people; the staff theme 3 people
(a small count, which also hides the bus theme's 8 in shared outputs); the allotment and home themes 6 each.
"""
from __future__ import annotations

import io
import re

from django.urls import reverse

from tests.reporting.conftest import ALLOTMENT, BUS, HOME, STAFF
from tests.reporting.test_year_on import years  # noqa: F401 - the fixture

_ = years


def _story_html(page: str) -> str:
    """The story section of a page or HTML file."""
    start = page.index("data-story>")
    return page[start:page.index("</section>\n", page.index('id="h-story-changed"', start))]


def _page_one(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())


def test_the_story_counts_people_not_statements(world):
    from goldenthread.reporting.data import build_report
    from goldenthread.reporting.story import build_story

    story = build_story(build_report(world["cycle"], world["workshop"], shared=False))
    said = {k.kind: [(t.name, t.people) for t in k.themes] for k in story.said}
    assert said["not_working"] == [(BUS, 8), (STAFF, 3)]  # the bus theme has 9 cards, from 8 people
    assert said["working"] == [(ALLOTMENT, 6)] and said["future"] == [(HOME, 6)]
    assert [k.kind for k in story.said] == ["not_working", "working", "future"]
    assert story.said[0].people == 10  # P1-P10, though P1 is in both themes
    assert [(t.name, t.dots) for t in story.voted] == [(BUS, 7), (STAFF, 3)]
    assert [(a.text, a.owner, a.status) for a in story.actions] == [
        ("Pay for a later bus", "Transport commissioner", "Under way")]


def test_the_shared_story_hides_every_count_the_shared_report_hides(client, world, make_user):
    from goldenthread.core import roles
    from goldenthread.reporting.data import build_report
    from goldenthread.reporting.story import build_story

    report = build_report(world["cycle"], world["workshop"], shared=True)
    story = build_story(report)
    hidden = {t.name for k in report.kinds for t in k.themes if t.people is None}
    assert hidden == {BUS, STAFF}  # 3 is small; 8 would be 10 minus 3 beside the kind's total
    assert {t.name: t.people for k in story.said for t in k.themes} == {
        t.name: t.people for k in report.kinds for t in k.themes}
    client.force_login(make_user(roles.VIEWER, "vic"))
    page = client.get(reverse("reports:page", args=[world["cycle"].slug])).content.decode()
    told = _story_html(page)
    assert told.count("number hidden") == 2 and "6 people" in told
    assert not re.search(r"\b[38] (people|person)\b", told)
    # The team sees the true numbers.
    client.force_login(make_user(roles.COMMISSIONER, "tess"))
    team = _story_html(client.get(reverse("reports:page", args=[world["cycle"].slug]) + "?version=team")
                       .content.decode())
    assert "8 people" in team and "3 people" in team and "9 people" not in team and "number hidden" not in team


def test_the_report_page_opens_with_the_story_then_the_downloads_then_the_detail(client, world, make_user):
    from goldenthread.core import roles

    client.force_login(make_user(roles.VIEWER, "vic"))
    page = client.get(reverse("reports:page", args=[world["cycle"].slug])).content.decode()
    story = page.index("data-story>")
    downloads = page.index("Download this report")
    first_file = page.index("/report/download/")
    detail = page.index('id="detail"')
    assert story < downloads < first_file < detail < page.index("<svg")
    told = _story_html(page)
    for said in ("What people said", "Not working", "Working", "Important for the future", "What was decided",
                 "Pay for a later bus", "Transport commissioner", "Under way", "What changed since last year"):
        assert said in told, said
    # Each chart has a list in its place for small screens: each theme with its number in words.
    assert re.search(r'<li><span class="chart-list__name">I love the allotment</span><span class="chart-list__value">'
                     r'<meter min="0" max="6" value="6" aria-hidden="true"></meter> <strong>6</strong>', page)


def test_the_story_tells_what_changed_since_last_year_from_the_one_computation(client, years, commissioner):
    from goldenthread.reporting.change import year_on
    from goldenthread.reporting.data import build_report, pick_workshop
    from goldenthread.reporting.story import build_story

    b = years["b"]
    story = build_story(build_report(years["cycle"], b, shared=False))
    assert 'compared with this year\'s workshop “Workshop B”' in story.compared_with
    verdicts = {r.theme: r.verdict for r in year_on(pick_workshop(years["cycle"].previous), b, shared=False)}
    assert {c.theme: c.verdict for c in story.changes} == {
        t: v for t, v in verdicts.items() if v != "not matched yet"}
    assert {c.theme: c.verdict for c in story.changes} == {
        BUS: "raised again by fewer people", HOME: "raised again by fewer people", ALLOTMENT: "not raised again"}
    assert story.verdict_summary == ("Of last year's 4 themes: 2 raised again (2 by fewer people); "
                                     "1 not matched yet; 1 not raised again.")
    assert story.actions_summary == "Last year's 1 action: 1 under way."
    client.force_login(commissioner)
    page = client.get(reverse("reports:page", args=["test-2027"]) + f"?workshop={b.pk}&version=team")
    told = _story_html(page.content.decode())
    assert "Workshop B" in told and "raised again by fewer people" in told and "not raised again" in told


def test_pdf_page_one_is_the_story(client, years, commissioner):
    client.force_login(commissioner)
    a = years["a"]
    url = reverse("reports:download", args=["test-2027", "full", "pdf"]) + f"?workshop={a.pk}&version=team"
    first = _page_one(client.get(url).content)
    assert "the story in two minutes" in first
    assert BUS in first and "11 people" in first  # the top not-working theme, in people
    assert "Transport commissioner" in first and "Under way" in first  # an action, who, its status
    assert "raised again by more people" in first and "Workshop A" in first  # a year on, and with which workshop
    assert "last year 8 people, this year 11 people" in first
    assert "people per theme" not in first  # the detail (charts) starts on page 2
    # Shared: the hidden counts stay hidden on page 1 too.
    from goldenthread.reporting.data import build_report

    report = build_report(years["cycle"], a, shared=True)
    assert {t.name: t.people for t in report.not_working} == {BUS: None, STAFF: None}
    shared = _page_one(client.get(url.replace("&version=team", "")).content)
    assert f"{BUS} number hidden" in shared and f"{STAFF} number hidden" in shared
    assert not re.search(r"\b(3|8|9) people\b", shared) and "this year: 11" not in shared
    # Both years' counts are hidden, so no "more" or "fewer" is said, and no count beside it.
    assert f"{BUS} (not working): raised again." in shared


def test_the_html_file_opens_with_the_same_story(client, world, make_user):
    from goldenthread.core import roles

    client.force_login(make_user(roles.VIEWER, "vic"))
    html = client.get(reverse("reports:download", args=[world["cycle"].slug, "full", "html"])).content.decode()
    told = _story_html(html)
    assert html.index("data-story>") < html.index('id="detail"') and "Transport commissioner" in told
    assert told.count("number hidden") == 2
