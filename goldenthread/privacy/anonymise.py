"""Anonymise what people said before it becomes a card.

Every statement from a review passes through here before anyone outside the
review sees it. We look for personal details and swap each one for a plain
placeholder in square brackets:

=====================  ===================  ====================================
What we find           Becomes              Example
=====================  ===================  ====================================
Names                  ``[name]``           "Margaret O'Neill visits" -> "[name] visits"
Phone numbers          ``[phone]``          "ring 07700 900123"
E-mail addresses       ``[email]``          "rose.smith@example.com"
NHS numbers            ``[NHS number]``     "943 476 5919"
Postcodes              ``[postcode]``       "GL1 2AB", "sw1a1aa"
Dates of birth         ``[date of birth]``  "DOB: 12/03/1954" -> "DOB: [date of birth]"
Street addresses       ``[address]``        "Flat 3, 12 Mill Lane"
=====================  ===================  ====================================

First, the text is tidied (:mod:`.normalise`)
-----------------------------------------------
Statements are pasted from phones and word processors, so the same name or
number can hide behind characters that look the same but compare
differently. Before looking for anything we remove invisible characters
(zero-width spaces and joiners, soft hyphens, direction marks), read
non-breaking and other odd spaces as spaces and every dash as "-", and
compare letters without their accents in compatibility form (NFKC), so
"Mar\u00adgaret", "Zoe\u0308" (decomposed), "07700\u00a0900123" and
"943\u2011476\u20115919" are all found. The card keeps the person's own
writing (accents, curly apostrophes); only the invisible characters and odd
spaces go.

How each is recognised, in plain English
-----------------------------------------

**Names on the record.** The names written on the review record: the
person, and the people listed as being at the review. Each part of a name is
looked for on its own (first name, surname; for "Mary-Jane Smith" also
"Mary-Jane", "Mary" and "Jane"), as a whole word and in any mix of capitals,
so "i see dev on tuesdays" becomes "i see [name] on tuesdays". Notes in
brackets on the record, such as "Sue (sister)", are ignored. A name hidden
inside a longer word is never touched: "Ann" leaves "Annual" and "planning"
alone. Possessives keep their ending: "Rose's" -> "[name]'s", "James'" ->
"[name]'". Parts of a name that sit next to each other become a single
placeholder, and a title in front (Mr, Mrs, Ms, Miss, Mx, Dr) goes with it:
"Mrs O'Neill" and "Mr Tom Baker" each become one "[name]".

**Short forms of the record's names.** People rarely call William
"William": the short forms of each first name on the record ("Will",
"Bill", "Billy" for William; "Liz", "Beth" for Elizabeth; "Bob", "Rob" for
Robert) are looked for too. They come from the maintained ``nicknames`` list (see
:func:`goldenthread.privacy.names.short_forms`). A short form counts only
when written with a capital and not read as an everyday word ("Will came
round" is hidden when William is on the record, "Will you help me?" is not).

**Names not on the record.** People talk about everyone in their lives ("I
met Kelly at the disco", "my grandson Tom", "Dr Patel"). These are found by
:mod:`.names`: a list of first names and surnames (from the Faker package)
with rules about the words around them -- titles, relation words ("my
friend", "my key worker"), verbs of meeting ("met", "with"), possessives,
lists of names -- and lists of words that are names but usually not
(months, towns, shops, "Will you ..."). Words we are unsure about are
returned as :class:`Uncertain`, hidden or not, for a person to check before
cards are printed: use :meth:`Anonymiser.anonymise`, which returns a
:class:`Result`. ``Anonymiser(names, find_unlisted=False)`` looks for the
record's names only.

**Phone numbers.** UK numbers written the usual ways: "07700 900123",
"+44 7700 900123", "0044 7700 900123", "(01632) 960 001", "0161 496 0000",
"01632960001". A number must start with 0, +, or a bracket, have at least 9
digits after the leading 0 (or +44), and be a possible UK number according to
the ``phonenumbers`` library. Long reference numbers are left alone.

**E-mail addresses.** Anything shaped like name@domain.tld, found before
names and always replaced whole: "zoë.angstrom@example.com" becomes
"[email]", never "[name].angstrom@example.com".

**NHS numbers.** Ten digits, either together or spaced/dashed 3-3-4
("943 476 5919", "943-476-5919"), and only when the last digit is the
correct modulus-11 check digit. A ten-digit number with a wrong check digit is
not an NHS number and is left alone (unless it is a phone number).

**Postcodes.** Full UK postcodes in capitals or not, with or without the
space: "GL1 2AB", "sw1a1aa", "M1 1AE", and the NHS pseudo-postcodes such as
"ZZ99 3VZ". Part postcodes and road numbers such
as "the A12" are left alone.

**Dates of birth.** A date straight after DOB, D.O.B, "date of birth",
"born", "born on" or "birthday is", written as 12/03/1954, 12-3-54,
12.03.1954, 1954-03-12, 12 March 1954, 12th of March 1954 or March 12th,
1954. Only the date is replaced ("DOB: [date of birth]"). Other dates, such
as "my review on 12/03/2025", are left alone.

**Street addresses.** A house number, one to four words of street name, then
a street word such as Road, Street, Avenue, Lane, Close, Drive, Way, Crescent,
Court, Gardens, Place, Terrace, Grove, Walk, Mews, Row, Hill, View, Square,
Park, Rise, Green (see ``STREET_SUFFIXES``), optionally with "Flat 3," in
front: "12 Mill Lane", "Flat 3, 12 Mill Lane", "12 mill lane". Short forms
(Rd, St, Ave, Dr ...) count only when they start with a capital letter. A
street name without a house number ("Top Road") is left alone, and so is a
number followed by ordinary words ("3 days a week", "2 miles up the hill").

Ordinary numbers ("3 days a week", "£20", "10 hours") are never touched.

When two findings overlap, the more specific kind wins, in this order:
e-mail, NHS number, phone, postcode, date of birth, address, name (so
"12 Rose Lane" is an address even if Rose is a name on the record).
Placeholders already in the text are never matched again, so anonymising
twice gives the same result. Offsets in a :class:`Finding` or
:class:`Uncertain` are into the text as given (an invisible character inside
a name is part of its span).

Use :class:`Anonymiser` when anonymising many statements for the same
review: it compiles the name pattern once.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from goldenthread.privacy.contact import (
    DOB_RE,
    EMAIL_RE,
    POSTCODE_RE,
    find_nhs_numbers,
    find_phones,
    is_valid_nhs_number,
)
from goldenthread.privacy.names import find_names, short_forms
from goldenthread.privacy.normalise import fold, normalise

__all__ = [
    "Anonymiser",
    "COMMON_WORD_NAMES",
    "Finding",
    "Result",
    "Uncertain",
    "PLACEHOLDERS",
    "anonymise",
    "find_personal_data",
    "is_valid_nhs_number",
]


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a statement.

    ``kind`` is a key of :data:`PLACEHOLDERS`; ``start``/``end`` are offsets into
    the original text, and ``text == original[start:end]``.
    """

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Uncertain:
    """A word that may be a person's name, for someone to check before cards are printed.

    ``start``/``end``/``text`` refer to the original text, like :class:`Finding`.
    ``replaced`` says whether we hid it (True) or left it on the card (False);
    ``reason`` says in plain words why we were unsure.
    """

    start: int
    end: int
    text: str
    replaced: bool
    reason: str


