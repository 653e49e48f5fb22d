"""Theme very large inputs on Dask: a resumable batch pipeline.

The project rule: when a council (or a region, or the country) analyses all
its reviews, the work runs on Dask - a ``LocalCluster`` with two worker
processes by default, or an existing ``distributed`` scheduler when its
address is given - never a home-made pool. Two entry points:

:func:`embed_in_partitions`
    Embed a list of texts in ``dask.bag`` partitions (used by ``ThemeEngine``).

:func:`run_batch`
    The whole job, stage by stage, each stage checkpointed in a work folder:

    ============  =========  ==================================================
    stage         where      what it writes
    ============  =========  ==================================================
    ``prepare``   here       ``input/part-NNNNN.parquet``: rows split into
                             partitions, checked (ids unique, texts not empty)
    ``embed``     Dask       ``embed/part-NNNNN.npz``: embeddings, text hashes,
                             and the known theme each row fits (if any)
    ``fit``       Dask       ``fit/group-NNNN.pkl``: :class:`ThemeClusterer`
                             fitted on a hash sample of each kind / group
                             (the sample is drawn here)
    ``place``     Dask       ``place/part-NNNNN.npz``: each row's nearest
                             sampled theme (or "fits none")
    ``finish``    here       ``plan.pkl``: leftovers themed, minor themes
                             joined, every theme numbered
    ``label``     Dask       ``label/part-NNNNN.parquet``: theme per row
    ``name``      here       ``names.json``: a first-person name per theme
    ``write``     here       the output Parquet file
    ============  =========  ==================================================

    The clustering is :mod:`goldenthread.engine.scaling` (near-linear: exact
    on a sample, the rest placed by nearest theme). Statements are themed per
    kind and, when asked, per group (area, user group); known themes (a
    labelled table) place statements first.

Resuming. Every file is written to a temporary name and renamed into place,
so a file that exists is complete. A stage skips every partition whose file
exists, so a killed worker (Dask reruns its task) or a killed job (run again
with ``resume=True``) never redoes finished partitions. Each write is also
appended to ``writes.log`` so tests can check that nothing was written twice.
The job's settings and a fingerprint of its input are kept in
``manifest.json``; resuming with different input or settings is refused.

Progress. ``status.json`` in the work folder is rewritten (atomically) as the
job moves: ``state`` (``running``/``done``/``failed``), ``stage``,
``stages`` (``{stage: {"done": n, "total": m}}``), ``rows``, ``partitions``,
``leftovers`` (statements themed outside the sample's themes), ``error``,
``started``/``updated`` and, when done, ``timings`` - a web page can poll it
with :func:`read_status`.
``progress(stage, done, total)`` is also called, for a terminal progress bar.

Nothing is lost or duplicated: the output is checked to hold every input row
id exactly once, each with one theme, before it is renamed into place.

A remote scheduler's workers must see the work folder at the same path
(shared storage).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

_WORKER_EMBEDDERS: dict[str, object] = {}

#: Statements per partition (per Dask task).
DEFAULT_PARTITION_SIZE = 20000
#: Statements per theme handed to the namer (the most central ones).
NAME_SAMPLE = 50
STAGES = ("prepare", "embed", "fit", "place", "finish", "label", "name", "write")
_FORMAT = 1  # bump when the work-folder layout changes


# -- embedding in partitions (used by ThemeEngine) ------------------------------------

def _worker_embedder(model):
    """The embedder for ``model`` on this worker process (loaded once)."""
    if not isinstance(model, str):
        return model
    from goldenthread.engine.embed import get_embedder

    emb = _WORKER_EMBEDDERS.get(model)
    if emb is None:
        emb = _WORKER_EMBEDDERS[model] = get_embedder(model)
    return emb


def _encode_partition(texts: list[str], model: str) -> list[np.ndarray]:
    """Run on a worker: embed one partition with a per-process cached model."""
    return [_worker_embedder(model).encode(list(texts))]


def embed_in_partitions(texts: Sequence[str], model: str = "fast", embedder=None,
                        partition_size: int = 10000,
                        scheduler_address: str | None = None) -> np.ndarray:
    """Embed ``texts`` in partitions with ``dask.bag``, keeping their order.

    Parameters
    ----------
    texts : sequence of str
    model : str, default="fast"
        Embedder name; each worker loads it once.
    embedder : object, optional
        An embedder instance to use instead (local scheduler only: it is not
        shipped to remote workers).
    partition_size : int, default=10000
    scheduler_address : str or None
        ``None`` runs on the local threaded scheduler; otherwise the address
        of a running ``distributed`` scheduler (e.g. ``"tcp://10.0.0.5:8786"``).

    Examples
    --------
    >>> embed_in_partitions(["a b", "c d", "e f"], model="hashing", partition_size=2).shape
    (3, 512)
    """
    import dask.bag as db

    texts = list(texts)
    if not texts:
        from goldenthread.engine.embed import get_embedder

        return np.zeros((0, (embedder or get_embedder(model)).dim), dtype=np.float32)
    npart = max(1, -(-len(texts) // partition_size))
    bag = db.from_sequence(texts, npartitions=npart)
    if embedder is not None and scheduler_address is None:
        parts = bag.map_partitions(lambda p: [embedder.encode(list(p))])
    else:
        if embedder is not None:
            model = getattr(embedder, "name", model)
        parts = bag.map_partitions(_encode_partition, model)
    if scheduler_address is None:
        out = parts.compute(scheduler="threads")
    else:
        from distributed import Client

        with Client(scheduler_address) as client:
            out = parts.compute(scheduler=client)
    return np.vstack(out).astype(np.float32)


# -- files: atomic writes, the write log -----------------------------------------------

def _atomic_write(path: Path, write: Callable[[Any], None], mode: str = "wb") -> None:
    """Write through ``write(file)`` into a temporary file, then rename it to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_json(path: Path, obj: Any) -> None:
    _atomic_write(path, lambda f: f.write(json.dumps(obj, indent=1, default=str)), mode="w")


