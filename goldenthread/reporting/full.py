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
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from goldenthread.pdf.layout import P, document, draw_footer, draw_string, fit_string, footer_lines, string_width
from goldenthread.pdf.layout import style
from goldenthread.pdf.text import clean
from goldenthread.reporting.charts import COLOURS, Chart, charts_for, to_svg
from goldenthread.reporting.data import ReportData


def render_html(data: ReportData) -> bytes:
    charts = [{"svg": to_svg(c), **c.__dict__, "headers": c.headers, "rows": c.rows} for c in charts_for(data)]
    return render_to_string("reporting/full.html", {"data": data, "charts": charts}).encode("utf-8")


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


def render_pdf(data: ReportData) -> bytes:
    s = _styles()
    out = io.BytesIO()
    doc = document(out, title=f"{data.cycle.name}: report", author=data.made_by, margins=(20, 20, 18, 22))
    story = [_p(f"{data.cycle.name}: what people said and what will be done", s["h1"]),
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
