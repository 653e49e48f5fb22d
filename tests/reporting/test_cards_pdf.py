"""Printable A4 card sheets (goldenthread.reviews.cards)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from goldenthread.pdf import fonts, printable

from goldenthread.reviews.cards import (
    CARD_KIND_LABELS,
    KIND_STYLE,
    KINDS,
    CardData,
    card_code,
    printable_text,
    priority_label,
    render_cards_pdf,
)


def make_cards(n: int) -> list[CardData]:
    cards = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        cards.append(
            CardData(
                code=card_code(kind, i + 1),
                kind=kind,
                text=f"Statement number {i + 1} about my week.",
                perspective=("person", "family", "staff", "professional")[i % 4],
                priority=(None, 1, 2, 3)[i % 4],
                cycle="Test cycle 2025",
            )
        )
    return cards


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in read(pdf).pages)


def flat(text: str) -> str:
    """Extracted text with all whitespace collapsed, so wrapped lines still match."""
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("n", "per_page", "pages"),
    [(0, 6, 1), (1, 6, 1), (6, 6, 1), (7, 6, 2), (13, 6, 3), (0, 4, 1), (4, 4, 1), (5, 4, 2), (13, 4, 4),
     (8, 8, 1), (9, 8, 2)],
)
def test_page_count(n, per_page, pages):
    assert len(read(render_cards_pdf(make_cards(n), per_page=per_page)).pages) == pages


def test_pages_are_a4_portrait():
    page = read(render_cards_pdf(make_cards(7))).pages[1]
    assert round(float(page.mediabox.width)) == 595
    assert round(float(page.mediabox.height)) == 842


def test_empty_list_says_no_cards():
    pdf = render_cards_pdf([], title="Empty deck")
    assert "No cards to print" in text_of(pdf)


def test_accepts_any_iterable():
    pdf = render_cards_pdf(iter(make_cards(3)))
    assert len(read(pdf).pages) == 1


@pytest.mark.parametrize("per_page", [4, 6, 8])
def test_every_code_label_and_footer_is_printed(per_page):
    cards = make_cards(13)
    text = flat(text_of(render_cards_pdf(cards, per_page=per_page)))
    for card in cards:
        assert card.code in text
        assert KIND_STYLE[card.kind].label in text
        assert card.text in text
    for words in ("The person", "Family or carer", "Staff", "Other professional",
                  "1st choice", "2nd choice", "3rd choice", "Test cycle 2025"):
        assert words in text


def test_labels_are_on_each_page():
    pdf = render_cards_pdf(make_cards(7))
    pages = [flat(p.extract_text()) for p in read(pdf).pages]
    assert all(CARD_KIND_LABELS[k] in pages[0] for k in KINDS)
    assert "Important for the future" in pages[1] and "F-007" in pages[1]
    assert "F-007" not in pages[0]
    assert "Page 2 of 2" in pages[1]


def test_no_priority_prints_no_choice():
    card = CardData("W-001", "working", "Short.", priority=None)
    assert "choice" not in text_of(render_cards_pdf([card]))


def test_title_metadata():
    pdf = render_cards_pdf(make_cards(2), title="Autumn workshop – cards")
    assert read(pdf).metadata.title == "Autumn workshop – cards"


def test_output_is_deterministic():
    cards = make_cards(9)
    assert render_cards_pdf(cards, title="Same") == render_cards_pdf(cards, title="Same")


@pytest.mark.parametrize("per_page", [4, 6, 8])
def test_long_text_is_shortened_but_code_still_shown(per_page):
    long_text = ("I would like more say in who supports me at home and at college. " * 10)[:600]
    assert len(long_text) == 600
    card = CardData("N-042", "not_working", long_text)
    text = text_of(render_cards_pdf([card], per_page=per_page))
    assert "N-042" in text
    assert "Not working" in text
    if per_page != 4:  # four to a page has room for 600 characters at the smallest size
        assert "Text shortened" in text
        assert "\u2026" in text


def test_short_text_is_not_marked_shortened():
    text = text_of(render_cards_pdf(make_cards(6)))
    assert "Text shortened" not in text


def test_very_long_unbroken_word_does_not_crash():
    card = CardData("F-001", "future", "x" * 2000 + " " + "https://example.org/" + "a" * 500)
    assert "F-001" in text_of(render_cards_pdf([card], per_page=8))


def test_special_characters_do_not_crash():
    texts = [
        'Tom & Jerry <b>bold</b> "quoted" >here< &amp; &lt;',
        "Café, naïve, Zoë — “curly” ‘quotes’ and it’s … €5",
        "Emoji 😀 👍🏽 👨‍👩‍👧 🌻 and ✓ → ≥ Ω 中文 Łódź",
        "Line one\nLine two\r\n\tTabbed\x00\x07 control",
        "",
        "   ",
    ]
    cards = [CardData(card_code("working", i + 1), "working", t, cycle="Cycle <1> & “2”") for i, t in enumerate(texts)]
    pdf = render_cards_pdf(cards, title="Special <&> “title” 😀")
    text = flat(text_of(pdf))
    for card in cards:
        assert card.code in text
    assert "Tom & Jerry <b>bold</b>" in text  # escaped, not interpreted as markup
    assert "&amp; &lt;" in text
    assert "Café, naïve, Zoë" in text
    assert "“curly” ‘quotes’ and it’s" in text
    if printable("Ω中文Ł"):
        assert "Ω 中文 Łódź" in text  # printed as written, in the fonts that have them


@pytest.fixture
def helvetica_only():
    """A machine with no TrueType fonts: the PDFs fall back to ReportLab's built-in Helvetica."""
    fonts.configure([])
    yield
    fonts.configure(None)


