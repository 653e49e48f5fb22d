"""Small English rules for theme names: first person, a verb, agreement, kind.

A theme name in "Working together for change" is a short sentence in the
person's own voice: "I worry about money", "I want to live on my own". The
namer builds names from the cards' own words and from templates; these
helpers make sure what it builds is such a sentence:

- :func:`fix_agreement` puts a verb after "I" or "We" into the right form
  ("I shouts at night" -> "I shout at night", "I has" -> "I have",
  "I is" -> "I am", "We goes" -> "We go").
- :func:`starts_first_person` and :func:`has_verb` tell whether a short text
  is a first-person sentence ("My money" is not; "My money is sorted" is).
- :func:`fits_kind` tells whether it reads as the kind of statement it names:
  *working* says nothing is wrong or wished for, *not working* says what is
  wrong ("I don't ...", "I can't ...", "I worry ..."), *future* says what is
  wanted ("I want to ...", "I would like ...").

They are deliberately plain rules over closed word lists (no tagger and no
data to load, so naming 30 themes takes milliseconds). The naming benchmark
(``benchmarks/naming_check.py``) checks the results with an independent
lexicon.

>>> fix_agreement("I shouts at night")
'I shout at night'
>>> fix_agreement("I always worries about my bills")
'I always worry about my bills'
>>> has_verb("My money"), has_verb("My money is sorted"), has_verb("I worry about money")
(False, True, True)
>>> fits_kind("I want to live on my own", "future"), fits_kind("I like my staff", "not_working")
(True, False)
"""
from __future__ import annotations

import re

#: Adverbs that may stand between a subject and its verb ("I always go").
ADVERBS = frozenset("""always never often sometimes usually really still just also only even now
rarely seldom hardly generally normally actually mostly regularly already ever occasionally
definitely truly totally completely sometimes nearly almost mainly simply certainly honestly
""".split())

#: Words that end in "s" but are not third-person verbs.
_NOT_VERB_S = frozenset("""always sometimes was has is does this thus plus less unless perhaps
towards afterwards besides yes us its his hers ours yours theirs as
""".split())

_IRREGULAR_BASE = {"has": "have", "does": "do", "goes": "go", "is": "am", "doesn't": "don't",
                   "isn't": "am not", "hasn't": "haven't", "was": "was", "wasn't": "wasn't"}
_WE_FORMS = {"is": "are", "am": "are", "was": "were", "isn't": "aren't", "wasn't": "weren't",
             "am not": "are not"}

_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\S")


def base_form(verb: str) -> str:
    """Third-person singular verb to its plain form ("worries" -> "worry", "goes" -> "go").

    Words that are not third-person "-s" forms come back unchanged.
    """
    v = verb.lower()
    if v in _IRREGULAR_BASE:
        return _IRREGULAR_BASE[v]
    if v in _NOT_VERB_S or not v.endswith("s") or v.endswith(("ss", "us", "is", "ous")) or len(v) < 3:
        return verb
    if v.endswith("ies"):
        return verb[:-3] + ("ie" if len(v) <= 4 else "y")  # dies -> die, worries -> worry
    if v.endswith(("shes", "ches", "xes", "zzes", "sses", "oes")):
        return verb[:-2]  # washes -> wash, misses -> miss, echoes -> echo
    return verb[:-1]


_SUBJECT = re.compile(r"\b(?:I|[Ww]e)\b")
_NEXT_WORD = re.compile(r"(\s+)([A-Za-z]+(?:'t)?)\b")


def _agree(subj: str, v: str) -> str:
    low = v.lower()
    if subj == "I":
        if low in {"was", "wasn't"}:
            return v
        if low == "are":
            return "am"
        if low == "aren't":
            return "am not"
        return base_form(v)
    return _WE_FORMS.get(low) or {"has": "have", "does": "do", "doesn't": "don't",
                                  "hasn't": "haven't", "was": "was"}.get(low) or base_form(v)


def fix_agreement(text: str) -> str:
    """Make the verb after "I" / "We" agree with it (past any adverbs in between)."""
    text = text.replace("’", "'")
    out, last = [], 0
    for m in _SUBJECT.finditer(text):
        if m.start() < last:
            continue
        pos = m.end()
        while True:
            w = _NEXT_WORD.match(text, pos)
            if not w:
                break
            word = w.group(2).lower()
            if word in ADVERBS or (word.endswith("ly") and len(word) > 4):
                pos = w.end()
                continue
            new = _agree(m.group(0), w.group(2))
            out.append(text[last:w.start(2)] + new)
            last = w.end()
            break
    out.append(text[last:])
    return "".join(out)


