"""Finding names of people who are *not* on the review record.

People talk about everyone in their lives: "I met Kelly at the disco", "my
grandson Tom takes me shopping", "Dr Patel changed my tablets". None of them
is on the record, so the record's names cannot find them. This module finds
them with a list of first names and surnames plus rules about the words
around a name, the way a careful reader would. There is no statistical model:
spaCy's English models cannot be installed here, and a list with rules is
easy to check and explain.

The name lists
--------------
First names and surnames come from the person data that ships inside the
`Faker <https://faker.readthedocs.io>`_ package (MIT licence; read from the
installed package, nothing is downloaded). We take the English-speaking
locales that match who lives in the UK (Great Britain, Ireland, the US, New
Zealand, India, Pakistan, Nigeria, Kenya, Ghana) and a few European ones
(Polish, Italian, French, German, Spanish, Portuguese, Romanian): about
6,600 first names and 8,300 surnames, loaded once on first use (under a
second). :data:`EXTRA_FIRST_NAMES` adds a few common UK
names those lists lack. All are compared in folded form (see
:mod:`.normalise`), so "Zoë" and "Zoe" are the same name.

Words that are names *and* something else
-----------------------------------------
Many names are everyday words ("Will", "Hope", "Grace", "Frank", "Bill") or
capitalised words that are not people: months ("June", "August"), places
("Chester", "Florence", "Jordan"), days, shops and charities. These are kept
in :data:`COMMON_WORDS` and :data:`NOT_PEOPLE`; they count as a name only
with evidence from the words around them.

The rules, in order
-------------------
Each word is judged from its own shape and its neighbours.

1. **After a title** -- Mr, Mrs, Ms, Miss, Mx, Dr, Doctor, Nurse, Sister,
   Auntie, Uncle, Nan, Grandad, Father, Councillor ... (:data:`TITLES`):
   the capitalised word (or two) after it is a name, listed or not: "Dr
   Patel", "Mrs O'Neill", "Nurse Okonkwo". The title goes with it.
2. **After a relation** -- my friend, my grandson, my key worker, her carer,
   a lady called ... (:data:`RELATIONS`): a capitalised word after it is a
   name ("my grandson Tom", "my key worker, Jo,"). A capitalised word that is
   on no list is still hidden but also reported as *uncertain*. A
   lower-case first name is hidden there too ("my grandson tom").
3. **On the first-name list**, written with a capital, and not an everyday
   word or a place: a name ("Kelly took me", "I go out with Sam and Priya").
4. **An everyday word on the list** ("Will", "Grace") is a name only with
   evidence: a verb of meeting or going with before it ("with Will", "met
   Grace"), a name verb after it ("Will says", "Grace helps me"), a
   possessive ("Will's"), or another name next to it ("Sam and Will"). Such
   names are hidden and reported as uncertain. Without evidence, a
   capitalised everyday name in mid-sentence is left alone but reported as
   uncertain; at the start of a sentence it is left alone.
5. **A surname** ("Patel", "Murphy") is a name after a first name, a title,
   or with the evidence of rule 4 (hidden, and reported as uncertain).
   Alone in mid-sentence it is left alone and reported as uncertain: many
   surnames are also words or places ("Bridge", "French", "Chester").
6. **Next to a name**: a capitalised surname or unknown word straight after
   a found name joins it ("Kelly Brown", "Priya Chaudhry"); an unknown
   capitalised word in a list with a name ("Dawn and Tariq", "Liam, Zed and
   Tom") is hidden and flagged.
7. **Never a person**: a word straight before a place word ("Hope Street",
   "Trinity Church", "Grace House", see :data:`PLACE_WORDS`) or after "St"
   or "Saint" is part of a place; shops, charities and programmes with a
   name in them ("Marks and Spencer", "Sue Ryder", "Doctor Who", see
   :data:`NEVER_PEOPLE_PHRASES`) are left alone. A listed first name after
   a word of place ("went to Florence") is hidden but flagged. A capitalised unknown word after a verb of meeting
   ("I met Zephyrine") is left alone and reported as uncertain.

8. **At the start of a sentence** an everyday word that is also a name
   ("Mark is good", "June at the day centre helps me") cannot be told
   from the word by its capital. It is left alone when the next word shows
   it is the everyday word ("Will you help", "May I", "Hope you are well",
   see :data:`ORDINARY_FOLLOWERS`); hidden (and flagged) when a name verb
   follows in the same clause ("June at the day centre helps me"); and
   otherwise left on the card but flagged for a person to check ("Mark is
   good but the others rush"). Months that are names (May, June, April,
   August) are judged the same way there.

Short forms
-----------
Everyday words that are short forms of a name ("Pat", "Will", "Bob") count
as first names (so rules 4 and 8 apply to them). The short forms come from
the ``nicknames`` package (Apache-2.0; a curated CSV of English given names
and their short forms, read from the installed package): see
:func:`short_forms` and :func:`nickname_words`.

*Uncertain* findings are there for a person to check before cards are
printed (see :class:`goldenthread.privacy.anonymise.Result`).
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache

from goldenthread.privacy.normalise import fold

__all__ = [
    "COMMON_WORDS",
    "EXTRA_FIRST_NAMES",
    "NEVER_PEOPLE_PHRASES",
    "NOT_PEOPLE",
    "NameHit",
    "PLACE_WORDS",
    "RELATIONS",
    "TITLES",
    "find_names",
    "first_names",
    "nickname_words",
    "short_forms",
    "surnames",
]

#: Faker locales whose person names we use (Latin script only).
LOCALES: tuple[str, ...] = (
    "en_GB", "en_IE", "ga_IE", "en_US", "en_NZ", "en_IN", "en_PK", "en_NG", "en_KE",
    "yo_NG", "ig_NG", "ha_NG", "tw_GH", "pl_PL", "it_IT", "fr_FR", "de_DE", "es_ES", "pt_PT", "ro_RO",
)

#: Common UK first names missing from the Faker lists (folded, lower case).
EXTRA_FIRST_NAMES: frozenset[str] = frozenset(
    """
    rahul deepak sanjay sunil anil ravi amit vikram arjun nisha pooja sunita anita kiran
    rajesh suresh ramesh manoj vijay harpreet gurpreet jaspreet manpreet baljit sukhdev
    parminder rupinder kuldeep mandeep navjot simran jas raj bal dev nav
    nkechi chidi chiamaka oluwaseun tunde kemi funmi ade bisi yemi ngozi emeka
    tyreece kayden jaden jayden tyrone leroy delroy winston marcia beverley claudette
    shanice chantelle jermaine kareem
    zoe chloe siobhan aoife niamh ciara sinead saoirse oisin cian padraig seamus
    bronwen gwen rhys dafydd iwan cerys ffion sian eluned morag hamish iain ailsa
    kev dave steve jen nic becky beccy kaz shaz tel del bez jonno gaz
    """.split()
)

#: Names that are also everyday English words (or that usually are when
#: capitalised for another reason). Such a name needs evidence (rule 4).
COMMON_WORDS: frozenset[str] = frozenset(
    """
    will may hope grace joy faith mark bill frank guy grant rose jack pat sue rob bob don
    art max miles rich drew chip chuck dusty hunter page wade warren bud peg lance van
    june april august summer autumn winter dawn eve ray sandy penny carol holly ivy daisy
    lily ruby amber jade crystal coral pearl olive heather iris violet poppy rosemary
    jasmine willow hazel fern sage basil ginger honey cherry berry rowan aurora luna
    star sky river storm stone wood hill hall park field lane brook glen dale heath
    king prince princess queen duke earl major general marshal captain angel saint
    bishop pastor deacon doctor judge chance destiny harmony melody mercy patience
    charity comfort blessing trinity purity liberty justice peace unity hero
    lucky sunny rusty misty harsh sole dean chase jordan victor mason cooper archer
    carter parker baker turner porter butler fisher tanner miller walker hunter
    said man job guy else till sad mad harm drew innocent forum edit nail mar raid
    ion peer cord tory theres rex meta sol ale gala lore loot grit eta ante aba kai
    tai om che ama alma lea beau brit kaiser aura brandy corona immaculate ebony
    diamond kent marine german urban fancy gene jean robin nick kim lee sierra chad
    kay pierce abbey hardy raven valentine piper lavender margarita taj
    black white brown green grey gray gold silver young long little short best
    rice bush marsh moss lamb bell stone sharp wells fish mills rock sparks fox hunt
    bird cook wolf swift bond law love case more rich early cross
    bath reading hull derby preston chester lincoln kent york devon florence paris
    india china sydney austin dallas phoenix orlando israel georgia virginia
    carolina dakota brooklyn london
    christian christmas easter noel god jesus
    """.split()
)

#: Capitalised words that are never (or almost never) a person on their own:
#: days, months, holidays, places, shops, services and charities, languages.
#: A title in front still makes them a name ("Mrs Bath").
NOT_PEOPLE: frozenset[str] = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    christmas easter eid diwali hanukkah ramadan vaisakhi bonfire halloween
    bank holiday new year boxing
    i im ive id ill a an the and but or so if my our your his her their its we you he she they
    it this that these those there here what when where why how who which not no yes ok okay
    mum mam mom dad mummy daddy nan nana nanna gran granny grandma grandad grandpa grandmother
    grandfather auntie aunty aunt uncle sister brother son daughter wife husband partner
    friend friends carer carers staff manager
    nhs gp uk england scotland wales ireland britain english british welsh scottish irish
    european polish indian pakistani african caribbean asian muslim hindu sikh jewish
    french german spanish italian portuguese romanian lithuanian latvian russian ukrainian
    urdu punjabi bengali bangla gujarati hindi tamil arabic somali kurdish farsi turkish
    chinese mandarin cantonese greek dutch filipino nigerian ghanaian jamaican
    alexa siri
    council centre center hospital surgery school college church chapel mosque temple
    club group team bus taxi tesco asda aldi lidl morrisons sainsburys sainsbury waitrose
    iceland boots primark greggs costa mcdonalds argos wilko poundland specsavers
    mind mencap scope oxfam macmillan barnardos shelter crisis samaritans
    age concern alzheimers dementia parkinsons
    facebook whatsapp youtube netflix google zoom skype tiktok instagram amazon ebay
    bingo disco karaoke zumba pilates yoga tai chi
    london birmingham manchester liverpool leeds sheffield bristol newcastle nottingham
    leicester coventry bradford cardiff swansea edinburgh glasgow aberdeen dundee belfast
    derby hull plymouth southampton portsmouth brighton reading oxford cambridge norwich
    exeter gloucester cheltenham bath york lancaster blackpool bolton wigan stockport
    sunderland middlesbrough durham carlisle stoke wolverhampton walsall dudley luton
    swindon ipswich colchester chelmsford watford slough croydon bromley wembley
    northampton peterborough lincoln grimsby scunthorpe doncaster rotherham barnsley
    wakefield huddersfield halifax harrogate scarborough whitby margate dover canterbury
    maidstone crawley worthing eastbourne hastings bournemouth poole weymouth torquay
    truro taunton yeovil salisbury winchester basingstoke guildford woking
    devon cornwall kent essex sussex surrey yorkshire lancashire cumbria somerset dorset
    norfolk suffolk wiltshire hampshire cheshire derbyshire shropshire gloucestershire
    northumberland durham tyne wear mersey thames severn spain france italy germany
    poland portugal greece turkey jamaica nigeria ghana kenya pakistan bangladesh
    china japan america australia canada benidorm tenerife majorca blackpool skegness
    """.split()
)

