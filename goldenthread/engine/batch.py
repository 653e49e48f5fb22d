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
    labelled table, each theme with its kind) place statements first, only
    ever in a known theme of the statement's own kind.

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

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from goldenthread.engine.batch_io import (  # noqa: F401  (BatchTheme, read_write_log, STAGES: public here too)
    STAGES, BatchError, BatchResult, BatchTheme, JobStatus, fingerprint, log_write, part_path, read_source,
    read_status, read_write_log, write_json, write_parquet, write_pickle,
)
from goldenthread.engine.batch_stages import (  # noqa: F401  (NAME_SAMPLE: public here too)
    NAME_SAMPLE, LazyClient, run_parts, stage_finish, stage_fit, stage_name, stage_write, task_embed, task_label,
    task_place, worker_embedder,
)

#: Statements per partition (per Dask task).
DEFAULT_PARTITION_SIZE = 20000
_FORMAT = 1  # bump when the work-folder layout changes


# -- embedding in partitions (used by ThemeEngine) ------------------------------------

def _encode_partition(texts: list[str], model: str) -> list[np.ndarray]:
    """Run on a worker: embed one partition with a per-process cached model."""
    return [worker_embedder(model).encode(list(texts))]


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


# -- the job -----------------------------------------------------------------------------

def run_batch(source: Any, *, work_dir: str | os.PathLike, output: str | os.PathLike | None = None,
              id_column: str | None = None, text_column: str = "text",
              kind_column: str | None = None, group_column: str | None = None,
              model: Any = "auto", scheduler: str | None = None, n_workers: int = 2,
              partition_size: int = DEFAULT_PARTITION_SIZE, sample_size: int | None = None,
              known: "tuple[Sequence[str], Sequence[str]] | tuple[Sequence[str], Sequence[str], Sequence[str]] | None" = None,
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
    known : (texts, labels) or (texts, labels, kinds), optional
        A labelled table: statements that fit a known theme join it first. With ``kinds`` (each
        known statement's kind, matching the ``kind_column`` values) every known theme has one
        kind, and a statement only ever joins a known theme of its own kind.
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
    table = read_source(source, id_column, text_column, kind_column, group_column)
    n = table.num_rows
    n_parts = max(1, -(-n // partition_size))
    fp = fingerprint(table)
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
    status = JobStatus(work, n_parts, n, progress)
    timings: dict[str, float] = {}
    skipped: dict[str, int] = {}
    try:
        # prepare
        t = time.perf_counter()
        status.set("prepare", 0, n_parts, force=True)
        if not manifest.exists():  # first, so a resumed job can never mix two inputs
            write_json(manifest, settings)
        for i in range(n_parts):
            p = part_path(work, "input", i, "parquet")
            if not p.exists():
                write_parquet(p, table.slice(i * partition_size, partition_size))
                log_write(work, "input", i)
            status.set("prepare", i + 1, n_parts)
        groups = sorted({(k, g) for k, g in zip(table.column("kind").to_pylist(),
                                                 table.column("group").to_pylist())})
        if not (work / "groups.pkl").exists():
            write_pickle(work / "groups.pkl", groups)
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

                write_pickle(known_path, known_themes(known[0], known[1], embedder or get_embedder(model_name),
                                                       z=z, threshold=known_threshold,
                                                       known_kinds=known[2] if len(known) > 2 else None))
            known_path = str(known_path)

        with LazyClient(scheduler, n_workers) as client:
            t = time.perf_counter()
            skipped["embed"] = run_parts(client, task_embed, work, n_parts, "embed", status,
                                          model_spec, known_path)
            timings["embed_s"] = time.perf_counter() - t
            t = time.perf_counter()
            stage_fit(work, groups, n_parts, status, embedder or get_embedder(model_name), client,
                       sample_size=sample_size, z=z, min_share=min_share, random_state=random_state)
            timings["fit_s"] = time.perf_counter() - t
            t = time.perf_counter()
            skipped["place"] = run_parts(client, task_place, work, n_parts, "place", status)
            timings["place_s"] = time.perf_counter() - t
            t = time.perf_counter()
            stage_finish(work, groups, n_parts, status, sample_size=sample_size, z=z,
                          min_share=min_share, random_state=random_state)
            timings["finish_s"] = time.perf_counter() - t
            t = time.perf_counter()
            skipped["label"] = run_parts(client, task_label, work, n_parts, "label", status)
            timings["label_s"] = time.perf_counter() - t
        t = time.perf_counter()
        names = stage_name(work, n_parts, status, namer)
        timings["name_s"] = time.perf_counter() - t
        t = time.perf_counter()
        result_table, themes = stage_write(work, n_parts, status, names, n, output)
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
    texts, labels, *rest = known
    if len(texts) != len(labels):
        raise BatchError(f"known themes: {len(texts)} statements but {len(labels)} labels")
    kinds = rest[0] if rest else None
    if kinds is not None and len(kinds) != len(texts):
        raise BatchError(f"known themes: {len(texts)} statements but {len(kinds)} kinds")
    h = hashlib.blake2b(digest_size=16)
    for i, (t, lab) in enumerate(zip(texts, labels)):
        h.update(f"{t}\x00{lab}\x01".encode("utf-8"))
        if kinds is not None:
            h.update(f"{kinds[i]}\x02".encode("utf-8"))
    return h.hexdigest()
