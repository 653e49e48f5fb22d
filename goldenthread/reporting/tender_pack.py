"""The tender pack: what a specification for one tender should answer, as a PDF and as a Word file to edit.

A pack is shared beyond the workshop team (it goes to bidders), so it is always the shared version: every count
of people is the shared report's own (:class:`~goldenthread.reporting.disclosure.PageDisclosures`), hidden below
the small-number threshold and wherever it would give a hidden one back, and what people said is quoted only from
the cells the same rule shows (anonymised cards of groups of at least the threshold). For each theme the tender
answers it gives the people across the council and in the tender's area (and user group), and up to
:data:`MAX_QUOTES` of their words, from the area where the rule lets it show any, else from the whole council.
Then what success looks like, and the questions the people's panel will score bids on, with their weights.

Both files are drawn from one :class:`TenderPack`. People's words are cleaned as every PDF cleans them
(:func:`goldenthread.pdf.text.clean`); for Word, characters XML cannot hold are removed too, and a table cell that a
spreadsheet would read as a formula starts with an apostrophe, as in every export
(:func:`goldenthread.privacy.cells.safe_cell`).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from goldenthread.core.models import Kind
from goldenthread.pdf.layout import document, draw_footer
from goldenthread.pdf.text import clean
from goldenthread.privacy.cells import safe_cell, strip_illegal
from goldenthread.reporting.data import threshold_setting
from goldenthread.reporting.disclosure import PageDisclosures
from goldenthread.reporting.full import _p, _styles, _table
from goldenthread.reporting.story import people_words
from goldenthread.tenders.models import SCORE_WORDS, Tender

MAX_QUOTES = 6


@dataclass
class PackTheme:
    name: str
    kind: str
    workshop: str
    people: int | None  # across the council, None when hidden
    in_area: int | None  # in the tender's area (and user group), None when hidden
    quotes: list[str]
    quotes_from: str  # "in Harford" or "across the council" ("" when none can be shown)

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


@dataclass
class TenderPack:
    tender: Tender
    where: str  # "in Harford (Learning disability)"
    threshold: int
    made_by: str
    made_at: dt.datetime
    themes: list[PackTheme] = field(default_factory=list)
    success: list[str] = field(default_factory=list)
    criteria: list[tuple[str, str, int]] = field(default_factory=list)  # (question, theme, weight)

    @property
    def title(self) -> str:
        return f"Tender pack: {self.tender.name}"

    @property
    def intro(self) -> str:
        return (f"What a specification for {self.tender.service_type.name.lower()} {self.where} should answer, "
                "from what people said at their person-centred reviews and at the workshops that grouped it "
                "into themes. Bids will be scored by a panel of people who use services and family members.")

    @property
    def privacy_note(self) -> str:
        return (f"All counts are of people, not of things said. Counts of fewer than {self.threshold} people are "
                "hidden, and so are some other counts, so that no one can work them out. What people said is "
                f"anonymised and is quoted only from groups of at least {self.threshold} people.")

    @property
    def footer(self) -> str:
        return clean(f"Made by {self.made_by} on {self.made_at:%d %B %Y %H:%M}. {self.privacy_note}")


def build_pack(tender: Tender, *, made_by: str = "Golden Thread", threshold: int | None = None) -> TenderPack:
    """The pack's contents, in the shared version (see the module's docstring)."""
    threshold = threshold_setting() if threshold is None else threshold
    area, group = tender.area.name, tender.user_group.name if tender.user_group_id else None
    where = f"in {area}" + (f" ({group})" if group else "")
    pack = TenderPack(tender, where, threshold, made_by, timezone.localtime())
    told = PageDisclosures(shared=True, threshold=threshold, made_by=f"tender pack ({made_by})")
    for cluster in tender.themes.select_related("board__workshop").order_by("board__kind", "position", "pk"):
        disclosure = told.of(cluster.board.workshop)
        if cluster.pk not in disclosure.themes:
            continue
        local = disclosure.cards(cluster.pk, area, group)
        cards, source = (local, where) if local else (disclosure.cards(cluster.pk), "across the council")
        quotes = [c["card_text"] for c in cards[:MAX_QUOTES]]
        pack.themes.append(PackTheme(cluster.name, cluster.board.kind, cluster.board.workshop.name,
                                     disclosure.people(cluster.pk), disclosure.people(cluster.pk, area, group),
                                     quotes, source if quotes else ""))
    pack.success = list(tender.success.values_list("text", flat=True))
    pack.criteria = [(c.text, c.theme.name, c.weight) for c in tender.criteria.select_related("theme")]
    return pack


def _theme_lines(pack: TenderPack, t: PackTheme) -> tuple[str, str]:
    """The theme's people in words, and what its quotes are ("" when none can be shown)."""
    counts = (f"{t.kind_label}. Across the council: {people_words(t.people)}. "
              f"{pack.where[:1].upper()}{pack.where[1:]}: {people_words(t.in_area)}.")
    said = (f"What people said ({t.quotes_from}):" if t.quotes
            else "No words can be quoted: they come from fewer people than the limit.")
    return counts, said


