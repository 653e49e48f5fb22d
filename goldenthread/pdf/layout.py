"""Paragraphs, lines, styles, the page template and the footer that every Golden Thread PDF uses.

Text goes in as plain text (people's words are hostile: it is always escaped here) and comes out:

* **in the right fonts** -- :func:`markup` splits it into runs, each with a font that has its characters
  (:func:`goldenthread.pdf.fonts.runs`);
* **shaped** -- ReportLab shapes every word of a TrueType font with HarfBuzz (``uharfbuzz``): Arabic and
  Urdu letters join, Gurmukhi and Bengali vowel signs and conjuncts form;
* **right to left where it should be** -- ReportLab lays words out left to right, so :class:`Para` puts
  each printed line's words in visual order before drawing (the Unicode bidirectional algorithm, applied
  to whole words: a word's letters are already in visual order from HarfBuzz) and sets a paragraph that
  starts with a right-to-left letter against the right margin.

:func:`draw_string` does the same for one line drawn straight on a canvas (card bands, wall sheets).
"""
from __future__ import annotations

import re
import unicodedata
from copy import copy
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from goldenthread.pdf.fonts import base_font, runs
from goldenthread.pdf.text import clean, printable_text

# Shape with kerning and the ligatures a script needs (Arabic's required ligatures, Indic conjuncts), but
# not Latin's optional "ff" and "fi" ligatures: a search or a copy from the PDF then finds "Staff" as typed.
# ReportLab keeps its HarfBuzz feature list as the default argument of shapeFragWord (used by shapeStr too).
try:
    from reportlab.pdfbase import ttfonts as _ttfonts

    _ttfonts.shapeFragWord.__defaults__[0].update(liga=False, dlig=False)
except (AttributeError, IndexError, TypeError):  # no uharfbuzz: nothing is shaped
    _ttfonts = None


def _shape_each_font(shape):
    """ReportLab shapes a word with the font of its first piece, so “ before an Urdu word came out as an empty
    box. This shapes each piece of a word in its own font and puts the pieces back together."""
    def shape_word(w, *args, **kwargs):
        pieces = w[1:]
        if len({getattr(f, "fontName", None) for f, _ in pieces}) <= 1 or isinstance(w, _ttfonts.ShapedFragWord):
            return shape(w, *args, **kwargs)
        from reportlab.pdfbase.pdfmetrics import stringWidth

        groups: list[list] = []
        for f, text in pieces:
            if groups and getattr(groups[-1][-1][0], "fontName", None) == getattr(f, "fontName", None):
                groups[-1].append((f, text))
            else:
                groups.append([(f, text)])
        width, out, shaped = 0.0, [], False
        for group in groups:
            sub_width = sum(stringWidth(t, f.fontName, f.fontSize) for f, t in group if hasattr(f, "fontName"))
            sub = [sub_width, *group]
            result = shape(sub, *args, **kwargs)
            shaped = shaped or result is not sub
            width += result[0]
            out.extend(result[1:])
        if not shaped:
            return w
        new = _ttfonts.makeShapedFragWord(w)([width])
        new.extend(out)
        return new
    shape_word.gt_each_font = True
    return shape_word


if _ttfonts is not None and getattr(_ttfonts, "uharfbuzz", None) is not None:
    from reportlab.platypus import paragraph as _paragraph

    if not getattr(_paragraph.shapeFragWord, "gt_each_font", False):
        _paragraph.shapeFragWord = _shape_each_font(_paragraph.shapeFragWord)

__all__ = ["markup", "Para", "P", "style", "base_font", "draw_string", "string_width", "fit_string", "direction",
           "document", "footer_lines", "draw_footer", "INK", "SECONDARY"]

INK = "#0b0c0c"
SECONDARY = "#505a5f"

_RTL = {"R", "AL"}
_SPLIT = re.compile(r"\s+|\S+")


# --------------------------------------------------------------------------- direction

