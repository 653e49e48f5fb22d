"""Invented review statements in any number, for tests and benchmarks.

Every template here was written for this project about everyday life with
social care support (getting about, money, friends, staff, health, home,
work, ...); none is taken from any data set. Each statement is a template
with its slots filled at random, plus small variations (a leading phrase, a
reason, dropped words), so a million statements hold many distinct texts
while each still belongs to one known *topic* - usable as labels.

>>> rows = make_statements(5, seed=1)
>>> len(rows), sorted(rows[0])
(5, ['area', 'id', 'kind', 'text', 'topic'])
>>> make_statements(3, seed=1) == make_statements(3, seed=1)
True
"""
from __future__ import annotations

import random

#: topic -> kind -> templates. ``{x}`` slots are filled from SLOTS.
TEMPLATES: dict[str, dict[str, list[str]]] = {
    "transport": {
        "working": ["I get the {bus} to {place} on my own now",
                    "My travel pass means I can go to {place} when I like",
                    "Staff drive me to {place} every {day}"],
        "not_working": ["The {bus} to {place} stops running at teatime",
                        "I cannot get to {place} because there is no transport",
                        "The taxi to {place} costs too much so I stay in"],
        "future": ["I want to learn to travel to {place} by myself",
                   "I would like a car or a lift to get to {place}"],
    },
    "money": {
        "working": ["I manage my own money with a little help",
                    "My personal budget pays for the things I choose",
                    "I save a bit every {day} for a treat"],
        "not_working": ["My money runs out before the end of the month",
                        "I worry about paying the {bill} bill",
                        "Nobody explains my benefits letters to me"],
        "future": ["I want to save up for a holiday in {place}",
                   "I would like help to understand my money"],
    },
    "friends": {
        "working": ["I see my friend {friend} at the club every {day}",
                    "I have made new friends at {place}",
                    "My friends ring me most evenings"],
        "not_working": ["I feel lonely because I see nobody apart from staff",
                        "I lost touch with my friend {friend} when I moved",
                        "I sit on my own at {place} most days"],
        "future": ["I want to meet more people my own age",
                   "I would like to go to {place} with a friend"],
    },
    "staff": {
        "working": ["My support worker {friend} really listens to me",
                    "The staff know what I like and how I like it",
                    "I chose the staff who support me"],
        "not_working": ["The staff keep changing so nobody knows me",
                        "Agency staff come late and rush me",
                        "Staff talk over me instead of to me"],
        "future": ["I want the same staff every {day}",
                   "I would like staff who share my interest in {hobby}"],
    },
    "health": {
        "working": ["The nurse helps me with my {med} each morning",
                    "I feel fitter since I started walking to {place}",
                    "My doctor explains things in words I understand"],
        "not_working": ["I wait months to see the {clinic}",
                        "My {med} makes me tired all day",
                        "Nobody helps me with my pain at night"],
        "future": ["I want to lose some weight and feel healthier",
                   "I would like to see the {clinic} closer to home"],
    },
    "home": {
        "working": ["I love my flat and my own front door",
                    "I chose the colours in my bedroom",
                    "My home is near {place} and my family"],
        "not_working": ["My flat is damp and cold in winter",
                        "I share a house with people I do not get on with",
                        "The noise from next door keeps me awake"],
        "future": ["I want to live in my own flat near {place}",
                   "I would like a garden where I can grow {plant}"],
    },
    "work": {
        "working": ["I have a job at the {shop} two days a week",
                    "Volunteering at {place} makes me feel useful",
                    "I get paid for my work at the {shop}"],
        "not_working": ["I would like a job but nobody will give me a chance",
                        "The job centre does not understand my needs",
                        "I lost my job at the {shop} when the hours changed"],
        "future": ["I want a paid job at the {shop}",
                   "I would like to go to college to learn about {hobby}"],
    },
    "hobbies": {
        "working": ["I go {hobby} every {day} and I love it",
                    "I enjoy {hobby} with my group at {place}",
                    "Doing {hobby} helps me relax"],
        "not_working": ["I stopped {hobby} because there are no staff to take me",
                        "The {hobby} group at {place} closed down",
                        "There is nothing to do in the evenings"],
        "future": ["I want to try {hobby} next year",
                   "I would like to join a {hobby} club at {place}"],
    },
    "family": {
        "working": ["My {relative} visits me every {day}",
                    "I stay with my {relative} at weekends",
                    "I talk to my {relative} on the phone every night"],
        "not_working": ["I do not see my {relative} since they moved away",
                        "My {relative} worries about me too much",
                        "I miss my {relative} at Christmas"],
        "future": ["I want to visit my {relative} in {place}",
                   "I would like my {relative} to come to my review"],
    },
    "choice": {
        "working": ["I decide what I eat and when",
                    "I choose when I go to bed and when I get up",
                    "People ask me before they make plans for me"],
        "not_working": ["Other people decide what I do each {day}",
                        "I am not allowed to have a key to my own room",
                        "Nobody asks me what I want at my review"],
        "future": ["I want more say in who supports me",
                   "I would like to speak up for myself at meetings"],
    },
}

SLOTS = {
    "bus": ["bus", "train", "number 12 bus", "tram", "community bus"],
    "place": ["town", "the library", "the day centre", "the park", "the market", "church",
              "the leisure centre", "the seaside", "my sister's", "the pub"],
    "day": ["day", "week", "Monday", "Friday", "weekend", "morning"],
    "bill": ["gas", "electric", "phone", "water", "council tax"],
    "friend": ["Sam", "Priya", "Tom", "Aisha", "Jo", "Mo"],
    "med": ["tablets", "inhaler", "insulin", "eye drops", "cream"],
    "clinic": ["dentist", "doctor", "hospital", "physio", "optician", "nurse"],
    "plant": ["tomatoes", "flowers", "potatoes", "herbs"],
    "shop": ["cafe", "garden centre", "supermarket", "charity shop", "bakery"],
    "hobby": ["swimming", "bowling", "dancing", "painting", "cooking", "fishing", "football"],
    "relative": ["mum", "dad", "brother", "sister", "nan", "aunt", "cousin"],
}

_LEAD = ["", "", "", "Honestly, ", "Most of the time ", "These days ", "Since last year ",
         "At the moment ", "Really, "]
_TAIL = ["", "", "", " and that matters to me", " which is hard", " and I am happy about it",
         " most weeks", " if I am honest", " again and again"]
AREAS = ["North", "South", "East", "West", "Central"]
KINDS = ("working", "not_working", "future")


def make_statement(rng: random.Random) -> tuple[str, str, str]:
    """One invented statement: (text, kind, topic)."""
    topic = rng.choice(sorted(TEMPLATES))
    kind = rng.choice(KINDS)
    tpl = rng.choice(TEMPLATES[topic][kind])
    text = tpl.format(**{k: rng.choice(v) for k, v in SLOTS.items() if "{" + k + "}" in tpl})
    words = text.split()
    if len(words) > 6 and rng.random() < 0.3:  # a dropped word, as people write
        del words[rng.randrange(1, len(words))]
    text = " ".join(words)
    lead = rng.choice(_LEAD)
    if lead:
        text = lead + text[0].lower() + text[1:] if not text.startswith("I ") else lead + text
    return text + rng.choice(_TAIL), kind, topic


def make_statements(n: int, seed: int = 0) -> list[dict]:
    """``n`` invented statements as dicts: id, text, kind, area, topic (the label)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text, kind, topic = make_statement(rng)
        out.append({"id": f"S{i + 1:07d}", "text": text, "kind": kind,
                    "area": rng.choice(AREAS), "topic": topic})
    return out
