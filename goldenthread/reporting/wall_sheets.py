"""Wall sheets: one named theme per A4 landscape page, in type big enough to read across a room.

Each page names the kind in words in a band across the top (never colour
alone), then the theme name as large as fits (72 pt down to 36 pt), and how
many people said it (or "Some people said this" when the count is hidden).
"""
from __future__ import annotations

import io

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from goldenthread.pdf.layout import P, draw_string, style
from goldenthread.pdf.text import clean
from goldenthread.reporting.data import ReportData
from goldenthread.reporting.full import footer_text

BANDS = {"working": ("#00703c", "WORKING"), "not_working": ("#b10e1e", "NOT WORKING"),
         "future": ("#1d4f91", "IMPORTANT FOR THE FUTURE")}


def render_pdf(data: ReportData) -> bytes:
    out = io.BytesIO()
    width, height = landscape(A4)
    c = Canvas(out, pagesize=(width, height), invariant=1)
    c.setTitle(clean(f"{data.cycle.name}: wall sheets"))
    c.setAuthor(clean(data.made_by))
    themes = [t for s in data.kinds for t in s.themes]
    for t in themes:
        colour, words = BANDS.get(t.kind, ("#0b0c0c", t.kind_label.upper()))
        c.setFillColor(HexColor(colour))
        c.rect(0, height - 32 * mm, width, 32 * mm, stroke=0, fill=1)
        draw_string(c, 18 * mm, height - 22 * mm, words, 40, bold=True, colour=white, max_width=width - 36 * mm)
        box_w, box_h = width - 36 * mm, height - 90 * mm
        for size in range(72, 35, -4):
            para = P(t.name, style("t", size, bold=True, leading=size * 1.3))
            _w, h = para.wrap(box_w, box_h)
            if h <= box_h:
                break
        para.drawOn(c, 18 * mm, height - 42 * mm - h)
        said = "Some people said this" if t.people is None else (
            "1 person said this" if t.people == 1 else f"{t.people} people said this")
        draw_string(c, 18 * mm, 30 * mm, said, 32)
        draw_string(c, 18 * mm, 10 * mm, footer_text(data), 9, max_width=width - 36 * mm)
        c.showPage()
    if not themes:
        draw_string(c, 18 * mm, height / 2, "No named themes yet.", 32)
        c.showPage()
    c.save()
    return out.getvalue()
