"""The full report of a cycle: an HTML file that stands alone, and a PDF drawn with ReportLab.

Both show the same :class:`~goldenthread.reporting.data.ReportData`: the charts
from :func:`~goldenthread.reporting.charts.charts_for` (SVG in the HTML, drawn
with ``reportlab.graphics`` in the PDF, each followed by its numbers as a
table), the actions, last year's themes a year on (with last year's actions), and on every page who made
the report, when, and how small counts were hidden.
"""
from __future__ import annotations

import io

from django.template.loader import render_to_string
from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from goldenthread.pdf.layout import P, document, draw_footer, draw_string, fit_string, footer_lines, string_width
from goldenthread.pdf.layout import style
from goldenthread.pdf.text import clean
from goldenthread.reporting.charts import COLOURS, Chart, charts_for, for_template
from goldenthread.reporting.data import ReportData
from goldenthread.reporting.story import Story, build_story


def render_html(data: ReportData) -> bytes:
    charts = [for_template(c) for c in charts_for(data)]
    return render_to_string("reporting/full.html", {"data": data, "story": build_story(data),
                                                    "charts": charts}).encode("utf-8")


def _styles():
    return {
        "h1": style("h1", 22, bold=True, leading=27, spaceAfter=6),
        "h2": style("h2", 16, bold=True, leading=20, spaceBefore=10, spaceAfter=6),
        "h3": style("h3", 13, bold=True, leading=17, spaceBefore=6, spaceAfter=4),
        "body": style("body", 12, leading=16, spaceBefore=6),
        "cell": style("cell", 10, leading=12),
    }


def _p(text: str, style) -> Paragraph:
    return P(str(text), style)


class _Chart(Drawing):
    """A chart whose words are drawn by the PDF toolkit (every script, shaped), after its bars and lines."""

    def __init__(self, width, height):
        super().__init__(width, height)
        self.__dict__["_words"] = []  # Drawing checks the attributes it is given; this one is ours

    def label(self, x, y, text, size=8, bold=False, align="left", max_width=None):
        self._words.append((x, y, text, size, bold, align, max_width))

    def draw(self):
        super().draw()
        for x, y, text, size, bold, align, max_width in self._words:
            draw_string(self.canv, x, y, text, size, bold=bold, align=align, max_width=max_width)


