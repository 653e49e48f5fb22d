"""Printable A4 documents made of headed sections: invitations and "you said, we did".

Plain library code (ReportLab, no Django): callers pass a :class:`Document`. Text, fonts, styles and the
page template come from the PDF toolkit (:mod:`goldenthread.pdf`), so every script prints as written.
The easy-read style uses large type (at least 16 pt), short lines, one idea
per line and plenty of space, as easy-read guidance asks.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Paragraph, Spacer

from goldenthread.pdf.layout import P, base_font, style
from goldenthread.pdf.layout import document as page_template

INK = HexColor("#0b0c0c")
BLUE = HexColor("#1d70b8")


@dataclass
class Section:
    heading: str
    lines: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    #: Labelled lists after the bullets, such as ("You said", [...]) and ("We did", [...]).
    parts: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class Document:
    title: str
    intro: str
    sections: list[Section]
    footer: str = ""


def _styles(easy_read: bool) -> dict[str, ParagraphStyle]:
    body = 16 if easy_read else 11
    return {
        "title": style("title", body + 12, bold=True, leading=(body + 12) * 1.25, spaceAfter=8),
        "intro": style("intro", body + 2, leading=(body + 2) * 1.4, spaceAfter=10),
        "h2": style("h2", body + 4, bold=True, leading=(body + 4) * 1.3, colour="#1d70b8", spaceBefore=8,
                    spaceAfter=3),
        "body": style("body", body, leading=body * 1.45, spaceAfter=4),
        "label": style("label", body, bold=True, leading=body * 1.45, spaceBefore=4, spaceAfter=2),
        "footer": style("footer", body - 2, leading=(body - 2) * 1.4, spaceBefore=12),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return P(text, style)


def _bullets(items: list[str], styles) -> ListFlowable:
    size = styles["body"].fontSize
    return ListFlowable([ListItem(_p(b, styles["body"]), leftIndent=size) for b in items], bulletType="bullet",
                        start="\u2022", leftIndent=size * 1.1, bulletFontSize=size,
                        bulletFontName=base_font())


def render(document: Document, *, easy_read: bool = False) -> bytes:
    """The document as PDF bytes."""
    styles = _styles(easy_read)
    out = io.BytesIO()
    doc = page_template(out, title=document.title)
    story = [_p(document.title, styles["title"]), _p(document.intro, styles["intro"])]
    for section in document.sections:
        head = [_p(section.heading, styles["h2"])] + [_p(line, styles["body"]) for line in section.lines]
        if section.bullets:
            head.append(_bullets(section.bullets, styles))
        parts = [[_p(label, styles["label"]), _bullets(items, styles)] for label, items in section.parts]
        # A heading never ends a page: it stays with what follows it, and each label with its list.
        story.append(KeepTogether(head + (parts[0] if parts else [])))
        story.extend(KeepTogether(part) for part in parts[1:])
    if document.footer:
        story += [Spacer(1, 6 * mm), _p(document.footer, styles["footer"])]
    doc.build(story)
    return out.getvalue()
