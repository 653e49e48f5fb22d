"""Suggest theme names: short "I statements" in the person's own voice.

In "Working together for change" each theme is named as a short sentence a
person could have said: "I worry about money", "I want to live on my own",
"I like my staff". Two namers share one method, ``name(groups, kind=None,
centrality=None)``: for each group of statements (all of one kind) it returns
1-3 :class:`ThemeName` suggestions, best first, each recording how it was made.

Every suggestion of ``KeyphraseNamer`` (default, offline, no language model)
is a first-person sentence with a verb ("I ...", "I'm ...", "We ...",
"My ... is ..."), grammatical (see :mod:`goldenthread.engine.grammar`), at
most 10 words, written for the kind (working "I like ...", not working "I
worry about ...", "I don't ...", future "I want to ..."), and the first names
of one call are all different. It draws on, in this order of preference:

1. **Life-domain lexicon, when the cards use its words.** Person-centred
   reviews keep returning to the same areas of life (company and loneliness,
   family, money, home, health, getting out, work, choice and control ...).
   When most statements in a group touch one area *more than the rest of the
   input does*, the area's plain name for the kind is offered - e.g. cards
   about seeing nobody all day and feeling lonely -> "I am lonely".
2. **The central cards' own words.** The most central cards, clause by clause,
   put into the person's voice: "Jo loves going out" -> "I love going out",
   "She shouts at night" -> "I shout at night", a future card "Live in my own
   flat" -> "I want to live in my own flat".
3. **Keyphrase + template.** The most distinctive one- or two-word phrase of
   the group (class-based TF-IDF against the other groups) in a template for
   the kind and for what the phrase names: "I want to see my mum more",
   "I worry about my money", "I find cooking hard", "I like the garden".
   Further keyphrases give the names that keep each theme's name unique.

Given the embedder (``name(..., embedder=, centroids=)``, as
:class:`~goldenthread.engine.themes.ThemeEngine` does), the namer chooses
contrastively: a wider pool of these candidates is embedded and each theme
takes its first candidate that is nearer its own theme's centroid than any
other theme's of the kind, so that the name picks out its own theme.

``LLMNamer`` asks any OpenAI-compatible chat endpoint (stdlib ``urllib`` only)
and falls back to the keyphrase namer, saying why, when the call fails or the
answer is unusable.
"""
from __future__ import annotations

import json
import math
import os
import re
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from goldenthread.engine.grammar import fits_kind, has_verb, starts_first_person
from goldenthread.engine.naming_words import (  # noqa: F401  (proper_names, to_first_person: public here too)
    CALENDAR_WORDS, DANGLING_PRONOUN, DIGIT, FALLBACK_NAMES, LEXICON_GENERIC, LEXICON_PATTERNS, MASKED, OWN_PEOPLE,
    PLACEHOLDER, SELF_OBJECT, STOPWORDS, areas_of, capitalise, clauses_of, content_stems, fill_template,
    good_keyphrase, is_first_person, ngrams_of, phrase_templates, proper_names, to_first_person, words_of,
)
from goldenthread.engine.placeholders import only_function_words

#: Longest name, in words.
MAX_WORDS = 10
#: Candidates per theme a contrastive choice embeds (the first, in order of preference).
WIDE_POOL = 10
#: Note on a last-resort name (two keyphrases joined), kept only to stay unique.
RESERVE = " (reserve)"

_DETERMINERS = frozenset("the a an my our your his her their this that these those some any no more less "
                         "enough".split())
_SEGMENT = re.compile(r"[.,;:!?()\"]+|\s-\s")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _things(texts: Iterable[str]) -> set[str]:
    """The one- and two-word phrases the cards write as a whole thing.

    A phrase counts when some card has it right after a determiner ("the",
    "my", "a" ...) and nothing but a function word or the end of a clause after
    it: "the rota is", "my bus pass." - but not "paid" (never after "the") nor
    "personal" (of "my personal care", where the thing is "personal care").
    """
    out: set[str] = set()
    for t in texts:
        for seg in _SEGMENT.split(str(t).lower().replace("’", "'")):
            ws = seg.split()
            for i, w in enumerate(ws[:-1]):
                if w not in _DETERMINERS:
                    continue
                for n in (1, 2):
                    if i + n < len(ws) and (i + n + 1 >= len(ws) or ws[i + n + 1] in STOPWORDS):
                        out.add(" ".join(ws[i + 1:i + n + 1]))
    return out


