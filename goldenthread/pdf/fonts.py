"""The fonts every PDF uses, found on the machine, and which font prints which character.

Golden Thread never downloads a font. It looks for TrueType files that the README's commands install from
Debian's packages (``fonts-noto-core`` and ``fonts-wqy-microhei``) under ``/usr/share/fonts``,
``/usr/local/share/fonts`` and any folders in ``GOLDENTHREAD_FONT_DIRS`` (separated by ``:``, searched first).

Each :class:`Family` is a list of file names to try, best first. Latin (with every diacritic), Greek and
Cyrillic come from Noto Sans; Arabic and Urdu from Noto Naskh Arabic; Gurmukhi, Bengali, Devanagari,
Gujarati, Tamil, Hebrew and a few more from their Noto Sans fonts; Chinese from WenQuanYi Micro Hei
(TrueType outlines: ReportLab cannot embed the CFF outlines of Noto Sans CJK). DejaVu Sans is the
fallback for Latin, Greek, Cyrillic and Arabic. If none of them is there the PDFs still work, in
ReportLab's built-in Helvetica, and :func:`printable` says which words cannot be printed.

:func:`runs` splits a text into pieces, each with the first font that has all its characters. Spaces,
digits and punctuation stay with the script around them, so that a word is shaped with one font.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["Family", "FAMILIES", "Font", "configure", "fonts", "base_font", "runs", "missing", "printable",
]

DEFAULT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")


@dataclass(frozen=True)
class Family:
    key: str
    regular: tuple[str, ...]  # file names to try, best first
    bold: tuple[str, ...] = ()
    #: The code points it is for, as (first, last) pairs; None: anything. A font is only read from disk when
    #: a text needs it (reading all of them takes seconds).
    ranges: tuple[tuple[int, int], ...] | None = None

    def may_have(self, ch: str) -> bool:
        return self.ranges is None or any(a <= ord(ch) <= b for a, b in self.ranges)


#: Best first: a character goes to the first family that has it.
FAMILIES: tuple[Family, ...] = (
    Family("latin", ("NotoSans-Regular.ttf", "DejaVuSans.ttf", "LiberationSans-Regular.ttf"),
           ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")),
    # Naskh rather than Nastaliq for Urdu: it covers every Urdu letter, reads well at card sizes and keeps
    # to the line height (Nastaliq's sloping words need about twice the leading).
    Family("arabic", ("NotoNaskhArabic-Regular.ttf", "NotoSansArabic-Regular.ttf"),
           ("NotoNaskhArabic-Bold.ttf", "NotoSansArabic-Bold.ttf"),
           ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
    Family("gurmukhi", ("NotoSansGurmukhi-Regular.ttf",), ("NotoSansGurmukhi-Bold.ttf",), ((0x0A00, 0x0A7F),)),
    Family("bengali", ("NotoSansBengali-Regular.ttf",), ("NotoSansBengali-Bold.ttf",), ((0x0980, 0x09FF),)),
    Family("devanagari", ("NotoSansDevanagari-Regular.ttf",), ("NotoSansDevanagari-Bold.ttf",),
           ((0x0900, 0x097F), (0xA8E0, 0xA8FF))),
    Family("gujarati", ("NotoSansGujarati-Regular.ttf",), ("NotoSansGujarati-Bold.ttf",), ((0x0A80, 0x0AFF),)),
    Family("tamil", ("NotoSansTamil-Regular.ttf",), ("NotoSansTamil-Bold.ttf",), ((0x0B80, 0x0BFF),)),
    Family("sinhala", ("NotoSansSinhala-Regular.ttf",), ("NotoSansSinhala-Bold.ttf",), ((0x0D80, 0x0DFF),)),
    Family("hebrew", ("NotoSansHebrew-Regular.ttf",), ("NotoSansHebrew-Bold.ttf",),
           ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))),
    Family("ethiopic", ("NotoSansEthiopic-Regular.ttf",), ("NotoSansEthiopic-Bold.ttf",),
           ((0x1200, 0x139F), (0x2D80, 0x2DDF))),
    Family("armenian", ("NotoSansArmenian-Regular.ttf",), ("NotoSansArmenian-Bold.ttf",), ((0x0530, 0x058F),)),
    Family("georgian", ("NotoSansGeorgian-Regular.ttf",), ("NotoSansGeorgian-Bold.ttf",), ((0x10A0, 0x10FF),)),
    Family("thai", ("NotoSansThai-Regular.ttf",), ("NotoSansThai-Bold.ttf",), ((0x0E00, 0x0E7F),)),
    Family("cjk", ("wqy-microhei.ttc", "DroidSansFallbackFull.ttf", "wqy-zenhei.ttc"), (),
           ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x2FFFF))),
    Family("symbols", ("NotoSansSymbols-Regular.ttf", "NotoSansSymbols2-Regular.ttf", "DejaVuSans.ttf"),
           ("NotoSansSymbols-Bold.ttf", "DejaVuSans-Bold.ttf"), ((0x2000, 0x2BFF), (0x1F000, 0x1FAFF))),
    Family("fallback", ("DejaVuSans.ttf",), ("DejaVuSans-Bold.ttf",)),
)


@dataclass(frozen=True)
class Font:
    """A registered font: its ReportLab name and the characters it has."""
    name: str
    path: str
    bold: bool
    chars: frozenset[int] | None  # None: the built-in Helvetica, which prints Windows code page 1252

    def covers(self, ch: str) -> bool:
        if self.chars is None:
            try:
                ch.encode("cp1252")
            except UnicodeEncodeError:
                return False
            return True
        return ord(ch) in self.chars


_HELVETICA = Font("Helvetica", "", False, None)
_HELVETICA_BOLD = Font("Helvetica-Bold", "", True, None)
_dirs: tuple[str, ...] | None = None


def configure(dirs: list[str] | tuple[str, ...] | None = None) -> None:
    """Look for fonts in ``dirs`` (None: the environment and the standard folders) from now on."""
    global _dirs
    _dirs = None if dirs is None else tuple(str(d) for d in dirs)
    _found.cache_clear()
    _pair.cache_clear()
    _cover.cache_clear()


def _search_dirs() -> tuple[str, ...]:
    if _dirs is not None:
        return _dirs
    extra = [d for d in os.environ.get("GOLDENTHREAD_FONT_DIRS", "").split(os.pathsep) if d]
    return (*extra, *DEFAULT_DIRS, str(Path.home() / ".local/share/fonts"))


def _index(dirs: tuple[str, ...]) -> dict[str, str]:
    """File name -> first path with that name, in the order of ``dirs``."""
    found: dict[str, str] = {}
    for folder in dirs:
        for root, _subdirs, files in os.walk(folder):
            for name in sorted(files):
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name, os.path.join(root, name))
    return found


def _register(path: str, bold: bool) -> Font | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont, TTFError

    name = "GT-" + Path(path).stem
    font = pdfmetrics._fonts.get(name)  # getFont() would search the disk for Type 1 metrics first: slow
    if font is None or getattr(font.face, "filename", path) != path:
        try:
            font = TTFont(name, path)  # subfont 0 of a collection
        except (TTFError, OSError, ValueError):  # not TrueType outlines (CFF), unreadable, damaged
            return None
        pdfmetrics.registerFont(font)
    return Font(name, path, bold, frozenset(font.face.charToGlyph))


@lru_cache(maxsize=1)
def _found() -> tuple[tuple[Family, tuple[str, ...], tuple[str, ...]], ...]:
    """The families with a file on this machine: (family, regular paths, bold paths), best first."""
    index = _index(_search_dirs())
    out = []
    for family in FAMILIES:
        regular = tuple(index[n] for n in family.regular if n in index)
        if regular:
            out.append((family, regular, tuple(index[n] for n in family.bold if n in index)))
    return tuple(out)


@lru_cache(maxsize=None)
def _pair(i: int) -> tuple[Font, Font] | None:
    """Family ``i`` of :func:`_found`, read from disk on first use: (regular, bold); None if unusable."""
    _family, regular_paths, bold_paths = _found()[i]
    regular = next((f for f in (_register(p, False) for p in regular_paths) if f), None)
    if regular is None:
        return None
    bold = next((f for f in (_register(p, True) for p in bold_paths) if f), None)
    return regular, bold or Font(regular.name, regular.path, True, regular.chars)


def _pairs_for(ch: str):
    """(index, (regular, bold)) of each usable family that may have ``ch``, best first."""
    for i, (family, _r, _b) in enumerate(_found()):
        if family.may_have(ch) or i == 0:
            pair = _pair(i)
            if pair is not None:
                yield i, pair


def fonts() -> tuple[tuple[Font, Font], ...]:
    """Every family found, best first, as (regular, bold), reading them all from disk (slow: for checks)."""
    out = tuple(p for p in (_pair(i) for i in range(len(_found()))) if p)
    return out or ((_HELVETICA, _HELVETICA_BOLD),)


def _primary() -> tuple[Font, Font]:
    first = next((p for p in (_pair(i) for i in range(len(_found()))) if p), None)
    return first or (_HELVETICA, _HELVETICA_BOLD)


def _font(i: int, bold: bool) -> Font:
    pair = _pair(i) if 0 <= i < len(_found()) else None
    return (pair or _primary())[bold]


def base_font(bold: bool = False) -> str:
    """The ReportLab name of the font for Latin text (Helvetica where no TrueType font was found)."""
    return _primary()[bold].name


@lru_cache(maxsize=4096)
def _cover(ch: str, bold: bool) -> int:
    """Index (in :func:`_found`) of the first family that has ``ch``; -2 for Helvetica; -1 for none."""
    if not _found():
        return -2 if _HELVETICA.covers(ch) else -1
    for i, pair in _pairs_for(ch):
        if pair[bold].covers(ch):
            return i
    return -1


def _joins(ch: str) -> bool:
    """Spaces, digits, punctuation and marks: printed in the font of the words around them."""
    return unicodedata.category(ch)[0] in "ZPNMS" or ch in "\n\t"


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """``text`` as (font name, piece) pairs in reading order; a character no font has goes with its neighbours."""
    out: list[list] = []
    pending = ""  # joining characters before the first letter
    current = None  # index of the family of the run being built
    for ch in text:
        if current is not None and _joins(ch) and _font(current, bold).covers(ch):
            out[-1][1] += ch
            continue
        i = _cover(ch, bold)
        if i == -1:  # nothing has it: leave it with the text around it (it prints as an empty box)
            i = current if current is not None else 0
        if current is None and _joins(ch):
            pending += ch
            continue
        if pending and not all(_font(i, bold).covers(c) for c in pending):
            out.append([_font(_cover(pending[0], bold), bold).name, pending])  # “ before Arabic
            pending = ""
        if i == current:
            out[-1][1] += ch
        else:
            out.append([_font(i, bold).name, pending + ch])
            pending = ""
            current = i
    if pending:
        out.append([_font(_cover(pending[0], bold), bold).name, pending])
    merged: list[tuple[str, str]] = []
    for name, piece in out:  # two families can fall back to the same font (Helvetica)
        if merged and merged[-1][0] == name:
            merged[-1] = (name, merged[-1][1] + piece)
        else:
            merged.append((name, piece))
    return merged


def missing(text: str) -> list[str]:
    """The characters of ``text`` that no font found can print, each once, in order."""
    seen: list[str] = []
    for ch in str(text):
        if ch.isspace() or unicodedata.category(ch) == "Cc" or ch in seen:
            continue
        if _cover(ch, False) == -1:
            seen.append(ch)
    return seen


def printable(text: str) -> bool:
    """Whether every character of ``text`` can be printed with the fonts on this machine."""
    return not missing(text)