@dataclass(frozen=True)
class Result:
    """What :meth:`Anonymiser.anonymise` returns.

    ``text`` is the card wording; ``replacements`` the personal data that was
    hidden (offsets into the original); ``uncertain`` the words a person
    should check, hidden or not.
    """

    text: str
    replacements: list[Finding]
    uncertain: list[Uncertain]


PLACEHOLDERS: dict[str, str] = {
    "name": "[name]",
    "phone": "[phone]",
    "email": "[email]",
    "nhs_number": "[NHS number]",
    "postcode": "[postcode]",
    "date_of_birth": "[date of birth]",
    "address": "[address]",
}

# When findings overlap, the earlier kind in this tuple wins.
_PRIORITY: tuple[str, ...] = (
    "email",
    "nhs_number",
    "phone",
    "postcode",
    "date_of_birth",
    "address",
    "name",
)

#: Names that are also everyday English words. A name part in this set is only
#: replaced when it is written the way a name is (see the module docstring).
#: Lower-case; compared with the lower-cased name part.
COMMON_WORD_NAMES: frozenset[str] = frozenset(
    """
    will rose mark grace hope joy faith bill pat sue frank dawn may june april
    august amber ruby holly ivy daisy lily jack rob bob penny carol ray dean guy
    drew miles robin violet heather pearl olive summer sandy rich victor eve
    hazel iris jay sky brook chase don art max jean gene cliff dale glen heath
    reed rod nick norm dot kit sunny sonny star storm river sage poppy fern
    coral cherry ginger honey jade crystal autumn winter mercy charity patience
    prudence constance verity merry bliss chip chuck dusty hunter mason page
    wade warren bud basil lance peg gale sterling van
    baker cook brown green white black young wood hill hall fox hunt bird king
    long little short best rice bush marsh moss lamb bell field stone sharp
    wells fish gold berry mills park lee rock sparks
    """.split()
)

