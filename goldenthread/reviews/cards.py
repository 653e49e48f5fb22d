"""Printable A4 sheets of statement cards, for paper *Working together for change* workshops.

Each card shows one anonymised statement. A coloured band at the top names the
kind of statement **in words** and carries a simple drawn icon (tick, cross,
arrow, target), so colour never carries the meaning alone. The footer gives the
card code, whose view it is, and the person's priority when they picked one.

Plain library code: no Django imports, so the command line and tests can use it
directly. The only dependency is reportlab.

Text and fonts
--------------
Every piece of text goes through the PDF toolkit (:mod:`goldenthread.pdf`): cleaned the one way, set in
fonts that cover Latin with every diacritic, Greek, Cyrillic, Arabic and Urdu, Gurmukhi, Bengali, Chinese
and more, shaped with HarfBuzz and laid right to left where the words are. A character that no installed
font has gets a stand-in (:func:`printable_text`); the card pages check :func:`goldenthread.pdf.printable`
first and say so on screen, so a card is never changed silently.

Long statements
---------------
Text is set at 18 pt and shrinks, half a point at a time, down to 11 pt until it
fits. If it still does not fit at 11 pt it is cut at a word boundary, ends with
"…", and the card says "Text shortened to fit this card" in small type.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from goldenthread.pdf.layout import Para, draw_string, fit_string, markup, string_width, style as _toolkit_style
from goldenthread.pdf.text import clean, printable_text

__all__ = [
    "KINDS",
    "PERSPECTIVES",
    "KindStyle",
    "KIND_STYLE",
    "CARD_KIND_LABELS",
    "PERSPECTIVE_LABELS",
    "CARD_CODE_PREFIXES",
    "SUPPORTED_PER_PAGE",
    "CardData",
    "card_code",
    "priority_label",
    "printable_text",
    "render_cards_pdf",
]

KINDS = ("working", "not_working", "future", "important_now")
PERSPECTIVES = ("person", "family", "staff", "professional")


@dataclass(frozen=True)
class KindStyle:
    """How one kind of card looks: its label in words, band colour and icon."""

    label: str
    colour: str  # "#rrggbb"
    icon: str  # "tick" | "cross" | "arrow" | "target"


# GOV.UK palette. White text on each passes WCAG AA (contrast 6.2, 4.9, 5.2 and 10.1 to 1).
KIND_STYLE: dict[str, KindStyle] = {
    "working": KindStyle("Working", "#00703c", "tick"),
    "not_working": KindStyle("Not working", "#d4351c", "cross"),
    "future": KindStyle("Important for the future", "#1d70b8", "arrow"),
    "important_now": KindStyle("Important now", "#4c2c92", "target"),
}

#: Kind -> label in words, for the web screen view and other outputs.
CARD_KIND_LABELS: dict[str, str] = {kind: style.label for kind, style in KIND_STYLE.items()}

#: Perspective -> words printed on the card.
PERSPECTIVE_LABELS: dict[str, str] = {
    "person": "The person",
    "family": "Family or carer",
    "staff": "Staff",
    "professional": "Other professional",
}

#: Kind -> letter that starts the card code.
CARD_CODE_PREFIXES: dict[str, str] = {
    "working": "W",
    "not_working": "N",
    "future": "F",
    "important_now": "I",
}

#: Cards per A4 page -> (columns, rows).
SUPPORTED_PER_PAGE: dict[int, tuple[int, int]] = {4: (2, 2), 6: (2, 3), 8: (2, 4)}


def _check_kind(kind: object) -> None:
    if kind not in KIND_STYLE:
        raise ValueError(f"Unknown card kind {kind!r}; expected one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class CardData:
    """Everything printed on one card. Validated on creation (``ValueError``)."""

    code: str  # short card code printed on the card, e.g. "W-017"
    kind: str  # one of KINDS
    text: str  # the anonymised statement
    perspective: str = "person"  # one of PERSPECTIVES
    priority: int | None = None  # the person's 1st/2nd/3rd choice, or None
    cycle: str = ""  # optional small footer text, e.g. cycle name

    def __post_init__(self) -> None:
        _check_kind(self.kind)
        if self.perspective not in PERSPECTIVE_LABELS:
            raise ValueError(
                f"Unknown perspective {self.perspective!r}; expected one of {', '.join(PERSPECTIVES)}"
            )
        if self.priority is not None and (
            isinstance(self.priority, bool) or not isinstance(self.priority, int) or self.priority < 1
        ):
            raise ValueError(f"Priority must be a whole number from 1 or None, not {self.priority!r}")


def card_code(kind: str, number: int) -> str:
    """The short code printed on a card: ``card_code("working", 17) == "W-017"``.

    Numbers are zero-padded to three digits; larger numbers simply get longer
    ("W-1234"). Raises ``ValueError`` for an unknown kind or a negative number.
    """
    _check_kind(kind)
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ValueError(f"Card number must be a whole number from 0, not {number!r}")
    return f"{CARD_CODE_PREFIXES[kind]}-{number:03d}"


def priority_label(priority: int | None) -> str:
    """``1`` -> "1st choice", ``2`` -> "2nd choice", ``None`` -> ""."""
    if priority is None:
        return ""
    if 10 <= priority % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(priority % 10, "th")
    return f"{priority}{suffix} choice"


# --------------------------------------------------------------------------- text


def _fit_string(text: str, bold: bool, size: float, width: float) -> str:
    """``text`` cut with "…" so it is at most ``width`` wide on one line."""
    return fit_string(text, size, width, bold)


# --------------------------------------------------------------------------- layout

PAGE_W, PAGE_H = A4
MARGIN_X = 10 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 10 * mm
GUTTER = 3 * mm  # space between a cut line and the card's border
BAND_H = 11 * mm
PAD = 3.5 * mm
FOOTER_H = 31  # points

MAX_TEXT_SIZE = 18.0
MIN_TEXT_SIZE = 11.0
TEXT_STEP = 0.5

INK = HexColor("#0b0c0c")
SECONDARY = HexColor("#505a5f")
CUT_LINE = HexColor("#b1b4b6")
RULE = HexColor("#d8dadb")

SHORTENED_NOTE = "Text shortened to fit this card"


def _style(size: float) -> ParagraphStyle:
    return _toolkit_style(f"card-{size}", size, leading=size * 1.25, colour=INK, alignment=TA_LEFT,
                          splitLongWords=1)


def _fit_paragraph(text: str, width: float, height: float) -> tuple[Paragraph, bool]:
    """The largest paragraph of ``text`` that fits, and whether it had to be shortened."""
    plain = clean(text)
    marked = markup(plain)

    def fits(size: float) -> Paragraph | None:
        para = Para(marked, _style(size))
        return para if para.wrap(width, height)[1] <= height else None

    # Largest size that fits; height grows with size, so search the sizes by halves.
    steps = int(round((MAX_TEXT_SIZE - MIN_TEXT_SIZE) / TEXT_STEP))
    best = fits(MIN_TEXT_SIZE)
    if best is not None:
        lo, hi = 0, steps  # fits(MIN + lo * STEP) is known to fit
        while lo < hi:
            mid = (lo + hi + 1) // 2
            para = fits(MIN_TEXT_SIZE + mid * TEXT_STEP)
            if para is not None:
                lo, best = mid, para
            else:
                hi = mid - 1
        return best, False

    # Still too long at the minimum size: cut at a word boundary, leaving room for the note.
    style = _style(MIN_TEXT_SIZE)
    room = height - 12
    words = plain.replace("\r", "").replace("\n", " \n ").split(" ")
    words = [w for w in words if w]

    def build(n: int) -> Paragraph:
        head = " ".join(words[:n]).rstrip(" \n,;:.-\u2013\u2014")
        return Para(markup(head + "\u2026"), style)

    lo, hi = 0, len(words)  # build(lo) fits, or lo == 0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if build(mid).wrap(width, room)[1] <= room:
            lo = mid
        else:
            hi = mid - 1
    return build(lo), True


def _draw_icon(c: Canvas, icon: str, cx: float, cy: float, r: float) -> None:
    """Draw a white icon of radius ``r`` centred on (cx, cy)."""
    c.saveState()
    c.setStrokeColor(white)
    c.setFillColor(white)
    c.setLineCap(1)
    c.setLineJoin(1)
    c.setLineWidth(r * 0.32)
    if icon == "tick":
        p = c.beginPath()
        p.moveTo(cx - r * 0.85, cy + r * 0.05)
        p.lineTo(cx - r * 0.25, cy - r * 0.6)
        p.lineTo(cx + r * 0.9, cy + r * 0.75)
        c.drawPath(p, stroke=1, fill=0)
    elif icon == "cross":
        d = r * 0.7
        c.line(cx - d, cy - d, cx + d, cy + d)
        c.line(cx - d, cy + d, cx + d, cy - d)
    elif icon == "arrow":
        c.line(cx - r * 0.9, cy, cx + r * 0.35, cy)
        p = c.beginPath()
        p.moveTo(cx + r * 0.95, cy)
        p.lineTo(cx + r * 0.15, cy + r * 0.75)
        p.lineTo(cx + r * 0.15, cy - r * 0.75)
        p.close()
        c.setLineWidth(r * 0.12)
        c.drawPath(p, stroke=1, fill=1)
    elif icon == "target":
        c.setLineWidth(r * 0.22)
        c.circle(cx, cy, r * 0.85, stroke=1, fill=0)
        c.circle(cx, cy, r * 0.35, stroke=0, fill=1)
    c.restoreState()


def _draw_card(c: Canvas, card: CardData, x: float, y: float, w: float, h: float) -> None:
    """Draw ``card`` with its lower-left corner at (x, y)."""
    style = KIND_STYLE[card.kind]
    colour = HexColor(style.colour)

    # Border and band.
    c.setStrokeColor(colour)
    c.setLineWidth(1.2)
    c.rect(x, y, w, h, stroke=1, fill=0)
    c.setFillColor(colour)
    c.rect(x, y + h - BAND_H, w, BAND_H, stroke=0, fill=1)

    # Icon and label in words.
    icon_r = BAND_H * 0.28
    icon_cx = x + PAD + icon_r
    band_mid = y + h - BAND_H / 2
    _draw_icon(c, style.icon, icon_cx, band_mid, icon_r)
    label_x = icon_cx + icon_r + 2.5 * mm
    label_w = x + w - PAD - label_x
    size = 14.0
    while size > 9 and string_width(style.label, size, bold=True) > label_w:
        size -= 0.5
    draw_string(c, label_x, band_mid - size * 0.35, style.label, size, bold=True, colour=white, max_width=label_w)

    # Statement.
    text_w = w - 2 * PAD
    text_top = y + h - BAND_H - PAD
    text_h = text_top - (y + FOOTER_H + PAD)
    para, shortened = _fit_paragraph(card.text, text_w, text_h)
    _, ph = para.wrap(text_w, text_h)
    para.drawOn(c, x + PAD, text_top - ph)
    if shortened:
        draw_string(c, x + PAD, y + FOOTER_H + 4, SHORTENED_NOTE, 8, colour=SECONDARY)

    # Footer: perspective and priority, then code and cycle.
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.line(x + PAD, y + FOOTER_H, x + w - PAD, y + FOOTER_H)
    inner_w = w - 2 * PAD
    upper = y + FOOTER_H - 13
    lower = y + 5

    prio = priority_label(card.priority)
    if prio:
        draw_string(c, x + w - PAD, upper, prio, 10, bold=True, colour=INK, align="right")
    draw_string(c, x + PAD, upper, PERSPECTIVE_LABELS[card.perspective], 10, colour=SECONDARY)

    code = _fit_string(printable_text(card.code).replace("\n", " "), True, 12, inner_w * 0.6)
    draw_string(c, x + PAD, lower, code, 12, bold=True, colour=INK)
    if card.cycle:
        room = inner_w - string_width(code, 12, bold=True) - 4 * mm
        cycle = _fit_string(printable_text(card.cycle).replace("\n", " "), False, 8, room)
        draw_string(c, x + w - PAD, lower, cycle, 8, colour=SECONDARY, align="right")


def _draw_cut_lines(c: Canvas, cols: int, rows: int, cell_w: float, cell_h: float) -> None:
    """Dashed cut lines around the first ``rows`` rows of cells."""
    c.saveState()
    c.setStrokeColor(CUT_LINE)
    c.setLineWidth(0.5)
    c.setDash(4, 3)
    top = PAGE_H - MARGIN_TOP
    bottom = top - rows * cell_h
    for i in range(cols + 1):
        xx = MARGIN_X + i * cell_w
        c.line(xx, bottom, xx, top)
    for j in range(rows + 1):
        yy = top - j * cell_h
        c.line(MARGIN_X, yy, PAGE_W - MARGIN_X, yy)
    c.restoreState()


def _draw_page_header(c: Canvas, title: str, page: int, pages: int) -> None:
    y = PAGE_H - MARGIN_TOP + 4 * mm
    right = f"Page {page} of {pages} \u2013 cut along the dashed lines"
    room = PAGE_W - 2 * MARGIN_X - string_width(right, 8) - 6 * mm
    draw_string(c, MARGIN_X, y, printable_text(title).replace("\n", " "), 8, colour=SECONDARY, max_width=room)
    draw_string(c, PAGE_W - MARGIN_X, y, right, 8, colour=SECONDARY, align="right")


def render_cards_pdf(cards: Iterable[CardData], *, title: str = "Cards", per_page: int = 6) -> bytes:
    """Render ``cards`` onto A4 portrait pages, ``per_page`` (4, 6 or 8) to a page; return PDF bytes.

    Cards are printed in the order given, left to right then top to bottom, with
    light dashed cut lines between them. No cards gives one page saying "No cards
    to print". The output is byte-for-byte deterministic for the same input.
    Raises ``ValueError`` for an unsupported ``per_page`` or a card of unknown kind.
    """
    if per_page not in SUPPORTED_PER_PAGE:
        raise ValueError(f"per_page must be one of {sorted(SUPPORTED_PER_PAGE)}, not {per_page!r}")
    cards = list(cards)
    for card in cards:  # CardData validates itself; this also catches look-alike objects.
        _check_kind(getattr(card, "kind", None))

    cols, rows = SUPPORTED_PER_PAGE[per_page]
    cell_w = (PAGE_W - 2 * MARGIN_X) / cols
    cell_h = (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) / rows

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(clean(title))
    c.setAuthor("Golden Thread")
    c.setCreator("Golden Thread")
    c.setSubject("Statement cards for a Working together for change workshop")

    if not cards:
        draw_string(c, PAGE_W / 2, PAGE_H / 2 + 10, "No cards to print", 20, bold=True, colour=INK, align="centre")
        draw_string(c, PAGE_W / 2, PAGE_H / 2 - 14, printable_text(title), 11, colour=SECONDARY, align="centre",
                    max_width=PAGE_W - 2 * MARGIN_X)
        c.showPage()
        c.save()
        return buf.getvalue()

    pages = (len(cards) + per_page - 1) // per_page
    for page in range(pages):
        _draw_page_header(c, title, page + 1, pages)
        on_page = cards[page * per_page : (page + 1) * per_page]
        _draw_cut_lines(c, cols, (len(on_page) + cols - 1) // cols, cell_w, cell_h)
        for i, card in enumerate(on_page):
            col, row = i % cols, i // cols
            x = MARGIN_X + col * cell_w + GUTTER
            y = PAGE_H - MARGIN_TOP - (row + 1) * cell_h + GUTTER
            _draw_card(c, card, x, y, cell_w - 2 * GUTTER, cell_h - 2 * GUTTER)
        c.showPage()
    c.save()
    return buf.getvalue()
