"""The one text clean-up before anything is printed, and the check that a text can be printed.

:func:`clean` is what every PDF does to people's words: the invisible characters that hide or reorder
text go (:func:`goldenthread.privacy.normalise.strip_invisible`, the same rule as on every way in),
accents are composed (NFC), control characters become spaces. Nothing else changes: with the fonts
installed (see :mod:`goldenthread.pdf.fonts`) Welsh ŵ, Polish Ł, Greek, Cyrillic, Arabic, Urdu,
Gurmukhi, Bengali and Chinese print as written.

:func:`printable_text` is :func:`clean` plus a last resort for a character that no font on this machine
has (an emoji, or a script whose font is not installed): a close equivalent where there is one
(``→`` becomes ``->``, ``ł`` becomes ``l`` when only Helvetica is there), an emoji's name in brackets,
otherwise ``?``. Screens call :func:`printable` first and say so when a text would be changed, so a
card is never changed silently.
"""
from __future__ import annotations

import unicodedata

from goldenthread.pdf.fonts import missing, printable
from goldenthread.privacy.normalise import strip_invisible

__all__ = ["clean", "printable_text", "printable", "missing", "CANNOT_PRINT"]

#: What a screen says beside a card whose words a PDF cannot print as written.
CANNOT_PRINT = "This card's words can't be printed in the PDF yet"

# Close equivalents for characters with no font, tried before the accent is taken off.
_REPLACEMENTS = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2015": "\u2014", "\u2212": "-",
    "\u2032": "'", "\u2033": '"', "\u201b": "'", "\u201f": '"',
    "\u2192": "->", "\u2190": "<-", "\u2194": "<->", "\u21d2": "=>",
    "\u2264": "<=", "\u2265": ">=", "\u2260": "!=", "\u2248": "~",
    "\u2713": "(tick)", "\u2714": "(tick)", "\u2705": "(tick)",
    "\u2717": "(cross)", "\u2718": "(cross)", "\u274c": "(cross)",
    # Letters with no decomposition to a base letter.
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0126": "H", "\u0127": "h",
    "\u0131": "i", "\u0138": "k", "\u0166": "T", "\u0167": "t",
}
_DROP = {"Mn", "Me", "Cf", "Sk"}  # combining marks, joiners, variation selectors, skin tones


def clean(text: object) -> str:
    """People's words as they are printed: invisible characters removed, NFC, controls as spaces, lines kept."""
    text = strip_invisible(str(text if text is not None else ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return "".join(" " if ch == "\t" else ch for ch in unicodedata.normalize("NFC", text))


def printable_text(text: object) -> str:
    """``text`` cleaned (:func:`clean`); a character no installed font has gets the last-resort stand-in."""
    text = clean(text)
    gaps = set(missing(text))
    if not gaps:
        return text
    out: list[str] = []
    for ch in text:
        if ch not in gaps:
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if ch in _REPLACEMENTS and printable(_REPLACEMENTS[ch]):
            out.append(_REPLACEMENTS[ch])
        elif category in _DROP:
            continue
        elif category == "Zs":
            out.append(" ")
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                           if unicodedata.category(c) not in _DROP and printable(c))
            if base:
                out.append(base)
            elif category == "So" and unicodedata.name(ch, ""):
                out.append(f"({unicodedata.name(ch).lower()})")
            else:
                out.append("?")
    return "".join(out)
