"""The one adapter between the apps and the theme engine (``goldenthread.engine``).

Every app that wants help from the engine asks here: the workshop (which
cluster a called card fits, a first clustering, names for a theme), reporting
(which of this year's themes are last year's, :func:`similarity`) and team
planning (grouping what teams said, :func:`group_texts`). Tests replace
:func:`_engine_vectors`, :func:`_embedder` or :func:`_engine_groups` with fakes.

One error policy for all of them: suggestions are only ever *offered*, so when
the engine is not installed, or fails in any way, the failure is logged and a
plain word-overlap fallback (one stop-word list, :data:`STOP_WORDS`) answers
instead. A model failure never reaches a page as an error.
"""
from __future__ import annotations

import functools
import logging
import re

log = logging.getLogger(__name__)

_WORD = re.compile(r"[a-z']+")
#: Words that say nothing about a theme; the word-overlap fallback ignores them.
STOP_WORDS = frozenset(
    "a an and the to of in on at is it i me my we our us he she they them his her their be was were are "
    "am do does did not no can can't don't for with so but or if this that have has had get got go".split())


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 2}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@functools.lru_cache(maxsize=1)
def _embedder():
    """The engine's default embedder (MiniLM), loaded once per process; it caches the cards it has seen."""
    from goldenthread.engine import get_embedder

    return get_embedder()


def _engine_vectors(texts: list[str]):
    """Embeddings from the theme engine, or None when it is not available."""
    try:
        return _embedder().encode(texts)
    except Exception:  # the engine is optional on the day; never stop a page for it
        log.exception("theme engine failed; using word overlap")
        return None


class _Vectors:
    """Lets the engine's card-call assistant embed through :func:`_engine_vectors` (and its fakes)."""

    @property
    def name(self):
        """The underlying model's name (the assistant adapts to a bag-of-words model)."""
        try:
            return getattr(_embedder(), "name", None)
        except Exception:  # the engine is optional on the day
            return None

    def encode(self, texts):
        vectors = _engine_vectors(list(texts))
        if vectors is None:
            raise LookupError("no embeddings")
        return vectors


def rank_clusters(card_text: str, clusters: list[tuple[int, list[str]]], limit: int = 3) -> list[tuple[int, float]]:
    """Clusters the card fits well, best first: ``[(cluster_id, score 0..1), ...]``.

    An empty list means "start a new cluster": nothing fits well enough. The
    engine's :class:`~goldenthread.engine.CardCallAssistant` decides what fits;
    word overlap stands in when the engine is unavailable.
    """
    clusters = [(cid, texts) for cid, texts in clusters if texts]
    if clusters:
        try:
            from goldenthread.engine import CardCallAssistant

            # Uncalibrated, as place_known is: the calibration is learnt from rooms deciding card by card, and its
            # new-theme prior reads a wall loaded in one go (no card left alone) as "a new theme is rare", so a
            # card like nothing on the wall would be offered the nearest cluster instead of a new one.
            assistant = CardCallAssistant(model=_Vectors(), top=limit, calibrated=False).load(dict(clusters))
            suggestion = assistant.suggest(card_text)
            return [(fit.cluster, max(0.0, min(1.0, fit.score))) for fit in suggestion.ranked if fit.fits][:limit]
        except LookupError:
            pass
        except Exception:
            log.exception("theme engine failed; using word overlap")
    words = _words(card_text)
    scored = [(cid, max((_overlap(words, _words(t)) for t in texts), default=0.0)) for cid, texts in clusters]
    scored = [s for s in scored if s[1] > 0]
    scored.sort(key=lambda s: -s[1])
    return scored[:limit]


def cluster_texts(texts: list[str]) -> list[int]:
    """A full clustering of the texts as a starting proposal: one cluster number per text."""
    if len(texts) > 1:
        try:
            from goldenthread.engine import ThemeEngine

            return [int(x) for x in ThemeEngine(model=_Vectors()).fit(texts, name=False).theme_ids]
        except LookupError:
            pass
        except Exception:
            log.exception("theme engine failed; using word overlap")
    labels: list[int] = []
    groups: list[set[str]] = []
    for text in texts:
        words = _words(text)
        best = max(range(len(groups)), key=lambda i: _overlap(words, groups[i]), default=None)
        if best is not None and _overlap(words, groups[best]) >= 0.2:
            groups[best] |= words
            labels.append(best)
        else:
            groups.append(set(words))
            labels.append(len(groups) - 1)
    return labels


