"""The words matching compares: pick-lists of skills, times and languages, and one normalisation for every word. No Django.

Matching used to compare free text, so "after 11pm" was not "after 11 pm" and
"First Aid" was not "first aid". Now the forms offer these lists as tick boxes
and anything typed beside them goes through :func:`key`, which every
comparison uses: case, spaces, full stops and "11pm"/"11 pm"/"11 p.m." no
longer matter. What a person typed keeps its capitals on every page
(:func:`label` gives the list's own spelling when there is one).
"""
from __future__ import annotations

import re

#: Lower case but for names, because they are read inside sentences: "has every must-have: first aid". Sign languages
#: are languages (a language is a must-have of its own), so British Sign Language is in LANGUAGES, not here.
SKILLS = [
    "Makaton", "first aid", "epilepsy care", "moving and handling", "medication support",
    "driving", "cooking", "travel planning", "personal care", "managing money", "positive behaviour support",
]
TIMES = [
    "weekday mornings", "weekday afternoons", "weekdays", "evenings", "after 11 pm", "overnight", "weekends",
]
LANGUAGES = [
    "English", "British Sign Language", "Welsh", "Polish", "Punjabi", "Urdu", "Bengali", "Gujarati", "Arabic",
    "Somali", "Romanian", "Portuguese", "Spanish", "Cantonese",
]


def key(word: str) -> str:
    """The form a word is compared in: "After 11pm", "after 11 p.m." and " after  11 PM " all give "after 11 pm"."""
    w = (word or "").strip().lower()
    w = re.sub(r"(\d)\s*([ap])\.?\s*m\b\.?", r"\1 \2m", w)  # 11pm, 11 p.m., 11 PM -> 11 pm
    w = re.sub(r"[.,;:!]+$", "", w)
    return re.sub(r"\s+", " ", w).strip()


_LABELS = {key(w): w for w in (*SKILLS, *TIMES, *LANGUAGES)}


def label(word: str) -> str:
    """How a word is shown: the pick-list's spelling if it is on a list, otherwise as typed (its capitals kept)."""
    return _LABELS.get(key(word), " ".join((word or "").split()))


def choices(vocabulary: list[str], *extra_lists: list[str]) -> list[tuple[str, str]]:
    """Tick-box choices: the list, then any word already in use that is not on it (so nothing is lost on saving)."""
    seen, out = set(), []
    for word in [*vocabulary, *(w for lst in extra_lists for w in lst)]:
        k = key(word)
        if k and k not in seen:
            seen.add(k)
            shown = label(word)
            out.append((shown, shown[:1].upper() + shown[1:]))  # a tick box reads "After 11 pm"; saved as in the list
    return out


def tidy(words) -> list[str]:
    """Words as they will be stored: each shown by its label, without duplicates however they were typed."""
    seen, out = set(), []
    for word in words:
        k = key(word)
        if k and k not in seen:
            seen.add(k)
            out.append(label(word))
    return out