def _write_pickle(path: Path, obj: Any) -> None:
    _atomic_write(path, lambda f: pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL))


def _write_npz(path: Path, **arrays: np.ndarray) -> None:
    _atomic_write(path, lambda f: np.savez(f, **arrays))


def _write_parquet(path: Path, table) -> None:
    import pyarrow.parquet as pq

    _atomic_write(path, lambda f: pq.write_table(table, f))


def _log_write(work: Path, stage: str, part: int | str) -> None:
    """Record one finished checkpoint (a single small append)."""
    with open(work / "writes.log", "a", encoding="utf-8") as f:
        f.write(f"{stage}\t{part}\t{os.getpid()}\n")


def read_write_log(work_dir: str | os.PathLike) -> list[tuple[str, str]]:
    """(stage, partition) of every checkpoint written, in order (for checks)."""
    p = Path(work_dir) / "writes.log"
    if not p.exists():
        return []
    return [tuple(line.split("\t")[:2]) for line in p.read_text(encoding="utf-8").splitlines() if line]


def _part(work: Path, stage: str, i: int, ext: str) -> Path:
    return work / stage / f"part-{i:05d}.{ext}"


# -- input ---------------------------------------------------------------------------

class BatchError(ValueError):
    """The batch cannot run; the message says what is wrong and how to fix it."""


def _read_source(source, id_column, text_column, kind_column, group_column):
    """Any accepted input -> a pyarrow Table with row_id, text, kind, group (strings)."""
    import pyarrow as pa

    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if not p.exists():
            raise BatchError(f"{p}: no such file")
        suffix = p.suffix.lower()
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            table = pq.read_table(p)
        elif suffix in (".csv", ".txt"):
            import pyarrow.csv as pacsv

            import csv

            with open(p, encoding="utf-8-sig", errors="replace", newline="") as f:
                names = next(csv.reader(f), [])
            try:
                table = pacsv.read_csv(p, convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.string() for c in names}, strings_can_be_null=False))
            except (pa.ArrowInvalid, UnicodeDecodeError) as e:
                raise BatchError(f"{p} could not be read as a UTF-8 CSV file with a header row: {e}") from None
        else:
            raise BatchError(f"{p}: expected a .parquet or .csv file")
        where = str(p)
    elif isinstance(source, pa.Table):
        table, where = source, "the table"
    elif hasattr(source, "columns") and hasattr(source, "to_dict"):  # pandas DataFrame
        table, where = pa.Table.from_pandas(source, preserve_index=False), "the table"
    else:
        rows = list(source)
        if rows and not isinstance(rows[0], dict):
            cols = ["id", "text", "kind", "group"]
            rows = [dict(zip(cols, r)) for r in rows]
            id_column = id_column or "id"
            kind_column = kind_column or "kind"
            group_column = group_column or ("group" if any(r.get("group") is not None for r in rows)
                                            else None)
        if not rows:
            raise BatchError("there are no statements to theme")
        table, where = pa.Table.from_pylist(rows), "the rows"
    if table.num_rows == 0:
        raise BatchError(f"{where} has no statements")
    found = table.schema.names
    for col, what in ((text_column, "text"), (id_column, "id"), (kind_column, "kind"),
                      (group_column, "group")):
        if col is not None and col not in found:
            raise BatchError(f"{where} has no {what} column {col!r}; columns found: "
                             + ", ".join(repr(c) for c in found))

    def strings(col):
        if col is None:
            return [""] * table.num_rows
        return ["" if v is None else str(v).strip() for v in table.column(col).to_pylist()]

    texts = ["" if v is None else str(v).strip() for v in table.column(text_column).to_pylist()]
    empty = [i + 1 for i, t in enumerate(texts) if not t]
    if empty:
        shown = ", ".join(map(str, empty[:20])) + (f" and {len(empty) - 20} more" if len(empty) > 20 else "")
        raise BatchError(f"{len(empty)} row(s) of {where} have an empty {text_column!r}: rows {shown} "
                         "(counting the first data row as 1); fill them in or remove them")
    ids = strings(id_column) if id_column else [str(i + 1) for i in range(table.num_rows)]
    if id_column:
        seen: dict[str, int] = {}
        dup = []
        for i, v in enumerate(ids):
            if not v:
                dup.append(f"row {i + 1} has no id")
            elif v in seen:
                dup.append(f"id {v!r} on rows {seen[v]} and {i + 1}")
            else:
                seen[v] = i + 1
        if dup:
            raise BatchError(f"{where}: every row needs its own {id_column!r}: " + "; ".join(dup[:10])
                             + (f" and {len(dup) - 10} more" if len(dup) > 10 else ""))
    return pa.table({"row_id": ids, "text": texts, "kind": strings(kind_column),
                     "group": strings(group_column)})