#: Names of shops, charities, programmes and services that contain a person's
#: name or a name-like word; the whole phrase is never a person.
NEVER_PEOPLE_PHRASES: tuple[str, ...] = (
    "Marks and Spencer", "Marks & Spencer", "John Lewis", "Holland and Barrett", "Holland & Barrett",
    "Doctor Who", "Red Cross", "Salvation Army", "Citizens Advice", "St John Ambulance",
    "Coronation Street", "Weight Watchers", "Slimming World", "Age UK", "Age Concern",
    "Jobcentre Plus", "Job Centre", "Macmillan Cancer Support", "Marie Curie", "Sue Ryder",
    "Barnardo's", "Scope", "Leonard Cheshire", "Mencap", "Carers UK", "Alzheimer's Society",
    "Shaw Trust", "Ronald McDonald House", "Princess Royal", "Prince's Trust", "King's Trust",
    "Kit Kat", "Kit Kats", "Father Christmas", "Santa Claus", "Jack Daniel's",
    "McDonald's", "Sainsbury's", "Nando's", "Domino's", "Wetherspoon's", "Wetherspoons",
    "Christmas Day", "Christmas Eve", "Boxing Day", "New Year's Day", "New Year's Eve",
    "Parkinson's", "Alzheimer's", "Crohn's", "Asperger's", "Down's syndrome", "Huntington's",
    "Tourette's", "Hodgkin's", "Bell's palsy", "Motor Neurone Disease",
)
_NEVER_PEOPLE_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p).replace("'", "'?") for p in NEVER_PEOPLE_PHRASES) + r")(?!\w)",
    re.IGNORECASE,
)

