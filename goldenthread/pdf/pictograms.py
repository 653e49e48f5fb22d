"""The one library of pictures for every easy-read PDF and page, each named in words. No Django.

Each picture is a handful of simple shapes on a 48 x 48 grid (y down, as in SVG), drawn in one colour.
The same shapes make the SVG files shipped in ``static/providers/pictograms/`` (:func:`svg`; a test checks
the files match), the drawings on a PDF canvas (:func:`draw`) and a flowable for a report (:func:`drawing`),
so the page and the PDF always show the same picture. Every picture has its words
(``PICTURES[key].words``) printed beside it: the picture helps, the words say it.

:func:`pictogram_for` picks the picture for a theme from its words ("bus" -> getting about), else
"what people said"; :data:`FOR_KIND` picks one for each kind of line in a fund's statement.
They are our own drawings, released with Golden Thread under its licence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

INK = "#0b0c0c"
PALE = "#f3f2f1"


@dataclass(frozen=True)
class Picture:
    words: str  # said in words beside the picture
    colour: str
    shapes: tuple
    key: str = ""
    topics: tuple[str, ...] = field(default=(), compare=False)  # words in a theme that choose this picture

    @property
    def name(self) -> str:
        return self.words


Pictogram = Picture  # the name the reports used


def _t(x, y, size, text):
    return ("text", x, y, size, text)

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
        _p((4, 24), (24, 6), (44, 24)), _r(10, 24, 28, 20, "none"), _r(20, 30, 8, 14)),
        topics=("home", "house", "flat", "live", "living", "move", "bedroom")),
    "clock": Picture("a clock", "#1d70b8", (
        _c(24, 24, 19, "none"), _l(24, 24, 24, 12), _l(24, 24, 33, 29), _c(24, 24, 2)),
        topics=("time", "evening", "evenings", "night", "late", "early", "wait", "waiting", "day", "days", "week")),
    # The pictures for themes in easy-read reports, in the order a theme's words are matched.
    "money": Picture("money", INK, (_c(24.0, 24.0, 15.8, "none"), _t(24.0, 30.7, 19.2, "\u00a3")),
                     topics=("money", "pay", "paid", "cost", "charge", "charging", "price", "bill", "fees", "benefit",
                             "benefits", "budget", "afford")),
    "transport": Picture("getting about", INK, (
        _r(7.2, 10.6, 33.6, 23.0, "none"), _r(11.0, 14.4, 11.5, 7.2), _r(25.4, 14.4, 11.5, 7.2),
        _c(14.4, 36.0, 3.8), _c(33.6, 36.0, 3.8)),
        topics=("bus", "buses", "transport", "taxi", "train", "travel", "lift", "car", "journey", "get")),
    "friends": Picture("friends and family", INK, (
        _c(15.8, 16.8, 4.3), _p((9.1, 36.0), (11.0, 23.5), (20.6, 23.5), (22.6, 36.0)), _c(32.2, 16.8, 4.3),
        _p((25.4, 36.0), (27.4, 23.5), (37.0, 23.5), (38.9, 36.0)), _l(20.6, 28.8, 27.4, 28.8)),
        topics=("friend", "friends", "family", "lonely", "alone", "mum", "dad", "people", "together", "club",
                "centre", "social")),
    "health": Picture("health", INK, (_r(19.2, 7.2, 9.6, 33.6), _r(7.2, 19.2, 33.6, 9.6)),
                      topics=("health", "doctor", "gp", "hospital", "clinic", "nurse", "medicine", "ill", "pain",
                              "diabetes", "dentist")),
    "work": Picture("work", INK, (_r(7.2, 15.4, 33.6, 23.0, "none"), _r(17.8, 9.6, 12.5, 5.8, "none"),
                                  _l(7.2, 25.9, 40.8, 25.9)),
                    topics=("work", "job", "jobs", "volunteer", "volunteering", "paid")),
    "food": Picture("food", INK, (_c(24.0, 26.4, 13.4, "none"), _c(24.0, 26.4, 7.2, "none"), _l(5.8, 38.4, 5.8, 9.6),
                                  _l(42.2, 38.4, 42.2, 9.6)),
                    topics=("food", "meal", "meals", "dinner", "lunch", "cook", "cooking", "eat", "tea", "shopping",
                            "shop")),
    "staff": Picture("staff and support", INK, (
        _c(24.0, 13.9, 5.2), _p((15.9, 37.0), (18.2, 22.0), (29.8, 22.0), (32.1, 37.0)),
        _r(26.9, 24.0, 4.8, 3.8, "white")),
        topics=("staff", "carer", "carers", "support", "worker", "workers", "help", "helps")),
    "safety": Picture("feeling safe", INK, (
        _p((24.0, 5.8), (39.4, 12.5), (36.5, 31.2), (24.0, 42.2), (11.5, 31.2), (8.6, 12.5), fill="none"),
        _l(17.3, 24.0, 22.6, 29.8), _l(22.6, 29.8, 31.7, 17.3)),
        topics=("safe", "safety", "scared", "afraid", "bullied", "worry", "worried", "danger", "fall", "falls")),
    "learning": Picture("learning", INK, (
        _p((24.0, 36.0), (5.8, 31.2), (5.8, 10.6), (24.0, 15.4), fill="none"),
        _p((24.0, 36.0), (42.2, 31.2), (42.2, 10.6), (24.0, 15.4), fill="none")),
        topics=("learn", "learning", "college", "course", "school", "read", "reading", "class", "lesson",
                "lessons")),
    "said": Picture("what people said", INK, (_e(24.0, 20.6, 17.3, 12.0, "none"),
                                               _p((15.4, 29.8), (11.5, 39.4), (22.1, 31.7)))),
}

PICTURES = {key: Picture(p.words, p.colour, p.shapes, key, p.topics) for key, p in PICTURES.items()}
#: The pictures a theme can get, in the order ties are settled, and the one for anything else.
THEME_ORDER = ("house", "money", "transport", "friends", "health", "work", "food", "staff", "safety", "learning",
               "clock")
DEFAULT = PICTURES["said"]
BY_KEY = PICTURES

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
        elif kind == "text":
            _, x, y, size, text = shape
            parts.append(f'<text x="{x}" y="{y}" font-size="{size}" font-weight="bold" text-anchor="middle" '
                         f'fill="{pic.colour}" stroke="none" font-family="sans-serif">{text}</text>')
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
        elif kind == "text":
            from goldenthread.pdf.layout import draw_string

            _, tx, ty, tsize, text = shape
            draw_string(canvas, px(tx), py(ty), text, tsize * k, bold=True, align="centre", colour=colour)
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


def pictogram_for(text: str) -> Picture:
    """The picture whose words appear most in ``text`` (ties: the earlier in :data:`THEME_ORDER`), else DEFAULT."""
    words = re.findall(r"[a-z]+", str(text).lower())
    best, best_score = DEFAULT, 0
    for key in THEME_ORDER:
        score = sum(1 for w in words if w in PICTURES[key].topics)
        if score > best_score:
            best, best_score = PICTURES[key], score
    return best


def drawing(picture: Picture | str, size: float = 60):
    """The picture as a flowable ``size`` points square, on a pale rounded square (for reports)."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Flowable

    key = picture if isinstance(picture, str) else picture.key

    class _Drawing(Flowable):
        def __init__(self):
            super().__init__()
            self.width = self.height = size

        def wrap(self, *_):
            return size, size

        def draw(self):
            self.canv.saveState()
            self.canv.setFillColor(HexColor(PALE))
            self.canv.roundRect(0, 0, size, size, size * 0.1, stroke=0, fill=1)
            self.canv.restoreState()
            draw(self.canv, key, size * 0.08, size * 0.08, size * 0.84)

    return _Drawing()