def suggest_names(texts: list[str], kind: str | None = None, limit: int = 3, others=(), taken=()) -> list[str]:
    """Possible short first-person names for a cluster of card texts, from the engine's offline namer.

    ``others`` are the card texts of the other clusters on the same board: the namer reads them too, so a name
    says what is particular to this cluster (words every cluster uses say nothing) and its first name is not
    another cluster's. ``taken`` are names the room has already given other clusters; none is offered again.
    The cards nearest the middle of the cluster (by the engine's embeddings) lend their wording first, and a
    name nearer this cluster's cards than any other's on the board is preferred.
    """
    if not texts:
        return []
    taken = {str(t).strip().lower() for t in taken if str(t).strip()}
    groups = [list(texts)] + [list(g) for g in others if g]

    def fresh(names):
        return [n for n in dict.fromkeys(names) if n.strip().lower() not in taken][:limit]

    try:
        from goldenthread.engine import KeyphraseNamer

        centrality, centroids = _centrality(groups)
        # With the engine's embeddings the namer also chooses, among its candidates, the ones nearer this
        # cluster's cards than any other cluster's on the board (docs/engine.md, "Names that pick out their own
        # theme"); it is given the centroids, so the cards are embedded once.
        contrast = {"embedder": _Vectors(), "centroids": centroids} if centrality is not None else {}
        names = fresh(n.text for n in KeyphraseNamer(max_names=limit + len(taken)).name(
            groups, kind=kind, centrality=centrality, **contrast)[0])
        if names:
            return names
    except Exception:
        log.exception("theme namer failed; offering the cards' own first-person words")
    firsts = [t.strip().rstrip(".") for t in texts if t.strip().lower().startswith(("i ", "i'", "my ", "we "))]
    firsts.sort(key=len)
    return fresh(firsts)


def _centrality(groups: list[list[str]]):
    """``(centrality, centroids)``: per text of each group its cosine to the group's mean embedding, and each
    group's mean of its unit vectors; ``(None, None)`` when the engine is unavailable."""
    vectors = _engine_vectors([t for g in groups for t in g])
    if vectors is None:
        return None, None
    import numpy as np

    v = np.asarray(vectors, dtype=float)
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
    centrality, centroids, at = [], [], 0
    for g in groups:
        part = v[at:at + len(g)]
        mean = part.mean(axis=0)
        centroids.append(mean)
        centrality.append((part @ (mean / max(float(np.linalg.norm(mean)), 1e-9))).tolist())
        at += len(g)
    return centrality, np.vstack(centroids)


FIRST_PERSON = {"i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "we", "we're", "our", "us"}
LONG_NAME_WORDS = 12


def name_warnings(name: str) -> list[str]:
    """Gentle warnings about a theme name. They never stop a name being saved."""
    words = re.findall(r"[A-Za-z']+", name.lower())
    warnings = []
    if len(words) > LONG_NAME_WORDS:
        warnings.append(f"This name is long ({len(words)} words). Short names are easier to remember.")
    if words and not FIRST_PERSON & set(words):
        warnings.append('This name does not say "I" or "we". Theme names work best in the first person, '
                        'like "I want to choose who supports me".')
    return warnings


def similarity(a: list[str], b: list[str]) -> list[list[float]]:
    """How alike each text in ``a`` is to each text in ``b``, from 0 to 1 (cosine of the engine's embeddings)."""
    if not a or not b:
        return [[] for _ in a]
    vectors = _engine_vectors(list(a) + list(b))
    if vectors is not None:
        import numpy as np

        v = np.asarray(vectors, dtype=float)
        v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
        return (v[: len(a)] @ v[len(a):].T).clip(0, 1).tolist()
    words_b = [_words(y) for y in b]
    return [[_overlap(wx, wy) for wy in words_b] for wx in (_words(x) for x in a)]


def _engine_groups(texts: list[str]) -> list[int]:
    """Ask the engine's clusterer which texts belong together: one group number per text."""
    from goldenthread.engine.cluster import ThemeClusterer

    vectors = _embedder().encode(list(texts))
    return [int(label) for label in ThemeClusterer().fit_predict(vectors)]


def group_texts(texts: list[str]) -> tuple[list[list[int]], bool]:
    """Group texts into themes. Returns the groups (indexes into ``texts``) and whether the engine was used.

    Without the engine (missing or failing) every text stays on its own, so nothing is lost.
    """
    if not texts:
        return [], True
    try:
        labels = _engine_groups(list(texts))
    except Exception:
        log.exception("theme engine failed; every text stays on its own")
        return [[i] for i in range(len(texts))], False
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(label, []).append(index)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0])), True


