"""The words the offline namer (:class:`~goldenthread.engine.naming.KeyphraseNamer`) works with: text
helpers (the person's own voice, proper names), the life-domain lexicon and its names by kind, the keyphrase
templates, the filters that keep a keyphrase a topic, and the clauses of a card put into the first person.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from goldenthread.engine.grammar import ADVERBS, fix_agreement, starts_first_person
#: Anonymiser placeholders ("[name]", "[NHS number]", "[name?]" ...) never appear in a name.
from goldenthread.engine.placeholders import PLACEHOLDER  # noqa: F401  (the namer's, from here)

# ----------------------------------------------------------------------------
# text helpers
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does
doesn't doing don't down during each even ever every few for from further get gets got had
hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's
like likes liked me more most much mustn't my myself no nor not now of off on once only or
other ought our ours ourselves out over own quite really same shan't she she'd she'll she's
should shouldn't so some such than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've this those through to too under until up
us very was wasn't we we'd we'll we're we've were weren't what what's when when's where
where's which while who who's whom why why's will with won't would wouldn't you you'd you'll
you're you've your yours yourself yourselves lot lots always never often sometimes still
thing things something anything everything well good great want wants wanted would feel
feels felt go goes going went make makes made way able thank thanks please day days time
someone somebody anyone anybody everyone everybody people person nobody none find found get
getting take took need needs needed help helps helped know knew think thought say said tell
told keep kept put try tried use used lovely nice says old new big small little next last
back bit understand understood gave give given talk talked explain explained listen listened
ask asked come came see seen look looked seem seemed treat treated left leave call called show
showed shown happen happened receive received provide provided
""".split())

#: Words that would leave a name hanging on something it does not say
#: ("They get me", "I've given up everything for it").
DANGLING_PRONOUN = re.compile(r"\b(?:it|its|they|them|their|these|those|this|he|she|him|her)\b",
                       re.IGNORECASE)
#: After a capitalised word at the start of a statement, these show it is a
#: person's name ("Jo has learned...", "Dev's brother...").
_NAME_VERB = re.compile(r"^'s\b|^\s+(?:has|had|is|was|likes|loves|enjoys|goes|went|needs|wants|"
                        r"gets|got|does|did|can|can't|will|would|says|said|used|uses|lives|"
                        r"works|feels|finds|sees|visits|helps|takes|comes|came)\b")


CALENDAR_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday mondays tuesdays "
                      "wednesdays thursdays fridays saturdays sundays january february march april "
                      "may june july august september october november december christmas easter"
                      .split())


def proper_names(texts: Iterable[str]) -> set[str]:
    """Lower-cased words that are people's (or places') names in these statements.

    A word counts as a name when it is capitalised in the middle of a
    sentence, or starts a statement followed by something a person does
    ("Jo has...", "Dev's..."), at least twice as often as it is written in
    lower case. Days, months and festivals are not names here. Names never
    become part of a theme name.

    >>> sorted(proper_names(["I see Priya on Tuesdays", "Jo has learned to cook",
    ...                      "Cooking is fun", "I like cooking", "There is no bus", "Nobody has time"]))
    ['jo', 'priya']
    """
    lower: Counter = Counter()
    capital: Counter = Counter()
    for text in texts:
        text = str(text).replace("’", "'")
        for m in _WORD.finditer(text):
            w = m.group(0).strip("'-")
            base = w.split("'")[0]
            if not base:
                continue
            if base[0].islower():
                lower[base.lower()] += 1
                continue
            if base == "I" or (base.isupper() and len(base) > 1):
                continue
            before = text[:m.start()].rstrip()
            sentence_start = not before or before[-1] in ".!?:;\"(\n-"
            # "There is ...", "What is ...", "Nobody has ...": a word that starts sentences is not a name there.
            if not sentence_start or (_NAME_VERB.match(text[m.start() + len(base):])
                                      and base.lower() not in STOPWORDS):
                capital[base.lower()] += 1
    # A slip in case now and then ("marcus") does not hide a name written
    # "Marcus" everywhere else.
    found = {w for w, c in capital.items() if c >= 2 * lower[w]}
    return found - CALENDAR_WORDS


