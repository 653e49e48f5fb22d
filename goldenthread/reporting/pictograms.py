"""Simple pictures for easy-read reports, drawn here with ReportLab shapes (no image files, no licence to track).

Each pictogram is a plain line drawing in one dark colour on a pale square, named in words
(``Pictogram.name``) so the report can print the name beside it: a picture helps, but it is never the
only way to understand a line. They are our own drawings and are released with Golden Thread under its
licence.

:func:`pictogram_for` picks one from the words of a theme ("bus" → transport, "money" → money …);
anything else gets the speech bubble "what people said".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from reportlab.graphics.shapes import Circle, Drawing, Ellipse, Line, Polygon, Rect, String
from reportlab.lib import colors

INK = colors.HexColor("#0b0c0c")
PALE = colors.HexColor("#f3f2f1")
SIZE = 100  # drawn on a 100 x 100 grid, scaled to the size asked for


@dataclass(frozen=True)
class Pictogram:
    key: str
    name: str  # said in words beside the picture
    words: tuple[str, ...]  # words in a theme that choose this picture
    draw: Callable[[Drawing], None]


def _line(d, x1, y1, x2, y2, w=5):
    d.add(Line(x1, y1, x2, y2, strokeColor=INK, strokeWidth=w, strokeLineCap=1))


def _home(d):
    d.add(Polygon([15, 55, 50, 85, 85, 55], fillColor=None, strokeColor=INK, strokeWidth=5, strokeLineJoin=1))
    d.add(Rect(25, 15, 50, 42, fillColor=None, strokeColor=INK, strokeWidth=5))
    d.add(Rect(43, 15, 14, 24, fillColor=INK, strokeColor=INK))


def _money(d):
    d.add(Circle(50, 50, 33, fillColor=None, strokeColor=INK, strokeWidth=5))
    d.add(String(50, 36, "£", fontName="Helvetica-Bold", fontSize=40, fillColor=INK, textAnchor="middle"))


def _person(d, x, y, s=1.0):
    d.add(Circle(x, y + 30 * s, 9 * s, fillColor=INK, strokeColor=INK))
    d.add(Polygon([x - 14 * s, y - 10 * s, x - 10 * s, y + 16 * s, x + 10 * s, y + 16 * s, x + 14 * s, y - 10 * s],
                  fillColor=INK, strokeColor=INK))


def _friends(d):
    _person(d, 33, 35)
    _person(d, 67, 35)
    _line(d, 43, 40, 57, 40, 4)


def _transport(d):
    d.add(Rect(15, 30, 70, 48, rx=8, ry=8, fillColor=None, strokeColor=INK, strokeWidth=5))
    d.add(Rect(23, 55, 24, 15, fillColor=INK, strokeColor=INK))
    d.add(Rect(53, 55, 24, 15, fillColor=INK, strokeColor=INK))
    d.add(Circle(30, 25, 8, fillColor=INK, strokeColor=INK))
    d.add(Circle(70, 25, 8, fillColor=INK, strokeColor=INK))


def _health(d):
    d.add(Rect(40, 15, 20, 70, fillColor=INK, strokeColor=INK))
    d.add(Rect(15, 40, 70, 20, fillColor=INK, strokeColor=INK))


def _work(d):
    d.add(Rect(15, 20, 70, 48, rx=5, ry=5, fillColor=None, strokeColor=INK, strokeWidth=5))
    d.add(Rect(37, 68, 26, 12, fillColor=None, strokeColor=INK, strokeWidth=5))
    _line(d, 15, 46, 85, 46, 4)


def _food(d):
    d.add(Circle(50, 45, 28, fillColor=None, strokeColor=INK, strokeWidth=5))
    d.add(Circle(50, 45, 15, fillColor=None, strokeColor=INK, strokeWidth=3))
    _line(d, 12, 20, 12, 80, 4)
    _line(d, 88, 20, 88, 80, 4)


def _staff(d):
    _person(d, 50, 35, 1.2)
    d.add(Rect(56, 42, 10, 8, fillColor=PALE, strokeColor=PALE))  # a name badge


def _safety(d):
    d.add(Polygon([50, 88, 82, 74, 76, 35, 50, 12, 24, 35, 18, 74], fillColor=None, strokeColor=INK, strokeWidth=5,
                  strokeLineJoin=1))
    _line(d, 36, 50, 47, 38, 6)
    _line(d, 47, 38, 66, 64, 6)


def _learning(d):
    d.add(Polygon([50, 25, 12, 35, 12, 78, 50, 68], fillColor=None, strokeColor=INK, strokeWidth=5, strokeLineJoin=1))
    d.add(Polygon([50, 25, 88, 35, 88, 78, 50, 68], fillColor=None, strokeColor=INK, strokeWidth=5, strokeLineJoin=1))


def _time(d):
    d.add(Circle(50, 50, 34, fillColor=None, strokeColor=INK, strokeWidth=5))
    _line(d, 50, 50, 50, 74)
    _line(d, 50, 50, 68, 42)


def _said(d):
    d.add(Ellipse(50, 57, 36, 25, fillColor=None, strokeColor=INK, strokeWidth=5))
    d.add(Polygon([32, 38, 24, 18, 46, 34], fillColor=INK, strokeColor=INK))


PICTOGRAMS = [
    Pictogram("home", "home", ("home", "house", "flat", "live", "living", "move", "bedroom"), _home),
    Pictogram("money", "money", ("money", "pay", "paid", "cost", "charge", "charging", "price", "bill", "fees",
                                 "benefit", "benefits", "budget", "afford"), _money),
    Pictogram("transport", "getting about", ("bus", "buses", "transport", "taxi", "train", "travel", "lift",
                                              "car", "journey", "get"), _transport),
    Pictogram("friends", "friends and family", ("friend", "friends", "family", "lonely", "alone", "mum", "dad",
                                                 "people", "together", "club", "centre", "social"), _friends),
    Pictogram("health", "health", ("health", "doctor", "gp", "hospital", "clinic", "nurse", "medicine", "ill",
                                   "pain", "diabetes", "dentist"), _health),
    Pictogram("work", "work", ("work", "job", "jobs", "volunteer", "volunteering", "paid"), _work),
    Pictogram("food", "food", ("food", "meal", "meals", "dinner", "lunch", "cook", "cooking", "eat", "tea",
                               "shopping", "shop"), _food),
    Pictogram("staff", "staff and support", ("staff", "carer", "carers", "support", "worker", "workers",
                                             "help", "helps"), _staff),
    Pictogram("safety", "feeling safe", ("safe", "safety", "scared", "afraid", "bullied", "worry", "worried",
                                        "danger", "fall", "falls"), _safety),
    Pictogram("learning", "learning", ("learn", "learning", "college", "course", "school", "read", "reading",
                                      "class", "lesson", "lessons"), _learning),
    Pictogram("time", "time", ("time", "evening", "evenings", "night", "late", "early", "wait", "waiting",
                               "day", "days", "week"), _time),
]
DEFAULT = Pictogram("said", "what people said", (), _said)
BY_KEY = {p.key: p for p in [*PICTOGRAMS, DEFAULT]}


def pictogram_for(text: str) -> Pictogram:
    """The picture whose words appear most in ``text`` (ties: the earlier in :data:`PICTOGRAMS`), else DEFAULT."""
    words = re.findall(r"[a-z]+", text.lower())
    best, best_score = DEFAULT, 0
    for p in PICTOGRAMS:
        score = sum(1 for w in words if w in p.words)
        if score > best_score:
            best, best_score = p, score
    return best


def drawing(pictogram: Pictogram, size: float = 60) -> Drawing:
    """The pictogram as a ReportLab Drawing ``size`` points square, on a pale rounded square."""
    d = Drawing(SIZE, SIZE)
    d.add(Rect(1, 1, SIZE - 2, SIZE - 2, rx=10, ry=10, fillColor=PALE, strokeColor=None))
    pictogram.draw(d)
    d.scale(size / SIZE, size / SIZE)
    d.width = d.height = size
    return d
