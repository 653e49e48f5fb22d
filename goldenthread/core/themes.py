"""The one place the workshop asks the theme engine for help. Tests replace these functions with fakes.

Suggestions are only ever *offered*: the group decides. When the engine is not
installed, or fails, a plain word-overlap fallback keeps the workshop usable.
"""
from __future__ import annotations

import functools
import logging
import re

log = logging.getLogger(__name__)

_WORD = re.compile(r"[a-z']+")
_STOP = set("a an and the to of in on at is it i me my we our us he she they them his her their be was were are "
            "am do does did not no can can't don't for with so but or if this that have has had get got go".split())


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


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
    except Exception:  # the engine is optional on the day; never stop the workshop for it
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
