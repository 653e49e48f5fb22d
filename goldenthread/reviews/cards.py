"""Printable A4 sheets of statement cards, for paper *Working together for change* workshops.

Each card shows one anonymised statement. A coloured band at the top names the
kind of statement **in words** and carries a simple drawn icon (tick, cross,
arrow, target), so colour never carries the meaning alone. The footer gives the
card code, whose view it is, and the person's priority when they picked one.

Plain library code: no Django imports, so the command line and tests can use it
directly. The only dependency is reportlab.

Text and fonts
--------------
The cards use the 14 standard PDF fonts (Helvetica), which cover the Windows
code page 1252 only: Western European accented letters, curly quotes, dashes,
the euro sign and the ellipsis all print as written. Anything else is replaced
before printing by :func:`printable_text`: letters lose their accents if that
makes them printable (``ő`` becomes ``o``, ``ł`` becomes ``l``), a few common
symbols get an ASCII equivalent (``→`` becomes ``->``),
emoji and other pictographs become their Unicode name in brackets
(``😀`` becomes ``(grinning face)``), and everything else becomes ``?``. The
screen view shows the original text; only the paper copy is simplified.

Long statements
---------------
Text is set at 18 pt and shrinks, half a point at a time, down to 11 pt until it
fits. If it still does not fit at 11 pt it is cut at a word boundary, ends with
"…", and the card says "Text shortened to fit this card" in small type.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

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

# Close equivalents for common characters outside cp1252.
_REPLACEMENTS = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2015": "\u2014", "\u2212": "-",
    "\u2032": "'", "\u2033": '"', "\u201b": "'", "\u201f": '"',
    "\u2192": "->", "\u2190": "<-", "\u2194": "<->", "\u21d2": "=>",
    "\u2264": "<=", "\u2265": ">=", "\u2260": "!=", "\u2248": "~",
    "\u2713": "(tick)", "\u2714": "(tick)", "\u2705": "(tick)",
    "\u2717": "(cross)", "\u2718": "(cross)", "\u274c": "(cross)",
    "\u2028": "\n", "\u2029": "\n",
    # Letters with no decomposition to a base letter.
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0126": "H", "\u0127": "h",
    "\u0131": "i", "\u0138": "k", "\u0166": "T", "\u0167": "t",
}
_DROP_CATEGORIES = {"Mn", "Me", "Cf", "Sk"}  # combining marks, joiners, variation selectors, skin tones


def _encodable(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def printable_text(text: str) -> str:
    """Return ``text`` using only characters the standard PDF fonts can print (cp1252).

    See the module docstring for the rules. Newlines are kept; tabs and other
    control characters become spaces.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", str(text)):
        if ch == "\n":
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category == "Cc":
            out.append(" ")
        elif ch in _REPLACEMENTS:
            out.append(_REPLACEMENTS[ch])
        elif _encodable(ch) and category not in _DROP_CATEGORIES:
            out.append(ch)
        elif category in _DROP_CATEGORIES:
            continue
        elif category == "Zs":
            out.append(" ")
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch)
                if unicodedata.category(c) not in _DROP_CATEGORIES and _encodable(c)
            )
            if base:
                out.append(base)
            elif category == "So" and unicodedata.name(ch, ""):
                out.append(f"({unicodedata.name(ch).lower()})")
            else:
                out.append("?")
    return "".join(out)


def _markup(plain: str) -> str:
    """XML-escaped markup for a reportlab Paragraph from printable text, keeping line breaks."""
    lines = plain.replace("\r", "").split("\n")
    return "<br/>".join(escape(" ".join(line.split())) for line in lines).strip()


def _fit_string(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with "…" so it is at most ``width`` wide on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026" if text else ""


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
    return ParagraphStyle(
        f"card-{size}",
        fontName="Helvetica",
        fontSize=size,
        leading=size * 1.25,
        textColor=INK,
        alignment=TA_LEFT,
        splitLongWords=1,
    )


def _fit_paragraph(text: str, width: float, height: float) -> tuple[Paragraph, bool]:
    """The largest paragraph of ``text`` that fits, and whether it had to be shortened."""
    plain = printable_text(text)
    markup = _markup(plain)

    def fits(size: float) -> Paragraph | None:
        para = Paragraph(markup, _style(size))
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
        return Paragraph(_markup(head + "\u2026"), style)

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
    while size > 9 and stringWidth(style.label, "Helvetica-Bold", size) > label_w:
        size -= 0.5
    c.setFillColor(white)
    c.setFont("Helvetica-Bold", size)
    c.drawString(label_x, band_mid - size * 0.35, _fit_string(style.label, "Helvetica-Bold", size, label_w))

    # Statement.
    text_w = w - 2 * PAD
    text_top = y + h - BAND_H - PAD
    text_h = text_top - (y + FOOTER_H + PAD)
    para, shortened = _fit_paragraph(card.text, text_w, text_h)
    _, ph = para.wrap(text_w, text_h)
    para.drawOn(c, x + PAD, text_top - ph)
    if shortened:
        c.setFillColor(SECONDARY)
        c.setFont("Helvetica-Oblique", 8)
        c.drawString(x + PAD, y + FOOTER_H + 4, SHORTENED_NOTE)

    # Footer: perspective and priority, then code and cycle.
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.line(x + PAD, y + FOOTER_H, x + w - PAD, y + FOOTER_H)
    inner_w = w - 2 * PAD
    upper = y + FOOTER_H - 13
    lower = y + 5

    prio = priority_label(card.priority)
    if prio:
        c.setFillColor(INK)
        c.setFont("Helvetica-Bold", 10)
        c.drawRightString(x + w - PAD, upper, prio)
    c.setFillColor(SECONDARY)
    c.setFont("Helvetica", 10)
    c.drawString(x + PAD, upper, PERSPECTIVE_LABELS[card.perspective])

    code = _fit_string(printable_text(card.code).replace("\n", " "), "Helvetica-Bold", 12, inner_w * 0.6)
    c.setFillColor(INK)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(x + PAD, lower, code)
    if card.cycle:
        room = inner_w - stringWidth(code, "Helvetica-Bold", 12) - 4 * mm
        cycle = _fit_string(printable_text(card.cycle).replace("\n", " "), "Helvetica", 8, room)
        c.setFillColor(SECONDARY)
        c.setFont("Helvetica", 8)
        c.drawRightString(x + w - PAD, lower, cycle)


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
    c.setFillColor(SECONDARY)
    c.setFont("Helvetica", 8)
    y = PAGE_H - MARGIN_TOP + 4 * mm
    right = f"Page {page} of {pages} \u2013 cut along the dashed lines"
    room = PAGE_W - 2 * MARGIN_X - stringWidth(right, "Helvetica", 8) - 6 * mm
    c.drawString(MARGIN_X, y, _fit_string(printable_text(title).replace("\n", " "), "Helvetica", 8, room))
    c.drawRightString(PAGE_W - MARGIN_X, y, right)


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
    c.setTitle(title)
    c.setAuthor("Golden Thread")
    c.setCreator("Golden Thread")
    c.setSubject("Statement cards for a Working together for change workshop")

    if not cards:
        c.setFillColor(INK)
        c.setFont("Helvetica-Bold", 20)
        c.drawCentredString(PAGE_W / 2, PAGE_H / 2 + 10, "No cards to print")
        c.setFillColor(SECONDARY)
        c.setFont("Helvetica", 11)
        c.drawCentredString(
            PAGE_W / 2, PAGE_H / 2 - 14, _fit_string(printable_text(title), "Helvetica", 11, PAGE_W - 2 * MARGIN_X)
        )
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
