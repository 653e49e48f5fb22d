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

            assistant = CardCallAssistant(model=_Vectors(), top=limit).load(dict(clusters))
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


def suggest_names(texts: list[str], kind: str | None = None, limit: int = 3) -> list[str]:
    """Possible short first-person names for a cluster of card texts, from the engine's offline namer."""
    if not texts:
        return []
    try:
        from goldenthread.engine import KeyphraseNamer

        names = [n.text for n in KeyphraseNamer(max_names=limit).name([texts], kind=kind)[0]]
        if names:
            return names[:limit]
    except Exception:
        log.exception("theme namer failed; offering the cards' own first-person words")
    firsts = [t.strip().rstrip(".") for t in texts if t.strip().lower().startswith(("i ", "i'", "my ", "we "))]
    firsts.sort(key=len)
    return list(dict.fromkeys(firsts))[:limit]


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