#: Month names that are also given names: these get the extra month checks.
MONTH_NAMES: frozenset[str] = frozenset({"may", "june", "april", "august"})

#: Words that, directly after a capitalised common-word name at the start of a
#: sentence, show it is the ordinary word ("Will I ...", "Hope you ...").
ORDINARY_WORD_FOLLOWERS: frozenset[str] = frozenset(
    """
    i you we they he she it there this that these those me us him them
    my your our his her their its the a an so not all any some what
    """.split()
)

#: A month-name name directly after one of these words reads as the month.
MONTH_CONTEXT_WORDS: frozenset[str] = frozenset(
    """
    in on of since until till by last next this every early late mid during
    """.split()
)

#: Street words that end an address. Full words match in any case; the short
#: forms only with a capital first letter (see ``_STREET_ABBREVIATIONS``).
STREET_SUFFIXES: tuple[str, ...] = (
    "Road", "Street", "Avenue", "Lane", "Close", "Drive", "Way", "Crescent",
    "Court", "Gardens", "Place", "Terrace", "Grove", "Walk", "Mews", "Row",
    "Hill", "View", "Square", "Park", "Rise", "Green", "Parade", "Vale",
    "Boulevard", "Gate", "Wharf", "Meadows", "Fields", "Heights", "Yard",
)
_STREET_ABBREVIATIONS: tuple[str, ...] = (
    "Rd", "St", "Ave", "Av", "Ln", "Cl", "Dr", "Cres", "Ct", "Gdns", "Pl",
    "Terr", "Ter", "Gr", "Sq", "Pk",
)

# Words that never form part of a street name in "<number> <street> <suffix>":
# they mean the number is counting something ("3 days", "2 miles up the hill").
_ADDRESS_STOPWORDS: frozenset[str] = frozenset(
    """
    a an the and or but of to in on at up down by for from with into onto over
    off out my our your his her their its me us him them i we you he she they
    it this that these those some any all more most other another each every
    few many much very too so not no is are was were be been am do did does
    has had have can could would should might must just only also
    then than there here when where while which who what way times time days
    day weeks week months month years year hours hour minutes minute mins
    seconds miles mile metres meters yards feet foot steps step people kids
    children dogs cats cars car buses bus trains train stops flights stairs
    floors floor doors rooms nights night mornings evenings different same
    big small good bad next
    """.split()
)

_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "MR", "MRS", "MS", "MISS", "MX", "DR")
_TITLE_WORDS = frozenset(t.lower() for t in _TITLES) | {"mister", "prof", "sir", "dame", "lady", "lord"}

# --- fixed patterns ---------------------------------------------------------

_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))