_PRONOUNS = [
    # Only he/she forms: "they/them/their" usually mean other people (staff, family).
    (r"\bhe is\b|\bshe is\b", "I am"), (r"\bhe was\b|\bshe was\b", "I was"),
    (r"\bhe has\b|\bshe has\b", "I have"), (r"\bhe's\b|\bshe's\b", "I'm"),
    (r"\bhe does\b|\bshe does\b", "I do"),
    (r"\bhe doesn't\b|\bshe doesn't\b", "I don't"),
    (r"\bhimself\b|\bherself\b", "myself"),
    (r"\bhis\b", "my"), (r"\bhe\b|\bshe\b", "I"), (r"\bhim\b", "me"),
]


def to_first_person(text: str) -> str:
    """Rewrite third-person pronouns as first person ("she likes her garden" -> "I like my garden")."""
    out = " " + text.strip() + " "
    for pat, rep in _PRONOUNS:
        out = re.sub(pat, rep, out, flags=re.IGNORECASE)
    # "her" is ambiguous (his/him); before a noun-ish word it is "my".
    out = re.sub(r"\bher\b(?=\s+[a-z])", "my", out, flags=re.IGNORECASE)
    out = re.sub(r"\bher\b", "me", out, flags=re.IGNORECASE)
    out = re.sub(r"\s+", " ", out).strip()
    out = re.sub(r"\bi\b", "I", out)
    # Verb agreement after a converted "I": "I likes" -> "I like", "I shouts" -> "I shout".
    return fix_agreement(out)


def words_of(text: str) -> list[str]:
    return [w.lower().replace("’", "'").strip("'-") for w in _WORD.findall(text)]


def capitalise(s: str) -> str:
    s = s.strip().rstrip(".!?,;:").strip()
    return s[:1].upper() + s[1:] if s else s


def is_first_person(s: str) -> bool:
    """Starts as a first-person sentence does: I, I'm, I've, We, My, Our ..."""
    return starts_first_person(s)