def direction(text: str) -> str:
    """"rtl" if the first letter with a direction is right-to-left (Arabic, Urdu, Hebrew), else "ltr"."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _RTL:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _word_kind(word: str) -> str:
    kinds = {unicodedata.bidirectional(ch) for ch in word}
    if kinds & _RTL:
        return "R"
    if "L" in kinds:
        return "L"
    if kinds & {"EN", "AN"}:
        return "N"
    return ""


def visual_order(words: list[str], rtl: bool) -> list[int]:
    """Indices of ``words`` (in reading order, one line) in the order they are drawn from the left.

    The bidirectional algorithm at the level of whole words: numbers go with the letters before them,
    a word with no direction (a dash) with the words around it, then runs of higher level are reversed.
    """
    kinds = [_word_kind(w) for w in words]
    last = "R" if rtl else "L"
    for i, k in enumerate(kinds):  # numbers take the direction of the letters before them
        if k == "N":
            kinds[i] = last
        elif k:
            last = k
    base = "R" if rtl else "L"
    for i, k in enumerate(kinds):  # neutrals: the words on both sides if they agree, else the paragraph's
        if not k:
            before = next((kinds[j] for j in range(i - 1, -1, -1) if kinds[j]), base)
            after = next((kinds[j] for j in range(i + 1, len(kinds)) if kinds[j]), base)
            kinds[i] = before if before == after else base
    levels = [(1 if k == "R" else 2) if rtl else (1 if k == "R" else 0) for k in kinds]
    order = list(range(len(words)))
    for level in range(max(levels, default=0), 0, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


# --------------------------------------------------------------------------- paragraphs

def markup(text: object, bold: bool = False) -> str:
    """Paragraph markup for plain ``text``: cleaned, escaped, each run in a font that has it; lines kept.

    Runs of spaces become one space, kept at the ends so that pieces of markup can be put together.
    """
    plain = printable_text(text)
    lines = []
    for line in plain.split("\n"):
        line = re.sub(r"\s+", " ", line)
        lines.append("".join(f'<font face="{name}">{escape(piece)}</font>' for name, piece in runs(line, bold)))
    return "<br/>".join(lines)


class Para(Paragraph):
    """A Paragraph whose lines are drawn in visual order; right-aligned when its text starts right-to-left."""

    def __init__(self, text: str, style: ParagraphStyle, *args, rtl: bool | None = None, **kwargs):
        plain = re.sub(r"<[^>]*>", "", text)
        self._rtl = direction(plain) == "rtl" if rtl is None else rtl
        self._bidi = self._rtl or any(unicodedata.bidirectional(ch) in _RTL for ch in plain)
        if self._rtl and style.alignment == TA_LEFT:
            style = copy(style)
            style.alignment = TA_RIGHT
        if (any(_cjk(ch) for ch in plain) and not getattr(style, "wordWrap", None)
                and not any(_complex(ch) for ch in plain)):
            # Chinese has no spaces: a line may break between any two characters. ReportLab does not shape
            # in this mode, so a paragraph that also holds Arabic or an Indic script keeps the usual wrapping
            # (a run of Chinese longer than the line is still split).
            style = copy(style)
            style.wordWrap = "CJK"
        super().__init__(text, style, *args, **kwargs)

    def drawPara(self, debug=0):
        if not self._bidi or getattr(self.blPara, "kind", 0) != 1:
            return super().drawPara(debug)
        original = self.blPara
        self.blPara = copy(original)
        self.blPara.lines = [self._reorder(line) for line in original.lines]
        try:
            return super().drawPara(debug)
        finally:
            self.blPara = original

    def _reorder(self, line):
        """``line`` (a FragLine) with its words in visual order."""
        units: list[list[tuple]] = [[]]
        for frag in line.words:
            text = getattr(frag, "text", "")
            if hasattr(frag, "cbDefn") or not text:
                units[-1].append((frag, text))
                continue
            for m in _SPLIT.finditer(text):
                piece = text[m.start():m.end()]
                if piece.isspace():
                    if units[-1]:
                        units.append([])
                else:
                    units[-1].append((frag, piece))
        units = [u for u in units if u]
        if len(units) <= 1 and not (units and self._rtl):
            return line
        words = ["".join(str(p) for _, p in u) for u in units]
        order = visual_order(words, self._rtl)
        out = []
        for n, i in enumerate(order):
            pieces = units[i]
            if _word_kind(words[i]) == "R":
                pieces = pieces[::-1]
            for frag, piece in pieces:
                out.append(frag.clone(text=piece) if hasattr(frag, "clone") else frag)
            if n < len(order) - 1:
                out.append(pieces[-1][0].clone(text=" "))
        new = copy(line)
        new.words = out
        return new


def _complex(ch: str) -> bool:
    """A letter that needs shaping: Hebrew, Arabic, the Indic scripts, Thai and Lao, Myanmar, presentation forms."""
    return "\u0590" <= ch <= "\u0eff" or "\u1000" <= ch <= "\u109f" or "\ufb1d" <= ch <= "\ufeff"


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uac00" <= ch <= "\ud7af"


def P(text: object, style: ParagraphStyle, bold: bool | None = None) -> Para:
    """A paragraph of plain ``text`` (escaped here) in ``style``; bold if the style is a bold one."""
    if bold is None:
        bold = getattr(style, "bold", False)
    return Para(markup(text, bold), style)


def style(name: str, size: float, *, bold: bool = False, leading: float | None = None, colour: str = INK,
          **kwargs) -> ParagraphStyle:
    """A paragraph style in the toolkit's fonts (``.bold`` tells :func:`P` which weight to use)."""
    s = ParagraphStyle(name, fontName=base_font(bold), fontSize=size, leading=leading or size * 1.3,
                       textColor=colour, shaping=1, **kwargs)
    s.bold = bold
    return s