_STREET_WORD = r"[A-Za-z][A-Za-z'\u2019]*"
_ADDRESS_RE = re.compile(
    r"(?<![\w\u00a3$\u20ac.,/:-])"
    r"(?:(?i:flat|apartment|apt|unit)\.?\s*\d{1,4}[A-Za-z]?\s*,?\s*)?"
    r"\d{1,4}[A-Za-z]?(?:\s?[-\u2013]\s?\d{1,4}[A-Za-z]?)?,?[ \t]+"
    r"(?P<street>" + _STREET_WORD + r"(?:[ \t-]" + _STREET_WORD + r"){0,3}?)[ \t]+"
    r"(?:(?i:" + "|".join(STREET_SUFFIXES) + r")|(?:" + "|".join(_STREET_ABBREVIATIONS) + r")\.?)"
    r"(?![\w'\u2019])"
)

_DIGIT_RE = re.compile(r"\d")
_WORD_AFTER_RE = re.compile(r"[ \t]+([A-Za-z\d']+)")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z\d]+)[ \t,]*$")
_NUMBERISH_RE = re.compile(r"\d{1,4}(?:st|nd|rd|th)?$", re.IGNORECASE)


# --- name handling ------------------------------------------------------------


def _norm(word: str) -> str:
    return word.lower().replace("\u2019", "'").replace("\u2010", "-")


def _name_parts(name: str) -> tuple[list[str], list[str]]:
    """Split one name from the record into (parts to look for, whole-name words).

    Bracketed notes and titles are dropped; single letters (initials) are
    skipped; words written in lower case on the record ("van", "de") are only
    matched as part of the whole name.
    """
    name = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name or "")
    words = []
    for raw in re.split(r"[\s,;/&]+", name):
        word = raw.strip(".'\u2019\"-:")
        if not word or _norm(word) in _TITLE_WORDS:
            continue
        words.append(word)
    parts: list[str] = []
    for word in words:
        if len(word) < 2 or word.islower() or not any(c.isalpha() for c in word):
            continue
        parts.append(word)
        if "-" in word or "\u2010" in word:
            parts.extend(h for h in re.split(r"[-\u2010]", word) if len(h) >= 2)
    whole = [w for w in words if len(w.strip(".")) >= 1]
    return parts, whole


def _literal(word: str) -> str:
    """Regex for a name word, tolerant of curly apostrophes and hyphen variants."""
    out = []
    for ch in word:
        if ch in "'\u2019":
            out.append("['\u2019]")
        elif ch in "-\u2010":
            out.append("[-\u2010]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _short_forms_of(names: Iterable[str]) -> frozenset[str]:
    """Short forms of each record name's first word (lower case), less the record's own name parts."""
    out: set[str] = set()
    own: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            continue
        parts, whole = _name_parts(name)
        own.update(_norm(p) for p in parts)
        if parts:
            out.update(short_forms(parts[0]))
    return frozenset(out - own)


def _compile_names(names: Iterable[str], extra: Iterable[str] = ()) -> re.Pattern[str] | None:
    alternatives: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            continue
        parts, whole = _name_parts(name)
        alternatives.update(parts)
        if len(whole) >= 2:
            alternatives.add(" ".join(whole))
    alternatives.update(extra)
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=lambda a: (-len(a), a.lower()))
    alts = "|".join(r"[ \t]+".join(_literal(w) for w in alt.split(" ")) for alt in ordered)
    titles = "|".join(sorted(_TITLES, key=len, reverse=True))
    # A cheap look-ahead on the first letter lets most word starts fail fast.
    initials = sorted({a[0].lower() for a in ordered} | {t[0].lower() for t in _TITLES})
    return re.compile(
        r"(?<!\w)(?=[" + re.escape("".join(initials)) + r"])(?:(?P<title>(?-i:" + titles + r"))\.?[ \t]+)?"
        r"(?<!\w)(?P<part>" + alts + r")(?!\w)(?!['\u2019]t(?!\w))",
        re.IGNORECASE,
    )