#: Words that name a place or organisation when a capitalised word comes
#: straight before them: "Hope Street", "Grace House", "St Mary's Church".
PLACE_WORDS: frozenset[str] = frozenset(
    """
    road street lane avenue close drive way crescent court gardens place terrace grove
    walk mews row hill view square park rise green parade vale gate wharf meadows fields
    house centre center hall school college academy university hospital surgery clinic
    practice church chapel mosque temple club group trust society library station
    hotel pub inn arms cafe café lodge manor estate village ward unit home homes care
    stadium theatre cinema market shop store stores foundation court's street's
    """.split()
)

#: Place words that make the word before them a place even in lower case ("Victoria station").
_PLACE_NOUNS = frozenset(
    "station street road avenue hospital centre center church school college library surgery market".split()
)

#: Words that stand in front of a name as part of it ("Dr Patel", "Auntie Pam").
TITLES: frozenset[str] = frozenset(
    """
    mr mrs ms miss mx dr doctor nurse sister matron prof professor sir dame lady lord
    auntie aunty aunt uncle nan nana nanna gran granny grandma grandad grandpa
    father fr rev reverend pastor imam rabbi councillor cllr officer pc sgt captain
    """.split()
)

#: Lower-case titles that are also ordinary words: a title only before a capitalised word.
_WEAK_TITLES = frozenset({"sister", "nurse", "doctor", "father", "miss", "lady", "captain", "officer",
                          "nan", "nana", "gran", "aunt", "uncle", "auntie", "aunty", "grandma", "grandad",
                          "grandpa", "granny", "nanna", "pastor", "sir", "lord", "dame", "matron"})

