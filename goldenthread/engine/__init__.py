"""The Golden Thread theme engine (stage 3 of the method, done by software).

Public API
----------
- :func:`theme_table` - add ``theme_id`` and ``theme_name`` to a table of statements.
- :class:`ThemeEngine` - embed, cluster per kind, and name; returns :class:`ThemeResult`.
- :class:`ThemeClusterer` - the scikit-learn-style clusterer on embeddings.
- :class:`CardCallAssistant` - rank clusters for the next card during a card call,
  learning from the room; ``place_rest`` gives a :class:`PlaceRestResult` of
  :class:`Proposal` s; :func:`place_known` puts statements into known themes;
  :class:`LastYearThemes` offers last year's named themes beside its wall.
- :class:`KeyphraseNamer`, :class:`LLMNamer`, :class:`ThemeName` - theme names.
- :class:`SeedTheme` - a theme carried over from last cycle.
- :func:`get_embedder`, :func:`choose_model`, :class:`MiniLMEmbedder` (the
  default, run in NumPy), :class:`FastEmbedder`, :class:`HashingEmbedder`,
  :func:`build_fast_model` - offline embeddings.
- :func:`embed_in_partitions` - Dask partitioned embedding for big inputs.
- :func:`run_batch` - the resumable batch pipeline on Dask (millions of
  statements); :class:`ScalableThemeClusterer` - the clustering it uses;
  :class:`KnownThemes` - place statements in known themes first.
- :class:`InputError` - bad input, with a message saying how to fix it.

Nothing here imports Django, and the heavy libraries (model2vec, dask, and
torch, which only distilling the fast model needs) are imported only when
first used.
"""
import importlib

#: Public name -> module. Loaded on first use (PEP 562), so ``import
#: goldenthread.engine`` stays instant: the command line starts fast, and
#: scikit-learn (which ThemeClusterer builds on) loads only when needed.
_EXPORTS = {
    "CardCallAssistant": "cardcall", "CardSuggestion": "cardcall", "ClusterFit": "cardcall",
    "Like": "cardcall", "PlaceRestResult": "cardcall", "Proposal": "cardcall", "place_known": "cardcall",
    "LastYearThemes": "cardcall_reference", "LastYearTheme": "cardcall_reference",
    "LastYearFit": "cardcall_reference",
    "ThemeClusterer": "cluster", "ScalableThemeClusterer": "scaling", "KnownThemes": "scaling",
    "DEFAULT_MODEL": "embed", "MODELS": "embed", "FastEmbedder": "embed",
    "HashingEmbedder": "embed", "MiniLMEmbedder": "embed", "build_fast_model": "embed",
    "cache_dir": "embed", "choose_model": "embed", "get_embedder": "embed",
    "KeyphraseNamer": "naming", "LLMNamer": "naming", "NamingError": "naming",
    "ThemeName": "naming", "normalise_kind": "naming",
    "InputError": "themes", "SeedTheme": "themes", "Theme": "themes", "ThemeEngine": "themes",
    "ThemeResult": "themes", "theme_table": "themes",
    "run_batch": "batch", "BatchError": "batch", "BatchResult": "batch",
}


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


def embed_in_partitions(*args, **kwargs):
    """See :func:`goldenthread.engine.batch.embed_in_partitions` (imports Dask lazily)."""
    from goldenthread.engine.batch import embed_in_partitions as _f

    return _f(*args, **kwargs)


__all__ = [*_EXPORTS, "embed_in_partitions"]