def _is_capitalised(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if not letters or not letters[0].isupper():
        return False
    return not (len(letters) > 1 and all(c.isupper() for c in letters))


def _at_sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'\u2018\u201c([":
        i -= 1
    if i < 0 or text[i] in ".!?\n\r\u2022*":
        return True
    # a dash counts as a list bullet only when it stands on its own ("- Will ...")
    return text[i] in "-\u2013" and (i == 0 or text[i - 1].isspace()) and i < pos - 1


def _next_word(text: str, end: int) -> str | None:
    m = _WORD_AFTER_RE.match(text, end)
    return m.group(1) if m else None


def _previous_word(text: str, start: int) -> str | None:
    m = _WORD_BEFORE_RE.search(text, max(0, start - 40), start)
    return m.group(1) if m else None


def _reads_as_month(text: str, start: int, end: int) -> bool:
    """Heuristic: does the month-name at text[start:end] read as the month?"""
    before = _previous_word(text, start)
    after = _next_word(text, end)
    if text[end:end + 2] in ("'s", "\u2019s"):
        # "June's daughter" is a person, "last May's review" a month.
        return before is not None and before.lower() in {"last", "next", "this", "every"}
    if before is not None and (before.lower() in MONTH_CONTEXT_WORDS or _NUMBERISH_RE.match(before)):
        return True
    return after is not None and bool(_NUMBERISH_RE.match(after))


def _looks_like_name(text: str, m: re.Match[str], short: frozenset[str] = frozenset()) -> bool:
    """Decide whether a matched name part is being used as a name here.

    Words in ``short`` (short forms of the record's names) are judged like
    everyday-word names: "Will" is a name, "will" and "Will you ..." are not.
    """
    if m.group("title"):
        return True
    matched = m.group("part")
    words = [_norm(w) for w in matched.split()]
    everyday = COMMON_WORD_NAMES | short
    if len(words) > 1 and any(w not in everyday for w in words):
        return True  # the whole name written out, with a distinctive part
    if not all(w in everyday for w in words):
        return True
    if not _is_capitalised(matched):
        return False
    start, end = m.start("part"), m.end("part")
    if words[0] in MONTH_NAMES and len(words) == 1 and _reads_as_month(text, start, end):
        return False
    if _at_sentence_start(text, start):
        following = _next_word(text, end)
        if following is not None and following.lower() in ORDINARY_WORD_FOLLOWERS:
            return False
    return True


# --- the anonymiser ----------------------------------------------------------


class Anonymiser:
    """Anonymise statements for one set of names, compiling the patterns once.

    ``names`` are the names on the review record. With ``find_unlisted``
    (the default) names of people *not* on the record are looked for too
    (see :mod:`goldenthread.privacy.names`).

    >>> anon = Anonymiser(["Rose Smith"])
    >>> anon("Rose's phone is 07700 900123")
    "[name]'s phone is [phone]"
    >>> result = anon.anonymise("I met Kelly at the disco")
    >>> result.text
    'I met [name] at the disco'
    """

    def __init__(self, names: Iterable[str] = (), find_unlisted: bool = True):
        if isinstance(names, str):
            names = [names]
        self.names: tuple[str, ...] = tuple(n for n in names if isinstance(n, str) and n.strip())
        self.find_unlisted = find_unlisted
        folded = [fold(n) for n in self.names]
        self._short = _short_forms_of(folded)
        self._name_re = _compile_names(folded, self._short)

    def __call__(self, text: str) -> str:
        """Return ``text`` with every finding replaced by its placeholder."""
        if not text:
            return text
        return self.anonymise(text).text

    def anonymise(self, text: str) -> Result:
        """Anonymise ``text`` and say what was hidden and what a person should check."""
        if not text:
            return Result(text or "", [], [])
        norm = normalise(text)
        chosen, unsure = self._search(norm)
        out: list[str] = []
        pos = 0
        for start, end, kind in chosen:
            c_start, c_end = norm.span_in_clean(start, end)
            out.append(norm.clean[pos:c_start])
            out.append(PLACEHOLDERS[kind])
            pos = c_end
        out.append(norm.clean[pos:])
        return Result("".join(out), self._as_findings(norm, chosen), [
            Uncertain(*norm.span_in_original(s, e), norm.original[slice(*norm.span_in_original(s, e))], replaced, why)
            for s, e, replaced, why in unsure
        ])

    def findings(self, text: str) -> list[Finding]:
        """All personal data in ``text``: sorted by position, never overlapping.

        Offsets are into ``text`` as given (invisible characters inside a
        finding are part of it).
        """
        if not text:
            return []
        norm = normalise(text)
        chosen, _ = self._search(norm)
        return self._as_findings(norm, chosen)

    @staticmethod
    def _as_findings(norm, chosen) -> list[Finding]:
        found = []
        for start, end, kind in chosen:
            o_start, o_end = norm.span_in_original(start, end)
            found.append(Finding(kind, o_start, o_end, norm.original[o_start:o_end]))
        return found

    def _search(self, norm) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, bool, str]]]:
        """Findings as (start, end, kind) in the folded text, and uncertain spans."""
        text = norm.folded
        if not text:
            return [], []
        blocked = [m.span() for m in _PLACEHOLDER_RE.finditer(text)] if "[" in text else []
        candidates: dict[str, list[tuple[int, int]]] = {
            "email": [m.span() for m in EMAIL_RE.finditer(text)] if "@" in text else [],
            "name": self._find_names(text),
        }
        if _DIGIT_RE.search(text):  # everything else needs a digit
            candidates["nhs_number"] = find_nhs_numbers(text)
            candidates["phone"] = find_phones(text)
            candidates["postcode"] = [m.span() for m in POSTCODE_RE.finditer(text)]
            candidates["date_of_birth"] = [m.span("date") for m in DOB_RE.finditer(text)]
            candidates["address"] = _find_addresses(text)
        chosen: list[tuple[int, int, str]] = []
        taken = list(blocked)
        for kind in _PRIORITY:
            for start, end in candidates.get(kind, ()):
                if not any(start < e and s < end for s, e in taken):
                    chosen.append((start, end, kind))
                    taken.append((start, end))
        unsure: list[tuple[int, int, bool, str]] = []
        if self.find_unlisted:
            known = [(s, e) for s, e, k in chosen if k == "name"]
            known += [(s, e) for s, e in blocked if text[s:e] == PLACEHOLDERS["name"]]
            for hit in find_names(text, blocked=taken, known=known):
                if hit.replace:
                    chosen.append((hit.start, hit.end, "name"))
                if not hit.certain:
                    unsure.append((hit.start, hit.end, hit.replace, hit.reason))
        chosen.sort()
        return _merge_names(text, chosen), unsure

    def _find_names(self, text: str) -> list[tuple[int, int]]:
        if self._name_re is None:
            return []
        return [m.span() for m in self._name_re.finditer(text) if _looks_like_name(text, m, self._short)]


