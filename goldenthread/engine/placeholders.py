"""What the theme engine reads of a card: the card's own words, never the anonymiser's placeholders.

The anonymiser (:mod:`goldenthread.privacy.anonymise`) writes "[name]", "[phone]", "[NHS number]" ... where it
took something out, and a card whose unchecked words are masked shows "[name?]". Those are marks, not what the
person said: two cards sharing "[name] and [name]" have nothing in common. So every embedder strips them before
it embeds a text (:func:`strip_placeholders`, used in :mod:`goldenthread.engine.embed`), so does the card-call
assistant's lexical view, and the namer never offers a name holding a placeholder (:data:`PLACEHOLDER`) or made
of function words only (:func:`only_function_words`). A text that was nothing but placeholders embeds as a zero
vector: it is like nothing. (The lexical view keeps function words and leaves them to its IDF weights: taking
them out too was measured to lower top-1 on both hand-labelled sets, issue 27.)

The engine cannot import :mod:`goldenthread.privacy` (they are sibling layers), so the pattern here is general:
any word or words in square brackets, with an optional "?" ("[name]", "[NHS number]", "[name?]", "[place]").
A test checks that it covers every placeholder the anonymiser writes.
"""
from __future__ import annotations

import re

_ONE = r"\[[A-Za-z][A-Za-z ]{0,29}\??\]"
#: One anonymiser placeholder: "[name]", "[NHS number]", "[name?]" (any case).
PLACEHOLDER = re.compile(_ONE)
# A run of placeholders joined by "and", "or", "&" or commas, with possessive endings ("[name]'s"), goes as one,
# so "[name] and [name] came round" leaves "came round", not "and came round".
_RUN = re.compile(rf"{_ONE}(?:['’]s?)?(?:\s*(?:,|&|\band\b|\bor\b)\s*{_ONE}(?:['’]s?)?)*", re.IGNORECASE)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)])")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")

#: English function words: pronouns, determiners, auxiliaries and modals, prepositions, conjunctions, negation
#: and degree words. They carry the grammar of a card, not its subject: a name made of them only says nothing.
FUNCTION_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
either even ever every few for from further had hadn't has hasn't have haven't having he he'd he'll he's her
here hers herself him himself his how i i'd i'll i'm i've if in into is isn't it it's its itself just least
less let's me more most much must mustn't my myself neither never no nor not now of off on once only or other
ought our ours ourselves out over own quite rather really same shan't she she'd she'll she's should shouldn't
so some such than that that's the their theirs them themselves then there there's these they they'd they'll
they're they've this those though through to too under until up upon us very was wasn't we we'd we'll we're
we've were weren't what what's when where which while who whom whose why will with without won't would
wouldn't yet you you'd you'll you're you've your yours yourself yourselves still
""".split())


def strip_placeholders(text: str) -> str:
    """``text`` without the anonymiser's placeholders, tidied (one space, no space before a comma).

    >>> strip_placeholders("[name] and [name] came round, [name?]'s mum too")
    'came round, mum too'
    >>> strip_placeholders("[name]")
    ''
    """
    text = str(text)
    if "[" not in text:
        return text
    out = _RUN.sub(" ", text)
    out = _SPACE_BEFORE_PUNCT.sub(r"\1", re.sub(r"\s+", " ", out)).strip()
    return out.lstrip(",;:&").strip()


def content_words(text: str) -> str:
    """The words of ``text`` that say what it is about: no placeholders, no function words.

    >>> content_words("[name] and [name] say the tea is too cold")
    'say tea cold'
    """
    words = (w.replace("’", "'").strip("'-") for w in _WORD.findall(strip_placeholders(text)))
    return " ".join(w for w in words if w and w.lower() not in FUNCTION_WORDS)


def only_function_words(text: str) -> bool:
    """True when ``text`` holds no word but function words ("I am", "It is what it is"): it says nothing a
    theme could be about, so the namer never offers it.

    >>> only_function_words("I do it"), only_function_words("I feel lonely"), only_function_words("[name]")
    (True, False, True)
    """
    return not content_words(text)