def chart_parts(chart: Chart, max_height: float = 600) -> list[Chart]:
    """Split a tall chart into pieces that each fit on a page (same series, fewer themes each)."""
    per = max(1, int(max_height // (len(chart.series) * 11 + 7)))
    if len(chart.categories) <= per:
        return [chart]
    return [Chart(chart.id, f"{chart.title} (part {i // per + 1})", chart.description, chart.categories[i:i + per],
                  [(name, vals[i:i + per]) for name, vals in chart.series], chart.unit)
            for i in range(0, len(chart.categories), per)]


def chart_drawing(chart: Chart, width: float = 165 * mm) -> Drawing:
    """A horizontal bar chart: each bar has its number written at its end, series differ in shade and name."""
    label_w, bar_h, gap = 62 * mm, 11, 7
    n = len(chart.series)
    legend_h = 16 if n > 1 else 0
    height = legend_h + len(chart.categories) * (n * bar_h + gap) + 6
    d = _Chart(width, height)
    plot_w = width - label_w - 40
    top = max([v for _, vals in chart.series for v in vals if v is not None] + [1])
    if n > 1:
        x = label_w
        for i, (name, _) in enumerate(chart.series):
            d.add(Rect(x, height - 12, 9, 9, fillColor=colors.HexColor(COLOURS[i % 4]), strokeColor=colors.black))
            d.label(x + 12, height - 11, name)
            x += 20 + string_width(name, 8)
    for ci, cat in enumerate(chart.categories):
        y_top = height - legend_h - ci * (n * bar_h + gap)
        d.label(label_w - 4, y_top - 9, cat, align="right", max_width=label_w - 8)
        for si, (name, vals) in enumerate(chart.series):
            v = vals[ci]
            y = y_top - (si + 1) * bar_h
            if v is None:
                d.label(label_w + 3, y + 3, "hidden")
                continue
            w = plot_w * v / top
            d.add(Rect(label_w, y + 1, w, bar_h - 2, fillColor=colors.HexColor(COLOURS[si % 4]),
                       strokeColor=colors.black, strokeWidth=0.5))
            suffix = f" ({name})" if n > 1 else ""
            d.label(label_w + w + 3, y + 3, f"{v}{suffix}", bold=True)
    d.add(Line(label_w, 0, label_w, height - legend_h))
    return d


def _table(headers, rows, widths=None, s=None) -> Table:
    body = [[_p(h, s["cell"]) for h in headers]] + [[_p(c, s["cell"]) for c in r] for r in rows]
    t = Table(body, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1"))]))
    return t


def footer_text(data: ReportData) -> str:
    return clean(f"Made by {data.made_by} on {data.made_at:%d %B %Y %H:%M}. {data.privacy_note}")


def _footer(data: ReportData):
    def draw(canvas, doc):
        draw_footer(canvas, doc, footer_text(data), margin=15 * mm)
    return draw


#: The kinds' colours on page 1 (GOV.UK green, red, blue); each always has its name in words beside it.
STORY_COLOURS = {"working": "#00703c", "not_working": "#d4351c", "future": "#1d70b8"}


def story_flowables(story: Story, width: float, height: float) -> list:
    """Page 1: the story in two minutes (what people said, what was decided, what changed since last year),
    shrunk if need be so that all of it is on page 1, then a page break before the detail."""
    body = style("story-body", 10.5, leading=13.5, spaceAfter=3)
    h2 = style("story-h2", 14, bold=True, leading=17, spaceBefore=8, spaceAfter=3)
    cell = style("story-cell", 9.5, leading=11.5)
    bold = style("story-bold", 9.5, bold=True, leading=11.5)
    white = style("story-kind", 9.5, bold=True, leading=11.5, colour=colors.white)
    grid = [("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    out = [_p(story.cycle + ": the story in two minutes", style("story-h1", 20, bold=True, leading=24, spaceAfter=6)),
           _p(story.intro, body)]
    if story.said:
        out.append(_p("What people said", h2))
        rows, look = [], list(grid)
        for k in story.said:
            look += [("BACKGROUND", (0, len(rows)), (-1, len(rows)), colors.HexColor(STORY_COLOURS[k.kind])),
                      ("SPAN", (0, len(rows)), (1, len(rows)))]
            rows.append([_p(f"{k.label} ({k.people_words} in all)", white), ""])
            rows += [[_p(f"{i}. {t.name}", cell), _p(t.people_words, bold)] for i, t in enumerate(k.themes, 1)]
            if k.more:
                rows.append([_p(f"And {k.more} more {k.label.lower()} theme{'s' if k.more != 1 else ''} "
                                "in the detail.", cell), ""])
        table = Table(rows, colWidths=[width - 32 * mm, 32 * mm])
        table.setStyle(TableStyle(look))
        out += [_p("The themes most people raised, counted in people (not in things said).", body), table]
    if story.workshop:
        out.append(_p("What was decided", h2))
        if story.voted:
            out.append(_p("Delegates gave the most priority dots to: " + "; ".join(
                f"{t.name} ({t.dots} dot{'s' if t.dots != 1 else ''})" for t in story.voted) + ".", body))
        if story.actions:
            rows = [[_p(h, bold) for h in ("What will be done", "Who", "Status", "By when")]]
            rows += [[_p(a.text, cell), _p(a.owner, cell), _p(a.status, cell), _p(f"{a.due:%d %b %Y}", cell)]
                     for a in story.actions]
            table = Table(rows, colWidths=[width - 98 * mm, 48 * mm, 25 * mm, 25 * mm], repeatRows=1)
            table.setStyle(TableStyle(grid))
            out.append(table)
            if story.more_actions:
                out.append(_p(f"And {story.more_actions} more action{'s' if story.more_actions != 1 else ''} "
                              "in the detail.", body))
        else:
            out.append(_p("No actions have been agreed yet.", body))
    out.append(_p("What changed since last year", h2))
    if story.last_year_themes:
        out.append(_p(f"{story.compared_with} {story.verdict_summary}", body))
        for c in story.changes:
            said = f"{c.theme} ({c.kind_label.lower()}): {c.verdict}"
            said += (f', as "{c.later_theme}"' if c.later_theme else "") + (f" ({c.counts})" if c.counts else "")
            out.append(_p(f"- {said}.", body))
        if story.actions_summary:
            out.append(_p(story.actions_summary, body))
    else:
        out.append(_p("There is no workshop from last year to compare with.", body))
    out.append(_p("Privacy: " + story.privacy_note + " All counts are of people, not of things said.", cell))
    return [KeepInFrame(width, height, out, mode="shrink"), PageBreak()]


def render_pdf(data: ReportData) -> bytes:
    s = _styles()
    out = io.BytesIO()
    doc = document(out, title=f"{data.cycle.name}: report", author=data.made_by, margins=(20, 20, 18, 22))
    story = [*story_flowables(build_story(data), doc.width - 12, doc.height - 12),
             _p(f"{data.cycle.name}: what people said and what will be done", s["h1"]),
             _p(f"What people said in {data.reviews} review{'' if data.reviews == 1 else 's'} of {data.people} "
               f"{'person' if data.people == 1 else 'people'}"
                + (f", the themes the workshop \"{data.workshop.name}\" found, and what will be done."
                   if data.workshop else ". There is no workshop yet."), s["body"]),
             _p("Privacy: " + data.privacy_note + " All counts are of people, not of things said.", s["body"])]
    for whole in charts_for(data):
        for chart in chart_parts(whole):
            story.append(KeepTogether([_p(chart.title, s["h2"]), _p(chart.description, s["body"]), Spacer(1, 4),
                                       chart_drawing(chart), Spacer(1, 4)]))
        story.append(_table(whole.headers, whole.rows, s=s))
    if data.actions:
        story.append(_p("What will be done", s["h2"]))
        story.append(_table(["What will be done", "Themes", "Who", "How we will know", "By when", "Status"],
                            [[a.text, "; ".join(a.themes), a.owner, a.measure, f"{a.due:%d %b %Y}", a.status]
                             for a in data.actions], [40 * mm, 32 * mm, 25 * mm, 32 * mm, 20 * mm, 21 * mm], s))
    if data.year_on:
        story.append(_p("Last year's themes, a year on", s["h2"]))
        previous = f" ({data.previous_cycle.name})" if data.previous_cycle else ""
        compared = (f"Compared with the workshop \"{data.workshop.name}\"." if data.workshop
                    else "There is no workshop in this cycle to compare with yet.")
        story.append(_p(f"{compared} Last year's themes are from the "
                        f"workshop \"{data.year_on[0].earlier_workshop}\"{previous}. A theme is only \"raised "
                        "again\" once a person has confirmed the match, and \"more\" or \"fewer\" people only "
                        "where both years' counts can be shown.", s["body"]))
        for r in data.year_on:
            story.append(_p(f"{r.theme}: {r.verdict}.", s["h3"]))
            story.append(_p(r.sentence, s["body"]))
            story += ([_p(f"- {a.text} ({a.owner}): {a.status}" + (f" ({a.note})" if a.note else ""), s["body"])
                       for a in r.actions] or [_p("No actions were agreed.", s["body"])])
    doc.build(story, onFirstPage=_footer(data), onLaterPages=_footer(data))
    return out.getvalue()
