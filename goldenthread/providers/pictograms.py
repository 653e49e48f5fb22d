"""Small pictures for the easy-read statement, each named in words. No Django.

Each picture is a handful of simple shapes on a 48 × 48 grid, drawn in one
colour. The same shapes make the SVG files shipped in
``static/providers/pictograms/`` (see :func:`svg`; a test checks the files
match) and the drawings in the easy-read PDF (:func:`draw`), so the page and
the PDF always show the same picture. Every picture has its words
(``PICTURES[name].words``) printed beside it: the picture helps, the words say it.
"""
from __future__ import annotations

from dataclasses import dataclass

INK = "#0b0c0c"


@dataclass(frozen=True)
class Picture:
    words: str
    colour: str
    shapes: tuple


def _c(cx, cy, r, fill="ink"):
    return ("circle", cx, cy, r, fill)


def _e(cx, cy, rx, ry, fill="ink"):
    return ("ellipse", cx, cy, rx, ry, fill)


def _r(x, y, w, h, fill="ink"):
    return ("rect", x, y, w, h, fill)


def _l(x1, y1, x2, y2):
    return ("line", x1, y1, x2, y2)


def _p(*points, fill="ink"):
    return ("poly", points, fill)


PICTURES: dict[str, Picture] = {
    "calendar": Picture("a calendar", "#1d70b8", (
        _r(6, 10, 36, 32, "none"), _r(6, 10, 36, 9), _l(15, 5, 15, 14), _l(33, 5, 33, 14),
        _r(12, 24, 6, 5), _r(21, 24, 6, 5), _r(30, 24, 6, 5), _r(12, 33, 6, 5), _r(21, 33, 6, 5))),
    "helper": Picture("two people side by side", "#00703c", (
        _c(16, 13, 6), _c(32, 13, 6), _p((6, 42), (8, 24), (24, 24), (26, 42)), _p((22, 42), (24, 24), (40, 24),
                                                                                 (42, 42)))),
    "moon": Picture("a moon and a star, for late at night", "#4c2c92", (
        _c(22, 26, 16), _c(30, 20, 14, "white"), _p((38, 4), (40, 10), (46, 10), (41, 14), (43, 20), (38, 16),
                                                   (33, 20), (35, 14), (30, 10), (36, 10)))),
    "bag": Picture("a shopping bag", "#d4351c", (
        _p((8, 18), (40, 18), (43, 44), (5, 44)), _p((17, 18), (17, 10), (31, 10), (31, 18), fill="none"))),
    "office": Picture("an office building", "#484949", (
        _r(10, 6, 28, 38, "none"), _r(15, 11, 6, 6), _r(27, 11, 6, 6), _r(15, 21, 6, 6), _r(27, 21, 6, 6),
        _r(20, 33, 8, 11))),
    "piggy": Picture("a piggy bank", "#d53880", (
        _e(24, 27, 17, 12), _p((12, 18), (14, 9), (21, 16)), _r(13, 35, 5, 9), _r(29, 35, 5, 9),
        _r(39, 23, 6, 7), _r(20, 13, 10, 3, "white"), _c(33, 23, 2, "white"))),
    "coins": Picture("a pile of coins", "#b58840", (
        _e(24, 38, 16, 5), _e(24, 31, 16, 5), _e(24, 24, 16, 5), _e(24, 17, 16, 5),
        _e(24, 17, 10, 2.5, "white"))),
    "pencil": Picture("a pencil, for a correction", "#484949", (
        _p((10, 44), (12, 34), (34, 6), (42, 12), (20, 40)), _p((10, 44), (12, 34), (20, 40), fill="white"),
        _l(30, 10, 38, 16))),
    "house": Picture("a house", "#00703c", (
        _p((4, 24), (24, 6), (44, 24)), _r(10, 24, 28, 20, "none"), _r(20, 30, 8, 14))),
    "clock": Picture("a clock", "#1d70b8", (
        _c(24, 24, 19, "none"), _l(24, 24, 24, 12), _l(24, 24, 33, 29), _c(24, 24, 2))),
}

#: Which picture goes with each kind of ledger line.
FOR_KIND = {"allocation": "calendar", "delivered": "helper", "purchase": "bag", "management": "office",
            "banked": "piggy", "from_bank": "piggy", "converted": "coins", "correction": "pencil",
            "transfer": "house"}


def _fill(fill: str, colour: str) -> str:
    return {"ink": colour, "white": "#ffffff", "none": "none"}[fill]


def svg(name: str) -> str:
    """The picture as a small SVG file. It is decorative on the page (the words beside it say what it is)."""
    pic = PICTURES[name]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">',
             f"<title>{pic.words}</title>",
             f'<g stroke="{pic.colour}" stroke-width="3" stroke-linejoin="round" stroke-linecap="round">']
    for shape in pic.shapes:
        kind = shape[0]
        if kind == "circle":
            _, cx, cy, r, fill = shape
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{_fill(fill, pic.colour)}"/>')
        elif kind == "ellipse":
            _, cx, cy, rx, ry, fill = shape
            parts.append(f'<ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}" fill="{_fill(fill, pic.colour)}"/>')
        elif kind == "rect":
            _, x, y, w, h, fill = shape
            parts.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{_fill(fill, pic.colour)}"/>')
        elif kind == "line":
            _, x1, y1, x2, y2 = shape
            parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>')
        else:
            _, points, fill = shape
            pts = " ".join(f"{x},{y}" for x, y in points)
            parts.append(f'<polygon points="{pts}" fill="{_fill(fill, pic.colour)}"/>')
    parts.append("</g></svg>\n")
    return "\n".join(parts)


def draw(canvas, name: str, x: float, y: float, size: float) -> None:
    """Draw the picture on a ReportLab canvas with its bottom-left corner at (x, y)."""
    from reportlab.lib.colors import HexColor, white

    pic = PICTURES[name]
    colour = HexColor(pic.colour)
    k = size / 48

    def px(v):
        return x + v * k

    def py(v):
        return y + size - v * k

    canvas.saveState()
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(3 * k)
    canvas.setLineJoin(1)
    canvas.setLineCap(1)
    for shape in pic.shapes:
        kind, fill = shape[0], shape[-1]
        if kind != "line":
            canvas.setFillColor(white if fill == "white" else colour)
        filled = 0 if fill == "none" else 1
        if kind == "circle":
            _, cx, cy, r, _ = shape
            canvas.circle(px(cx), py(cy), r * k, stroke=1, fill=filled)
        elif kind == "ellipse":
            _, cx, cy, rx, ry, _ = shape
            canvas.ellipse(px(cx - rx), py(cy - ry), px(cx + rx), py(cy + ry), stroke=1, fill=filled)
        elif kind == "rect":
            _, rx, ry, w, h, _ = shape
            canvas.rect(px(rx), py(ry + h), w * k, h * k, stroke=1, fill=filled)
        elif kind == "line":
            _, x1, y1, x2, y2 = shape
            canvas.line(px(x1), py(y1), px(x2), py(y2))
        else:
            _, points, _ = shape
            path = canvas.beginPath()
            path.moveTo(px(points[0][0]), py(points[0][1]))
            for vx, vy in points[1:]:
                path.lineTo(px(vx), py(vy))
            path.close()
            canvas.drawPath(path, stroke=1, fill=filled)
    canvas.restoreState()


def write_static(folder) -> None:
    """Write every picture's SVG file into ``folder`` (run once when a picture changes; a test checks they match)."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in PICTURES:
        (folder / f"{name}.svg").write_text(svg(name))