def _plain(text: str) -> str:
    """Lower case, words only: for telling whether a name is a card's whole sentence."""
    return _NOT_WORD.sub(" ", str(text).lower().replace("’", "'").replace("'", "")).strip()

KINDS = ("working", "not_working", "future")

_KIND_ALIASES = {
    "working": "working", "what is working": "working", "what's working": "working",
    "works": "working", "positive": "working",
    "not_working": "not_working", "not working": "not_working", "not-working": "not_working",
    "what is not working": "not_working", "what's not working": "not_working",
    "negative": "not_working",
    "future": "future", "important for the future": "future", "what is important for the future":
        "future", "hopes": "future", "goals": "future",
}


def normalise_kind(kind: str | None) -> str | None:
    """Map common spellings of a statement kind to ``working``/``not_working``/``future``."""
    if kind is None:
        return None
    k = str(kind).strip().lower().replace("’", "'")
    return _KIND_ALIASES.get(k, _KIND_ALIASES.get(k.replace("_", " ")))


@dataclass(frozen=True)
class ThemeName:
    """One suggested theme name and how it was made.

    Attributes
    ----------
    text : str
        The name, e.g. ``"I am lonely"``.
    method : str
        ``"lexicon"``, ``"statement"``, ``"keyphrase"`` or ``"llm"``.
    model : str or None
        The language model used, for ``method == "llm"``.
    note : str
        Extra provenance (the matched life area, the keyphrase, a fallback reason).
    """

    text: str
    method: str
    model: str | None = None
    note: str = ""

    @property
    def made_by(self) -> str:
        return f"{self.method}:{self.model}" if self.model else self.method


class NamingError(RuntimeError):
    """The language-model namer could not produce usable names."""


