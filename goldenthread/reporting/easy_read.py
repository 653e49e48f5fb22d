"""An easy-read summary: what people told us, and what we will do.

Short sentences, one idea per line, large text (at least 24 pt in print, 1.5
times normal size on screen). It names the kind of each theme in words. Counts
follow the same privacy rule as every report: small numbers are hidden and
said as "some people".
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from xml.sax.saxutils import escape

from goldenthread.reviews.cards import printable_text
from goldenthread.reporting.data import ReportData
from goldenthread.reporting.full import footer_text

HEADINGS = {"working": "Good things people told us", "not_working": "Things that are not working",
            "future": "What is important for the future"}


@dataclass
class Section:
    heading: str
    lines: list[str]


def _people(n: int | None) -> str:
    if n is None:
        return "Some people said this."
    return "1 person said this." if n == 1 else f"{n} people said this."


def sections(data: ReportData, top: int = 3) -> list[Section]:
    """The easy-read text: the biggest themes of each kind, then each action as one short line."""
    out = [Section("About this", [f"{data.people} people had a review.", "They told us what is good.",
                                  "They told us what is not working.", "We met to talk about it."])]
    for summary in data.kinds:
        if summary.themes:
            lines = []
            for t in summary.themes[:top]:
                lines += [f"“{t.name}”", _people(t.people)]
            out.append(Section(HEADINGS.get(summary.kind, summary.label), lines))
    if data.actions:
        out.append(Section("What we will do", [
            line for a in data.actions for line in
            (f"We will: {a.text}.", f"Who: {a.owner}.", f"By: {a.due:%B %Y}.")]))
    out.append(Section("Your privacy", ["We do not use names.", "We do not show very small numbers."]))
    return out


def render_html(data: ReportData) -> bytes:
    from django.template.loader import render_to_string

    return render_to_string("reports/easy_read.html", {"data": data, "sections": sections(data)}).encode("utf-8")


def render_pdf(data: ReportData) -> bytes:
    h = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=30, leading=38, spaceBefore=14, spaceAfter=8)
    p = ParagraphStyle("p", fontName="Helvetica", fontSize=24, leading=34)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
                            bottomMargin=22 * mm, title=f"{data.cycle.name}: easy read", author=data.made_by)
    story = [Paragraph(escape(printable_text(f"{data.cycle.name}")), h)]
    for section in sections(data):
        story.append(Paragraph(escape(printable_text(section.heading)), h))
        story += [Paragraph(escape(printable_text(line)), p) for line in section.lines]
        story.append(Spacer(1, 6))

    def footer(canvas, doc_):
        canvas.setFont("Helvetica", 9)
        text = footer_text(data)
        canvas.drawString(22 * mm, 10 * mm, text[:115])
        canvas.drawString(22 * mm, 6 * mm, text[115:230])
        canvas.drawRightString(A4[0] - 22 * mm, 15 * mm, f"Page {doc_.page}")

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