#: Relation words: a name straight after one is a person ("my grandson Tom").
RELATIONS: frozenset[str] = frozenset(
    """
    friend friends mate mates pal pals buddy carer carers worker workers keyworker
    neighbour neighbours neighbor son sons daughter daughters grandson granddaughter
    grandsons granddaughters grandchild grandchildren grandkids brother brothers sister sisters
    husband wife partner boyfriend girlfriend fiance fiancee fiancé fiancée mum mother mam mom
    dad father stepson stepdaughter stepmum stepdad nephew niece nephews nieces cousin cousins
    aunt auntie aunty uncle nan nana gran granny grandma grandad grandpa sibling twin
    colleague advocate befriender volunteer manager teacher therapist physio gp doctor
    landlord landlady lodger flatmate housemate child kids baby boy girl lad lass
    driver cook chef cleaner receptionist hairdresser dentist optician pharmacist postman
    postwoman warden coordinator co-ordinator assessor tutor coach instructor leader
    chaplain vicar priest boss supervisor mentor escort pa assistant helper
    called named
    """.split()
)

#: Words before a name that say someone is being met, seen or gone about with.
MEET_WORDS: frozenset[str] = frozenset(
    """
    with met meet meets meeting see sees saw seeing seen visit visits visited visiting
    call calls called ring rang phone phoned text texted told tell tells ask asks asked
    thank thanks thanked love loves loved miss misses missed hug hugged married marry
    like likes liked help helps helped dear and or
    """.split()
)