def _fingerprint(table) -> str:
    h = hashlib.blake2b(digest_size=16)
    for col in ("row_id", "text", "kind", "group"):
        for v in table.column(col).to_pylist():
            h.update(v.encode("utf-8"))
            h.update(b"\x00")
    return h.hexdigest()


# -- the result ----------------------------------------------------------------------

@dataclass
class BatchTheme:
    """One theme of a batch run."""

    theme_id: int
    kind: str
    group: str
    name: str
    size: int
    source: str  # "clustered" or "known"


@dataclass
class BatchResult:
    """What :func:`run_batch` made.

    ``table`` is a pyarrow Table with one row per input statement: ``row_id``,
    ``text``, ``kind``, ``group``, ``theme_id``, ``theme_name``, ``source``
    (``clustered`` or ``known``) and ``similarity`` (to the theme's centre).
    """

    table: Any
    themes: list[BatchTheme]
    work_dir: Path
    output: Path | None
    model: str
    timings: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def to_pandas(self):
        return self.table.to_pandas()


# -- worker tasks ----------------------------------------------------------------------

def _task_embed(work: str, i: int, model, known_path: str | None) -> str:
    """Embed partition ``i`` (and place it in known themes); skip if done."""
    import pyarrow.parquet as pq

    from goldenthread.engine.placing import text_hashes

    work_p = Path(work)
    out = _part(work_p, "embed", i, "npz")
    if out.exists():
        return "skipped"
    texts = pq.read_table(_part(work_p, "input", i, "parquet"), columns=["text"]).column("text").to_pylist()
    uniq = sorted(set(texts))
    pos = {t: j for j, t in enumerate(uniq)}
    V = _worker_embedder(model).encode(uniq).astype(np.float32)
    X = V[[pos[t] for t in texts]]
    known = np.full(len(texts), -1, dtype=np.int32)
    ksim = np.zeros(len(texts), dtype=np.float32)
    if known_path:
        with open(known_path, "rb") as f:
            placer = pickle.load(f)
        kidx, ks = placer.place(V)
        known, ksim = kidx[[pos[t] for t in texts]].astype(np.int32), ks[[pos[t] for t in texts]].astype(np.float32)
    _write_npz(out, X=X, hash=text_hashes(texts), known=known, ksim=ksim)
    _log_write(work_p, "embed", i)
    return "done"


def _load_plan_part(work: Path, i: int):
    import pyarrow.parquet as pq

    meta = pq.read_table(_part(work, "input", i, "parquet"), columns=["kind", "group"])
    return meta.column("kind").to_pylist(), meta.column("group").to_pylist()


def _task_place(work: str, i: int) -> str:
    """Place partition ``i``'s free rows in the nearest sampled theme; skip if done."""
    from goldenthread.engine.placing import place_rows

    work_p = Path(work)
    out = _part(work_p, "place", i, "npz")
    if out.exists():
        return "skipped"
    with open(work_p / "groups.pkl", "rb") as f:
        groups = pickle.load(f)
    kinds, grps = _load_plan_part(work_p, i)
    with np.load(_part(work_p, "embed", i, "npz")) as z:
        X, known = z["X"], z["known"]
    theme = np.full(len(X), -1, dtype=np.int64)
    arrays = {}
    gindex = {key: gi for gi, key in enumerate(groups)}
    row_g = np.array([gindex[(k, g)] for k, g in zip(kinds, grps)])
    row_g[known >= 0] = -1
    for gi in np.unique(row_g[row_g >= 0]).tolist():
        rows = np.flatnonzero(row_g == gi)
        fit_path = work_p / "fit" / f"group-{gi:04d}.pkl"
        if not len(rows) or not fit_path.exists():
            continue
        with open(fit_path, "rb") as f:
            geometry = pickle.load(f)["geometry"]  # NumPy only: no scikit-learn on workers
        p = place_rows(geometry, X[rows])
        theme[rows] = p.theme
        arrays[f"sums_{gi}"], arrays[f"counts_{gi}"] = p.sums, p.counts
    _write_npz(out, theme=theme, **arrays)
    _log_write(work_p, "place", i)
    return "done"


