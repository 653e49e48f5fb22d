"""An easy-read summary: what people told us, and what we will do.

Short sentences, one idea per line, large text (at least 24 pt in print, 1.5
times normal size on screen). It names the kind of each theme in words. Counts
follow the same privacy rule as every report: small numbers are hidden and
said as "some people".
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from goldenthread.pdf.easy_read import styles as easy_styles
from goldenthread.pdf.layout import P, document, draw_footer
from goldenthread.pdf.pictograms import Pictogram, drawing, pictogram_for
from goldenthread.reporting.data import ReportData
from goldenthread.reporting.full import footer_text

HEADINGS = {"working": "Good things people told us", "not_working": "Things that are not working",
            "future": "What is important for the future"}


@dataclass
class Theme:
    """One theme in easy read: its name, how many people said it, and the picture beside it."""
    name: str
    people: str
    picture: Pictogram


@dataclass
class Section:
    heading: str
    lines: list[str]
    themes: list[Theme] = field(default_factory=list)


def _people(n: int | None) -> str:
    if n is None:
        return "Some people said this."
    return "1 person said this." if n == 1 else f"{n} people said this."


def sections(data: ReportData, top: int = 3) -> list[Section]:
    """The easy-read text: the biggest themes of each kind, then each action as one short line."""
    out = [Section("About this", [("1 person had a review." if data.people == 1 else f"{data.people} people had a review."), "They told us what is good.",
                                  "They told us what is not working.", "We met to talk about it."])]
    for summary in data.kinds:
        if summary.themes:
            lines, themes = [], []
            for t in summary.themes[:top]:
                lines += [f"“{t.name}”", _people(t.people)]
                themes.append(Theme(t.name, _people(t.people), pictogram_for(t.name)))
            out.append(Section(HEADINGS.get(summary.kind, summary.label), lines, themes))
    if data.actions:
        out.append(Section("What we will do", [
            line for a in data.actions for line in
            (f"We will: {a.text}.", f"Who: {a.owner}.", f"By: {a.due:%B %Y}.")]))
    out.append(Section("Your privacy", ["We do not use names.", "We do not show very small numbers."]))
    return out


def render_html(data: ReportData) -> bytes:
    from django.template.loader import render_to_string

    return render_to_string("reporting/easy_read.html", {"data": data, "sections": sections(data)}).encode("utf-8")


def render_pdf(data: ReportData) -> bytes:
    st = easy_styles(24)
    h, p, caption = st["heading"], st["body"], st["caption"]
    out = io.BytesIO()
    doc = document(out, title=f"{data.cycle.name}: easy read", author=data.made_by, margins=(22, 22, 20, 22))
    story = [P(data.cycle.name, h)]
    for section in sections(data):
        heading = P(section.heading, h)
        if section.themes:
            # Each theme with its picture beside it, and the picture's name under it in words.
            rows = []
            for theme in section.themes:
                picture = [drawing(theme.picture, 30 * mm), P(theme.picture.name, caption)]
                words = [P(f"\u201c{theme.name}\u201d", p), P(theme.people, p)]
                row = Table([[picture, words]], colWidths=[36 * mm, None])
                row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0),
                                         ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
                rows.append(row)
            story.append(KeepTogether([heading, rows[0]]))  # a heading never ends a page on its own
            story += rows[1:]
        else:
            lines = [P(line, p) for line in section.lines]
            story.append(KeepTogether([heading, *lines[:3]]))
            story += lines[3:]
        story.append(Spacer(1, 6))

    def footer(canvas, doc_):
        draw_footer(canvas, doc_, footer_text(data), margin=22 * mm, size=10, max_lines=3)

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