# ----------------------------------------------------------------------------
# life-domain lexicon: (area, trigger pattern, names by kind, neutral name)
_LEXICON: list[tuple[str, str, dict[str, str]]] = [
    ("loneliness", r"lonel\w*|isolat\w*|\balone\b|no ?one\b|nobody|no friends|only (?:see|have|talk to) "
     r"(?:the )?(?:staff|carers)|(?:don't|never|rarely) see anyone|on my own all day|no visitors|"
     r"nobody (?:visits|comes)|no company",
     {"working": "I have people around me", "not_working": "I am lonely",
      "future": "I want more company", None: "I am lonely"}),
    ("friends", r"friends?\b|friendship\w*|mates?\b|socialis\w*|social life",
     {"working": "I have good friends", "not_working": "I miss having friends",
      "future": "I want to make friends", None: "My friends matter to me"}),
    ("family", r"family|daughter|\bsons?\b|\bmum\b|mother|\bdad\b|father|sister|brother|grand\w*|"
     r"\bwife\b|husband|relatives|nephew|niece|aunt|uncle",
     {"working": "My family matters to me", "not_working": "I don't see my family enough",
      "future": "I want to see my family more", None: "My family matters to me"}),
    ("money", r"money|bills?\b|benefits?\b|afford|debts?\b|budget|financ\w*|pension|cash|wages?\b",
     {"working": "My money is sorted", "not_working": "I worry about money",
      "future": "I want to manage my own money", None: "My money matters to me"}),
    ("work", r"\bjobs?\b|employ\w*|volunteer\w*|career|paid work|\bwork(?:ing)? (?:at|in|for)\b",
     {"working": "I enjoy my work", "not_working": "I don't have the work I want",
      "future": "I want a job", None: "My work matters to me"}),
    ("home", r"\bhome\b|\bflat\b|\bhouse\b|housing|accommodation|bungalow|damp|heating|\bmove\b|"
     r"moving|tenancy|landlord|\bbedroom\b",
     {"working": "I like my home", "not_working": "My home is not right for me",
      "future": "I want a home that suits me", None: "My home matters to me"}),
    ("health", r"health|\bgp\b|doctor|hospital|nurse|illness|\bill\b|pain|medicat\w*|medicine|"
     r"tablets|diabet\w*|physio\w*|dentist|appointments?",
     {"working": "My health is looked after", "not_working": "I struggle with my health",
      "future": "I want to be healthier", None: "My health matters to me"}),
    ("getting out", r"get(?:ting)? out|go(?:ing)? out|out and about|out of the house|\bbus\b|"
     r"transport|taxi|\btrain\b|travel\w*|wheelchair|walk\w*|mobility|\bdrive\b|driving",
     {"working": "I can get out and about", "not_working": "I can't get out enough",
      "future": "I want to get out more", None: "I care about getting out and about"}),
    ("activities", r"hobb\w*|activit\w*|\bclubs?\b|swim\w*|football|music|\bart\b|crafts?|garden\w*|"
     r"church|choir|day centre|bored\w*|nothing to do|dancing|bowling|cinema|sport\w*",
     {"working": "I enjoy my activities", "not_working": "I have nothing to do",
      "future": "I want to do more things I enjoy", None: "I care about doing things I enjoy"}),
    ("carers", r"\bstaff\b|carers?\b|care workers?|support workers?|keyworker|\bpa\b|personal assistant",
     {"working": "My carers are good to me", "not_working": "My support is not right for me",
      "future": "I want support from people I know", None: "My carers matter to me"}),
    ("choice", r"choice|choos\w*|decid\w*|decision\w*|\bmy say\b|\ba say\b|control|independen\w*|"
     r"told what to do|my own mind|listened|my own life",
     {"working": "I make my own choices", "not_working": "I don't get a say",
      "future": "I want more control over my life", None: "My choices matter to me"}),
    ("food", r"\bfood\b|meals?\b|cook\w*|\beat\w*|diet|dinner|lunch|breakfast|drinks?\b",
     {"working": "I enjoy my food", "not_working": "My meals are not right for me",
      "future": "I want to cook for myself", None: "My food matters to me"}),
    ("safety", r"\bsafe\b|unsafe|safety|scared|afraid|frighten\w*|bull(?:y|ied|ying)|abuse\w*|crime",
     {"working": "I feel safe", "not_working": "I don't feel safe",
      "future": "I want to feel safe", None: "I care about feeling safe"}),
    ("sleep", r"sleep\w*|tired|exhaust\w*|\bnights?\b|insomnia",
     {"working": "I sleep well", "not_working": "I am not sleeping well",
      "future": "I want to sleep better", None: "My sleep matters to me"}),
    ("wellbeing", r"anxi\w*|worr\w*|depress\w*|\blow\b|mood|stress\w*|upset|\bsad\b|confiden\w*|"
     r"panic|mental health|happy|happier",
     {"working": "I feel good in myself", "not_working": "I feel anxious and low",
      "future": "I want to feel happier", None: "I care about how I feel"}),
    ("learning", r"learn\w*|college|course|read(?:ing)?\b|\bwrit(?:e|ing)\b|school|training|skills?|"
     r"computer|internet",
     {"working": "I am learning new things", "not_working": "I can't learn what I want",
      "future": "I want to learn new things", None: "I care about learning"}),
    ("information", r"informat\w*|explain\w*|letters?\b|kept informed|nobody tells|not told|"
     r"communicat\w*|contact",
     {"working": "I know what is going on", "not_working": "I am not told what is happening",
      "future": "I want to be kept informed", None: "I care about knowing what is going on"}),
    ("pets", r"\bdogs?\b|\bcats?\b|\bpets?\b|puppy|kitten",
     {"working": "I love my pet", "not_working": "I miss having a pet",
      "future": "I want a pet", None: "My pet matters to me"}),
    ("holidays", r"holiday\w*|seaside|\btrips?\b|\babroad\b",
     {"working": "I enjoy my holidays", "not_working": "I never get a holiday",
      "future": "I want to go on holiday", None: "I care about holidays"}),
    ("waiting", r"waiting|\bwait\w*|delay\w*|\blate\b|on time|weeks|months",
     {"working": "I get things on time", "not_working": "I wait too long",
      "future": "I want things done on time", None: "I care about waiting times"}),
]
LEXICON_PATTERNS = [(area, re.compile(rx, re.IGNORECASE), names) for area, rx, names in _LEXICON]

