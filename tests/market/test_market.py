"""The market directory (imports, pages, API), links from future themes, the market view and its summary."""
from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from goldenthread.core import roles
from goldenthread.market import services
from goldenthread.market.models import Provision, ServiceType, ThemeServiceType
from goldenthread.market.services import MarketFileError, import_provisions, import_service_types, read_table
from goldenthread.reporting.market import market_view
from goldenthread.workshops import theme_links
from tests.reporting.conftest import BUS, HOME, build_world

TYPES_CSV = (b"name,description\nSupported living,A home of my own with support\n"
             b"Supported employment,Help to find a job\n")
PROVISIONS_HEAD = "name,kind,service_type,organisation,areas,user_groups,capacity,capacity_unit,notes\n"


def _provisions(*rows: str) -> bytes:
    return (PROVISIONS_HEAD + "\n".join(rows) + "\n").encode()


@pytest.fixture
def world(cycle, make_user):
    """build_world's future theme "I want my own home": P11-P16, six people, all Harford and Learning disability.
    It is confirmed as asking for supported living; Northbrook has 10 flats, Harford none."""
    user = make_user(roles.COMMISSIONER, "cora")
    workshop, clusters, action = build_world(cycle, user)
    import_service_types(read_table(TYPES_CSV, "types.csv"))
    import_provisions(read_table(_provisions("Northbrook flats,service,Supported living,Beech Homes,Northbrook,,10,flats,"),
                                 "p.csv"))
    living = ServiceType.objects.get(name="Supported living")
    services.link_by_hand(clusters[HOME], living, user)
    return {"cycle": cycle, "workshop": workshop, "clusters": clusters, "user": user, "living": living}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _gap(view, service_type, area=None, group=None):
    t = next(t for t in view.types if t.name == service_type)
    return next(g for g in t.gaps.gaps if (g.area, g.user_group) == (area, group))


# --- Imports -------------------------------------------------------------------------------------

def test_a_directory_file_adds_entries_and_importing_it_again_updates_without_duplicates(world):
    data = _provisions("Harford flats,service,Supported living,Beech Homes,Harford; Northbrook,Learning disability,4,,",
                       "Job club,community,Supported employment,,Harford,,,,")
    summary = import_provisions(read_table(data, "p.csv"))
    assert (summary.created, summary.updated) == (2, 0)
    flats = Provision.objects.get(name="Harford flats")
    assert sorted(a.name for a in flats.areas.all()) == ["Harford", "Northbrook"]
    assert [g.name for g in flats.user_groups.all()] == ["Learning disability"] and flats.capacity == 4
    again = import_provisions(read_table(data.replace(b",4,", b",5,"), "p.csv"))
    assert (again.created, again.updated) == (0, 1)
    assert Provision.objects.count() == 3 and Provision.objects.get(name="Harford flats").capacity == 5


