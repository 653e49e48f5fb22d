"""Last year's themes a year on: one computation, the same in every format, for the workshop chosen.

Last year (2026, ``build_world``): bus 8 people (with the action "Pay for a later bus"), staff 3,
allotment 6, home 6. This year (2027) has two workshops:

* "Workshop A" (``build_world``): bus 11 people, confirmed as last year's bus theme; staff, allotment and
  home are there too but nobody has confirmed a match for them.
* "Workshop B" (made last, so the one a report shows when none is chosen): "The last bus is too early"
  6 people, confirmed as last year's bus theme; "A home of my own" 2 people, confirmed as last year's home
  theme; a person has said that no theme of B matches last year's allotment theme.
"""
from __future__ import annotations

import html
import io
import itertools
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.reporting.conftest import ALLOTMENT, BUS, HOME, STAFF, build_world

LATE_BUS, OWN_HOME = "The last bus is too early", "A home of my own"
_CLIENTS = itertools.count(1)


def _workshop_b(cycle, user):
    """A second workshop of the same cycle, its cards from new statements of that cycle's reviews."""
    from goldenthread.reviews.models import Statement
    from goldenthread.workshops.models import Board, Cluster, Placement, Workshop, WorkshopCard

    workshop = Workshop.objects.create(cycle=cycle, name="Workshop B", created_by=user)
    order = 0
    clusters = {}
    for kind, name, people in (("not_working", LATE_BUS, range(1, 7)), ("future", OWN_HOME, (11, 12))):
        board = Board.objects.create(workshop=workshop, kind=kind, name=kind, is_main=True)
        clusters[name] = cluster = Cluster.objects.create(board=board, name=name)
        for person in people:
            order += 1
            review = cycle.reviews.get(person_ref=f"P{person}")
            statement = Statement.objects.create(review=review, kind=kind, text=f"{name} (said by P{person})",
                                                 card_text=f"{name}, card {order}")
            card = WorkshopCard.objects.create(workshop=workshop, statement=statement, kind=kind, order=order)
            Placement.objects.create(board=board, cluster=cluster, card=card)
    return workshop, clusters


def _confirm(earlier, later, user):
    from goldenthread.reporting.models import ThemeMatch

    return ThemeMatch.objects.create(previous_cluster=earlier, cluster=later, score=0.8, status="confirmed",
                                     confirmed_by=user, confirmed_at=timezone.now())


@pytest.fixture
def years(world, commissioner):
    from goldenthread.reporting.models import NoMatch
    from goldenthread.reviews.models import ProgrammeCycle

    later = ProgrammeCycle.objects.create(name="Test town, 2027", slug="test-2027", year=2027,
                                          previous=world["cycle"])
    a, a_clusters, _ = build_world(later, commissioner, year_offset=1, bus_people=range(1, 12), name_suffix=" A")
    b, b_clusters = _workshop_b(later, commissioner)
    before = world["clusters"]
    _confirm(before[BUS], a_clusters[BUS], commissioner)
    _confirm(before[BUS], b_clusters[LATE_BUS], commissioner)
    _confirm(before[HOME], b_clusters[OWN_HOME], commissioner)
    NoMatch.objects.create(previous_cluster=before[ALLOTMENT], workshop=b, decided_by=commissioner)
    return {"cycle": later, "a": a, "b": b, "before": before}


def _login(client, commissioner):
    client.force_login(commissioner)
    return client