#: Keyphrase templates per kind: "{the}" becomes "my " for what is one's own
#: ("my mum"), nothing before an "-ing" phrase ("I enjoy swimming"), else "the ".
_TEMPLATES = {
    "working": ("I like {the}{p}", "I am happy with {the}{p}", "I enjoy {the}{p}"),
    "not_working": ("I worry about {the}{p}", "I am not happy with {the}{p}",
                    "I struggle with {the}{p}"),
    "future": ("I want help with {the}{p}", "I want more say in {the}{p}", "I would like better {p}"),
    None: ("I care about {the}{p}", "I think about {the}{p}"),
}
#: ... for people who are one's own ("my mum", "my friends") ...
_PEOPLE_TEMPLATES = {
    "working": ("I get on well with my {p}", "I like seeing my {p}"),
    "not_working": ("I don't see my {p} enough", "I worry about my {p}"),
    "future": ("I want to see my {p} more", "I want to spend more time with my {p}"),
    None: ("I care about my {p}", "I think about my {p}"),
}
#: ... for other things that are one's own ("my money", "my home") ...
_OWN_TEMPLATES = {
    "working": ("I like my {p}", "I am happy with my {p}"),
    "not_working": ("I worry about my {p}", "I am not happy with my {p}"),
    "future": ("I want help with my {p}", "I want more say over my {p}"),
    None: ("I care about my {p}", "I think about my {p}"),
}
#: ... and for doing something ("swimming", "going out").
_DOING_TEMPLATES = {
    "working": ("I enjoy {p}", "I like {p}"),
    "not_working": ("I find {p} hard", "I struggle with {p}"),
    "future": ("I want to do more {p}", "I would like help with {p}"),
    None: ("I care about {p}", "I think about {p}"),
}
_PEOPLE = frozenset("mum dad mother father sister brother son daughter family parents partner wife "
                    "husband friend friends nan gran granddad grandad children kids grandchildren "
                    "boyfriend girlfriend mates".split())


def fill_template(tpl: str, phrase: str) -> str:
    first = phrase.split()[0].lower() if phrase.split() else ""
    bare = (first.endswith("ing") and first not in _NOUNISH_ING) or first in {"my", "me", "myself", "i"}
    the = "" if bare else ("my " if first in OWN_PEOPLE else "the ")
    return capitalise(tpl.format(p=phrase, the=the, The=the.capitalize() if the else "")
                if not tpl.startswith("{The}") or the else
                capitalise(tpl.replace("{The}", "").format(p=phrase, the=the)))


def phrase_templates(phrase: str, kind: str | None) -> tuple[str, ...]:
    """The templates that fit this keyphrase: a person, one's own thing, doing, or a thing."""
    first = phrase.split()[0].lower()
    if first.endswith("ing") and first not in _NOUNISH_ING:
        return _DOING_TEMPLATES[kind]
    if phrase.lower() in _PEOPLE:
        return _PEOPLE_TEMPLATES[kind]
    if first in OWN_PEOPLE:
        return _OWN_TEMPLATES[kind]
    return _TEMPLATES[kind]


_NOUNISH_ING = frozenset("ceiling evening morning building clothing nothing something everything "
                         "thing things housing training meeting meetings funding parking wedding "
                         "feeling feelings ring king spring".split())
