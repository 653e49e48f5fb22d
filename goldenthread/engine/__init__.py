"""The Golden Thread theme engine (stage 3 of the method, done by software).

Public API
----------
- :func:`theme_table` - add ``theme_id`` and ``theme_name`` to a table of statements.
- :class:`ThemeEngine` - embed, cluster per kind, and name; returns :class:`ThemeResult`.
- :class:`ThemeClusterer` - the scikit-learn-style clusterer on embeddings.
- :class:`CardCallAssistant` - rank clusters for the next card during a card call,
  learning from the room; ``place_rest`` gives a :class:`PlaceRestResult` of
  :class:`Proposal` s; :func:`place_known` puts statements into known themes.
- :class:`KeyphraseNamer`, :class:`LLMNamer`, :class:`ThemeName` - theme names.
- :class:`SeedTheme` - a theme carried over from last cycle.
- :func:`get_embedder`, :func:`choose_model`, :class:`MiniLMEmbedder` (the
  default, run in NumPy), :class:`FastEmbedder`, :class:`HashingEmbedder`,
  :func:`build_fast_model` - offline embeddings.
- :func:`embed_in_partitions` - Dask partitioned embedding for big inputs.
- :class:`InputError` - bad input, with a message saying how to fix it.

Nothing here imports Django, and the heavy libraries (model2vec, dask, and
torch, which only distilling the fast model needs) are imported only when
first used.
"""
from goldenthread.engine.cardcall import (CardCallAssistant, CardSuggestion, ClusterFit, Like,
                                          PlaceRestResult, Proposal, place_known)
from goldenthread.engine.cluster import ThemeClusterer
from goldenthread.engine.embed import (DEFAULT_MODEL, MODELS, FastEmbedder, HashingEmbedder,
                                       MiniLMEmbedder, build_fast_model, cache_dir, choose_model,
                                       get_embedder)
from goldenthread.engine.naming import (KeyphraseNamer, LLMNamer, NamingError, ThemeName,
                                        normalise_kind)
from goldenthread.engine.themes import (InputError, SeedTheme, Theme, ThemeEngine, ThemeResult,
                                        theme_table)


def embed_in_partitions(*args, **kwargs):
    """See :func:`goldenthread.engine.batch.embed_in_partitions` (imports Dask lazily)."""
    from goldenthread.engine.batch import embed_in_partitions as _f

    return _f(*args, **kwargs)


__all__ = [
    "CardCallAssistant", "CardSuggestion", "ClusterFit", "Like", "PlaceRestResult", "Proposal",
    "place_known", "ThemeClusterer", "DEFAULT_MODEL",
    "MODELS", "FastEmbedder", "HashingEmbedder", "MiniLMEmbedder", "build_fast_model",
    "cache_dir", "choose_model", "get_embedder", "KeyphraseNamer", "LLMNamer", "NamingError", "ThemeName",
    "normalise_kind", "InputError", "SeedTheme", "Theme", "ThemeEngine", "ThemeResult",
    "theme_table", "embed_in_partitions",
]