def _task_label(work: str, i: int) -> str:
    """Final theme of every row of partition ``i``; skip if done."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from goldenthread.engine.vectors import _unit

    work_p = Path(work)
    out = _part(work_p, "label", i, "parquet")
    if out.exists():
        return "skipped"
    with open(work_p / "plan.pkl", "rb") as f:
        plan = pickle.load(f)
    inp = pq.read_table(_part(work_p, "input", i, "parquet"))
    kinds, grps = inp.column("kind").to_pylist(), inp.column("group").to_pylist()
    with np.load(_part(work_p, "embed", i, "npz")) as z:
        X, known, ksim = z["X"], z["known"], z["ksim"]
    with np.load(_part(work_p, "place", i, "npz")) as z:
        placed = z["theme"]
    n = len(X)
    tid = np.zeros(n, dtype=np.int64)
    sim = np.zeros(n, dtype=np.float32)
    source = np.array(["clustered"] * n, dtype=object)
    gindex = {key: gi for gi, key in enumerate(plan["groups"])}
    row_g = np.array([gindex[(k, g)] for k, g in zip(kinds, grps)])
    for gi, gp in enumerate(plan["per_group"]):
        rows = np.flatnonzero(row_g == gi)
        if not len(rows):
            continue
        kn = known[rows] >= 0
        if kn.any():
            kr = rows[kn]
            tid[kr] = gp["known_ids"][known[kr]]
            sim[kr] = ksim[kr]
            source[kr] = "known"
        free = rows[~kn]
        if not len(free):
            continue
        pre = placed[free].copy()
        left = gp["leftovers"].get(i)
        if left is not None:
            lpos, ltheme = left
            lookup = {int(r): int(t) for r, t in zip(lpos, ltheme)}
            for j, r in enumerate(free):
                if pre[j] < 0:
                    pre[j] = lookup[int(r)]
        if (pre < 0).any():
            raise RuntimeError(f"partition {i}: {int((pre < 0).sum())} row(s) without a theme")
        final = gp["final"][pre]
        tid[free] = gp["first_id"] + final
        cn = _unit(gp["centroids"])
        U = gp["geometry"].center_rows(X[free])
        sim[free] = np.einsum("ij,ij->i", U, cn[final])
    table = pa.table({"row_id": inp.column("row_id"), "text": inp.column("text"),
                      "kind": inp.column("kind"), "group": inp.column("group"),
                      "theme_id": pa.array(tid, pa.int64()), "similarity": pa.array(sim, pa.float32()),
                      "source": pa.array(source.tolist(), pa.string())})
    _write_parquet(out, table)
    _log_write(work_p, "label", i)
    return "done"


# -- the job -----------------------------------------------------------------------------

class _Status:
    """``status.json`` and the progress callback."""

    def __init__(self, work: Path, n_parts: int, rows: int,
                 progress: Callable[[str, int, int], None] | None) -> None:
        self.path = work / "status.json"
        self.progress = progress
        self.state = {"state": "running", "stage": "prepare", "rows": rows,
                      "partitions": n_parts, "stages": {s: {"done": 0, "total": 0} for s in STAGES},
                      "error": None, "started": _now(), "updated": _now()}
        self._last = 0.0

    def set(self, stage: str, done: int, total: int, force: bool = False) -> None:
        self.state["stage"] = stage
        self.state["stages"][stage] = {"done": done, "total": total}
        self.state["updated"] = _now()
        now = time.monotonic()
        if force or done >= total or now - self._last > 0.5:
            _write_json(self.path, self.state)
            self._last = now
        if self.progress is not None:
            self.progress(stage, done, total)

    def finish(self, state: str, error: str | None = None) -> None:
        self.state["state"] = state
        self.state["error"] = error
        self.state["updated"] = _now()
        _write_json(self.path, self.state)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def read_status(work_dir: str | os.PathLike) -> dict | None:
    """The job's ``status.json`` (``None`` before it starts)."""
    p = Path(work_dir) / "status.json"
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


class _LazyClient:
    """A Dask client started only when a stage has partitions left to do.

    A resumed job whose Dask stages are all finished never starts a cluster.
    """

    def __init__(self, scheduler: str | None, n_workers: int) -> None:
        self.scheduler, self.n_workers = scheduler, n_workers
        self._stack = None
        self.client = None

    def get(self):
        if self.client is None:
            import logging
            from contextlib import ExitStack

            from distributed import Client, LocalCluster

            self._stack = ExitStack()
            if self.scheduler:
                self.client = self._stack.enter_context(Client(self.scheduler))
            else:
                cluster = self._stack.enter_context(LocalCluster(
                    n_workers=self.n_workers, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR))
                self.client = self._stack.enter_context(Client(cluster))
        return self.client

    def __enter__(self) -> "_LazyClient":
        return self

    def __exit__(self, *exc) -> None:
        if self._stack is not None:
            self._stack.close()


def _run_parts(lazy: _LazyClient, fn, work: Path, n_parts: int, stage: str, status: _Status,
               *args) -> int:
    """Run ``fn(work, i, *args)`` for every unfinished partition on Dask; return how many were skipped."""
    from distributed import as_completed

    ext = "parquet" if stage == "label" else "npz"
    todo = [i for i in range(n_parts) if not _part(work, stage, i, ext).exists()]
    skipped = n_parts - len(todo)
    status.set(stage, skipped, n_parts, force=True)
    if not todo:
        return skipped
    client = lazy.get()
    futures = [client.submit(fn, str(work), i, *args, pure=False, key=f"{stage}-{i}-{time.time_ns()}")
               for i in todo]
    done = skipped
    for fut in as_completed(futures):
        if fut.result() == "skipped":
            skipped += 1
        done += 1
        status.set(stage, done, n_parts)
    return skipped