#: Verbs after a name that say it is a person doing something.
NAME_VERBS: frozenset[str] = frozenset(
    """
    says said say rang rings calls called phoned texted helps helped takes took comes came
    visits visited brings brought drives drove cooks cooked knows knew thinks thought
    wants wanted told tells asked asks
    lives lived works worked goes went looks looked sits sat gets got gives gave makes made
    """.split()
)

#: Words before a capitalised word that mean a place follows ("went to Tesco").
_PLACE_BEFORE = frozenset({"to", "in", "at", "from", "near", "into", "round", "around", "st", "saint", "via"})

_WORD_RE = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*(?:'s?)?")
_FUNCTION_WORDS = frozenset(
    "i a an the and but or so if my our your his her their its we you he she they it this that these those"
    " there here what when where why how who which not no yes".split()
)
_LIST_GAP_RE = re.compile(r"(?:,\s*|\s+(?:and|or|&)\s+|\s*&\s*|,\s*(?:and|or)\s+)")
_CONTEXT_BEFORE: frozenset[str] = TITLES | RELATIONS | MEET_WORDS
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

#: Months that are also given names: at the start of a sentence they are judged like "Will" (rule 8).
_NAME_MONTHS = frozenset({"may", "june", "april", "august"})

#: Words that, straight after an everyday-word name at the start of a sentence, show it is the
#: everyday word: "Will you help", "May I", "Hope you are well", "Mark the date".
ORDINARY_FOLLOWERS: frozenset[str] = frozenset(
    """
    i you we they he she it there this that these those me us him them my your our his her their
    its the a an so not all any some what be have been
    """.split()
)

#: A clause ends at one of these: a name verb after it says nothing about the word before it.
_CLAUSE_END_RE = re.compile(r"[.,;:!?()\n]|\s(?:and|but|or|because|so|when|if)\s")

#: In the words after a sentence-start name, a finding counts as one word, written as one of these marks
#: (a name, anything else), and names side by side as one name, as the card shows them ("[name]").
_NAME_MARK, _OTHER_MARK = "\x01", "\x02"
_RUN_OF_NAMES_RE = re.compile(f"{_NAME_MARK}(?:[ \t]*{_NAME_MARK})+")
_MARKED_WORD_RE = re.compile(f"[{_NAME_MARK}{_OTHER_MARK}]|{_WORD_RE.pattern}")


def _as_on_the_card(text: str, start: int, names: list[tuple[int, int]], others: list[tuple[int, int]]) -> str:
    """``text[start:]`` with each finding written as one mark, as a second run would see its placeholder.

    So "Will ... Tom Dev went", "Will ... Dr Priya went" and "Will ... [name] went" hold the same number
    of words, and an email's dots end no clause: the words after a name are the same before and after
    anonymising, and anonymising twice gives the same card.
    """
    spans = sorted([(s, e, _NAME_MARK) for s, e in names] + [(s, e, _OTHER_MARK) for s, e in others])
    out, pos = [], start
    for s, e, mark in spans:
        if e <= pos:
            continue
        if s > pos:
            out.append(text[pos:s])
        out.append(mark)
        pos = max(pos, e)
    out.append(text[pos:])
    return _RUN_OF_NAMES_RE.sub(_NAME_MARK, "".join(out))


@lru_cache(maxsize=1)
def _faker_names() -> tuple[frozenset[str], frozenset[str]]:
    first: set[str] = set()
    last: set[str] = set()
    for locale in LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:  # pragma: no cover - a locale dropped in a future Faker
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            first.update(getattr(provider, attr, ()) or ())
        for attr in ("last_names", "last_names_male", "last_names_female"):
            last.update(getattr(provider, attr, ()) or ())

    def clean(names: set[str]) -> frozenset[str]:
        out = set()
        for name in names:
            folded = fold(name).lower()
            if len(folded) >= 2 and all(c.isalpha() or c in "'-" for c in folded) and folded.isascii():
                out.add(folded)
        return frozenset(out)

    return clean(first) | EXTRA_FIRST_NAMES, clean(last)


@lru_cache(maxsize=1)
def _nicknamer():
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=1)
def nickname_words() -> frozenset[str]:
    """Every given name and short form in the ``nicknames`` list, lower case."""
    namer = _nicknamer()
    words = set(namer.nickname_lookup) | set(namer.canonical_lookup)
    return frozenset(w for w in words if len(w) >= 2 and w.isalpha() and w.isascii())


