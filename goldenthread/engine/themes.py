"""From statements to named themes: the engine's main entry points.

:class:`ThemeEngine` embeds statements, clusters each kind separately with
:class:`~goldenthread.engine.cluster.ThemeClusterer`, and names every theme.
:func:`theme_table` does the same for a table (a list of dicts or a pandas
DataFrame), keeping every column and row in order and adding ``theme_id`` and
``theme_name``.
"""
from __future__ import annotations

import inspect
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from goldenthread.engine.cluster import (DEFAULT_MAX_ITEMS, DEFAULT_MIN_SHARE, DEFAULT_Z,
                                         ThemeClusterer)
from goldenthread.engine.embed import Embedder, choose_model, get_embedder
from goldenthread.engine.naming import ThemeName, get_namer, normalise_kind
from goldenthread.engine.reference import REFERENCE_STATEMENTS

_KIND_ORDER = {"working": 0, "not_working": 1, "future": 2}


class InputError(ValueError):
    """The input cannot be themed; the message says what is wrong and how to fix it."""


@dataclass(frozen=True)
class SeedTheme:
    """A theme carried over from last cycle.

    Parameters
    ----------
    name : str
        The name people gave it (kept as the theme's name when it gets members).
    statements : sequence of str
        Its statements last cycle (the name alone is used when empty).
    kind : str or None
        Only statements of this kind are matched to it (None = any kind).
    key : str or None
        A stable identifier; defaults to the name.
    """

    name: str
    statements: tuple[str, ...] = ()
    kind: str | None = None
    key: str | None = None

    @property
    def id(self) -> str:
        return self.key or self.name


@dataclass
class Theme:
    """One theme found by the engine."""

    id: int
    kind: str | None
    rows: list[int]
    names: list[ThemeName]
    locked: str | None = None
    seed: str | None = None

    @property
    def name(self) -> str:
        return self.names[0].text if self.names else ""

    @property
    def size(self) -> int:
        return len(self.rows)


@dataclass
class ThemeResult:
    """What :meth:`ThemeEngine.fit` found."""

    theme_ids: list[int]
    themes: list[Theme]
    model: str
    threshold: dict[Any, float] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def theme_names(self) -> list[str]:
        by_id = {t.id: t.name for t in self.themes}
        return [by_id[i] for i in self.theme_ids]


def _kind_sort_key(kind: Any) -> tuple:
    if kind is None:
        return (9, "")
    return (_KIND_ORDER.get(kind, 5), str(kind))