#: Words that cannot end a keyphrase: they describe or point, they are not a thing.
_NOT_NOUN = frozenset("""away enough perfect else ok okay fine sure extra ready alright instead together satisfactory
lengthy shut welcoming reassuring caring amazing interesting informative loving willing
outstanding excellent understanding healthy efficient sorry
ahead apart anyway around later early soon plenty outside inside upstairs downstairs online overall
since anymore hard long broken social whole right wrong done gone live meet speak manage join including
reduced fewer longer same different proper usual normal full another easy low fell become became
excellent brilliant fantastic amazing friendly helpful kind polite rude late quick slow busy clean
dirty happy sad calm great poor bad worse best better fab ace top""".split())


_ED_NOUNS = frozenset("need speed seed feed bed shed breed greed".split())
_PAST_FORMS = frozenset("became came went gave took made got felt kept left lost said sent spent told "
                        "thought brought bought caught taught".split())
_PARTICIPLES = frozenset("taken given seen known shown done gone been".split())
_ADVERB_LY = re.compile(r"(?:ally|ely|tly|ously|fully|ily|bly|rly|dly|sly|nly)$")
_NOT_LY_ADVERB = frozenset("family supply assembly reply jelly belly bully rally only".split())


#: Verb forms that turn up in notes between stop words ("the app keeps crashing").
_VERB_FORMS = frozenset("""keeps stops knows spends comes goes gets takes makes helps says means costs
runs lets seems looks works feels lives meets speaks manages joins wants needs likes loves gives holds
brings change""".split())


def good_keyphrase(g: str) -> bool:
    ws = g.split()
    last = ws[-1]
    if last in _NOT_NOUN or ws[0] in _NOT_NOUN or "'" in g or any(
            w in _VERB_FORMS or w in _PAST_FORMS or w in _PARTICIPLES for w in ws):
        return False
    if any((_ADVERB_LY.search(w) and w not in _NOT_LY_ADVERB) or w in _PAST_FORMS or w in _PARTICIPLES
           or (w.endswith("ed") and len(w) > 4 and w not in _ED_NOUNS) for w in ws[:-1]):
        return False  # "absolutely marvellous", "became diabetic", "ensured understanding"
    if last.endswith("ed") and len(last) > 4 and last not in _ED_NOUNS:
        return False
    return True


# Every trigger starts at a word start: anchoring the alternation there makes one
# pass over a statement cheap (positions inside words fail at once).
_AREA_RX = re.compile(r"\b(?:" + "|".join(f"(?P<a{i}>{rx})" for i, (_, rx, _) in
                                          enumerate(_LEXICON)) + ")")
_AREA_NAMES = [area for area, _, _ in _LEXICON]


def areas_of(text: str) -> set[str]:
    """Life areas a statement mentions (one pass of a combined pattern)."""
    return {_AREA_NAMES[int(m.lastgroup[1:])] for m in _AREA_RX.finditer(text.lower())}


_NOUNISH = frozenset("family daughter mother father sister brother carer worker helper dinner "
                     "centre number letter water weather computer river supper paper "
                     "shower summer winter".split())


#: Numbers and calendar words say when or how many, not what a theme is about.
_NOT_A_TOPIC = frozenset("one two three four five six seven eight nine ten eleven twelve first second "
                         "third once twice week weeks weekly month months year years today tomorrow "
                         "yesterday morning mornings evening evenings night nights weekend weekends"
                         .split()) | CALENDAR_WORDS
#: Words never used as (part of) a keyphrase.
_NOT_KEYWORDS = STOPWORDS | _NOT_A_TOPIC
#: Names masked by whoever shared the text ("XXXX", "xxx").
MASKED = re.compile(r"^x{2,}$")
#: Things that are someone's own: a template says "my mum", not "the mum".
OWN_PEOPLE = frozenset("mum dad mother father sister brother son daughter family parents partner wife "
                 "husband friend friends carer carers support worker workers keyworker home flat "
                 "house room bedroom money benefits health medication tablets phone bus pass "
                 "job garden dog cat children kids grandchildren nan gran granddad life".split())


