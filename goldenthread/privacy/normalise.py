"""Unicode clean-up before looking for personal data, keeping track of where each character came from.

People paste statements from phones, e-mails and word processors, so the same
name or number can be written with characters that look alike but compare
differently:

* a **non-breaking space** (U+00A0), a narrow or thin space (U+202F, U+2009)
  or an ideographic space inside "07700 900123" or "GL1 2AB";
* a **zero-width space or joiner** (U+200B, U+200D, U+2060, U+FEFF), a
  **soft hyphen** (U+00AD) or a direction mark inside "Mar\\u00adgaret" --
  invisible on screen, but enough to stop a plain search;
* **decomposed accents**: "Zoë" typed as "Zoe" followed by a combining
  diaeresis (NFD), or full-width letters and digits ("０７７００");
* **dashes and apostrophes** of every kind: "943‑476‑5919" with non-breaking
  hyphens, "O’Neill" with a curly apostrophe.

:func:`normalise` turns a statement into two strings that line up piece by
piece with the original:

``clean``
    What the card will show: the original with invisible characters removed,
    odd spaces turned into plain spaces and accents composed (NFC). It reads
    exactly as the person wrote it.
``folded``
    What the detectors search: ``clean`` in compatibility form (NFKC), with
    accents taken off ("Zoë" -> "Zoe", "Siobhán" -> "Siobhan"), every dash
    made "-" and every apostrophe "'". Names on the record are folded the
    same way, so "Zoë" on the record finds "Zoe", "ZOË" and "Zoe\\u0308".

Each piece of the text (a character with its combining marks) is one
:class:`Piece`, so a match found in ``folded`` maps back to ``clean`` (to
build the card) and to the original (for the offsets in a finding) without
any guessing. Plain Python, no Django.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Normalised", "fold", "normalise", "strip_invisible", "IGNORABLE"]

#: Characters removed outright: zero-width spaces and joiners, the soft
#: hyphen, word joiner, byte-order mark, Mongolian vowel separator, and the
#: bidirectional marks and overrides (which can hide or reorder text).
IGNORABLE: frozenset[str] = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufeff\uffa0"
)

#: Control characters (C0 and C1, NUL among them) other than tab and line breaks: never typed on purpose.
_CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x20), *range(0x7f, 0xa0)) if chr(c) not in "\t\n\r")
_INVISIBLE_TABLE = str.maketrans(dict.fromkeys(IGNORABLE | frozenset(_CONTROLS)))


def strip_invisible(text: str) -> str:
    """``text`` without the characters that hide or reorder what is on screen.

    Removes zero-width spaces and joiners, soft hyphens, bidirectional marks
    and overrides (:data:`IGNORABLE`) and control characters other than tab
    and line breaks (NUL among them, which PostgreSQL refuses). Used on every
    way text comes in -- forms, review files, websocket messages -- so an ID
    or a name that looks the same on screen is the same in the database.

    >>> strip_invisible("P-00\\u200b07")
    'P-0007'
    >>> strip_invisible("Ann\\u202eeoJ\\x00")
    'AnneoJ'
    """
    return text.translate(_INVISIBLE_TABLE)


_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_APOSTROPHES = "\u2018\u2019\u201b\u02bc\u02b9\u2032\u0060\u00b4\uff07"
_FOLD_TABLE = str.maketrans({**{d: "-" for d in _DASHES}, **{a: "'" for a in _APOSTROPHES}})


def _is_space(ch: str) -> bool:
    """A space that is not a plain space, tab or line break (NBSP, thin space, ...)."""
    return ch not in " \t\n\r" and (unicodedata.category(ch) == "Zs" or ch in "\u2028\u2029\u0085")


def fold(text: str) -> str:
    """The search form of ``text``: NFKC, accents removed, one kind of dash and apostrophe.

    Invisible characters are dropped and odd spaces become plain spaces.

    >>> fold("Zoe\\u0308 O\\u2019Ne\\u200bill")
    "Zoe O'Neill"
    """
    return normalise(text).folded


@dataclass(frozen=True)
class Normalised:
    """A statement in its three forms, with the map between them.

    ``pieces[i]`` is ``(orig_start, orig_end, clean_start, clean_end,
    folded_start, folded_end)`` for the i-th piece of text; ``folded_piece[j]``
    is the index of the piece that folded character ``j`` came from.
    """

    original: str
    clean: str
    folded: str
    pieces: tuple[tuple[int, int, int, int, int, int], ...] | None
    folded_piece: tuple[int, ...] | None

    def span_in_clean(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span to the clean text (whole pieces)."""
        if self.pieces is None:  # plain text: all three forms are the same
            return start, end
        first, last = self.folded_piece[start], self.folded_piece[end - 1]
        return self.pieces[first][2], self.pieces[last][3]

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span to the original text (whole pieces, invisible characters inside kept)."""
        if self.pieces is None:
            return start, end
        first, last = self.folded_piece[start], self.folded_piece[end - 1]
        return self.pieces[first][0], self.pieces[last][1]


@lru_cache(maxsize=4096)
def _unchanged(ch: str) -> bool:
    """Does ``ch`` stay exactly as it is in all three forms (most letters, "£", "€")?"""
    return ch not in IGNORABLE and not unicodedata.combining(ch) and _fold_piece(ch) == ch and not _is_space(ch)


@lru_cache(maxsize=4096)
def _fold_piece(clean_piece: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKD", clean_piece):
        if unicodedata.combining(ch) or ch in IGNORABLE:
            continue
        out.append(" " if _is_space(ch) else ch)
    folded = unicodedata.normalize("NFC", "".join(out)).translate(_FOLD_TABLE)
    return folded


def normalise(text: str) -> Normalised:
    """Split ``text`` into pieces and build the clean and folded forms (see the module docstring)."""
    if (text.isascii() and "`" not in text) or all(map(_unchanged, text)):
        return Normalised(text, text, text, None, None)
    pieces: list[tuple[int, int, int, int, int, int]] = []
    folded_piece: list[int] = []
    clean_parts: list[str] = []
    folded_parts: list[str] = []
    clean_len = folded_len = 0
    i, n = 0, len(text)
    while i < n:
        start = i
        base = text[i]
        i += 1
        if base in IGNORABLE:
            continue  # dropped; an invisible character never starts a piece
        chars = [base]
        # a piece is one character plus the combining marks after it (invisibles between them dropped)
        while i < n:
            j = i
            while j < n and text[j] in IGNORABLE:
                j += 1
            if j < n and unicodedata.combining(text[j]):
                chars.append(text[j])
                i = j + 1
            else:
                break
        end = i
        raw = "".join(chars)
        clean_piece = " " if len(raw) == 1 and _is_space(raw) else unicodedata.normalize("NFC", raw)
        folded = _fold_piece(clean_piece) or clean_piece[:1]
        index = len(pieces)
        pieces.append(
            (start, end, clean_len, clean_len + len(clean_piece), folded_len, folded_len + len(folded))
        )
        clean_parts.append(clean_piece)
        folded_parts.append(folded)
        folded_piece.extend([index] * len(folded))
        clean_len += len(clean_piece)
        folded_len += len(folded)
    return Normalised(
        original=text,
        clean="".join(clean_parts),
        folded="".join(folded_parts),
        pieces=tuple(pieces),
        folded_piece=tuple(folded_piece),
    )
