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
    regular: tuple[str, ...]  # file names to try, best first ("name.ttc#1" picks a face in a collection)
    bold: tuple[str, ...] = ()


#: Best first: a character goes to the first family that has it.
FAMILIES: tuple[Family, ...] = (
    Family("latin", ("NotoSans-Regular.ttf", "DejaVuSans.ttf", "LiberationSans-Regular.ttf"),
           ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")),
    # Naskh rather than Nastaliq for Urdu: it covers every Urdu letter, reads well at card sizes and keeps
    # to the line height (Nastaliq's sloping words need about twice the leading).
    Family("arabic", ("NotoNaskhArabic-Regular.ttf", "NotoSansArabic-Regular.ttf"),
           ("NotoNaskhArabic-Bold.ttf", "NotoSansArabic-Bold.ttf")),
    Family("gurmukhi", ("NotoSansGurmukhi-Regular.ttf",), ("NotoSansGurmukhi-Bold.ttf",)),
    Family("bengali", ("NotoSansBengali-Regular.ttf",), ("NotoSansBengali-Bold.ttf",)),
    Family("devanagari", ("NotoSansDevanagari-Regular.ttf",), ("NotoSansDevanagari-Bold.ttf",)),
    Family("gujarati", ("NotoSansGujarati-Regular.ttf",), ("NotoSansGujarati-Bold.ttf",)),
    Family("tamil", ("NotoSansTamil-Regular.ttf",), ("NotoSansTamil-Bold.ttf",)),
    Family("sinhala", ("NotoSansSinhala-Regular.ttf",), ("NotoSansSinhala-Bold.ttf",)),
    Family("hebrew", ("NotoSansHebrew-Regular.ttf",), ("NotoSansHebrew-Bold.ttf",)),
    Family("ethiopic", ("NotoSansEthiopic-Regular.ttf",), ("NotoSansEthiopic-Bold.ttf",)),
    Family("armenian", ("NotoSansArmenian-Regular.ttf",), ("NotoSansArmenian-Bold.ttf",)),
    Family("georgian", ("NotoSansGeorgian-Regular.ttf",), ("NotoSansGeorgian-Bold.ttf",)),
    Family("thai", ("NotoSansThai-Regular.ttf",), ("NotoSansThai-Bold.ttf",)),
    Family("cjk", ("wqy-microhei.ttc", "DroidSansFallbackFull.ttf", "wqy-zenhei.ttc")),
    Family("symbols", ("NotoSansSymbols-Regular.ttf", "NotoSansSymbols2-Regular.ttf", "DejaVuSans.ttf"),
           ("NotoSansSymbols-Bold.ttf", "DejaVuSans-Bold.ttf")),
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
    fonts.cache_clear()
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
    try:
        font = pdfmetrics.getFont(name)
        if getattr(font.face, "filename", path) != path:
            raise KeyError(name)
    except KeyError:
        try:
            font = TTFont(name, path)  # subfont 0 of a collection
        except (TTFError, OSError, ValueError):  # not TrueType outlines (CFF), unreadable, damaged
            return None
        pdfmetrics.registerFont(font)
    return Font(name, path, bold, frozenset(font.face.charToGlyph))


@lru_cache(maxsize=1)
def fonts() -> tuple[tuple[Font, Font], ...]:
    """Every family found, best first, as (regular, bold); bold is the regular font where there is no bold."""
    index = _index(_search_dirs())
    out: list[tuple[Font, Font]] = []
    seen: set[str] = set()
    for family in FAMILIES:
        regular = next((f for f in (_register(index[n], False) for n in family.regular if n in index) if f), None)
        if regular is None or regular.path in seen:
            continue
        seen.add(regular.path)
        bold = next((f for f in (_register(index[n], True) for n in family.bold if n in index) if f), None)
        out.append((regular, bold or Font(regular.name, regular.path, True, regular.chars)))
    if not out:
        out.append((_HELVETICA, _HELVETICA_BOLD))
    return tuple(out)


def base_font(bold: bool = False) -> str:
    """The ReportLab name of the font for Latin text (Helvetica where no TrueType font was found)."""
    regular, heavy = fonts()[0]
    return heavy.name if bold else regular.name


@lru_cache(maxsize=4096)
def _cover(ch: str, bold: bool) -> int:
    """Index of the first family that has ``ch``, or -1."""
    for i, pair in enumerate(fonts()):
        if pair[bold].covers(ch):
            return i
    return -1


def _joins(ch: str) -> bool:
    """Spaces, digits, punctuation and marks: printed in the font of the words around them."""
    return unicodedata.category(ch)[0] in "ZPNMS" or ch in "\n\t"


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """``text`` as (font name, piece) pairs in reading order; a character no font has goes with its neighbours."""
    families = fonts()
    out: list[list] = []
    pending = ""  # joining characters before the first letter
    current = -1
    for ch in text:
        if current >= 0 and _joins(ch) and families[current][bold].covers(ch):
            out[-1][1] += ch
            continue
        i = _cover(ch, bold)
        if i < 0:  # nothing has it: leave it with the text around it (it prints as an empty box)
            i = current if current >= 0 else 0
        if current < 0 and _joins(ch):
            pending += ch
            continue
        if pending and not all(families[i][bold].covers(c) for c in pending):
            out.append([families[max(_cover(pending[0], bold), 0)][bold].name, pending])  # “ before Arabic
            pending = ""
        if i == current:
            out[-1][1] += ch
        else:
            out.append([families[i][bold].name, pending + ch])
            pending = ""
            current = i
    if pending:
        out.append([families[0][bold].name, pending])
    return [(name, piece) for name, piece in out]


def missing(text: str) -> list[str]:
    """The characters of ``text`` that no font found can print, each once, in order."""
    seen: list[str] = []
    for ch in str(text):
        if ch.isspace() or unicodedata.category(ch) == "Cc" or ch in seen:
            continue
        if _cover(ch, False) < 0:
            seen.append(ch)
    return seen


def printable(text: str) -> bool:
    """Whether every character of ``text`` can be printed with the fonts on this machine."""
    return not missing(text)