#: First words of a first-person sentence.
FIRST_PERSON_STARTS = frozenset({"i", "i'm", "i've", "i'd", "i'll", "we", "we're", "we've",
                                 "we'd", "my", "our"})
#: A finite verb form closes "My ..." sentences ("My money is sorted").
_FINITE = frozenset("""is are was were has have had do does did don't doesn't didn't isn't aren't
wasn't weren't haven't hasn't can can't cannot could couldn't will won't would wouldn't should
shouldn't must may might gets got keeps kept makes made helps helped takes took gives gave comes came
goes went needs costs means matters matter works worked feels felt looks seems runs lets stops
""".split())
#: Words that cannot follow "I" as its verb.
_FUNCTION = frozenset("""the a an my our your to of and or but in on at for with by from me i us
him her them it this that these those about very more most so too not no
""".split())
#: Words that may follow "I" in a note but are not its verb ("I always cold").
_NOT_VERB = frozenset("""be there here cold hot warm good bad happy sad nice great quite very well ok
okay fine really all always never relevant useful helpful lovely""".split())
_DETS_PREPS = frozenset("""the a an my our your his her their this that these those some any no
every each of in on at for with about to from by into over under after before without through
""".split())


def words(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text.replace("’", "'")) if t[0].isalnum()]


def starts_first_person(text: str) -> bool:
    """True when the text opens with I / I'm / I've / We / My / Our."""
    w = words(text)
    return bool(w) and w[0] in FIRST_PERSON_STARTS


def has_verb(text: str) -> bool:
    """True when a first-person text is a sentence, not a noun phrase.

    After "I"/"We" the next word (past adverbs) must be a verb-like word;
    after "My ..." a finite verb must follow the noun phrase.
    """
    w = words(text)
    if not w:
        return False
    if w[0] in {"i'm", "i've", "i'd", "i'll", "we're", "we've", "we'd"}:
        return True
    if w[0] in {"i", "we"}:
        j = 1
        while j < len(w) and (w[j] in ADVERBS or (w[j].endswith("ly") and len(w[j]) > 4)):
            j += 1
        return (j < len(w) and w[j] not in _FUNCTION and w[j] not in _NOT_VERB and w[j][0].isalpha()
                and not re.search(r"(?:ful|ous|less|able|ible)$", w[j]))
    for k in range(2, len(w)):
        if w[k - 1] in _DETS_PREPS:
            continue
        if w[k] in _FINITE:
            return True
        last = k == len(w) - 1
        if not last and re.search(r"[^s]s$", w[k - 1]) and w[k] not in _FUNCTION \
                and k - 1 >= 1 and w[k][0].isalpha():
            return True  # "My carers help me"
        if not last and (re.search(r"[^su]s$", w[k]) and w[k] not in _NOT_VERB_S
                         or w[k].endswith("ed")):
            return True
    return False


#: Words that say something is wrong (what is not working).
NEGATIVE = re.compile(
    r"\b(?:not|no|never|nobody|nothing|none|cannot|\w+n't|worr\w*|struggl\w*|hard|difficult|"
    r"miss\w*|lonely|alone|anxious|low|scared|afraid|frighten\w*|bored|too|wait\w*|late|hate|"
    r"problems?|wrong|poor|bad|unhappy|upset|stress\w*|tired|pain\w*|sad|angry|unsafe|unfair|"
    r"lack\w*|lost|lose|cancel\w*|short|fed up|let down|left out)\b", re.IGNORECASE)
#: Words that say what is wanted (what is important for the future).
WISH = re.compile(r"\b(?:want\w*|would like|'d like|would love|hope\w*|wish\w*|plan\w*|"
                  r"going to|looking forward|would|to be able|need\w*)\b", re.IGNORECASE)


def fits_kind(text: str, kind: str | None) -> bool:
    """Does the name read as a statement of this kind (None: any)?"""
    if kind == "working":
        return not NEGATIVE.search(text) and not WISH.search(text)
    if kind == "not_working":
        return bool(NEGATIVE.search(text))
    if kind == "future":
        return bool(WISH.search(text))
    return True