def test_a_directory_workbook_is_imported(world):
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "service_type", "areas", "capacity"])
    sheet.append(["Work trials", "supported employment", "Harford", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    assert import_provisions(read_table(buffer.getvalue(), "p.xlsx")).created == 1
    assert Provision.objects.get(name="Work trials").service_type.name == "Supported employment"


def test_a_bad_directory_file_names_every_row_and_column_and_saves_nothing(world):
    data = _provisions("Good one,service,Supported living,,Harford,,3,,",
                       "Bad capacity,service,Supported living,,Harford,,lots,,",
                       "Misspelt,service,Supported living,,Northbrok,Older peple,,,",
                       "Odd,shop,Nothing like it,,,,-2,,",
                       "Good one,service,Supported living,,Harford,,3,,")
    with pytest.raises(MarketFileError) as caught:
        import_provisions(read_table(data, "p.csv"))
    said = [str(p) for p in caught.value.problems]
    assert 'Row 3, column capacity: "lots" is not a whole number of 0 or more' in said
    assert "Row 4, column areas: 'Northbrok' is not one of the council's areas. Did you mean 'Northbrook'?" in said
    assert "Row 4, column user_groups: 'Older peple' is not one of the council's user groups. " \
           "Did you mean 'Older people'?" in said
    assert "Row 5, column areas: is empty" in said
    assert 'Row 5, column kind: must be "service", "provider" or "community"' in said
    assert any(p.startswith('Row 5, column service_type: "Nothing like it" is not one of the service types') for p in said)
    assert 'Row 5, column capacity: "-2" is not a whole number of 0 or more' in said
    assert 'Row 6, column name: "Good one" of this type is on row 2 too' in said
    assert Provision.objects.count() == 1  # only the fixture's; the good first row was not saved either


def test_a_file_that_is_not_a_directory_is_refused_whole(db):
    with pytest.raises(MarketFileError) as caught:
        import_service_types(read_table(b"code,statement\nO1,x\n", "types.csv"))
    assert "does not look like a table of service types" in str(caught.value.problems[0])
    with pytest.raises(MarketFileError):
        read_table(b"", "types.csv")


# --- Links from future themes --------------------------------------------------------------------

def test_the_engine_suggests_service_types_for_future_themes_only_and_a_suggestion_counts_for_nothing(world,
                                                                                                      monkeypatch):
    ThemeServiceType.objects.all().delete()
    monkeypatch.setattr(theme_links, "similarity", lambda a, b: [[0.9, 0.5] for _ in a])
    assert services.suggest_links(world["workshop"]) == 2  # the one future theme, its two most alike types
    assert set(ThemeServiceType.objects.values_list("cluster__board__kind", flat=True)) == {"future"}
    assert _gap(market_view(world["cycle"], shared=False), "Supported living").people == 0
    link = ThemeServiceType.objects.get(service_type=world["living"])
    client = _client(world["user"])
    response = client.post(reverse("market:links", args=["test-2026"]), {"link": link.pk, "decision": "confirm"})
    assert response.status_code == 302
    assert _gap(market_view(world["cycle"], shared=False), "Supported living").people == 6
    assert client.post(reverse("market:links", args=["test-2026"]), {"link": "x1"}).status_code == 400


# --- The market view -----------------------------------------------------------------------------

def test_a_gap_is_shown_when_no_service_in_the_area_offers_it_and_when_demand_outstrips_capacity(world):
    view = market_view(world["cycle"], shared=False)
    council, harford = _gap(view, "Supported living"), _gap(view, "Supported living", "Harford")
    assert (council.people, council.provisions, council.capacity, council.flags) == (6, 1, 10, [])
    assert (harford.people, harford.provisions, harford.flags) == (6, 0, ["Nothing offered"])
    import_provisions(read_table(_provisions("Harford flats,service,Supported living,,Harford,Learning disability,4,,"),
                                 "p.csv"))
    harford = _gap(market_view(world["cycle"], shared=False), "Supported living", "Harford")
    assert (harford.people, harford.capacity, harford.flags) == (6, 4, ["Demand outstrips capacity"])


def test_the_market_view_quotes_short_anonymised_cards_of_the_linked_theme(world):
    view = market_view(world["cycle"])
    living = next(t for t in view.types if t.name == "Supported living")
    assert living.quotes and all(q.startswith("I want my own home, card") for q in living.quotes)
    assert len(living.quotes) <= 3
    assert living.themes == [(world["clusters"][HOME].pk, HOME)]


@pytest.fixture
def hidden(world, settings):
    """The limit raised to 7: the six people who want supported living are too few to show."""
    settings.GOLDENTHREAD_SUPPRESS_BELOW = 7
    return world


def test_the_summary_page_pdf_and_workbook_hide_a_small_count_that_the_team_version_shows(hidden, make_user):
    viewer = _client(make_user(roles.VIEWER, "vera"))
    page = viewer.get(reverse("reports:market_summary", args=["test-2026"])).content.decode()
    assert "<em>hidden</em>" in page and "I want my own home, card" not in page
    assert "Nothing offered" in page  # Harford has no provision: that is public
    assert ">6<" not in page
    pdf = viewer.get(reverse("reports:market_summary_file", args=["test-2026", "pdf"]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "number hidden" in text and "6 people" not in text
    xlsx = viewer.get(reverse("reports:market_summary_file", args=["test-2026", "xlsx"]))
    rows = list(load_workbook(io.BytesIO(xlsx.content))["Gaps"].iter_rows(values_only=True))
    living = [r for r in rows[1:] if r[0] == "Supported living"]
    assert [(r[2], r[4], r[5]) for r in living if r[4] is not None] == [("Northbrook", 0, "no")]  # 0 tells nothing
    assert len(living) == 5 and all(r[5] == "yes" for r in living if r[2] != "Northbrook")
    thread = viewer.get(reverse("reports:theme_thread", args=[hidden["clusters"][HOME].pk])).content.decode()
    assert "Whole council: number of people hidden" in thread and "6 people want it" not in thread
    # A viewer asking for the team version still gets the shared one; the workshop team gets every count.
    assert ">6<" not in viewer.get(reverse("reports:market", args=["test-2026"]) + "?version=team").content.decode()
    team = _client(hidden["user"]).get(reverse("reports:market", args=["test-2026"]) + "?version=team")
    assert ">6<" in team.content.decode()


def test_the_golden_thread_of_a_future_theme_shows_the_kinds_of_support_it_asks_for_and_the_gaps(world, make_user):
    page = _client(make_user(roles.VIEWER, "vera")).get(
        reverse("reports:theme_thread", args=[world["clusters"][HOME].pk])).content.decode()
    assert "The kinds of support it asks for" in page and "Supported living" in page
    assert "Harford" in page and "Nothing offered" in page
    bus = _client(world["user"]).get(reverse("reports:theme_thread", args=[world["clusters"][BUS].pk]))
    assert "The kinds of support it asks for" not in bus.content.decode()


def test_hostile_names_are_escaped_on_the_pages_and_neutralised_in_the_workbook(world, make_user):
    ServiceType.objects.filter(pk=world["living"].pk).update(name='=HYPERLINK("http://x","y")',
                                                             description="<script>alert(1)</script>")
    Provision.objects.update(name="<img src=x onerror=alert(1)>")
    viewer = _client(make_user(roles.VIEWER, "vera"))
    for url in (reverse("market:index"), reverse("reports:market_summary", args=["test-2026"])):
        page = viewer.get(url).content.decode()
        assert "<script>alert(1)" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    xlsx = viewer.get(reverse("reports:market_summary_file", args=["test-2026", "xlsx"])).content
    names = [r[0] for r in load_workbook(io.BytesIO(xlsx))["Gaps"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in names and '=HYPERLINK("http://x","y")' not in names


# --- Keeping the directory -----------------------------------------------------------------------

@pytest.mark.parametrize("role", [roles.VIEWER, roles.PROVIDER_MANAGER, roles.REVIEW_FACILITATOR])
def test_only_people_who_run_cycles_may_change_the_directory_or_decide_links(world, make_user, role):
    client = _client(make_user(role))
    flats = Provision.objects.get()
    for url in (reverse("market:add", args=["provisions"]), reverse("market:edit", args=["provisions", flats.pk]),
                reverse("market:remove", args=["provisions", flats.pk]), reverse("market:import", args=["provisions"]),
                reverse("market:links", args=["test-2026"])):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x"}).status_code == 403, url
    assert Provision.objects.count() == 1 and client.get(reverse("market:index")).status_code == 200


def test_a_commissioner_adds_changes_and_removes_a_provision_and_each_change_is_logged(world):
    from auditlog.models import LogEntry
    from goldenthread.core.models import Area

    client = _client(world["user"])
    harford = Area.objects.get(name="Harford")
    form = {"name": "Harford flats", "kind": "service", "service_type": world["living"].pk, "areas": [harford.pk],
            "capacity": "4", "capacity_unit": "flats"}
    response = client.post(reverse("market:add", args=["provisions"]), {**form, "areas": []})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert client.post(reverse("market:add", args=["provisions"]), form).status_code == 302
    flats = Provision.objects.get(name="Harford flats")
    assert client.post(reverse("market:edit", args=["provisions", flats.pk]), {**form, "capacity": "8"}).status_code == 302
    flats.refresh_from_db()
    assert flats.capacity == 8
    duplicate = client.post(reverse("market:add", args=["provisions"]), {**form, "name": "harford FLATS"})
    assert "already a provision of this kind" in duplicate.content.decode()
    assert client.post(reverse("market:remove", args=["provisions", flats.pk])).status_code == 302
    assert not Provision.objects.filter(name="Harford flats").exists()
    logged = LogEntry.objects.filter(content_type__model="provision", object_pk=str(flats.pk))
    assert logged.count() == 3
    refused = client.post(reverse("market:remove", args=["service-types", world["living"].pk]))
    assert "cannot be removed while provisions of this kind are listed" in refused.content.decode()


def test_the_import_page_lists_each_problem_and_saves_nothing(world):
    client = _client(world["user"])
    upload = io.BytesIO(_provisions("New,service,Supported living,,Atlantis,,,,"))
    upload.name = "p.csv"
    response = client.post(reverse("market:import", args=["provisions"]), {"file": upload})
    assert "Row 2, column areas: &#x27;Atlantis&#x27; is not one of the council&#x27;s areas." in response.content.decode()
    assert Provision.objects.count() == 1


# --- The API -------------------------------------------------------------------------------------

def test_a_writing_token_sends_the_directory_and_a_shared_token_reads_the_gaps_suppressed(hidden, client, make_user):
    from goldenthread.api.tokens import create_client

    _c, writer = create_client("writer", "Facilitator", cycles=["all"], write=True)
    _c, reader = create_client("reader", "Viewer", cycles=["all"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {writer}"}
    body = '{"provisions": [{"name": "Harford flats", "service_type": "Supported living", "areas": ["Harford"], ' \
           '"capacity": 4}, {"name": "Bad", "service_type": "Supported living", "areas": ["Atlantis"]}]}'
    response = client.post("/api/v1/provisions", body, content_type="application/json", **auth)
    assert response.status_code == 422
    assert [(e["pointer"], e["row"]) for e in response.json()["errors"]] == [("/provisions/1/areas", "Provision 2")]
    good = body.split(", {\"name\": \"Bad\"")[0] + "]}"
    assert client.post("/api/v1/provisions", good, content_type="application/json", **auth).status_code == 201
    denied = client.post("/api/v1/provisions", good, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {reader}")
    assert denied.status_code == 403
    listed = client.get("/api/v1/provisions", HTTP_AUTHORIZATION=f"Bearer {reader}").json()
    assert [p["name"] for p in listed["results"]] == ["Harford flats", "Northbrook flats"]
    types = client.get("/api/v1/service-types", HTTP_AUTHORIZATION=f"Bearer {reader}").json()["results"]
    assert [t["themes"] for t in types if t["name"] == "Supported living"] == [[hidden["clusters"][HOME].pk]]
    gaps = client.get("/api/v1/cycles/test-2026/market-gaps", HTTP_AUTHORIZATION=f"Bearer {reader}").json()
    living = [g for g in gaps["results"] if g["service_type"] == "Supported living"]
    assert gaps["shared"] and gaps["suppress_below"] == 7
    assert len(living) == 5
    assert all(g["people"] is None and not g["outstrips_capacity"] for g in living if g["area"] != "Northbrook")