# --------------------------------------------------------------------------- single lines on a canvas

def _line(text: str, size: float, bold: bool, colour=INK) -> tuple[Para, float, float]:
    """The one-line paragraph, its width and its baseline's height above its bottom."""
    st = style("line", size, bold=bold, leading=size * 1.2, colour=colour)
    para = Para(markup(" ".join(clean(text).split()), bold), st)
    _w, h = para.wrap(1e6, 1e6)
    lines = para.blPara.lines
    if not lines:
        return para, 0.0, 0.0
    width = para.getActualLineWidths0()[0] if hasattr(para, "getActualLineWidths0") else _w
    ascent = getattr(lines[0], "ascent", size)
    return para, width, h - ascent


def string_width(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is on one line, shaped, in the toolkit's fonts."""
    return _line(text, size, bold)[1]


def fit_string(text: str, size: float, width: float, bold: bool = False) -> str:
    """``text`` (cleaned, on one line) cut with "…" so that it is at most ``width`` wide."""
    text = " ".join(clean(text).split())
    if string_width(text, size, bold) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if string_width(text[:mid].rstrip() + "\u2026", size, bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "\u2026" if lo else ""


def draw_string(canvas, x: float, y: float, text: str, size: float, *, bold: bool = False, align: str = "left",
                colour=None, max_width: float | None = None) -> float:
    """Draw ``text`` on one line with its baseline at ``y``; ``align`` left, right or centre of ``x``.

    Returns the width drawn. ``max_width`` cuts it with "…" to fit.
    """
    if max_width is not None:
        text = fit_string(text, size, max_width, bold)
    para, width, base = _line(text, size, bold, INK if colour is None else colour)
    left = x - width if align == "right" else x - width / 2 if align == "centre" else x
    if para._rtl and width:
        left -= para.width - width  # a right-to-left line is set against the right of its (wide) box
    para.drawOn(canvas, left, y - base)
    return width


# --------------------------------------------------------------------------- documents

def document(buffer, *, title: str, author: str = "Golden Thread", pagesize=A4, margins=(20, 20, 18, 18),
             subject: str = "", **kwargs) -> SimpleDocTemplate:
    """A document template: margins (left, right, top, bottom) in mm, the title cleaned, output repeatable."""
    left, right, top, bottom = margins
    return SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=left * mm, rightMargin=right * mm,
                             topMargin=top * mm, bottomMargin=bottom * mm, title=clean(title),
                             author=clean(author), subject=subject, creator="Golden Thread", invariant=1,
                             **kwargs)


def footer_lines(text: str, font: str | None, size: float, width: float, max_lines: int = 3) -> list[str]:
    """The footer wrapped at spaces to fit ``width`` (never inside a word), at most ``max_lines`` lines;
    if it is longer still, the last line ends in "…" after a whole word. ``font`` is kept for callers: the
    width is measured in the toolkit's fonts."""
    words = " ".join(clean(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if current and string_width(trial, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1].split(" ")
    while last and string_width(" ".join(last) + " \u2026", size) > width:
        last.pop()
    return lines[:max_lines - 1] + [" ".join(last) + " \u2026"]


def draw_footer(canvas, doc, text: str, *, margin: float, font: str | None = None, size: float = 8,
                max_lines: int = 3) -> None:
    """Who made the document and the privacy note, wrapped at the foot; the page number at the top right."""
    canvas.saveState()
    width = doc.pagesize[0] - 2 * margin
    lines = footer_lines(text, font, size, width, max_lines)
    leading = size * 1.25
    y = 6 * mm + leading * (len(lines) - 1)
    for line in lines:
        draw_string(canvas, margin, y, line, size)
        y -= leading
    draw_string(canvas, doc.pagesize[0] - margin, doc.pagesize[1] - 10 * mm, f"Page {doc.page}", size,
                align="right")
    canvas.restoreState()
