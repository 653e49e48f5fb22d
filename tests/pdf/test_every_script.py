"""Every script, in every PDF: statements imported in ten languages come out of each kind of PDF as written.

What the assertions prove, and what they do not:

* Latin (Welsh ŵ ŷ, Polish Ł ą ę ż), Greek, Cyrillic, Chinese, Arabic and Urdu: the statement is found in
  the text pypdf reads back, after Unicode compatibility normalisation (NFKC: the shaped Arabic glyphs are
  stored as Arabic presentation forms, which NFKC turns back into the letters typed) and with spaces
  removed (a card wraps its lines). So every letter was printed with a glyph that maps back to it, and the
  right-to-left words come back in reading order.
* Gurmukhi and Bengali: shaping turns vowel signs and conjuncts into glyphs that have no character of their
  own, so the text read back cannot equal the statement. The test checks that each of its letters
  (consonants and independent vowels) comes back in order, that the script's Noto font is embedded, and
  that a vowel sign comes back in drawn order (before its consonant), which only shaping does. For Arabic
  and Urdu it also checks that the letters were printed in their joined (contextual) forms.
  Whether the marks sit in the right place is seen on the rendered card sheet, not asserted here.
* Where Urdu or Arabic sits inside an English sentence (the job specification's "Amira enjoys: ..., ..."),
  pypdf reads each line's glyphs back left to right, so the test checks each right-to-left word whole
  (read back forwards or backwards), not the order of the words.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import types
import unicodedata
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader

from goldenthread.pdf import printable

STATEMENTS = {  # invented for this test
    "Welsh": "Dw i'n hoffi'r tŷ newydd a mynd at y dŵr",
    "Polish": "Chcę pojechać do Łodzi z siostrą, żeby zobaczyć mamę",
    "Greek": "Θέλω να πηγαίνω για κολύμπι κάθε Σάββατο",
    "Russian": "Мне нравится гулять в парке с соседкой",
    "Urdu": "میں ہر ہفتے پارک جانا چاہتا ہوں",
    "Arabic": "أريد أن أذهب إلى المكتبة مع أختي",
    "Punjabi": "ਮੈਨੂੰ ਬਾਗ ਵਿੱਚ ਕੰਮ ਕਰਨਾ ਪਸੰਦ ਹੈ",
    "Bengali": "আমি বাজারে যেতে চাই",
    "Chinese": "我想和朋友一起去公园散步",
}
SHAPED = {"Punjabi": "NotoSansGurmukhi", "Bengali": "NotoSansBengali"}
#: The vowel sign i is written after its consonant and drawn before it: read back, the glyphs come in drawn
#: order, so finding the sign before the consonant shows HarfBuzz shaped the word ("ਵਿ" in ਵਿੱਚ, "মি" in আমি).
DRAWN_ORDER = {"Punjabi": "\u0a3f\u0a35", "Bengali": "\u09bf\u09ae"}
KINDS = ("working", "not_working", "future")
SHOTS = Path(os.environ.get("GOLDENTHREAD_SHOTS", "/tmp/gt-shots"))

pytestmark = pytest.mark.skipif(not printable("".join(STATEMENTS.values())),
                                reason="the fonts from the README (fonts-noto-core, fonts-wqy-microhei) are not installed")


def _flat(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _letters(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) == "Lo"]


def _in_order(needles: list[str], haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needles)


def assert_every_statement_in(pdf: bytes, what: str, statements: dict[str, str] = STATEMENTS, *,
                              inside_english: bool = False) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"].get("/Font", {}).values()}
    assert "?" * 3 not in text, f"{what}: printed as question marks"
    assert any("\ufb50" <= ch <= "\ufeff" for ch in text), f"{what}: Arabic letters not in their joined forms"
    for language, statement in statements.items():
        if language in SHAPED:
            assert _in_order(_letters(statement), text), f"{what}: the {language} letters are missing"
            assert any(SHAPED[language] in f for f in fonts), f"{what}: no {SHAPED[language]} font in {fonts}"
            assert DRAWN_ORDER[language] in text, f"{what}: the {language} words were not shaped"
        elif inside_english and language in ("Urdu", "Arabic"):
            for word in statement.split():
                assert _flat(word) in _flat(text) or _flat(word)[::-1] in _flat(text), f"{what}: {word!r}"
        else:
            assert _flat(statement) in _flat(text), f"{what}: {language} {statement!r} is not in the PDF"


@pytest.fixture
def imported(cycle):
    """The statements imported from a CSV file, as the council would; one review each, three to a kind."""
    from goldenthread.reviews.importing import import_reviews
    from goldenthread.reviews.models import Statement

    header = ("review_id,person_id,person_name,review_date,facilitator,attendees,location,area,service,user_group,"
              "consent,kind,perspective,priority,text\n")
    rows = [f'R{i},P{i},,2026-02-03,,,,Harford,,Older people,yes,{KINDS[i % 3]},,,"{text}"\n'
            for i, text in enumerate(STATEMENTS.values())]
    import_reviews(cycle, (header + "".join(rows)).encode("utf-8"), "reviews.csv")
    statements = list(Statement.objects.filter(review__cycle=cycle).order_by("review__reference"))
    assert sorted(s.shown_text for s in statements) == sorted(STATEMENTS.values())  # imported as written
    assert not any(s.unprintable for s in statements)
    return statements


def test_every_script_is_printed_as_written_in_every_kind_of_pdf(imported, cycle, make_user, tmp_path):
    from goldenthread.core import roles
    from goldenthread.programme.pdf import Document, Section, render
    from goldenthread.providers.jobspec import JobSpec, job_spec_pdf
    from goldenthread.reporting.outputs import make_output
    from goldenthread.reviews.cards import CardData, render_cards_pdf
    from goldenthread.reviews.profile_pdf import ProfileSection, render_profile_pdf
    from goldenthread.workshops.models import Board, Cluster, Placement, Workshop, WorkshopCard

    # Cards.
    cards = render_cards_pdf([CardData(s.card_code, s.kind, s.shown_text, cycle=cycle.name) for s in imported],
                             title=f"Cards: {cycle.name}")
    assert_every_statement_in(cards, "cards")

    # The report, easy read and wall sheets: a workshop whose themes are named in each language.
    user = make_user(roles.COMMISSIONER, "commissioner")
    workshop = Workshop.objects.create(cycle=cycle, name="Workshop", created_by=user)
    boards = {k: Board.objects.create(workshop=workshop, kind=k, name=k, is_main=True) for k in KINDS}
    for order, s in enumerate(imported):
        card = WorkshopCard.objects.create(workshop=workshop, statement=s, kind=s.kind, order=order)
        cluster = Cluster.objects.create(board=boards[s.kind], name=s.shown_text)
        Placement.objects.create(board=boards[s.kind], cluster=cluster, card=card)
    for output in ("full", "easy_read", "wall_sheets"):
        assert_every_statement_in(make_output(cycle, workshop, output, "pdf", user=user).content, output)

    # A one-page profile, an invitation (and its easy-read version) and a job specification.
    words = list(STATEMENTS.values())
    assert_every_statement_in(render_profile_pdf("Amira", [ProfileSection("What I like", "heart", "a heart", words)]),
                              "profile")
    for easy in (False, True):
        document = Document("Invitation", "Come and tell us.", [Section("What people said", lines=words)])
        assert_every_statement_in(render(document, easy_read=easy), "invitation")
    person = types.SimpleNamespace(name="Amira", service="Brookside Support")
    spec = JobSpec(person=person, doughnut=types.SimpleNamespace(role="Support worker"), wishes=None,
                   interests=words)
    assert_every_statement_in(job_spec_pdf(spec), "job specification", inside_english=True)

    if shutil.which("pdftoppm"):  # the card sheets side by side, to look at (issue 25's closing note shows it)
        from PIL import Image

        SHOTS.mkdir(parents=True, exist_ok=True)
        (tmp_path / "cards.pdf").write_bytes(cards)
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(tmp_path / "cards.pdf"), str(tmp_path / "page")],
                       check=True, timeout=60)
        pages = [Image.open(p) for p in sorted(tmp_path.glob("page*.png"))]
        sheet = Image.new("RGB", (sum(p.width for p in pages), max(p.height for p in pages)), "white")
        for i, page in enumerate(pages):
            sheet.paste(page, (sum(p.width for p in pages[:i]), 0))
        sheet.save(SHOTS / "cards_scripts.png")


def test_a_fund_statement_prints_every_script_in_both_versions_and_its_pages_flag_what_cannot_print(
        db, make_user, client):
    from django.urls import reverse

    from goldenthread.core.models import Service, StaffProfile
    from goldenthread.providers import services as s
    from goldenthread.providers.models import Fund, SupportedPerson
    from goldenthread.providers.statements import monthly_statement, statement_pdf

    service = Service.objects.create(name="Brookside Support")
    manager = make_user("Provider manager", "manager")
    StaffProfile.objects.create(user=manager).services.add(service)
    person = SupportedPerson.objects.create(ref="P-1", name="Amira", service=service)
    fund = Fund.objects.create(service=service, person=person, name="Amira's fund", starts_on=dt.date(2026, 10, 1),
                               hourly_rate=D("20.00"), weekly_hours=D("40"))
    s.credit_week(fund, dt.date(2026, 11, 2), manager)
    for day, text in enumerate(STATEMENTS.values(), start=3):
        s.record_delivery(fund, dt.date(2026, 11, day), "1", by=manager, description=text)
    statement = monthly_statement(fund, 2026, 11)
    assert not statement.unprintable
    for easy in (False, True):
        assert_every_statement_in(statement_pdf(statement, easy_read=easy), f"statement (easy read: {easy})")

    s.record_delivery(fund, dt.date(2026, 11, 20), "1", by=manager, description="Museum: \U00013000 room")
    assert monthly_statement(fund, 2026, 11).unprintable == ["\U00013000"]  # an Egyptian hieroglyph
    client.force_login(manager)
    for name in ("providers:statement", "providers:easy_statement"):
        page = client.get(reverse(name, args=[fund.pk, 2026, 11])).content.decode()
        assert "can't be printed in the PDF yet" in page


def test_a_card_no_font_can_print_is_flagged_on_the_cards_page(imported, cycle, client, make_user):
    from django.urls import reverse

    from goldenthread.core import roles
    from goldenthread.pdf import CANNOT_PRINT

    statement = imported[0]
    statement.card_text = "Mae hwn yn \U0001f9a9 ac \U00013000"  # a flamingo and an Egyptian hieroglyph
    statement.save()
    client.force_login(make_user(roles.COMMISSIONER, "commissioner"))
    page = client.get(reverse("cards", args=[cycle.slug])).content.decode()
    assert page.count(CANNOT_PRINT) == 1 and "\U00013000" in page