def _merge_names(text: str, chosen: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join name findings separated only by spaces ("Margaret" + "O'Neill")."""
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in chosen:
        if (
            merged
            and kind == "name"
            and merged[-1][2] == "name"
            and text[merged[-1][1]:start].strip(" \t") == ""
        ):
            merged[-1] = (merged[-1][0], end, "name")
        else:
            merged.append((start, end, kind))
    return merged


def _find_addresses(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _ADDRESS_RE.finditer(text):
        words = re.split(r"[ \t-]+", m.group("street"))
        if any(_norm(w) in _ADDRESS_STOPWORDS for w in words):
            continue
        found.append(m.span())
    return found


@lru_cache(maxsize=64)
def _cached(names: tuple[str, ...]) -> Anonymiser:
    return Anonymiser(names)


def find_personal_data(text: str, names: Iterable[str] = ()) -> list[Finding]:
    """All personal data in ``text`` (sorted, non-overlapping), for the given names."""
    names = (names,) if isinstance(names, str) else tuple(names)
    return _cached(names).findings(text)


def anonymise(text: str, names: Iterable[str] = ()) -> str:
    """Return ``text`` with personal data replaced by placeholders like "[name]"."""
    names = (names,) if isinstance(names, str) else tuple(names)
    return _cached(names)(text)