# --- the card-call assistant that learns from the room ---------------------------------------------
#
# The web layer answers each request afresh, so it cannot keep one assistant object alive for a whole card
# call by itself. Instead it hands over the room's *history*: every decision on the board, in the order it
# was made (``goldenthread.workshops.services.board_history`` reads it from the workshop's change log,
# leaving out what was undone):
#
#   ("add", card text, cluster)     a card placed in a cluster (a card call, or an accepted proposal)
#   ("move", card text, cluster)    a placed card moved to another cluster: it now counts *against* the old one
#   ("remove", card text)           a card taken off the board (no evidence either way)
#   ("name", cluster, name)         the room named a cluster: the name counts as one more card for it
#
# The assistant is rebuilt by replaying these calls, in this order, on a fresh
# :class:`~goldenthread.engine.CardCallAssistant`, so it is the same assistant (the same learnt numbers,
# the same answers: the engine is deterministic for the same decisions in the same order) as one that had
# been kept alive and told each decision as it happened. It is not :meth:`~CardCallAssistant.load`, which
# forgets the order and the moves. To keep pages fast, the last few assistants are kept (per ``key``, e.g.
# the workshop's board) with the history they have seen: when the new history only adds to it, just the new
# decisions are told; anything else (an undo rewrote the past) replays from the start.

import threading  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

#: How many learnt assistants are kept (one per board being called).
KEPT_ASSISTANTS = 16
_kept: "dict[object, tuple[tuple, object]]" = {}
_kept_lock = threading.RLock()  # one assistant is told and asked by one request at a time


@dataclass(frozen=True)
class Fit:
    """One cluster the card could join: ``score`` is the learnt probability (0..1) that the room puts it there,
    ``size`` how many cards the cluster has, ``like`` the texts of its cards the new card is most like."""

    cluster: object
    score: float
    size: int
    fits: bool
    like: tuple[str, ...] = ()


@dataclass(frozen=True)
class Again:
    """One of last year's themes the card could start again on this year's wall: ``theme`` is last year's
    cluster, ``name`` its name, ``score`` the learnt probability (0..1), ``like`` last year's cards it is most
    like."""

    theme: object
    name: str
    score: float
    like: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """The learnt ranking for one card: ``ranked`` best first; ``new_cluster`` when starting a new cluster is
    the likelier call (``new_score`` is its probability); ``decisions`` how many of the room's decisions it has
    learnt from; ``learnt`` is False when the engine was unavailable and word overlap answered instead.
    ``last_year`` holds last year's themes not yet on the wall that the card is like (when given), and
    ``last_year_first`` is True when starting the first of them again is the likeliest call."""

    ranked: list[Fit]
    new_cluster: bool
    new_score: float
    decisions: int = 0
    learnt: bool = True
    last_year: list[Again] = field(default_factory=list)
    last_year_first: bool = False


@dataclass(frozen=True)
class Place:
    """Where "place the rest" proposes one card goes: a ``cluster`` on the board, or ``new_group`` (cards with
    the same number start one new theme together). ``like`` holds ``(text, similarity)`` of the cards it is
    most like; ``confidence`` is 0..1. ``last_year`` is ``(last year's cluster, name)`` when the new group
    starts one of last year's themes again."""

    card: object
    cluster: object | None
    new_group: int | None
    confidence: float
    like: tuple[tuple[str, float], ...] = field(default=())
    last_year: tuple | None = None


def _tell(assistant, event) -> None:
    what = event[0]
    if what == "add":
        assistant.add(event[1], event[2])
    elif what == "move":
        assistant.move(event[1], event[2])
    elif what == "remove":
        assistant.remove(event[1])
    elif what == "name":
        assistant.rename(event[1], event[1], name=event[2] or None)
    else:
        raise ValueError(f"unknown card-call event {what!r}")


def learnt_assistant(history, key=None):
    """The engine's card-call assistant after the room's ``history`` (see above), told in order.

    Raises when the engine is unavailable (:func:`learnt_suggestion` and :func:`place_rest` fall back)."""
    from goldenthread.engine import CardCallAssistant

    history = tuple(tuple(e) for e in history)
    with _kept_lock:
        kept = _kept.get(key) if key is not None else None
        if kept is not None and history[:len(kept[0])] == kept[0]:
            seen, assistant = kept
            for event in history[len(seen):]:
                _tell(assistant, event)
        else:
            assistant = CardCallAssistant(model=_Vectors())
            for event in history:
                _tell(assistant, event)
        if key is not None:
            _kept.pop(key, None)
            _kept[key] = (history, assistant)
            while len(_kept) > KEPT_ASSISTANTS:
                _kept.pop(next(iter(_kept)))
        return assistant


def _wall(history) -> dict:
    """``{card text: cluster}`` after the history (what the assistant holds as the wall)."""
    wall: dict = {}
    for event in history:
        if event[0] in ("add", "move"):
            wall[event[1]] = event[2]
        elif event[0] == "remove":
            wall.pop(event[1], None)
    return wall


def _clusters(wall: dict) -> dict:
    """``{cluster: [card text, ...]}`` from ``{card text: cluster}`` (for the word-overlap fallback)."""
    clusters: dict = {}
    for text, cluster in wall.items():
        clusters.setdefault(cluster, []).append(text)
    return clusters


