"""Accessible bar charts drawn as SVG on the server — no chart library, no script needed.

Each chart is described once as a :class:`Chart` (made from report numbers by
:func:`charts_for`) and drawn two ways: :func:`to_svg` for web pages and HTML
files, and by :mod:`goldenthread.reporting.full` for the PDF.

Accessibility
    * the SVG has ``<title>`` and ``<desc>`` and ``role="group"``;
    * every bar is a focusable ``<g tabindex="0">`` with its own label
      ("I can't get a bus after six, Harford: 3 people") and a ``<title>`` tooltip;
    * each bar's number is written at its end, so colour is never needed;
      series differ by **pattern** (solid, stripes, dots, cross-hatch) as well
      as colour, and the legend names them;
    * a hidden count is drawn as the word "hidden", not as a zero bar;
    * pages put the same numbers in a table beside the chart (:attr:`Chart.rows`).
"""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from goldenthread.reporting.data import ReportData

PATTERNS = ("solid", "stripes", "dots", "cross")
COLOURS = ("#1d4f91", "#b35900", "#2e7d32", "#6a1b9a")


@dataclass
class Chart:
    id: str
    title: str
    description: str
    categories: list[str]
    series: list[tuple[str, list[int | None]]]
    unit: str = "people"

    @property
    def headers(self) -> list[str]:
        return ["Theme"] + [name for name, _ in self.series]

    @property
    def rows(self) -> list[list[str]]:
        return [[cat] + ["hidden" if vals[i] is None else str(vals[i]) for _, vals in self.series]
                for i, cat in enumerate(self.categories)]


def charts_for(data: ReportData) -> list[Chart]:
    """The guide's charts: themes per kind, not-working themes against votes, areas, user groups, years."""
    charts = []
    for summary in data.kinds:
        if summary.themes:
            charts.append(Chart(
                f"kind-{summary.kind}", f"{summary.label}: people per theme",
                f"How many people said something in each {summary.label.lower()} theme, biggest first.",
                [t.name for t in summary.themes], [("People", [t.people for t in summary.themes])]))
    if data.not_working:
        charts.append(Chart(
            "votes", "Not working: what people said and what the workshop chose",
            "For each not-working theme, the number of people who raised it beside the priority dots delegates gave it.",
            [t.name for t in data.not_working],
            [("People who said it", [t.people for t in data.not_working]),
             ("Priority dots", [t.dots for t in data.not_working])], unit="people or dots"))
    for tables, word in ((data.by_area, "area"), (data.by_group, "user group")):
        for b in tables:
            if len(b.groups) > 1:
                charts.append(Chart(
                    f"{word.replace(' ', '-')}-{b.kind}", f"{b.label}: people per theme in each {word}",
                    f"The same {b.label.lower()} themes compared across each {word}.", b.themes,
                    [(g, [row[i] for row in b.cells]) for i, g in enumerate(b.groups)]))
    if data.years:
        prev = data.previous_cycle.year if data.previous_cycle else "last year"
        charts.append(Chart(
            "years", "The same themes last year and this year",
            "Themes a person confirmed as the same as last year's, with people each year.",
            [y.theme for y in data.years],
            [(str(prev), [y.before for y in data.years]), (str(data.cycle.year), [y.now for y in data.years])]))
    return charts


def _wrap(text: str, width: int = 34) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return (lines + [line])[:3]


def _defs(uid: str) -> str:
    out = []
    for i, (pattern, colour) in enumerate(zip(PATTERNS, COLOURS)):
        pid = f"{uid}-p{i}"
        if pattern == "solid":
            body = f'<rect width="8" height="8" fill="{colour}"/>'
        elif pattern == "stripes":
            body = (f'<rect width="8" height="8" fill="#fff"/><path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" '
                    f'stroke="{colour}" stroke-width="2.5"/>')
        elif pattern == "dots":
            body = f'<rect width="8" height="8" fill="#fff"/><circle cx="4" cy="4" r="2.2" fill="{colour}"/>'
        else:
            body = (f'<rect width="8" height="8" fill="#fff"/><path d="M0,0 l8,8 M8,0 l-8,8" stroke="{colour}" '
                    'stroke-width="1.8"/>')
        out.append(f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">{body}</pattern>')
    return "<defs>" + "".join(out) + "</defs>"


def to_svg(chart: Chart) -> str:
    """Draw a horizontal (grouped) bar chart as an accessible SVG string."""
    uid = f"chart-{chart.id}"
    label_w, bar_h, gap, width = 250, 22, 14, 720
    plot_w = width - label_w - 80
    n_series = len(chart.series)
    legend_h = 30 if n_series > 1 else 0
    group_h = n_series * bar_h + gap
    height = legend_h + len(chart.categories) * group_h + 20
    top = max([v for _, vals in chart.series for v in vals if v is not None] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="100%" role="group" aria-labelledby="{uid}-t {uid}-d" id="{uid}">',
             f'<title id="{uid}-t">{escape(chart.title)}</title><desc id="{uid}-d">{escape(chart.description)}</desc>',
             _defs(uid)]
    if n_series > 1:
        x = label_w
        for i, (name, _) in enumerate(chart.series):
            parts.append(f'<rect x="{x}" y="6" width="18" height="18" fill="url(#{uid}-p{i % 4})" stroke="#0b0c0c"/>'
                         f'<text x="{x + 24}" y="20" font-size="14">{escape(name)}</text>')
            x += 30 + 8 * len(name)
    for ci, cat in enumerate(chart.categories):
        y0 = legend_h + ci * group_h + 6
        for li, line in enumerate(_wrap(cat)):
            parts.append(f'<text x="{label_w - 8}" y="{y0 + 14 + li * 15}" text-anchor="end" font-size="13">'
                         f'{escape(line)}</text>')
        for si, (name, vals) in enumerate(chart.series):
            v = vals[ci]
            y = y0 + si * bar_h
            said = "hidden (fewer than the limit, or hidden so it cannot be worked out)" if v is None else str(v)
            label = f"{cat}, {name}: {said}"
            parts.append(f'<g class="bar" tabindex="0" role="img" aria-label="{escape(label)}"><title>{escape(label)}'
                         '</title>')
            if v is None:
                parts.append(f'<text x="{label_w + 4}" y="{y + 16}" font-size="13" font-style="italic">hidden</text>')
            else:
                w = plot_w * v / top
                parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{bar_h - 4}" '
                             f'fill="url(#{uid}-p{si % 4})" stroke="#0b0c0c" stroke-width="1"/>'
                             f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="13" font-weight="bold">{v}'
                             '</text>')
            parts.append("</g>")
    parts.append(f'<line x1="{label_w}" y1="{legend_h}" x2="{label_w}" y2="{height - 10}" stroke="#0b0c0c"/>')
    parts.append("</svg>")
    return "".join(parts)