@lru_cache(maxsize=4096)
def short_forms(name: str) -> frozenset[str]:
    """Short forms of a first name: ``short_forms("William")`` holds "will", "bill", "billy" ...

    Lower case; words of one letter or with other characters are left out.
    (The other way round -- "Roseanne" for a "Rose" on the record -- is a
    different name, found by the first-name list if at all.)
    """
    namer = _nicknamer()
    low = fold(name or "").strip().lower()
    out = namer.nicknames_of(low)
    return frozenset(w for w in out if len(w) >= 2 and w.isalpha() and w != low)


def first_names() -> frozenset[str]:
    """Every first name we know, folded and lower case."""
    return _faker_names()[0]


def surnames() -> frozenset[str]:
    """Every surname we know, folded and lower case."""
    return _faker_names()[1]


@dataclass(frozen=True)
class NameHit:
    """A name found in folded text: ``start``/``end`` index the folded text.

    ``certain`` is False when a person should check it; ``replace`` says
    whether it is hidden (an uncertain hit may be hidden or left alone).
    """

    start: int
    end: int
    certain: bool
    replace: bool
    reason: str


@dataclass(slots=True)
class _Token:
    start: int
    end: int  # without a possessive ending
    word: str  # as written, without the possessive
    low: str
    possessive: bool


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        possessive = False
        if word.endswith("'s") and len(word) > 2:
            word, possessive = word[:-2], True
        elif word.endswith("'"):
            word, possessive = word[:-1], True
        out.append(_Token(m.start(), m.start() + len(word), word, word.lower(), possessive))
    return out


def _capitalised(word: str) -> bool:
    """Written with a capital first letter and not all in capitals ("Kelly", "O'Neill", "I")."""
    return word[:1].isupper() and (len(word) == 1 or not word.isupper())


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'([*":
        i -= 1
    if i < 0 or text[i] in ".!?\n\r:;\u2022":
        return True
    return text[i] in "-" and (i == 0 or text[i - 1].isspace()) and i < pos - 1


def _gap(text: str, a: int, b: int, allow: str = " \t") -> bool:
    """True if text[a:b] holds only the characters in ``allow``."""
    return not text[a:b].strip(allow)


def _parts(low: str) -> list[str]:
    return [p for p in low.split("-") if p]