class KeyphraseNamer:
    """Offline namer: the cards' own words, a life-domain lexicon, keyphrase templates.

    Every name is a short first-person sentence with a verb ("I worry about
    money", not "My money"), grammatical ("I shout", not "I shouts"),
    written for the kind (working: "I like ..."; not working: "I worry
    about ...", "I don't ..."; future: "I want ...", "I would like ..."),
    at most 10 words, and - within one call, which the engine makes once per
    kind - different from every other theme's first name.

    Parameters
    ----------
    max_names : int, default=3
        Suggestions per theme (1-3).
    min_area_share : float, default=0.4
        A life area is offered when at least this share of the theme's
        statements mention it (and more than the rest of the input does).

    Examples
    --------
    >>> namer = KeyphraseNamer()
    >>> names = namer.name([["I only see staff, nobody else visits",
    ...                      "I see nobody all day, I'm so lonely",
    ...                      "Nobody comes round except my carers"]], kind="not_working")
    >>> names[0][0].text, names[0][0].method
    ('I am lonely', 'lexicon')
    """

    method = "keyphrase"

    def __init__(self, max_names: int = 3, min_area_share: float = 0.4) -> None:
        self.max_names = max_names
        self.min_area_share = min_area_share

    def name(self, groups: Sequence[Sequence[str]], kind: str | None = None,
             centrality: Sequence[Sequence[float]] | None = None, *,
             embedder=None, centroids=None) -> list[list[ThemeName]]:
        """Suggest names for each group of statements (all of one kind).

        Parameters
        ----------
        groups : sequence of sequences of str
            The statements of each theme.
        kind : str or None
            ``working``, ``not_working``, ``future`` (other spellings accepted) or None.
        centrality : sequence of sequences of float, optional
            Per statement, how central it is in its theme (e.g. similarity to
            the theme mean). The wording of the most central cards is preferred.
        embedder : embedder, optional
            With an embedder (anything with ``encode(list of str) -> array``)
            the names are chosen contrastively: each group's candidates are
            embedded in one batch and the one nearest its own group's centroid
            *and* farthest from every other group's wins (see
            :meth:`_choose_contrastive`), so that the name picks out its own
            theme. Without one, the candidates' order of preference decides.
        centroids : array (n_groups, dim), optional
            Each group's centroid in the embedder's space (e.g. the mean of
            all its cards' vectors, when ``groups`` holds only a sample).
            Computed from ``groups`` when not given.

        Returns
        -------
        list of lists of ThemeName
            Per group, 1 to ``max_names`` names, best first. The first names
            of the groups are all different (bigger groups choose first).
        """
        kind = normalise_kind(kind)
        groups = [[str(t) for t in g] for g in groups]
        names = proper_names(t for g in groups for t in g)
        # Placeholders and people's names never become part of a keyphrase.
        gwords = [[[w for w in words_of(PLACEHOLDER.sub(" ", t)) if w.split("'")[0] not in names]
                   for t in g] for g in groups]
        # document frequency of phrases and areas across all statements
        grams = [[ngrams_of(w) for w in ws] for ws in gwords]
        areas = [[areas_of(t) for t in g] for g in groups]
        n_all = sum(len(g) for g in groups) or 1
        df_all: Counter = Counter()
        area_all: Counter = Counter()
        for gg, aa in zip(grams, areas):
            for s in gg:
                df_all.update(s)
            for a in aa:
                area_all.update(a)
        wide = embedder is not None
        # What the cards write as a thing ("the rota", "my bus pass"): what a template may name.
        nouns = _things(t for g in groups for t in g) if wide else None
        cands = [self._candidates(list(group), grams[gi], areas[gi], df_all, area_all, n_all,
                                  kind, None if centrality is None else centrality[gi], names, nouns)
                 for gi, group in enumerate(groups)]
        if wide:
            fits = []
            for gi, (group, cs) in enumerate(zip(groups, cands)):
                c = centrality[gi] if centrality is not None else [-len(t) for t in group]
                top3 = sorted(range(len(group)), key=lambda i: (-c[i], group[i]))[:3]
                stems = set().union(*(content_stems(group[i]) for i in top3)) if top3 else set()
                fits.append([bool(content_stems(x.text) & stems) for x in cs])
            return self._choose_contrastive(cands, groups, embedder, centroids, fits)
        return self._choose(cands, [len(g) for g in groups])

    def _choose_contrastive(self, cands: list[list[ThemeName]], groups: list[list[str]], embedder,
                            centroids=None, fits=None) -> list[list[ThemeName]]:
        """Each group's name: the candidate that best tells its group from the others.

        A candidate's margin is its cosine to its own group's centroid minus its
        highest cosine to another group's centroid (with one group, just the
        first). The name is the first candidate, in the namer's order of
        preference, with a positive margin (it is nearer its own theme than any
        other) that shares a content word with the group's three most central
        cards; else the first with a positive margin; else the widest margin.
        Groups choose in order of size, each taking its best name not taken.
        """
        import numpy as np

        def unit(m):
            m = np.asarray(m, dtype=np.float64)
            return m / np.maximum(np.linalg.norm(m, axis=-1, keepdims=True), 1e-12)

        if centroids is None:
            flat = [t for g in groups for t in g]
            vecs = unit(embedder.encode(flat)) if flat else np.zeros((0, 1))
            cuts = np.cumsum([0] + [len(g) for g in groups])
            centroids = [vecs[a:b].mean(axis=0) for a, b in zip(cuts[:-1], cuts[1:])]
        C = unit(np.asarray(centroids))
        texts = sorted({c.text for cs in cands for c in cs if not c.note.endswith(RESERVE)})
        at = {t: i for i, t in enumerate(texts)}
        S = unit(embedder.encode(texts)) @ C.T if texts else np.zeros((0, len(C)))
        scored: list[list[tuple[bool, bool, float, int, ThemeName]]] = []
        for gi, cs in enumerate(cands):
            row = []
            for rank, c in enumerate(cs):
                if c.text not in at:  # a reserve name: after every embedded one
                    row.append((False, False, -np.inf, rank, c))
                    continue
                sims = S[at[c.text]]
                other = np.delete(sims, gi).max() if len(C) > 1 else 0.0
                margin = round(float(sims[gi] - other), 6)
                # names nearer their own theme than any other first, then names in the
                # central cards' words; among those, the namer's order of preference
                # (the widest margin where no name picks out the theme)
                row.append((margin > 0, bool(fits and fits[gi][rank]), 0.0 if margin > 0 else margin,
                            rank, c))
            row.sort(key=lambda x: (not x[0], not x[1], -x[2], x[3]))
            scored.append(row)
        top: list[ThemeName | None] = [None] * len(cands)
        used: set[str] = set()
        for i in sorted(range(len(cands)), key=lambda i: (-len(groups[i]), i)):
            pick = next((c for *_, c in scored[i] if c.text.lower() not in used), scored[i][0][-1])
            top[i] = pick
            used.add(pick.text.lower())
        return [[top[i]] + [c for *_, c in scored[i] if c is not top[i] and c.text.lower() not in used]
                [: self.max_names - 1] for i in range(len(cands))]

    def _choose(self, cands: list[list[ThemeName]], sizes: list[int]) -> list[list[ThemeName]]:
        """First names unique within the call; bigger themes choose first."""
        top: list[ThemeName | None] = [None] * len(cands)
        used: set[str] = set()
        for i in sorted(range(len(cands)), key=lambda i: (-sizes[i], i)):
            pick = next((c for c in cands[i] if c.text.lower() not in used), cands[i][0])
            top[i] = pick
            used.add(pick.text.lower())
        out = []
        for i, cs in enumerate(cands):
            rest = [c for c in cs if c is not top[i] and c.text.lower() not in used]
            out.append([top[i]] + rest[: self.max_names - 1])
        return out

    def _candidates(self, texts, grams, areas, df_all, area_all, n_all, kind, cent,
                    people=frozenset(), nouns: set[str] | None = None) -> list[ThemeName]:
        """The candidate names of one group, in the order of preference.

        ``nouns`` (the words the input's cards write after a determiner) asks
        for the wider pool that a contrastive choice picks from: the words of
        more central cards, but never one card's whole sentence nor a clause
        whose content words no other card of the group uses; keyphrase
        templates only around words the cards use as things ("the rota", not
        "the paid"); no two-keyphrase names but as a last resort.
        """
        n = len(texts)
        wide = nouns is not None
        whole = {_plain(t) for t in texts} if wide else set()
        card_stems = [content_stems(t) for t in texts] if wide else []
        seen: set[str] = set()

        def make(text: str, method: str, note: str = "", statement: bool = False):
            text = capitalise(re.sub(r"\s+", " ", text))  # clauses were put right in clauses_of
            low = text.lower()
            if not text or low in seen or len(text.split()) > MAX_WORDS:
                return None
            ws = words_of(text)
            if (not starts_first_person(text) or not has_verb(text) or not fits_kind(text, kind)
                    or PLACEHOLDER.search(text) or DIGIT.search(text) or only_function_words(text)
                    or any(w.split("'")[0] in people or w in CALENDAR_WORDS
                           or any(MASKED.match(x) for x in w.split("-")) for w in ws)
                    or (statement and (DANGLING_PRONOUN.search(text) or SELF_OBJECT.search(text)))):
                return None
            seen.add(low)
            return ThemeName(text=text, method=method, note=note)

        # the most central cards (or the shortest, without centrality)
        idx = list(range(n))
        if cent is not None:
            idx.sort(key=lambda i: (-cent[i], texts[i]))
        else:
            idx.sort(key=lambda i: (len(texts[i]), texts[i]))
        central = [texts[i] for i in idx[:5]]
        central_stems = set().union(*(content_stems(t, LEXICON_GENERIC) for t in central)) \
            if central else set()

        # 1. the cards' own words, in the person's voice
        said: list[ThemeName] = []
        for ci, t in enumerate(central[:5] if wide else central[:3]):
            for clause in clauses_of(t, people, kind):
                if wide and n > 1 and (_plain(clause) in whole or not any(
                        content_stems(clause) & card_stems[j] for j in range(n) if j != idx[ci])):
                    continue  # one card's words: its whole sentence, or words no other card uses
                got = make(clause, "statement", "from a central statement", statement=True)
                if got:
                    said.append(got)
                    break
            if len(said) >= (4 if wide else 2):
                break

        # 2. life-domain lexicon
        area_in: Counter = Counter()
        for a in areas:
            area_in.update(a)
        scored = []
        for area, cnt in area_in.items():
            share = cnt / n
            rest = (area_all[area] - cnt) / max(n_all - n, 1)
            if share >= self.min_area_share and (share > rest or n_all == n):
                scored.append((share - rest, share, area))
        scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
        lex = {a: names_ for a, _, names_ in LEXICON_PATTERNS}
        lexical: list[ThemeName] = []
        for _, share, area in scored[:2]:
            got = make(lex[area].get(kind, lex[area][None]), "lexicon",
                       f"life area: {area} ({share:.0%})")
            if got:
                lexical.append(got)

        # 3. distinctive keyphrases in first-person templates for the kind
        df_in: Counter = Counter()
        for s in grams:
            df_in.update(s)
        best = []
        for g, c in df_in.items():
            idf = math.log(1 + n_all / df_all[g])
            best.append((c >= 2 or n == 1, c / n * idf * (1 + 0.15 * (g.count(" "))), g))
        best.sort(key=lambda t: (not t[0], -t[1], t[2]))
        phrases: list[str] = []
        for _, _, g in best:
            if any(g in p or p in g for p in phrases) or not good_keyphrase(g):
                continue  # "bus" and "bus pass" say the same
            bare = fill_template("{the}{p}", g) == g  # something one does: "I enjoy swimming"
            if wide and (g not in nouns if not bare else (g in nouns and " " in g)):
                # "the paid", "the personal" (of "my personal care"): not a thing the cards
                # name; "the washing machine" is a thing, not "I enjoy washing machine"
                continue
            phrases.append(g)
            if len(phrases) >= 6:
                break
        keyed: list[ThemeName] = []
        # every template for the best phrases, the first one for the others; a
        # contrastive choice wants each phrase once before more wordings of one
        if wide:  # the phrases the central cards use first
            top3 = set().union(*(content_stems(t) for t in central[:3])) if central else set()
            phrases.sort(key=lambda g: not (content_stems(g) & top3))
        if wide:
            plan = [(g, tpl) for g in phrases for tpl in phrase_templates(g, kind)[:1]] + \
                [(g, tpl) for g in phrases[:1] for tpl in phrase_templates(g, kind)[1:2]]
        else:
            plan = [(g, tpl) for k, g in enumerate(phrases)
                    for tpl in phrase_templates(g, kind)[: 3 if k < 2 else 1]]
        for g, tpl in plan:  # keyphrases hold no pronouns (they are stop words)
            got = make(fill_template(tpl, g), "keyphrase", f"keyphrase: {g}")
            if got:
                keyed.append(got)
        # reserve: two keyphrases in one name, for themes whose names are taken
        reserve: list[ThemeName] = []
        for a_, b_ in list(zip(phrases, phrases[1:]))[:3]:
            tpl = phrase_templates(a_, kind)[0]
            the_b = "" if b_.split()[0].endswith("ing") else ("my " if b_.split()[0] in OWN_PEOPLE
                                                              else "the ")
            got = make(fill_template(tpl, a_) + f" and {the_b}{b_}", "keyphrase",
                       f"keyphrases: {a_}, {b_}")
            if got:
                reserve.append(got)

        # The lexicon's plain name leads when the central cards use its words
        # ("lonely", "worry"); otherwise the cards' own words lead.
        lex_fits = [x for x in lexical if content_stems(x.text, LEXICON_GENERIC) & central_stems]
        lex_other = [x for x in lexical if x not in lex_fits]
        order = lex_fits + said + lex_other + keyed
        if wide:
            # a contrastive choice embeds every candidate: a few of each sort
            order = (lex_fits[:2] + said + lex_other[:1] + keyed)[:WIDE_POOL]
        order += [ThemeName(text=x.text, method=x.method, note=x.note + RESERVE) for x in reserve]
        if not order:  # nothing usable: plain names for the kind, several so they stay unique
            order = [ThemeName(text=t, method="template") for t in FALLBACK_NAMES[kind]]
        return order