def run_batch(source: Any, *, work_dir: str | os.PathLike, output: str | os.PathLike | None = None,
              id_column: str | None = None, text_column: str = "text",
              kind_column: str | None = None, group_column: str | None = None,
              model: Any = "auto", scheduler: str | None = None, n_workers: int = 2,
              partition_size: int = DEFAULT_PARTITION_SIZE, sample_size: int | None = None,
              known: "tuple[Sequence[str], Sequence[str]] | None" = None,
              known_threshold: float | None = None, namer: Any = "keyphrase",
              z: float | None = None, min_share: float | None = None,
              random_state: int = 0, resume: bool = False,
              progress: Callable[[str, int, int], None] | None = None) -> BatchResult:
    """Theme every statement of ``source``, resumably, on Dask.

    Parameters
    ----------
    source : path, pandas.DataFrame, pyarrow.Table, or iterable
        A ``.parquet`` or ``.csv`` file; a table; or rows - dicts, or tuples
        ``(id, text, kind, group)`` (``kind`` and ``group`` may be ``None``).
    work_dir : path
        Checkpoints, ``status.json`` and ``writes.log`` go here.
    output : path, optional
        Parquet file to write (atomically) at the end.
    id_column : str, optional
        Column with a unique id per row (default: ``"id"`` when the input
        has one, else the row number, counting the first row as 1).
    text_column : str, default="text"
    kind_column, group_column : str, optional
        Statements are themed separately per kind and per group.
    model : {"auto", "minilm", "fast", "hashing"} or embedder, default="auto"
        ``"auto"``: MiniLM up to 20,000 distinct statements, else the fast model.
    scheduler : str, optional
        Address of a running Dask scheduler; default a ``LocalCluster`` of
        ``n_workers`` worker processes, one thread each.
    partition_size : int, default=20000
    sample_size : int, optional
        Distinct statements per kind/group fitted exactly (default 20,000).
    known : (texts, labels), optional
        A labelled table: statements that fit a known theme join it first.
    known_threshold : float, optional
        Fix the "fits a known theme" similarity instead of the engine's rule.
    namer : "keyphrase", "llm" or a namer
    z, min_share : float, optional
        As for :class:`~goldenthread.engine.cluster.ThemeClusterer`.
    resume : bool, default=False
        Continue the job in ``work_dir``; without it a work folder that
        already holds a job is refused.
    progress : callable, optional
        ``progress(stage, done, total)`` as partitions finish.

    Returns
    -------
    BatchResult

    Raises
    ------
    BatchError
        Bad input (naming the rows or columns), or a work folder that holds
        another job.
    """
    from goldenthread.engine.cluster import DEFAULT_MIN_SHARE, DEFAULT_Z
    from goldenthread.engine.embed import choose_model, get_embedder
    from goldenthread.engine.scaling import DEFAULT_SAMPLE_SIZE

    t0 = time.perf_counter()
    work = Path(work_dir)
    z = DEFAULT_Z if z is None else z
    min_share = DEFAULT_MIN_SHARE if min_share is None else min_share
    sample_size = DEFAULT_SAMPLE_SIZE if sample_size is None else int(sample_size)
    if id_column is None and isinstance(source, (str, os.PathLike)):
        id_column = _default_id_column(source)
    elif id_column is None and hasattr(source, "columns") and "id" in list(source.columns):
        id_column = "id"
    table = _read_source(source, id_column, text_column, kind_column, group_column)
    n = table.num_rows
    n_parts = max(1, -(-n // partition_size))
    fp = _fingerprint(table)
    model_name = model if isinstance(model, str) else getattr(model, "name", type(model).__name__)
    if model_name == "auto":
        model_name = choose_model(len(set(table.column("text").to_pylist())))
    settings = {"format": _FORMAT, "fingerprint": fp, "rows": n, "partitions": n_parts,
                "partition_size": partition_size, "model": model_name, "sample_size": sample_size,
                "z": z, "min_share": min_share, "random_state": random_state,
                "known": _known_fingerprint(known), "known_threshold": known_threshold}
    manifest = work / "manifest.json"
    if manifest.exists():
        old = json.loads(manifest.read_text(encoding="utf-8"))
        if not resume:
            raise BatchError(f"{work} already holds a batch job; resume it (--resume) or use "
                             "another work folder")
        diff = [k for k in settings if old.get(k) != settings[k]]
        if diff:
            raise BatchError(f"{work} holds a job with other input or settings ({', '.join(diff)}); "
                             "use another work folder")
    work.mkdir(parents=True, exist_ok=True)
    status = _Status(work, n_parts, n, progress)
    timings: dict[str, float] = {}
    skipped: dict[str, int] = {}
    try:
        # prepare
        t = time.perf_counter()
        status.set("prepare", 0, n_parts, force=True)
        if not manifest.exists():  # first, so a resumed job can never mix two inputs
            _write_json(manifest, settings)
        for i in range(n_parts):
            p = _part(work, "input", i, "parquet")
            if not p.exists():
                _write_parquet(p, table.slice(i * partition_size, partition_size))
                _log_write(work, "input", i)
            status.set("prepare", i + 1, n_parts)
        groups = sorted({(k, g) for k, g in zip(table.column("kind").to_pylist(),
                                                 table.column("group").to_pylist())})
        if not (work / "groups.pkl").exists():
            _write_pickle(work / "groups.pkl", groups)
        timings["prepare_s"] = time.perf_counter() - t

        embedder = model if not isinstance(model, str) else None
        if embedder is None and model_name == "fast":
            from goldenthread.engine.embed import build_fast_model

            build_fast_model()  # once, here, so workers never race to distil it
        model_spec = embedder if embedder is not None else model_name
        known_path = None
        if known is not None:
            known_path = work / "known.pkl"
            if not known_path.exists():
                from goldenthread.engine.scaling import known_themes

                _write_pickle(known_path, known_themes(known[0], known[1], embedder or get_embedder(model_name),
                                                       z=z, threshold=known_threshold))
            known_path = str(known_path)

        with _LazyClient(scheduler, n_workers) as client:
            t = time.perf_counter()
            skipped["embed"] = _run_parts(client, _task_embed, work, n_parts, "embed", status,
                                          model_spec, known_path)
            timings["embed_s"] = time.perf_counter() - t
            t = time.perf_counter()
            _stage_fit(work, groups, n_parts, status, embedder or get_embedder(model_name), client,
                       sample_size=sample_size, z=z, min_share=min_share, random_state=random_state)
            timings["fit_s"] = time.perf_counter() - t
            t = time.perf_counter()
            skipped["place"] = _run_parts(client, _task_place, work, n_parts, "place", status)
            timings["place_s"] = time.perf_counter() - t
            t = time.perf_counter()
            _stage_finish(work, groups, n_parts, status, sample_size=sample_size, z=z,
                          min_share=min_share, random_state=random_state)
            timings["finish_s"] = time.perf_counter() - t
            t = time.perf_counter()
            skipped["label"] = _run_parts(client, _task_label, work, n_parts, "label", status)
            timings["label_s"] = time.perf_counter() - t
        t = time.perf_counter()
        names = _stage_name(work, n_parts, status, namer)
        timings["name_s"] = time.perf_counter() - t
        t = time.perf_counter()
        result_table, themes = _stage_write(work, n_parts, status, names, n, output)
        timings["write_s"] = time.perf_counter() - t
    except BaseException as e:
        status.finish("failed", f"{type(e).__name__}: {e}")
        raise
    timings["total_s"] = time.perf_counter() - t0
    status.state["timings"] = timings
    status.finish("done")
    return BatchResult(table=result_table, themes=themes, work_dir=work,
                       output=Path(output) if output else None, model=model_name,
                       timings=timings, skipped=skipped)


def _default_id_column(source) -> str | None:
    p = Path(source)
    try:
        if p.suffix.lower() in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            names = pq.read_schema(p).names
        else:
            with open(p, encoding="utf-8-sig", errors="replace") as f:
                import csv

                names = next(csv.reader([f.readline()]), [])
    except (OSError, StopIteration):
        return None
    return "id" if "id" in names else None


def _known_fingerprint(known) -> str | None:
    if known is None:
        return None
    texts, labels = known
    if len(texts) != len(labels):
        raise BatchError(f"known themes: {len(texts)} statements but {len(labels)} labels")
    h = hashlib.blake2b(digest_size=16)
    for t, lab in zip(texts, labels):
        h.update(f"{t}\x00{lab}\x01".encode("utf-8"))
    return h.hexdigest()


def _group_rows(work: Path, n_parts: int, groups: list) -> list[list[np.ndarray]]:
    """Per partition, per group: positions of the free (not known-placed) rows."""
    gindex = {key: gi for gi, key in enumerate(groups)}
    out = []
    for i in range(n_parts):
        kinds, grps = _load_plan_part(work, i)
        with np.load(_part(work, "embed", i, "npz")) as z:
            known = z["known"]
        row_g = np.array([gindex[(k, g)] for k, g in zip(kinds, grps)])
        row_g[known >= 0] = -1
        out.append([np.flatnonzero(row_g == gi) for gi in range(len(groups))])
    return out


def _stage_fit(work: Path, groups: list, n_parts: int, status: _Status, embedder, lazy: "_LazyClient", *,
               sample_size: int, z: float, min_share: float, random_state: int) -> None:
    """Draw each group's hash sample here (one pass over the partitions), fit them on Dask."""
    import pyarrow.parquet as pq

    from goldenthread.engine.placing import sample_cut
    from goldenthread.engine.reference import REFERENCE_STATEMENTS

    todo = [gi for gi in range(len(groups)) if not (work / "fit" / f"group-{gi:04d}.pkl").exists()]
    status.set("fit", len(groups) - len(todo), len(groups), force=True)
    if not todo:
        return
    rows = _group_rows(work, n_parts, groups)
    hashes = {gi: [] for gi in todo}
    for i in range(n_parts):
        with np.load(_part(work, "embed", i, "npz")) as z_:
            h = z_["hash"]
        for gi in todo:
            hashes[gi].append(h[rows[i][gi]])
    cuts = {gi: sample_cut(np.concatenate(hashes[gi]), sample_size) for gi in todo}
    picked_X = {gi: [] for gi in todo}
    picked_t = {gi: [] for gi in todo}
    for i in range(n_parts):
        texts = pq.read_table(_part(work, "input", i, "parquet"), columns=["text"]).column("text").to_pylist()
        with np.load(_part(work, "embed", i, "npz")) as z_:
            X, h = z_["X"], z_["hash"]
        for gi in todo:
            r = rows[i][gi]
            r = r[h[r] <= np.uint64(cuts[gi])]
            picked_X[gi].append(X[r])
            picked_t[gi].extend(texts[j] for j in r)
    ref = embedder.encode(list(REFERENCE_STATEMENTS))
    params = {"z": z, "min_share": min_share, "random_state": random_state}
    client = lazy.get()
    futures = [client.submit(_task_fit, str(work), gi,
                             np.vstack(picked_X[gi]) if picked_t[gi] else None, picked_t[gi], ref,
                             params, pure=False, key=f"fit-{gi}-{time.time_ns()}") for gi in todo]
    del picked_X, picked_t
    from distributed import as_completed

    done = len(groups) - len(todo)
    for fut in as_completed(futures):
        fut.result()
        done += 1
        status.set("fit", done, len(groups))


def _task_fit(work: str, gi: int, X: np.ndarray | None, texts: list[str], reference: np.ndarray,
              params: dict) -> str:
    """Fit one group's hash sample (on a worker); skip if done.

    The file holds the fitted ``ThemeClusterer`` pickled on its own (``model``,
    bytes) and its :class:`~goldenthread.engine.placing.ThemeGeometry`, so
    the workers that place statements read the geometry without scikit-learn.
    """
    from goldenthread.engine.cluster import ThemeClusterer
    from goldenthread.engine.placing import ThemeGeometry

    work_p = Path(work)
    out = work_p / "fit" / f"group-{gi:04d}.pkl"
    if out.exists():
        return "skipped"
    model = None
    if X is not None and len(X):
        model = ThemeClusterer(reference=reference, **params).fit(X, keys=texts)
    _write_pickle(out, {"model": pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL),
                        "geometry": None if model is None else ThemeGeometry.of(model),
                        "reference": reference})
    _log_write(work_p, "fit", gi)
    return "done"


def _stage_finish(work: Path, groups: list, n_parts: int, status: _Status, *,
                  sample_size: int, z: float, min_share: float, random_state: int) -> None:
    """Leftovers, minor themes, numbering: writes ``plan.pkl``."""
    import pyarrow.parquet as pq

    from goldenthread.engine.scaling import finish_themes

    status.set("finish", 0, len(groups), force=True)
    if (work / "plan.pkl").exists():
        status.set("finish", len(groups), len(groups))
        return
    rows = _group_rows(work, n_parts, groups)
    fits = []
    for gi in range(len(groups)):
        with open(work / "fit" / f"group-{gi:04d}.pkl", "rb") as f:
            fits.append(pickle.load(f))
    known_themes_ = None
    if (work / "known.pkl").exists():
        with open(work / "known.pkl", "rb") as f:
            known_themes_ = pickle.load(f).themes_
    sums = [None] * len(groups)
    counts = [None] * len(groups)
    left_X = [[] for _ in groups]
    left_t = [[] for _ in groups]
    left_pos = [[] for _ in groups]  # (partition, positions)
    known_counts = [np.zeros(len(known_themes_ or []), dtype=np.int64) for _ in groups]
    gindex = {key: gi for gi, key in enumerate(groups)}
    for i in range(n_parts):
        with np.load(_part(work, "place", i, "npz")) as z_:
            placed = z_["theme"]
            for gi in range(len(groups)):
                if f"sums_{gi}" in z_:
                    s, c = z_[f"sums_{gi}"], z_[f"counts_{gi}"]
                    sums[gi] = s if sums[gi] is None else sums[gi] + s
                    counts[gi] = c if counts[gi] is None else counts[gi] + c
        with np.load(_part(work, "embed", i, "npz")) as z_:
            X, known = z_["X"], z_["known"]
        texts = None
        for gi in range(len(groups)):
            r = rows[i][gi]
            lr = r[placed[r] < 0]
            if len(lr):
                if texts is None:
                    texts = pq.read_table(_part(work, "input", i, "parquet"),
                                          columns=["text"]).column("text").to_pylist()
                left_X[gi].append(X[lr])
                left_t[gi].extend(texts[j] for j in lr)
                left_pos[gi].append((i, lr))
        if known_themes_ is not None and (known >= 0).any():
            kinds, grps = _load_plan_part(work, i)
            for j in np.flatnonzero(known >= 0):
                known_counts[gindex[(kinds[j], grps[j])]][known[j]] += 1
    per_group = []
    next_id = 1
    for gi, key in enumerate(groups):
        model = fits[gi]["geometry"]
        known_ids = np.zeros(len(known_counts[gi]), dtype=np.int64)
        for t in np.flatnonzero(known_counts[gi]):
            known_ids[t] = next_id
            next_id += 1
        gp = {"key": key, "known_ids": known_ids, "known_counts": known_counts[gi],
              "first_id": next_id, "geometry": model, "final": np.zeros(0, dtype=np.int64),
              "centroids": np.zeros((0, 1)), "counts": np.zeros(0, dtype=np.int64), "leftovers": {}}
        if model is not None:
            LX = np.vstack(left_X[gi]) if left_t[gi] else np.zeros((0, model.n_features_in_), np.float32)
            n_total = int(counts[gi].sum()) + len(LX)
            done = finish_themes(model, sums[gi], counts[gi], LX, left_t[gi], n_total,
                                 sample_size=sample_size, min_share=min_share, z=z,
                                 reference=fits[gi]["reference"], random_state=random_state)
            off = 0
            for (i, lr) in left_pos[gi]:
                gp["leftovers"][i] = (lr, done.leftover_theme[off:off + len(lr)])
                off += len(lr)
            gp.update(final=done.final, centroids=done.centroids, counts=done.counts,
                      n_leftover=len(LX), absorbed=done.absorbed)
            next_id += len(done.counts)
        per_group.append(gp)
        status.state["leftovers"] = sum(g.get("n_leftover", 0) for g in per_group)
        status.set("finish", gi + 1, len(groups))
    _write_pickle(work / "plan.pkl", {"groups": groups, "per_group": per_group,
                                      "known_themes": known_themes_})
    _log_write(work, "plan", "all")


def _stage_name(work: Path, n_parts: int, status: _Status, namer) -> dict[int, str]:
    """Name every theme from its most central statements: writes ``names.json``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from goldenthread.engine.naming import get_namer

    path = work / "names.json"
    if path.exists():
        status.set("name", 1, 1)
        return {int(k): v for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    status.set("name", 0, 1, force=True)
    with open(work / "plan.pkl", "rb") as f:
        plan = pickle.load(f)
    parts = []
    for i in range(n_parts):
        t = pq.read_table(_part(work, "label", i, "parquet"),
                          columns=["theme_id", "similarity", "text", "kind", "source"])
        parts.append(t.filter(pc.equal(t.column("source"), "clustered")))
    table = pa.concat_tables(parts)
    names: dict[int, str] = {}
    for gp in plan["per_group"]:
        for t, tid in enumerate(gp["known_ids"]):
            if gp["known_counts"][t]:
                names[int(tid)] = str(plan["known_themes"][t])
    if table.num_rows:
        tid = table.column("theme_id").to_numpy()
        sim = table.column("similarity").to_numpy()
        texts = table.column("text").to_pylist()
        kinds = table.column("kind").to_pylist()
        order = np.lexsort((-sim, tid))
        tid_sorted = tid[order]
        starts = np.flatnonzero(np.r_[True, tid_sorted[1:] != tid_sorted[:-1]])
        ends = np.r_[starts[1:], len(order)]
        by_kind: dict[str, list[tuple[int, list[str], list[float]]]] = {}
        for s, e in zip(starts, ends):
            pick = order[s:min(e, s + NAME_SAMPLE)]
            by_kind.setdefault(kinds[pick[0]], []).append(
                (int(tid_sorted[s]), [texts[j] for j in pick], [float(sim[j]) for j in pick]))
        nm = get_namer(namer)
        for kind, items in sorted(by_kind.items()):
            got = nm.name([it[1] for it in items], kind=kind or None, centrality=[it[2] for it in items])
            for it, g in zip(items, got):
                names[it[0]] = g[0].text if g else it[1][0]
    _write_json(path, {str(k): v for k, v in sorted(names.items())})
    _log_write(work, "names", "all")
    status.set("name", 1, 1)
    return names


def _stage_write(work: Path, n_parts: int, status: _Status, names: dict[int, str], n_rows: int,
                 output) -> tuple[Any, list[BatchTheme]]:
    """Join names, check every row once, write the output Parquet file."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    status.set("write", 0, n_parts, force=True)
    parts = []
    for i in range(n_parts):
        t = pq.read_table(_part(work, "label", i, "parquet"))
        tid = t.column("theme_id").to_numpy()
        missing = sorted({int(x) for x in np.unique(tid)} - names.keys())
        if missing:
            raise RuntimeError(f"partition {i}: theme(s) {missing[:5]} have no name")
        t = t.append_column("theme_name", pa.array([names[int(x)] for x in tid], pa.string()))
        parts.append(t.select(["row_id", "text", "kind", "group", "theme_id", "theme_name",
                               "source", "similarity"]))
        status.set("write", i + 1, n_parts)
    table = pa.concat_tables(parts)
    if table.num_rows != n_rows or pc.count_distinct(table.column("row_id")).as_py() != n_rows:
        raise RuntimeError(f"the output has {table.num_rows} rows "
                           f"({pc.count_distinct(table.column('row_id')).as_py()} distinct ids) "
                           f"for {n_rows} input rows")
    if output:
        _write_parquet(Path(output), table)
    # Theme list: one entry per theme id.
    tids = table.column("theme_id").to_numpy()
    uniq, first, sizes = np.unique(tids, return_index=True, return_counts=True)
    kinds, groups, sources = (table.column(c).to_pylist() for c in ("kind", "group", "source"))
    themes = [BatchTheme(theme_id=int(t), kind=kinds[f], group=groups[f], name=names[int(t)],
                         size=int(s), source=sources[f]) for t, f, s in zip(uniq, first, sizes)]
    return table, themes