#: Last year's themes as the engine holds them, per board (``key``), with what they were made from.
_last_years: "dict[object, tuple[tuple, object]]" = {}


def _last_year(themes, key):
    """The engine's :class:`~goldenthread.engine.cardcall_reference.LastYearThemes` for ``themes``
    (``[(last year's cluster, name, [card text, ...]), ...]``), kept per ``key`` while they are the same."""
    from goldenthread.engine.cardcall_reference import LastYearTheme, LastYearThemes

    made = tuple((k, name, tuple(texts)) for k, name, texts in themes)
    with _kept_lock:
        kept = _last_years.get(key)
        if kept is None or kept[0] != made:
            kept = (made, LastYearThemes([LastYearTheme(*t) for t in made]))
            _last_years.pop(key, None)
            _last_years[key] = kept
            while len(_last_years) > KEPT_ASSISTANTS:
                _last_years.pop(next(iter(_last_years)))
        return kept[1]


def learnt_suggestion(card_text: str, history, limit: int = 3, key=None, last_year=()) -> Suggestion:
    """The assistant's learnt ranking for ``card_text``, after the room's ``history`` (told in order).

    ``last_year`` (``[(last year's cluster, name, [card text, ...]), ...]``, one kind) offers last year's themes
    the room has no cluster of its own for yet beside the wall (see
    :mod:`goldenthread.engine.cardcall_reference`): a cluster the room named with last year's name, or put
    cards like that theme's in, takes its place."""
    try:
        with _kept_lock:
            assistant = learnt_assistant(history, key)
            if last_year:
                h = _last_year(last_year, key).suggest(assistant, card_text, top=limit)
                again = [Again(f.theme, f.name, float(f.score), tuple(x.card for x in f.like)) for f in h.last_year]
                new, first = h.new_cluster, h.best_last_year is not None
            else:
                h = assistant.suggest(card_text, top=limit)
                again, new, first = [], h.new_cluster, False
            decisions = assistant.n_decisions_
        return Suggestion([Fit(f.cluster, float(f.score), int(f.size), bool(f.fits), tuple(x.card for x in f.like))
                           for f in h.ranked], bool(new), float(h.threshold), decisions,
                          last_year=again, last_year_first=first)
    except LookupError:
        pass
    except Exception:
        log.exception("theme engine failed; using word overlap")
    clusters = _clusters(_wall(history))
    ranked = rank_clusters(card_text, list(clusters.items()), limit)
    return Suggestion([Fit(cid, score, len(clusters[cid]), True) for cid, score in ranked], not ranked,
                      0.0 if ranked else 1.0, learnt=False)


def place_rest(history, cards, key=None, last_year=()) -> list[Place]:
    """Propose a place for each of ``cards`` (``[(card key, text), ...]``): one :class:`Place` each, in order.

    Nothing is applied: the answer is for a person to accept, change or reject. A card whose words are
    already on the wall is proposed for the cluster those words are in. With ``last_year`` (as for
    :func:`learnt_suggestion`), cards most like one of last year's themes not yet on the wall are proposed to
    start it again (a new group with ``Place.last_year`` set).
    """
    cards = list(cards)
    wall = _wall(history)
    try:
        with _kept_lock:
            assistant = learnt_assistant(history, key)
            todo = [t for _, t in cards if t not in wall]
            if last_year:
                result = _last_year(last_year, key).place_rest(assistant, todo)
            else:
                result = assistant.place_rest(todo)
        again = {g: (t.key, t.name) for g, t in getattr(result, "last_year", {}).items()}
        by_text = {p.card: p for p in result.proposals}
        out = []
        for card, text in cards:
            if text in wall:
                out.append(Place(card, wall[text], None, 1.0, ((text, 1.0),)))
                continue
            p = by_text[text]
            # A new-theme card: how sure that it starts that theme with its group (not only that it fits
            # no cluster on the board, which is certain on an empty board). The lesser of the two: last
            # year's themes may have lowered the confidence after the group's was worked out.
            group = getattr(p, "group_confidence", None)
            sure = p.confidence if group is None else min(p.confidence, group)
            out.append(Place(card, p.cluster, p.new_group, float(sure),
                             tuple((x.card, float(x.similarity)) for x in p.like), again.get(p.new_group)))
        return out
    except LookupError:
        pass
    except Exception:
        log.exception("theme engine failed; using word overlap")
    clusters = _clusters(wall)
    out, group = [], 0
    for card, text in cards:
        ranked = rank_clusters(text, list(clusters.items()), 1)
        if ranked:
            out.append(Place(card, ranked[0][0], None, ranked[0][1]))
        else:
            group += 1
            out.append(Place(card, None, group, 0.0))
    return out