class LLMNamer:
    """Ask an OpenAI-compatible chat endpoint for names, falling back when it fails.

    Parameters
    ----------
    base_url, model, api_key : str, optional
        Default to ``$GOLDENTHREAD_LLM_BASE_URL``, ``$GOLDENTHREAD_LLM_MODEL``,
        ``$GOLDENTHREAD_LLM_API_KEY``. The request is ``POST {base_url}/chat/completions``.
    timeout : float, default=30
    fallback : namer or None, default=KeyphraseNamer()
        Used per theme when the endpoint fails or answers badly; the fallback
        names carry a note saying why. ``None`` raises :class:`NamingError` instead.
    max_statements : int, default=25
        Statements shown to the model per theme (the most central first).
    """

    method = "llm"

    def __init__(self, base_url: str | None = None, model: str | None = None,
                 api_key: str | None = None, timeout: float = 30.0,
                 fallback: "KeyphraseNamer | None | object" = "default",
                 max_statements: int = 25, max_names: int = 3) -> None:
        self.base_url = (base_url or os.environ.get("GOLDENTHREAD_LLM_BASE_URL") or "").rstrip("/")
        self.model = model or os.environ.get("GOLDENTHREAD_LLM_MODEL") or ""
        self.api_key = api_key or os.environ.get("GOLDENTHREAD_LLM_API_KEY") or ""
        self.timeout = timeout
        self.fallback = KeyphraseNamer(max_names=max_names) if fallback == "default" else fallback
        self.max_statements = max_statements
        self.max_names = max_names

    _SYSTEM = ("You name themes for a person-centred social care workshop. Each name is 2 to 7 "
               "plain-English words, in the first person (starting 'I' or 'My'), faithful to the "
               "statements, with no jargon. Answer with JSON only: {\"names\": [\"...\", ...]} "
               "holding 1 to 3 names, best first.")

    def _ask(self, texts: Sequence[str], kind: str | None) -> list[str]:
        if not self.base_url or not self.model:
            raise NamingError("no language model configured: set GOLDENTHREAD_LLM_BASE_URL and "
                              "GOLDENTHREAD_LLM_MODEL (or pass base_url and model)")
        kind_txt = {"working": "what is working", "not_working": "what is not working",
                    "future": "what is important for the future"}.get(kind or "", "statements")
        user = (f"These statements ({kind_txt}) were grouped into one theme:\n" +
                "\n".join(f"- {t}" for t in texts[: self.max_statements]) +
                "\nSuggest names for the theme.")
        body = json.dumps({"model": self.model, "temperature": 0,
                           "messages": [{"role": "system", "content": self._SYSTEM},
                                        {"role": "user", "content": user}]}).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(self.base_url + "/chat/completions", data=body,
                                     headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            raise NamingError(f"language model endpoint answered HTTP {e.code}") from e
        except (urllib.error.URLError, OSError, TimeoutError) as e:
            raise NamingError(f"language model endpoint unreachable: {e}") from e
        try:
            content = json.loads(raw)["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as e:
            raise NamingError("language model endpoint gave no chat completion "
                              "(expected choices[0].message.content)") from e
        return self._parse(content)

    def _parse(self, content: str) -> list[str]:
        if not isinstance(content, str) or not content.strip():
            raise NamingError("language model gave an empty answer")
        text = content.strip()
        m = re.search(r"\{.*\}|\[.*\]", text, re.DOTALL)
        names: list[str] = []
        if m:
            try:
                data = json.loads(m.group(0))
                names = data.get("names", []) if isinstance(data, dict) else data
            except ValueError:
                names = []
        if not names:
            names = [re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", ln).strip().strip('"')
                     for ln in text.splitlines() if ln.strip()]
        good = []
        for nm in names:
            if not isinstance(nm, str):
                continue
            nm = capitalise(nm.strip().strip('"'))
            if (1 <= len(nm.split()) <= MAX_WORDS and is_first_person(nm) and not PLACEHOLDER.search(nm)
                    and not only_function_words(nm)):
                good.append(nm)
        if not good:
            raise NamingError(f"language model gave no usable first-person names: {text[:120]!r}")
        return good[: self.max_names]

    def name(self, groups: Sequence[Sequence[str]], kind: str | None = None,
             centrality: Sequence[Sequence[float]] | None = None) -> list[list[ThemeName]]:
        kind = normalise_kind(kind)
        out = []
        for gi, group in enumerate(groups):
            texts = list(group)
            if centrality is not None:
                order = sorted(range(len(texts)), key=lambda i: -centrality[gi][i])
                texts = [texts[i] for i in order]
            try:
                got = self._ask(texts, kind)
                out.append([ThemeName(text=t, method="llm", model=self.model) for t in got])
            except NamingError as e:
                if self.fallback is None:
                    raise
                fb = self.fallback.name([group], kind=kind,
                                        centrality=None if centrality is None else [centrality[gi]])[0]
                out.append([ThemeName(text=x.text, method=x.method, model=x.model,
                                      note=(x.note + "; " if x.note else "") + f"fallback: {e}")
                            for x in fb])
        return out


def get_namer(namer: "str | KeyphraseNamer | LLMNamer | None" = None):
    """``"keyphrase"`` (default) or ``"llm"``, or pass a namer through."""
    if namer is None or namer == "keyphrase":
        return KeyphraseNamer()
    if namer == "llm":
        return LLMNamer()
    if isinstance(namer, str):
        raise ValueError(f"unknown namer {namer!r}; choose keyphrase or llm")
    return namer


def first_person_ok(names: Iterable[ThemeName]) -> bool:
    """True when every name is a first-person sentence with a verb, 1-10 words long."""
    return all(is_first_person(n.text) and has_verb(n.text) and 1 <= len(n.text.split()) <= MAX_WORDS
               for n in names)