def ngrams_of(words: list[str], nmax: int = 2) -> set[str]:
    grams = set()
    for n in range(1, nmax + 1):
        for i in range(len(words) - n + 1):
            g = words[i:i + n]
            if any(w in _NOT_KEYWORDS or MASKED.match(w) for w in g) or len(g[-1]) < 3:
                continue
            if re.search(r"(?:ly|ful|ous|ive|able|ible|less|est|er)$", g[-1]) and g[-1] not in _NOUNISH:
                continue  # phrases should end in a thing, not a describing word
            if any(len(w) < 2 for w in g):
                continue
            grams.add(" ".join(g))
    return grams


_CLAUSE_SPLIT = re.compile(r"[.;:!?,()\"]|\s+-\s+|\s+(?:and|but|because|cos|so|as|although|though|"
                           r"when|while|which|since|until|unless|if|or)\s+", re.IGNORECASE)
#: Verbs a card may start with, subject left out ("Live in my own flat", "Goes to the pub").
_BARE_VERBS = frozenset("""go live get have see do make learn work find move meet visit keep stay try
start join travel cook play walk swim help spend take buy earn save be feel become look read write
use eat sleep drive manage choose decide know speak talk call stop give build grow paint dance sing
ride improve continue return leave finish pass change enjoy like love want need carry lose tidy
clean shop wash dress plan book sort look""".split())
_WISH_STARTS = re.compile(r"^(?:wants?|would like|would love|hopes?|wish(?:es)?|likes?|loves?|"
                          r"enjoys?|needs?|goes|gets|has|misses|worries|finds|feels|"
                          r"can't|doesn't|didn't|prefers?|plans?)\b", re.IGNORECASE)
DIGIT = re.compile(r"\d")
#: "I know me well": someone else's sentence turned round, not the person's own.
SELF_OBJECT = re.compile(r"^I \w+ me\b")
#: Words after which a card's first "-ed" word is a verb ("Waited so long").
_AFTER_PAST = frozenset("a an the my to so too very for at in on with all really again last "
                        "into from".split())
#: After these, a card's verb was done *to* the person ("Kept us informed"): not theirs to say.
_OBJECTS = frozenset("me us him her them it you".split())
#: A clause ending in one of these has lost its end ("My money hasn't").
_LOOSE_END = frozenset("""hasn't haven't isn't aren't wasn't weren't don't doesn't didn't can't won't
is are was were be been to the a an and or but my would could should will can go do have get of in on
at for with about from by think know say mean guess suppose""".split())
#: What a future card may start with when it names what is wanted ("More time").
_WANTED_THINGS = frozenset("more less fewer better a an someone somebody extra regular".split())


_LEAD_NAME = re.compile(r"\s*([A-Z][a-z]+)('s)?\b")
_SPEAKER = re.compile(r"\b(?:I|me|my|myself|I'm)\b")
_LEAD_PRONOUN = re.compile(r"\s*(?:he|she)\b", re.IGNORECASE)
_ME = re.compile(r"\bme\b", re.IGNORECASE)
_SERVICE_IS = re.compile(r"(?:the |our |all )?(?:staff|nurses?|doctors?|carers?|team|service|care|"
                         r"support|food|room|ward|information)\s+(?:is|are|was|were)\s+\w",
                         re.IGNORECASE)
_NP_IS = re.compile(r"(.*?)\s+(is|are|was|were)\s+(.*)", re.IGNORECASE)
_INNER_WORD = re.compile(r"(?<=\s)[A-Za-z]+\b")
_LOWER_I = re.compile(r"\bi(?=\b|')")


