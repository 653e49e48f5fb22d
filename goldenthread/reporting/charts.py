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
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

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

    @property
    def top(self) -> int:
        """The biggest shown number (at least 1): the full length of a bar."""
        return max([v for _, vals in self.series for v in vals if v is not None] + [1])

    @property
    def items(self) -> list[tuple[str, list[tuple[str, int | None]]]]:
        """(theme, [(series, number or None when hidden)]) for each theme: the chart as a list, for small screens."""
        return [(cat, [(name, vals[i]) for name, vals in self.series]) for i, cat in enumerate(self.categories)]


def for_template(chart: Chart) -> dict:
    """What a page or HTML file needs to show a chart: the SVG, the list for small screens, and the table."""
    return {"svg": to_svg(chart), **chart.__dict__, "headers": chart.headers, "rows": chart.rows,
            "items": chart.items, "top": chart.top}


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


def _defs(uid: str) -> SafeString:
    out = []
    for i, (pattern, colour) in enumerate(zip(PATTERNS, COLOURS)):
        if pattern == "solid":
            body = format_html('<rect width="8" height="8" fill="{}"/>', colour)
        elif pattern == "stripes":
            body = format_html('<rect width="8" height="8" fill="#fff"/><path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" '
                               'stroke="{}" stroke-width="2.5"/>', colour)
        elif pattern == "dots":
            body = format_html('<rect width="8" height="8" fill="#fff"/><circle cx="4" cy="4" r="2.2" fill="{}"/>',
                               colour)
        else:
            body = format_html('<rect width="8" height="8" fill="#fff"/><path d="M0,0 l8,8 M8,0 l-8,8" stroke="{}" '
                               'stroke-width="1.8"/>', colour)
        out.append(format_html('<pattern id="{}-p{}" width="8" height="8" patternUnits="userSpaceOnUse">{}</pattern>',
                               uid, i, body))
    return format_html("<defs>{}</defs>", _join(out))


def _join(parts) -> SafeString:
    """Join fragments; any plain string among them is escaped, so only format_html output is ever trusted."""
    return mark_safe("".join(conditional_escape(p) for p in parts))  # noqa: S308 - every part is escaped


def to_svg(chart: Chart) -> SafeString:
    """Draw a horizontal (grouped) bar chart as an accessible SVG.

    Every piece of text (theme names, areas, user groups, series names) goes
    through :func:`django.utils.html.format_html`, which escapes ``& < > " '``,
    so a name such as ``Buses" onfocus="alert(1)`` stays text inside its
    attribute. The result is a ``SafeString``: templates print it with
    ``{{ chart.svg }}``, never with ``|safe``.
    """
    uid = f"chart-{chart.id}"
    label_w, bar_h, gap, width = 250, 22, 14, 720
    plot_w = width - label_w - 80
    n_series = len(chart.series)
    legend_h = 30 if n_series > 1 else 0
    group_h = n_series * bar_h + gap
    height = legend_h + len(chart.categories) * group_h + 20
    top = max([v for _, vals in chart.series for v in vals if v is not None] + [1])
    parts = [format_html('<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
                         'width="100%" role="group" aria-labelledby="{}-t {}-d" id="{}">', width, height, uid, uid,
                         uid),
             format_html('<title id="{}-t">{}</title><desc id="{}-d">{}</desc>', uid, chart.title, uid,
                         chart.description),
             _defs(uid)]
    if n_series > 1:
        x = label_w
        for i, (name, _) in enumerate(chart.series):
            parts.append(format_html('<rect x="{}" y="6" width="18" height="18" fill="url(#{}-p{})" stroke="#0b0c0c"/>'
                                     '<text x="{}" y="20" font-size="14">{}</text>', x, uid, i % 4, x + 24, name))
            x += 30 + 8 * len(name)
    for ci, cat in enumerate(chart.categories):
        y0 = legend_h + ci * group_h + 6
        for li, line in enumerate(_wrap(cat)):
            parts.append(format_html('<text x="{}" y="{}" text-anchor="end" font-size="13">{}</text>',
                                     label_w - 8, y0 + 14 + li * 15, line))
        for si, (name, vals) in enumerate(chart.series):
            v = vals[ci]
            y = y0 + si * bar_h
            said = "hidden (fewer than the limit, or hidden so it cannot be worked out)" if v is None else str(v)
            label = f"{cat}, {name}: {said}"
            parts.append(format_html('<g class="bar" tabindex="0" role="img" aria-label="{}"><title>{}</title>',
                                     label, label))
            if v is None:
                parts.append(format_html('<text x="{}" y="{}" font-size="13" font-style="italic">hidden</text>',
                                         label_w + 4, y + 16))
            else:
                w = plot_w * int(v) / top
                parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{}-p{})" '
                                         'stroke="#0b0c0c" stroke-width="1"/>'
                                         '<text x="{}" y="{}" font-size="13" font-weight="bold">{}</text>',
                                         label_w, y + 2, f"{w:.1f}", bar_h - 4, uid, si % 4,
                                         f"{label_w + w + 6:.1f}", y + 16, int(v)))
            parts.append(mark_safe("</g>"))
    parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#0b0c0c"/>', label_w, legend_h, label_w,
                             height - 10))
    parts.append(mark_safe("</svg>"))
    return _join(parts)