SCALE = "; ".join(f"{v} {w}" for v, w in SCORE_WORDS.items())


def render_pdf(pack: TenderPack) -> bytes:
    s = _styles()
    out = io.BytesIO()
    doc = document(out, title=pack.title, author=pack.made_by, margins=(20, 20, 18, 22))
    story = [_p(pack.title, s["h1"]), _p(pack.intro, s["body"])]
    if pack.tender.purpose:
        story += [_p("What the support is for", s["h2"]), _p(pack.tender.purpose, s["body"])]
    story.append(_p("What people told us", s["h2"]))
    if not pack.themes:
        story.append(_p("No themes have been chosen for this tender yet.", s["body"]))
    for t in pack.themes:
        counts, said = _theme_lines(pack, t)
        story += [_p(t.name, s["h3"]), _p(counts, s["body"]), _p(said, s["body"])]
        story += [_p(f"\u201c{q}\u201d", s["body"]) for q in t.quotes]
    story.append(_p("What success looks like", s["h2"]))
    story += [_p(f"- {line}", s["body"]) for line in pack.success] or [_p("Not written yet.", s["body"])]
    scored = [_p("How bids will be scored", s["h2"])]
    if pack.criteria:
        scored.append(_p(f"A panel of people who use services and family members answers each question for each "
                         f"bid: {SCALE}. Each bid's score is the mean of the answers to each question, weighted.",
                         s["body"]))
        scored.append(_table(["Question", "From the theme", "Weight"], [list(map(str, c)) for c in pack.criteria],
                             [95 * mm, 55 * mm, 20 * mm], s))
    else:
        scored.append(_p("The questions are not written yet.", s["body"]))
    story.append(KeepTogether(scored))
    story.append(_p("Privacy: " + pack.privacy_note, s["body"]))

    def footer(canvas, d):
        draw_footer(canvas, d, pack.footer, margin=15 * mm)

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


#: Characters an XML 1.0 document cannot hold, beyond the controls :func:`strip_illegal` removes.
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def docx_text(text: object) -> str:
    """People's words as Word can hold them: cleaned as for a PDF, without characters XML cannot hold."""
    return _NOT_XML.sub("", strip_illegal(clean(text)))


def render_docx(pack: TenderPack) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = docx_text(pack.title)
    doc.core_properties.author = docx_text(pack.made_by)
    doc.add_heading(docx_text(pack.title), level=0)
    doc.add_paragraph(docx_text(pack.intro))
    if pack.tender.purpose:
        doc.add_heading("What the support is for", level=1)
        doc.add_paragraph(docx_text(pack.tender.purpose))
    doc.add_heading("What people told us", level=1)
    if not pack.themes:
        doc.add_paragraph("No themes have been chosen for this tender yet.")
    for t in pack.themes:
        counts, said = _theme_lines(pack, t)
        doc.add_heading(docx_text(t.name), level=2)
        doc.add_paragraph(docx_text(counts))
        doc.add_paragraph(docx_text(said))
        for q in t.quotes:
            doc.add_paragraph(docx_text(f"\u201c{q}\u201d"), style="Quote")
    doc.add_heading("What success looks like", level=1)
    for line in pack.success:
        doc.add_paragraph(docx_text(line), style="List Bullet")
    if not pack.success:
        doc.add_paragraph("Not written yet.")
    doc.add_heading("How bids will be scored", level=1)
    if pack.criteria:
        doc.add_paragraph(f"A panel of people who use services and family members answers each question for each "
                          f"bid: {SCALE}. Each bid's score is the mean of the answers to each question, weighted.")
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, head in zip(table.rows[0].cells, ("Question", "From the theme", "Weight")):
            cell.text = head
        for row in pack.criteria:
            cells = table.add_row().cells
            for cell, value in zip(cells, row):
                # A table is often pasted into a spreadsheet: a cell that would be a formula is neutralised.
                cell.text = str(safe_cell(docx_text(value)) if isinstance(value, str) else value)
    else:
        doc.add_paragraph("The questions are not written yet.")
    doc.add_heading("Privacy", level=1)
    doc.add_paragraph(docx_text(pack.privacy_note))
    doc.sections[0].footer.paragraphs[0].text = docx_text(pack.footer)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


CONTENT_TYPES = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
RENDERERS = {"pdf": render_pdf, "docx": render_docx}