class ThemeEngine:
    """Group statements into named themes, per kind.

    Parameters
    ----------
    model : {"auto", "minilm", "fast", "hashing"} or embedder, default="auto"
        Which embedding model to use (see :mod:`goldenthread.engine.embed`).
        ``"auto"`` uses MiniLM (better themes) for up to 20,000 distinct
        statements and the fast static model above that.
    namer : {"keyphrase", "llm"} or namer, default="keyphrase"
    z : float, default=1.0
        Similarity threshold in standard deviations above a typical pair.
    max_items : int, default=2500
        Above this many distinct statements per kind, micro-cluster first.
    min_share : float, default=0.01
        Themes with less than this share of a kind's statements may join the
        bigger theme they fit best (see :class:`ThemeClusterer`).
    random_state : int, default=0
    scheduler_address : str or None
        Embed big inputs in partitions on Dask (``None`` = local threads).
    dask_threshold : int, default=20000
        Use Dask partitioned embedding above this many statements.
    name_sample : int, default=100
        Names are suggested from at most this many of a theme's most central statements.

    Examples
    --------
    >>> engine = ThemeEngine(model="hashing")
    >>> result = engine.fit(["I see nobody all day", "Nobody visits me all day",
    ...                      "I love my garden", "My garden keeps me busy"],
    ...                     kinds="not_working")
    >>> len(result.theme_ids)
    4
    """

    def __init__(self, model: "str | Embedder" = "auto", namer: Any = "keyphrase",
                 z: float = DEFAULT_Z, max_items: int = DEFAULT_MAX_ITEMS,
                 min_share: float = DEFAULT_MIN_SHARE,
                 random_state: int = 0, scheduler_address: str | None = None,
                 dask_threshold: int = 20000, name_sample: int = 100) -> None:
        self.model = model
        self.min_share = min_share
        self.name_sample = name_sample
        self.namer = namer
        self.z = z
        self.max_items = max_items
        self.random_state = random_state
        self.scheduler_address = scheduler_address
        self.dask_threshold = dask_threshold
        self._embedder: Embedder | None = None
        self._reference: np.ndarray | None = None

    # -- embedding -----------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.model)
        return self._embedder

    def _choose(self, n_distinct: int) -> None:
        """With ``model="auto"``, pick the embedder for an input of this size."""
        if self.model != "auto":
            return
        name = choose_model(n_distinct)
        if self._embedder is None or getattr(self._embedder, "name", None) != name:
            self._embedder = get_embedder(name)
            self._reference = None

    @property
    def model_name(self) -> str:
        return getattr(self.embedder, "name", type(self.embedder).__name__)

    def reference_embeddings(self) -> np.ndarray:
        if self._reference is None:
            self._reference = self.embedder.encode(list(REFERENCE_STATEMENTS))
        return self._reference

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed distinct texts once each; big inputs go through Dask partitions.

        With ``model="auto"`` the number of distinct texts picks the model.
        """
        uniq = sorted(set(texts))
        self._choose(len(uniq))
        if len(uniq) > self.dask_threshold or self.scheduler_address:
            from goldenthread.engine.batch import embed_in_partitions

            if isinstance(self.model, str):
                vecs = embed_in_partitions(uniq, model=self.model_name,
                                           scheduler_address=self.scheduler_address)
            else:
                vecs = embed_in_partitions(uniq, embedder=self.embedder,
                                           scheduler_address=self.scheduler_address)
        else:
            vecs = self.embedder.encode(uniq)
        pos = {t: i for i, t in enumerate(uniq)}
        return vecs[[pos[t] for t in texts]]

    # -- fitting ------------------------------------------------------------
    def _place_known(self, texts: list[str], train, lock_list: list) -> list:
        """Known theme per statement from the training table (None = cluster it)."""
        from goldenthread.engine.cardcall import place_known

        try:
            ttexts, tlabels = train
            ttexts, tlabels = [str(t).strip() for t in ttexts], [str(x).strip() for x in tlabels]
        except (TypeError, ValueError):
            raise InputError("train must be a pair (texts, themes)") from None
        if len(ttexts) != len(tlabels):
            raise InputError("train texts and themes must have the same length")
        keep = [(t, lab) for t, lab in zip(ttexts, tlabels) if t and lab]
        if not keep:
            raise InputError("the training table has no rows with both a statement and a theme")
        free = [i for i in range(len(texts)) if lock_list[i] is None]
        got = place_known([texts[i] for i in free], [t for t, _ in keep], [lab for _, lab in keep],
                          embedder=self.embedder, z=self.z)
        out: list = [None] * len(texts)
        for i, g in zip(free, got):
            out[i] = g
        return out

    def fit(self, texts: Sequence[str], kinds: "str | Sequence[str | None] | None" = None,
            locked: Sequence[str | None] | None = None,
            seeds: Iterable[SeedTheme] | None = None, name: bool = True,
            train: "tuple[Sequence[str], Sequence[str]] | None" = None) -> ThemeResult:
        """Theme ``texts``.

        Parameters
        ----------
        texts : sequence of str
            Non-empty statements.
        kinds : str or sequence, optional
            One kind for all, or a kind per statement; each kind is clustered
            separately (``working``/``not_working``/``future`` spellings are
            normalised for naming; other values are kept as they are).
        locked : sequence of str or None, optional
            Per statement, the name/key of a theme the facilitator locked, or
            None. Locked themes keep their members and their name.
        seeds : iterable of SeedTheme, optional
            Last cycle's themes; statements are matched to them first.
        name : bool, default=True
            Suggest names (set False to only cluster).
        train : (texts, themes), optional
            Last cycle's confirmed statements and their theme names. Each
            statement first goes into the known theme it belongs to (see
            :func:`~goldenthread.engine.cardcall.place_known`: the calibration
            is learnt from those past decisions); only the rest are clustered.
            Known themes keep their names (``ThemeName.method == "train"``)
            and their ``seed`` is the theme name. Kinds are kept apart: a
            known theme takes statements of any kind, each kind's share
            becoming its own theme.
        """
        t0 = time.perf_counter()
        texts = [str(t) for t in texts]
        n = len(texts)
        for i, t in enumerate(texts):
            if not t.strip():
                raise InputError(f"statement {i + 1} is empty")
        if kinds is None or isinstance(kinds, str):
            kind_list = [kinds] * n
        else:
            kind_list = list(kinds)
            if len(kind_list) != n:
                raise InputError("kinds must have one entry per statement")
        kind_list = [None if (k is None or str(k).strip() == "") else str(k).strip() for k in kind_list]
        lock_list = [None] * n if locked is None else [
            None if (x is None or str(x).strip() == "") else str(x).strip() for x in locked]
        if len(lock_list) != n:
            raise InputError("locked must have one entry per statement")
        seeds = list(seeds or [])

        X = self.embed(texts) if n else np.zeros((0, 1))
        t_embed = time.perf_counter()
        known: list = [None] * n
        if train is not None:
            known = self._place_known(texts, train, lock_list)
        seed_vecs: dict[str, np.ndarray] = {}
        if seeds:
            for s in seeds:
                src = list(s.statements) or [s.name]
                seed_vecs[s.id] = self.embedder.encode(src)
        ref = self.reference_embeddings() if n else None

        themes: list[Theme] = []
        theme_ids = [0] * n
        thresholds: dict[Any, float] = {}
        namer = get_namer(self.namer) if name else None
        groups = sorted(set(kind_list), key=_kind_sort_key)
        next_id = 1
        for kind in groups:
            krows = [i for i in range(n) if kind_list[i] == kind]
            for key in sorted({known[i] for i in krows if known[i] is not None}):
                mem = [i for i in krows if known[i] == key]
                themes.append(Theme(id=next_id, kind=kind, rows=mem, seed=key,
                                    names=[ThemeName(text=key, method="train",
                                                     note="a known theme from the training table")]))
                for r in mem:
                    theme_ids[r] = next_id
                next_id += 1
            rows = [i for i in krows if known[i] is None]
            if not rows:
                continue
            nk = normalise_kind(kind)
            kseeds = {s.id: seed_vecs[s.id] for s in seeds
                      if s.kind is None or s.kind == kind
                      or (nk is not None and normalise_kind(s.kind) == nk)}
            seed_by_id = {s.id: s for s in seeds}
            clus = ThemeClusterer(z=self.z, max_items=self.max_items, min_share=self.min_share,
                                  reference=ref, random_state=self.random_state)
            clus.fit(X[rows], locked=[lock_list[i] for i in rows], seeds=kseeds or None,
                     keys=[texts[i] for i in rows])
            thresholds[kind] = clus.threshold_
            members: list[list[int]] = [[] for _ in range(clus.n_themes_)]
            for r, lab in zip(rows, clus.labels_):
                members[lab].append(r)
            # centrality of each member: similarity to its theme mean
            Uc = clus._center(X[rows])
            local = {r: j for j, r in enumerate(rows)}
            cn = clus.centroids_ / np.maximum(np.linalg.norm(clus.centroids_, axis=1,
                                                             keepdims=True), 1e-12)
            row_cent = np.einsum("ij,ij->i", Uc, cn[clus.labels_])
            cent = [[float(row_cent[local[r]]) for r in mem] for mem in members]
            names: list[list[ThemeName]] = [[] for _ in members]
            to_name = []
            for t, key in enumerate(clus.theme_keys_):
                if key is not None and key in seed_by_id and clus.seeded_[t]:
                    names[t] = [ThemeName(text=seed_by_id[key].name, method="seed",
                                          note="carried over from last cycle")]
                elif key is not None:
                    names[t] = [ThemeName(text=str(key), method="locked",
                                          note="named by the facilitator")]
                else:
                    to_name.append(t)
            if namer is not None and to_name:
                # Name from at most `name_sample` most central statements per theme:
                # plenty for a name, and keeps 100k-statement runs fast.
                picks = []
                for t in to_name:
                    order = sorted(range(len(members[t])),
                                   key=lambda j: (-cent[t][j], texts[members[t][j]]))
                    picks.append(order[: self.name_sample])
                # Namers that take the embedder choose names that pick out their own
                # theme among this kind's (the centroids hold every member, not the sample).
                extra = ({"embedder": self.embedder,
                          "centroids": np.stack([X[members[t]].mean(axis=0) for t in to_name])}
                         if _takes_embedder(namer) else {})
                got = namer.name([[texts[members[t][j]] for j in pk] for t, pk in zip(to_name, picks)],
                                 kind=kind, centrality=[[cent[t][j] for j in pk]
                                                        for t, pk in zip(to_name, picks)], **extra)
                for t, nm in zip(to_name, got):
                    names[t] = nm
            for t, mem in enumerate(members):
                key = clus.theme_keys_[t]
                seeded = key is not None and clus.seeded_[t]
                th = Theme(id=next_id, kind=kind, rows=sorted(mem), names=names[t],
                           locked=None if (key is None or seeded) else str(key),
                           seed=str(key) if seeded else None)
                themes.append(th)
                for r in mem:
                    theme_ids[r] = next_id
                next_id += 1
        t_end = time.perf_counter()
        return ThemeResult(theme_ids=theme_ids, themes=themes, model=self.model_name,
                           threshold=thresholds,
                           timings={"embed_s": t_embed - t0, "cluster_name_s": t_end - t_embed,
                                    "total_s": t_end - t0})


def _takes_embedder(namer: Any) -> bool:
    """Whether ``namer.name`` accepts ``embedder=`` (the offline namer does; a custom one may not)."""
    try:
        return "embedder" in inspect.signature(namer.name).parameters
    except (TypeError, ValueError):
        return False


def _is_dataframe(obj: Any) -> bool:
    return hasattr(obj, "columns") and hasattr(obj, "iloc") and hasattr(obj, "to_dict")


def theme_table(table: Any, text_column: str = "text", kind: str | None = None,
                kind_column: str | None = None, locked_column: str | None = None,
                seeds: Iterable[SeedTheme] | None = None, model: "str | Embedder" = "auto",
                namer: Any = "keyphrase", engine: ThemeEngine | None = None,
                train: Any = None, train_text_column: str = "text",
                train_theme_column: str = "theme", **engine_kwargs: Any) -> Any:
    """Add ``theme_id`` and ``theme_name`` to a table of statements.

    Parameters
    ----------
    table : list of dicts, or pandas.DataFrame
        Any columns; every row and column is kept in order.
    text_column : str, default="text"
    kind : str, optional
        The kind of every statement (``working``/``not_working``/``future``).
    kind_column : str, optional
        A column giving each row's kind; kinds are clustered separately.
    locked_column : str, optional
        A column holding a locked theme name (empty = free).
    seeds : iterable of SeedTheme, optional
        Last cycle's themes to match first.
    train : list of dicts, pandas.DataFrame, or (texts, themes), optional
        Last cycle's confirmed statements with their themes: statements are
        placed into these known themes first and only the rest clustered
        (see :meth:`ThemeEngine.fit`).
    train_text_column, train_theme_column : str
        The columns of ``train`` holding the statement and its theme.
    model, namer, **engine_kwargs
        Passed to :class:`ThemeEngine` (ignored when ``engine`` is given).

    Returns
    -------
    Same type as ``table``: a new list of dicts (or DataFrame) with
    ``theme_id`` (int, 1..number of themes) and ``theme_name`` added.

    Raises
    ------
    InputError
        No rows, no such column (the columns found are listed), or empty texts
        (their row numbers, counting the first data row as 1, are listed).

    Examples
    --------
    >>> rows = [{"id": 1, "text": "I see nobody all day"},
    ...         {"id": 2, "text": "Nobody visits me, I see nobody all day"}]
    >>> out = theme_table(rows, model="hashing", kind="not_working")
    >>> [sorted(r) for r in out][0]
    ['id', 'text', 'theme_id', 'theme_name']
    """
    is_df = _is_dataframe(table)
    if is_df:
        columns = [str(c) for c in table.columns]
        records = table.to_dict(orient="records")
    else:
        records = [dict(r) for r in table]
        columns = list(records[0].keys()) if records else []
    if not records:
        raise InputError("the table has no rows")
    for col, what in ((text_column, "text"), (kind_column, "kind"), (locked_column, "locked")):
        if col is not None and col not in columns:
            raise InputError(f"no {what} column {col!r}; columns found: "
                             + ", ".join(repr(c) for c in columns))
    texts = []
    empty = []
    for i, r in enumerate(records):
        v = r.get(text_column)
        s = "" if v is None or (isinstance(v, float) and v != v) else str(v)
        if not s.strip():
            empty.append(i + 1)
        texts.append(s.strip())
    if empty:
        shown = ", ".join(map(str, empty[:20])) + (f" and {len(empty) - 20} more" if len(empty) > 20 else "")
        raise InputError(f"{len(empty)} row(s) have an empty {text_column!r}: rows {shown} "
                         "(counting the first data row as 1); fill them in or remove them")
    kinds = [r.get(kind_column) for r in records] if kind_column else kind
    locked = [r.get(locked_column) for r in records] if locked_column else None
    if engine is None:
        engine = ThemeEngine(model=model, namer=namer, **engine_kwargs)
    res = engine.fit(texts, kinds=kinds, locked=locked, seeds=seeds,
                     train=_train_pair(train, train_text_column, train_theme_column))
    names = res.theme_names()
    if is_df:
        out = table.copy()
        out["theme_id"] = res.theme_ids
        out["theme_name"] = names
        return out
    out_rows = []
    for r, tid, nm in zip(records, res.theme_ids, names):
        r = dict(r)
        r["theme_id"] = tid
        r["theme_name"] = nm
        out_rows.append(r)
    return out_rows


def _train_pair(train: Any, text_column: str, theme_column: str):
    """(texts, themes) from a training table (list of dicts, DataFrame) or pair."""
    if train is None:
        return None
    if isinstance(train, tuple) and len(train) == 2:
        return train
    records = train.to_dict(orient="records") if _is_dataframe(train) else [dict(r) for r in train]
    if not records:
        raise InputError("the training table has no rows")
    for col in (text_column, theme_column):
        if col not in records[0]:
            raise InputError(f"the training table has no column {col!r}; columns found: "
                             + ", ".join(repr(c) for c in records[0]))
    def cell(v):
        return "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()
    return ([cell(r.get(text_column)) for r in records], [cell(r.get(theme_column)) for r in records])