def test_with_the_fonts_installed_every_script_is_kept_as_written():
    if not printable("ŁΩ中"):
        pytest.skip("the fonts from the README are not installed")
    assert printable_text("Łódź, Dvořák, Đorđe, Ω, 中, Dw i'n hoffi'r dŵr") == "Łódź, Dvořák, Đorđe, Ω, 中, Dw i'n hoffi'r dŵr"
    assert printable_text("a\tb\r\nc\u200b") == "a b\nc"


def test_a_card_in_helvetica_only_still_prints_with_stand_ins(helvetica_only):
    assert not printable("Łódź")
    pdf = render_cards_pdf([CardData("W-001", "working", "Chcę pojechać do Łodzi")])
    assert "Chce pojechac do Lodzi" in flat(text_of(pdf))


def test_printable_text(helvetica_only):
    assert printable_text("Café “quoted” – it’s …") == "Café “quoted” – it’s …"
    assert printable_text("Łódź") == "Lódz"  # ó is in cp1252, so it stays
    assert printable_text("Dvořák, Đorđe, Ω") == "Dvorák, Dorde, ?"
    assert printable_text("e\u0301") == "é"  # combining accent composed
    assert printable_text("a → b ≥ c") == "a -> b >= c"
    assert printable_text("😀") == "(grinning face)"
    assert printable_text("👍🏽") == "(thumbs up sign)"  # skin tone modifier dropped
    assert printable_text("中") == "?"
    assert printable_text("a\tb\nc") == "a b\nc"
    for ch in printable_text("Emoji 😀 👨‍👩‍👧 ✓ Ω 中文 Łódź \u200b\ufeff"):
        ch.encode("cp1252")


def test_invalid_kind_raises_value_error_naming_it():
    with pytest.raises(ValueError, match="sideways"):
        CardData("X-001", "sideways", "Text")
    with pytest.raises(ValueError, match="sideways"):
        card_code("sideways", 1)


def test_invalid_kind_on_look_alike_object_is_caught_by_render():
    class Fake:
        code, kind, text, perspective, priority, cycle = "X-1", "upside_down", "t", "person", None, ""

    with pytest.raises(ValueError, match="upside_down"):
        render_cards_pdf([Fake()])


@pytest.mark.parametrize(
    "kwargs",
    [{"perspective": "neighbour"}, {"priority": 0}, {"priority": -1}, {"priority": True}, {"priority": "1"}],
)
def test_other_invalid_fields_raise(kwargs):
    with pytest.raises(ValueError):
        CardData("W-001", "working", "Text", **kwargs)


@pytest.mark.parametrize("per_page", [0, 5, 9, 12])
def test_unsupported_per_page_raises(per_page):
    with pytest.raises(ValueError, match="per_page"):
        render_cards_pdf(make_cards(1), per_page=per_page)


def test_card_code_format():
    assert card_code("working", 1) == "W-001"
    assert card_code("not_working", 17) == "N-017"
    assert card_code("future", 999) == "F-999"
    assert card_code("important_now", 1234) == "I-1234"
    assert card_code("working", 0) == "W-000"
    with pytest.raises(ValueError):
        card_code("working", -1)


def test_kind_styles_and_labels():
    assert set(KIND_STYLE) == set(KINDS) == set(CARD_KIND_LABELS)
    assert CARD_KIND_LABELS == {
        "working": "Working",
        "not_working": "Not working",
        "future": "Important for the future",
        "important_now": "Important now",
    }
    assert {k: s.colour for k, s in KIND_STYLE.items()} == {
        "working": "#00703c",
        "not_working": "#d4351c",
        "future": "#1d70b8",
        "important_now": "#4c2c92",
    }
    assert len({s.icon for s in KIND_STYLE.values()}) == 4


def test_priority_label():
    assert [priority_label(p) for p in (None, 1, 2, 3, 4, 11, 21)] == [
        "", "1st choice", "2nd choice", "3rd choice", "4th choice", "11th choice", "21st choice",
    ]


def test_card_data_is_frozen():
    card = CardData("W-001", "working", "Text")
    with pytest.raises(AttributeError):
        card.text = "changed"  # type: ignore[misc]
