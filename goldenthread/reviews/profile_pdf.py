"""A person's one-page profile as an easy-read A4 PDF: always exactly one page.

Three boxes, each with a simple drawn icon *and* the icon's meaning in words
(a heart, a star, a helping hand), large text and short lines. If there is a
lot to say the text shrinks (never below 11 pt) so the profile stays on one
page. Plain library code: no Django imports. Text goes through the PDF toolkit
(:mod:`goldenthread.pdf`), so a profile in any script prints as written.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepInFrame, ListFlowable, ListItem

from goldenthread.pdf.layout import P, base_font, draw_string, style
from goldenthread.pdf.text import clean

INK = HexColor("#0b0c0c")
COLOURS = {"heart": HexColor("#d4351c"), "star": HexColor("#1d70b8"), "hand": HexColor("#00703c")}


@dataclass
class ProfileSection:
    heading: str
    icon: str  # heart, star or hand
    icon_words: str
    lines: Sequence[str]


def _draw_icon(c: Canvas, icon: str, x: float, y: float, size: float) -> None:
    """Draw a simple icon with its bottom-left corner at (x, y)."""
    c.saveState()
    c.setFillColor(COLOURS[icon])
    c.setStrokeColor(COLOURS[icon])
    s = size
    if icon == "heart":
        r = s * 0.26
        c.circle(x + s * 0.3, y + s * 0.66, r, stroke=0, fill=1)
        c.circle(x + s * 0.7, y + s * 0.66, r, stroke=0, fill=1)
        p = c.beginPath()
        p.moveTo(x + s * 0.06, y + s * 0.58)
        p.lineTo(x + s * 0.94, y + s * 0.58)
        p.lineTo(x + s * 0.5, y + s * 0.05)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
    elif icon == "star":
        import math

        p = c.beginPath()
        cx, cy = x + s / 2, y + s / 2
        for k in range(10):
            radius = s * (0.5 if k % 2 == 0 else 0.2)
            angle = math.pi / 2 + k * math.pi / 5
            px, py = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            p.moveTo(px, py) if k == 0 else p.lineTo(px, py)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
    else:  # an open hand: palm and four fingers and a thumb
        c.roundRect(x + s * 0.2, y, s * 0.6, s * 0.5, s * 0.12, stroke=0, fill=1)
        for k in range(4):
            c.roundRect(x + s * (0.2 + k * 0.155), y + s * 0.35, s * 0.13, s * 0.6, s * 0.06, stroke=0, fill=1)
        c.roundRect(x, y + s * 0.15, s * 0.3, s * 0.13, s * 0.06, stroke=0, fill=1)
    c.restoreState()


def render_profile_pdf(name: str, sections: Sequence[ProfileSection], *, updated: str = "") -> bytes:
    """One A4 page: the person's name, then each section with its icon, heading and lines."""
    buffer = io.BytesIO()
    width, height = A4
    margin = 15 * mm
    c = Canvas(buffer, pagesize=A4, invariant=1)
    c.setTitle(clean(f"One-page profile: {name}"))
    draw_string(c, margin, height - margin - 24, name or "My one-page profile", 28, bold=True, colour=INK,
                max_width=width - 2 * margin)
    draw_string(c, margin, height - margin - 44, "My one-page profile", 14, colour=INK)
    if updated:
        draw_string(c, width - margin, height - margin - 44, updated, 11, colour=INK, align="right",
                    max_width=width / 2 - margin)

    top = height - margin - 60
    bottom = margin
    gap = 6 * mm
    # Each box gets room for its heading and three lines; what is left goes to the boxes with most to say.
    line_h = 22
    base = 40 * mm
    needs = [max(0, len(s.lines) - 3) * line_h for s in sections]
    available = top - bottom - gap * (len(sections) - 1) - base * len(sections)
    extra = [available * n / sum(needs) if sum(needs) else available / len(sections) for n in needs]
    if sum(needs) and sum(needs) < available:
        spare = available - sum(needs)
        extra = [n + spare / len(sections) for n in needs]
    icon = 18 * mm
    y = top
    for section, more in zip(sections, extra):
        box_h = base + more
        colour = COLOURS[section.icon]
        c.setStrokeColor(colour)
        c.setLineWidth(3)
        c.rect(margin, y - box_h, width - 2 * margin, box_h, stroke=1, fill=0)
        _draw_icon(c, section.icon, margin + 5 * mm, y - 5 * mm - icon, icon)
        draw_string(c, margin + 5 * mm + icon / 2, y - 10 * mm - icon, section.icon_words, 9, colour=INK,
                    align="centre", max_width=icon + 9 * mm)

        text_x = margin + 10 * mm + icon + 4 * mm
        text_w = width - margin - 5 * mm - text_x
        heading = style("h", 20, bold=True, leading=24, spaceAfter=6)
        body = style("b", 17, leading=22, spaceAfter=4)
        lines = list(section.lines) or ["Nothing written yet."]
        story = [
            P(section.heading, heading),
            ListFlowable([ListItem(P(line, body)) for line in lines], bulletType="bullet", start="\u2022",
                         leftIndent=18, bulletFontSize=17, bulletFontName=base_font()),
        ]
        frame_h = box_h - 8 * mm
        box = KeepInFrame(text_w, frame_h, story, mode="shrink")
        _, used_h = box.wrapOn(c, text_w, frame_h)
        box.drawOn(c, text_x, y - 4 * mm - min(used_h, frame_h))
        y -= box_h + gap
    c.showPage()
    c.save()
    return buffer.getvalue()