def find_names(text: str, blocked: list[tuple[int, int]] = (), known: list[tuple[int, int]] = ()) -> list[NameHit]:
    """Names in folded ``text`` that are not on the record (see the module docstring).

    ``blocked`` spans (other findings, placeholders) are never looked at;
    ``known`` spans are names already found (from the record, or "[name]"
    placeholders) and count as evidence for their neighbours.
    """
    firsts, lasts = _faker_names()
    nicknames = nickname_words()
    findings = list(blocked)  # the spans the card shows as placeholders
    blocked = list(blocked) + [m.span() for m in _NEVER_PEOPLE_RE.finditer(text)]
    toks = _tokens(text)
    if blocked:
        toks = [t for t in toks if not any(t.start < e and s < t.end for s, e in blocked)]
    if not toks:
        return []
    known_spans = list(known)
    n = len(toks)
    verdict: list[NameHit | None] = [None] * n

    def is_first(low: str) -> bool:
        """A known first name; a hyphenated name counts when its first part is one ("Ellie-Mae")."""
        if low in firsts:
            return True
        parts = _parts(low)
        return "-" in low and len(parts) > 1 and parts[0] in firsts and parts[0] not in COMMON_WORDS

    def is_last(low: str) -> bool:
        return low in lasts or (("-" in low) and all(p in lasts or p in firsts for p in _parts(low)))

    def prev(i: int, allow: str = " \t") -> _Token | None:
        if i > 0 and _gap(text, toks[i - 1].end + (2 if toks[i - 1].possessive else 0), toks[i].start, allow):
            return toks[i - 1]
        return None

    def nxt(i: int, allow: str = " \t") -> _Token | None:
        if i + 1 < n and _gap(text, toks[i].end + (2 if toks[i].possessive else 0), toks[i + 1].start, allow):
            return toks[i + 1]
        return None

    def place_follows(i: int) -> bool:
        """ "Hope Street", "Grace House", "Victoria station": the word names a place."""
        after = nxt(i)
        if after is None or toks[i].possessive:
            return False
        return after.low in _PLACE_NOUNS or (after.low in PLACE_WORDS and _capitalised(after.word))

    def near_known(i: int) -> bool:
        """Is token i in a list with a name: "Sam and Priya", "Sam, Priya", "Liam, Jade and Tom"?

        Names are those on the record, "[name]" placeholders, and names found here
        so far; the same test is used for all three so a second run agrees with the first.
        """
        t = toks[i]
        t_end = t.end + (2 if t.possessive else 0)
        spans = known_spans + [(v.start, v.end) for j, v in enumerate(verdict) if j != i and v is not None and v.replace]
        for s, e in spans:
            if e <= t.start:
                if text.startswith("'s", e):
                    e += 2
                elif text.startswith("'", e):
                    e += 1
                if e <= t.start and _LIST_GAP_RE.fullmatch(text[e:t.start]):
                    return True
            elif s >= t_end and _LIST_GAP_RE.fullmatch(text[t_end:s]):
                return True
        return False

    def start_of_sentence(i: int) -> NameHit | None:
        """Rule 8: an everyday-word name that starts a sentence ("Mark is good", "Will you help")."""
        t = toks[i]
        after = nxt(i)
        if after is None or after.low in ORDINARY_FOLLOWERS or after.word[:1].isupper() or t.possessive:
            return None  # "Will you help", "May I", "Grace." on its own
        names = known_spans + [(v.start, v.end) for v in verdict if v is not None and v.replace]
        rest = _as_on_the_card(text, t.end, names, [f for f in findings if f not in names])
        clause_end = _CLAUSE_END_RE.search(rest)
        clause = rest[:clause_end.start()] if clause_end else rest
        words = [w.lower() for w in _MARKED_WORD_RE.findall(clause)][:7]
        passive = {"is", "was", "are", "were", "be", "been", "being", "gets", "got"}
        if any(w in NAME_VERBS and (k == 0 or words[k - 1] not in passive) for k, w in enumerate(words)):
            return NameHit(t.start, t.end, False, True, "everyday word that starts a sentence, with a name verb")
        return NameHit(t.start, t.end, False, False, "everyday word that starts a sentence and may be a name")

    def judge(i: int) -> NameHit | None:
        t = toks[i]
        low = t.low
        if len(low) < 2:
            return None
        before = prev(i)
        never = low in NOT_PEOPLE
        if low in _NAME_MONTHS and _capitalised(t.word) and _sentence_start(text, t.start):
            never = False  # "June at the day centre helps me": judged by rule 8
        if never and (before is None or before.low not in TITLES):
            return None  # "The", "Monday", "Tesco" -- unless "Mrs Bath"
        if low in TITLES:
            return None  # a title is never a name on its own; it joins the name after it
        cap = _capitalised(t.word)
        before_c = prev(i, " \t,")  # "my key worker, Jo"
        after = nxt(i)
        start = _sentence_start(text, t.start)
        span = (t.start, t.end)
        common = low in COMMON_WORDS or low in _NAME_MONTHS
        listed = is_first(low) or (common and low in nicknames)
        surname = is_last(low)
        if cap and low in PLACE_WORDS and not (before is not None and before.low in TITLES):
            return None
        # Rule 7: places
        if cap and place_follows(i):
            return None
        if before is not None and before.low in ("st", "saint"):
            return None
        # Rule 1: titles
        title = before
        if title is not None and title.low in TITLES and not title.possessive:
            weak = title.low in _WEAK_TITLES
            title_ok = _capitalised(title.word) or not weak
            if weak and title.low in RELATIONS and not _capitalised(title.word):
                title_ok = False  # "my sister Kelly" is a relation, handled below
            if low in _FUNCTION_WORDS:
                return None  # "Doctor Who"
            if title_ok and (cap or ((listed or surname) and not never and not common)) and low not in _DAYS:
                return NameHit(title.start, t.end, True, True, "title")
        # Rule 2: relations
        rel = before_c
        if rel is not None and rel.low in RELATIONS and not rel.possessive and not never:
            if cap:
                return NameHit(*span, (listed or surname) and not common, True, "relation")
            if listed and not common and low not in RELATIONS and low not in MEET_WORDS:
                return NameHit(*span, False, True, "relation, lower case")
        if not cap:
            if (before is not None and before.low in MEET_WORDS and before.low not in ("and", "or", "like", "love")
                    and listed and not common and not never and low not in RELATIONS):
                return NameHit(*span, False, True, "lower-case first name after a verb of meeting")
            return None
        if never:
            return None
        evidence_before = before is not None and before.low in MEET_WORDS and before.low not in ("and", "or")
        place_like = before is not None and before.low in _PLACE_BEFORE  # "went to Florence"
        evidence_after = after is not None and after.low in NAME_VERBS and not after.word[0].isupper()
        evidence = evidence_before or evidence_after or t.possessive or near_known(i)
        # Rule 6: after a found name, a capitalised surname or listed word joins it
        if i > 0 and verdict[i - 1] is not None and verdict[i - 1].replace and prev(i) is not None \
                and not toks[i - 1].possessive and (surname or listed or not common):
            return NameHit(*span, verdict[i - 1].certain and (surname or listed), True, "after a name")
        # Rule 3: a listed first name, not an everyday word
        if listed and not common:
            if place_like and not surname and not evidence:
                return NameHit(*span, False, True, "first name after a place word")
            return NameHit(*span, True, True, "first name")
        # Rule 4: everyday words that are names
        if listed and common:
            if evidence and not place_like:
                return NameHit(*span, False, True, "everyday word used as a name")
            if start:
                return start_of_sentence(i)
            return NameHit(*span, False, False, "everyday word that may be a name")
        # Rule 5: surnames
        if surname and not common:
            if start and not evidence:
                return None
            if evidence:
                return NameHit(*span, False, True, "surname with a name verb, a possessive or another name")
            return NameHit(*span, False, False, "surname on its own")
        if surname and common:
            if evidence and not start and not place_like:
                return NameHit(*span, False, False, "everyday word that may be a surname")
            return None
        # an unknown word with a possessive: "Pete's van" -- or "Nando's"
        if t.possessive and not listed and not surname:
            return NameHit(*span, False, False, "unknown word with a possessive")
        # an unknown capitalised word in a list with a name: "Dawn and Tariq"
        if not listed and not surname and not start and near_known(i):
            return NameHit(*span, False, True, "unknown word next to a name")
        # unknown capitalised word after a verb of meeting
        if evidence_before and not start and before.low != "like":
            return NameHit(*span, False, False, "unknown word after a verb of meeting")
        return None

    # Only capitalised words, and words after a title, relation or verb of meeting, can be names.
    todo = [
        i for i, t in enumerate(toks)
        if t.word[:1].isupper() or (i > 0 and toks[i - 1].low in _CONTEXT_BEFORE)
    ]
    for i in todo:
        verdict[i] = judge(i)
    # Judge again while new names turn up, so that "Hope and Tom" can use the verdict
    # on Tom for Hope: the result is then the same as anonymising "Hope and [name]".
    newly = any(v is not None and v.replace for v in verdict)
    for _ in range(5):
        if not newly:
            break
        newly = False
        for i in todo:
            if verdict[i] is None or not verdict[i].replace:
                v = judge(i)
                newly = newly or (v is not None and v.replace)
                verdict[i] = v
    hits = [v for v in verdict if v is not None]
    hits.sort(key=lambda h: (h.start, -h.end))
    out: list[NameHit] = []
    for h in hits:
        if out and h.start < out[-1].end:  # overlapping hits become one
            last = out[-1]
            out[-1] = NameHit(last.start, max(last.end, h.end), last.certain and h.certain,
                              last.replace or h.replace, last.reason)
            continue
        out.append(h)
    return out