def clauses_of(text: str, people: set[str], kind: str | None, max_words: int = 9) -> list[str]:
    """First-person clauses of one card, rewritten into the person's voice.

    "Jo loves going out for a meal" -> "I love going out for a meal";
    "Live in my own flat" (future) -> "I want to live in my own flat";
    "She shouts at night" -> "I shout at night".
    """
    t = str(text).replace("’", "'").strip()
    m = _LEAD_NAME.match(t)
    if m and m.group(1).lower() in people:
        rest = t[m.end():]
        if m.group(2):
            t = "My" + rest
        elif not _SPEAKER.search(rest):
            t = "I" + rest  # the person the card is about speaks for themself
    if _LEAD_PRONOUN.match(t) and not _ME.search(t):
        t = to_first_person(t)  # a card about the person; mid-card "she" is often someone else
    out = []
    for part in _CLAUSE_SPLIT.split(t):
        ws = part.split()
        if not ws or len(ws) > max_words:
            continue
        part = " ".join(ws).strip(" -'*")
        ws = part.split()
        if not ws:
            continue
        w0 = ws[0].lower()
        w1 = ws[1].lower() if len(ws) > 1 else ""
        if starts_first_person(part):
            pass
        elif kind == "future" and (w0 in _WANTED_THINGS or (w0 in {"help", "support"} and
                                                            w1 in {"with", "to", "for"})):
            part = "I want " + part[0].lower() + part[1:]  # "More time" -> "I want more time"
        elif len(ws) < 2 or w1 in _OBJECTS:
            pass  # "Clean" alone is not "I clean"; "Kept us informed" was someone else
        elif w0 in ADVERBS and (w1 in _PAST_FORMS or w1 in {"had", "get", "have"}
                                or w1.endswith("ed")):
            part = "I " + part[0].lower() + part[1:]  # "Always had good care"
        elif (w0 in _PAST_FORMS or w0 in {"had", "got"} or
              (w0.endswith("ed") and len(w0) > 4 and w1 in _AFTER_PAST)):
            part = "I " + part[0].lower() + part[1:]  # "Waited so long" -> "I waited so long"
        elif kind in (None, "working") and _SERVICE_IS.match(part):
            m2 = _NP_IS.match(part)
            np_, verb, rest = m2.group(1).lower(), m2.group(2).lower(), m2.group(3)
            if not np_.startswith(("the ", "our ", "all ")):
                np_ = "the " + np_
            part = f"I {'found' if verb in {'was', 'were'} else 'find'} {np_} {rest}"
        elif w0 == "to" and len(ws) > 1 and kind in (None, "future"):
            part = "I want " + part[0].lower() + part[1:]
        elif _WISH_STARTS.match(part) and not starts_first_person(part):
            part = fix_agreement("I " + part[0].lower() + part[1:])
        elif w0 in _BARE_VERBS and not starts_first_person(part):
            lead = "I want to " if kind == "future" else "I "
            part = lead + part[0].lower() + part[1:]
        ws = part.split()
        if (not 2 <= len(ws) <= max_words or ws[-1].lower() in _LOOSE_END
                or not starts_first_person(part)):
            continue
        part = fix_agreement(part)
        # "very Good care", "lIke": stray capitals (names never get this far)
        part = _INNER_WORD.sub(lambda m: m.group(0) if m.group(0).isupper() or
                               m.group(0).lower().split("'")[0] in people else m.group(0).lower(),
                               part)
        out.append(capitalise(_LOWER_I.sub("I", part)))
    return out


def _stem(w: str) -> str:
    return w[:4] if len(w) >= 4 else w


#: Words the templates and the lexicon bring in themselves: sharing one of
#: these does not show that a name uses the cards' wording.
_TEMPLATE_WORDS = frozenset("""care matter matters like enjoy want more say help better think worry happy
struggle seeing see enough spend time with about over things thing feel good""".split())


def content_stems(text: str, generic: frozenset = _TEMPLATE_WORDS) -> set[str]:
    return {_stem(w) for w in words_of(text) if w not in STOPWORDS and w not in generic
            and len(w) > 2}


#: Words the lexicon's names use for every area ("... matters to me").
LEXICON_GENERIC = frozenset("care matter matters like enjoy want more things thing good have".split())


FALLBACK_NAMES = {
    "working": ("I like how things are", "I am happy with how things are",
                "I like how things are going", "I have good things to say"),
    "not_working": ("I am not happy with how things are", "I find some things hard",
                    "I am not happy with some things", "I have problems to raise"),
    "future": ("I want things to change", "I want things to get better",
               "I would like some changes", "I hope things get better"),
    None: ("I have something to say", "I have more to say", "I have other things to say",
           "I have a point to make"),
}