def _html_verdicts(page: str) -> dict[str, str]:
    """{last year's theme: verdict} from the "a year on" rows of the page or the HTML file."""
    rows = re.findall(r"data-year-on>.*?<strong>(.*?): ([^<]*?)\.</strong>", page, flags=re.S)
    return {html.unescape(theme): verdict for theme, verdict in rows}


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def _api(client, path, cycle_slug="test-2027"):
    from goldenthread.api.tokens import create_client

    _c, token = create_client(f"year on {next(_CLIENTS)}", "Commissioner", cycles=["all"])
    response = client.get(f"/api/v1/cycles/{cycle_slug}/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    return response.json()


def _download(client, output, file_format, workshop):
    url = reverse("reports:download", args=["test-2027", output, file_format]) + f"?workshop={workshop.pk}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def _every_format(client, workshop) -> dict[str, dict[str, str]]:
    page = client.get(reverse("reports:page", args=["test-2027"]) + f"?workshop={workshop.pk}").content.decode()
    html_file = _download(client, "full", "html", workshop).decode()
    pdf = _pdf_text(_download(client, "full", "pdf", workshop))
    data = json.loads(_download(client, "data", "json", workshop))
    api = _api(client, f"report?workshop={workshop.pk}")
    return {
        "page": _html_verdicts(page), "html": _html_verdicts(html_file),
        "pdf": {theme: verdict for theme in (BUS, STAFF, ALLOTMENT, HOME)
                for verdict in re.findall(re.escape(theme) + r": ([a-z ]+)\.", pdf)},
        "json": {r["previous_theme"]: r["verdict"] for r in data["a_year_on"]},
        "api": {r["previous_theme"]: r["verdict"] for r in api["year_on"]},
    }


def test_a_year_on_is_the_same_on_the_page_html_pdf_json_and_api_for_the_chosen_workshop(client, years,
                                                                                           commissioner):
    from goldenthread.reporting.change import year_on

    _login(client, commissioner)
    expected = {BUS: "raised again by more people", STAFF: "not matched yet", ALLOTMENT: "not matched yet",
                HOME: "not matched yet"}
    assert {r.theme: r.verdict for r in year_on(years["before"][BUS].board.workshop, years["a"],
                                                shared=False)} == expected
    # In the shared version A's report hides the bus theme's 11 (so that staff's 3 cannot be worked out from
    # the total): every format then says just "raised again", never "more" beside a count shown as hidden.
    expected[BUS] = "raised again"
    found = _every_format(client, years["a"])  # A is not the workshop shown when none is chosen
    for where, verdicts in found.items():
        assert verdicts == expected, where
    # Each says which workshop it was compared with.
    page = client.get(reverse("reports:page", args=["test-2027"]) + f"?workshop={years['a'].pk}").content.decode()
    assert "Compared with the workshop “Workshop A”" in page
    assert 'Compared with the workshop "Workshop A"' in _pdf_text(_download(client, "full", "pdf", years["a"]))
    assert {r["compared_with"] for r in json.loads(_download(client, "data", "json", years["a"]))["a_year_on"]} \
        == {"Workshop A"}
    # The golden thread compares with the workshop the next cycle's report shows (B), and agrees with it.
    from goldenthread.reporting.golden_thread import next_year

    shown = {r["previous_theme"]: r["verdict"] for r in _api(client, "report")["year_on"]}
    assert {name: next_year(c).status for name, c in years["before"].items()} == shown
    thread = _api(client, "golden-thread", cycle_slug="test-2026")
    # Last year's 8 is hidden in last year's shared report (beside the staff theme's 3): no more or fewer.
    assert thread["results"][0]["themes"][0]["next_year"] == shown[BUS] == "raised again"


def test_the_comparison_uses_the_workshop_chosen_not_another_of_the_same_year(years):
    from goldenthread.reporting.data import build_report

    a = {r.theme: r for r in build_report(years["cycle"], years["a"], shared=False).year_on}
    b = {r.theme: r for r in build_report(years["cycle"], years["b"], shared=False).year_on}
    assert (a[BUS].verdict, a[BUS].later_theme, a[BUS].later_workshop, a[BUS].now) == (
        "raised again by more people", BUS, "Workshop A", 11)
    assert (b[BUS].verdict, b[BUS].later_theme, b[BUS].later_workshop, b[BUS].now) == (
        "raised again by fewer people", LATE_BUS, "Workshop B", 6)
    # A match confirmed in B says nothing about A.
    assert a[HOME].verdict == "not matched yet" and a[HOME].later_theme == ""


def test_an_unmatched_theme_is_not_matched_yet_never_vanished(client, years, commissioner):
    from goldenthread.reporting.data import build_report
    from goldenthread.reporting.models import ThemeMatch
    from goldenthread.workshops.models import Cluster

    staff_a = Cluster.objects.get(board__workshop=years["a"], name=STAFF)
    suggestion = ThemeMatch.objects.create(previous_cluster=years["before"][STAFF], cluster=staff_a, score=0.9)
    data = build_report(years["cycle"], years["a"])
    assert {r.theme: r.verdict for r in data.year_on}[STAFF] == "not matched yet"  # suggested is not confirmed
    suggestion.decide(commissioner, same=False)
    data = build_report(years["cycle"], years["a"])
    assert {r.theme: r.verdict for r in data.year_on}[STAFF] == "not matched yet"  # rejecting one is not "none"
    assert data.gone == []
    _login(client, commissioner)
    for verdicts in _every_format(client, years["a"]).values():
        assert verdicts[STAFF] == "not matched yet"
    page = client.get(reverse("reports:page", args=["test-2027"]) + f"?workshop={years['a'].pk}").content.decode()
    assert "vanished" not in page.lower() and "nobody raised" not in page.lower()


def test_a_theme_a_person_said_has_no_match_is_not_raised_again(client, years, commissioner):
    from goldenthread.reporting.data import build_report
    from goldenthread.reporting.models import NoMatch

    url = reverse("reports:matches", args=["test-2027"]) + f"?workshop={years['a'].pk}"
    _login(client, commissioner)
    page = client.get(url).content.decode()
    assert "No theme matches this" in page and STAFF.replace("'", "&#x27;") in page
    assert {r.theme: r.verdict for r in build_report(years["cycle"], years["a"]).year_on}[STAFF] == "not matched yet"
    response = client.post(url, {"no_match": years["before"][STAFF].pk})
    assert response.status_code == 302
    assert NoMatch.objects.filter(previous_cluster=years["before"][STAFF], workshop=years["a"],
                                  decided_by=commissioner).exists()
    a = build_report(years["cycle"], years["a"])
    assert {r.theme: r.verdict for r in a.year_on}[STAFF] == "not raised again" and a.gone == [STAFF]
    # Said of workshop B only: in A the allotment theme is still not matched yet.
    assert {r.theme: r.verdict for r in a.year_on}[ALLOTMENT] == "not matched yet"
    b = build_report(years["cycle"], years["b"])
    assert {r.theme: r.verdict for r in b.year_on}[ALLOTMENT] == "not raised again"
    # Only last year's themes can be said to have no match.
    assert client.post(url, {"no_match": "x"}).status_code == 400


def test_hidden_counts_give_no_more_or_fewer(client, years, commissioner):
    from goldenthread.reporting.data import build_report

    shared = {r.theme: r for r in build_report(years["cycle"], years["b"], shared=True, threshold=5).year_on}
    team = {r.theme: r for r in build_report(years["cycle"], years["b"], shared=False).year_on}
    assert (team[HOME].verdict, team[HOME].before, team[HOME].now) == ("raised again by fewer people", 6, 2)
    assert (shared[HOME].verdict, shared[HOME].before, shared[HOME].now) == ("raised again", 6, None)
    assert "more" not in shared[HOME].sentence and "fewer" not in shared[HOME].sentence
    assert "this year: hidden people" in shared[HOME].sentence
    # Each year's shared report's own numbers: last year's report hides the bus theme's 8 (beside the staff
    # theme's 3, secondary suppression), so the shared a year on hides it too and says no more or fewer.
    assert (shared[BUS].verdict, shared[BUS].before, shared[BUS].now) == ("raised again", None, 6)
    assert (team[BUS].verdict, team[BUS].before, team[BUS].now) == ("raised again by fewer people", 8, 6)
    _login(client, commissioner)
    for where, verdicts in _every_format(client, years["b"]).items():
        assert verdicts[HOME] == "raised again", where


def test_last_years_actions_and_status_are_in_every_format(client, years, commissioner):
    from openpyxl import load_workbook

    _login(client, commissioner)
    b = years["b"]
    said = "Pay for a later bus (Transport commissioner): Under way"
    page = client.get(reverse("reports:page", args=["test-2027"]) + f"?workshop={b.pk}").content.decode()
    assert said in page
    assert said in _download(client, "full", "html", b).decode()
    assert said in _pdf_text(_download(client, "full", "pdf", b))
    expected = [{"text": "Pay for a later bus", "owner": "Transport commissioner", "status": "Under way", "note": ""}]
    data = json.loads(_download(client, "data", "json", b))
    assert {r["previous_theme"]: r["actions"] for r in data["a_year_on"]}[BUS] == expected
    api = _api(client, f"report?workshop={b.pk}")
    assert {r["previous_theme"]: r["actions"] for r in api["year_on"]}[BUS] == expected
    sheet = load_workbook(io.BytesIO(_download(client, "data", "xlsx", b)))["Year on year"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[BUS][1] == "raised again"  # shared: last year's 8 is hidden in last year's report
    assert rows[BUS][-1] == "Pay for a later bus (Transport commissioner: Under way)"
    assert {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}[STAFF][-1] in ("", None)
    from goldenthread.reporting.you_said import last_year

    [bus, staff] = last_year(years["cycle"], workshop=b)
    assert (bus.theme, bus.change, [(a.text, a.owner, a.status) for a in bus.actions]) == (
        BUS, "raised again", [("Pay for a later bus", "Transport commissioner", "Under way")])
    assert staff.change == "not matched yet"
