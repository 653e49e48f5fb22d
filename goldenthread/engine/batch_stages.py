"""The batch pipeline's stages (:mod:`goldenthread.engine.batch`): the tasks Dask runs on its workers, one
partition each (embed, place, label), and the stages that run here or fan out per group (fit, finish, name,
write). Every task skips a partition whose checkpoint file exists, so a rerun never redoes finished work.
"""
from __future__ import annotations

import json
import pickle
import time
from pathlib import Path
from typing import Any

import numpy as np

from goldenthread.engine.batch_io import (
    BatchTheme, JobStatus, log_write, part_path, write_json, write_npz, write_parquet, write_pickle,
)

_WORKER_EMBEDDERS: dict[str, object] = {}

#: Statements per theme handed to the namer (the most central ones).
NAME_SAMPLE = 50


def worker_embedder(model):
    """The embedder for ``model`` on this worker process (loaded once)."""
    if not isinstance(model, str):
        return model
    from goldenthread.engine.embed import get_embedder

    emb = _WORKER_EMBEDDERS.get(model)
    if emb is None:
        emb = _WORKER_EMBEDDERS[model] = get_embedder(model)
    return emb


# -- worker tasks ----------------------------------------------------------------------

def task_embed(work: str, i: int, model, known_path: str | None) -> str:
    """Embed partition ``i`` (and place it in known themes); skip if done."""
    import pyarrow.parquet as pq

    from goldenthread.engine.placing import text_hashes

    work_p = Path(work)
    out = part_path(work_p, "embed", i, "npz")
    if out.exists():
        return "skipped"
    inp = pq.read_table(part_path(work_p, "input", i, "parquet"), columns=["text", "kind"])
    texts, kinds = inp.column("text").to_pylist(), inp.column("kind").to_pylist()
    uniq = sorted(set(texts))
    pos = {t: j for j, t in enumerate(uniq)}
    V = worker_embedder(model).encode(uniq).astype(np.float32)
    X = V[[pos[t] for t in texts]]
    known = np.full(len(texts), -1, dtype=np.int32)
    ksim = np.zeros(len(texts), dtype=np.float32)
    if known_path:
        with open(known_path, "rb") as f:
            placer = pickle.load(f)
        if getattr(placer, "kinds_", None) is not None:
            # each (wording, kind) once: the same words said as "working" and as "not working" are placed
            # apart, each only among the known themes of its own kind
            pairs = sorted(set(zip(texts, kinds)))
            ppos = {p: j for j, p in enumerate(pairs)}
            kidx, ks = placer.place(V[[pos[t] for t, _ in pairs]], kinds=[k for _, k in pairs])
            rows = [ppos[p] for p in zip(texts, kinds)]
        else:
            kidx, ks = placer.place(V)
            rows = [pos[t] for t in texts]
        known, ksim = kidx[rows].astype(np.int32), ks[rows].astype(np.float32)
    write_npz(out, X=X, hash=text_hashes(texts), known=known, ksim=ksim)
    log_write(work_p, "embed", i)
    return "done"


def _load_plan_part(work: Path, i: int):
    import pyarrow.parquet as pq

    meta = pq.read_table(part_path(work, "input", i, "parquet"), columns=["kind", "group"])
    return meta.column("kind").to_pylist(), meta.column("group").to_pylist()


def task_place(work: str, i: int) -> str:
    """Place partition ``i``'s free rows in the nearest sampled theme; skip if done."""
    from goldenthread.engine.placing import place_rows

    work_p = Path(work)
    out = part_path(work_p, "place", i, "npz")
    if out.exists():
        return "skipped"
    with open(work_p / "groups.pkl", "rb") as f:
        groups = pickle.load(f)
    kinds, grps = _load_plan_part(work_p, i)
    with np.load(part_path(work_p, "embed", i, "npz")) as z:
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
    write_npz(out, theme=theme, **arrays)
    log_write(work_p, "place", i)
    return "done"


def task_label(work: str, i: int) -> str:
    """Final theme of every row of partition ``i``; skip if done."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from goldenthread.engine.vectors import _unit

    work_p = Path(work)
    out = part_path(work_p, "label", i, "parquet")
    if out.exists():
        return "skipped"
    with open(work_p / "plan.pkl", "rb") as f:
        plan = pickle.load(f)
    inp = pq.read_table(part_path(work_p, "input", i, "parquet"))
    kinds, grps = inp.column("kind").to_pylist(), inp.column("group").to_pylist()
    with np.load(part_path(work_p, "embed", i, "npz")) as z:
        X, known, ksim = z["X"], z["known"], z["ksim"]
    with np.load(part_path(work_p, "place", i, "npz")) as z:
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
    write_parquet(out, table)
    log_write(work_p, "label", i)
    return "done"


# -- running stages on Dask -------------------------------------------------------------

class LazyClient:
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

    def __enter__(self) -> "LazyClient":
        return self

    def __exit__(self, *exc) -> None:
        if self._stack is not None:
            self._stack.close()


def run_parts(lazy: LazyClient, fn, work: Path, n_parts: int, stage: str, status: JobStatus,
               *args) -> int:
    """Run ``fn(work, i, *args)`` for every unfinished partition on Dask; return how many were skipped."""
    from distributed import as_completed

    ext = "parquet" if stage == "label" else "npz"
    todo = [i for i in range(n_parts) if not part_path(work, stage, i, ext).exists()]
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


# -- the stages ---------------------------------------------------------------------------

def _group_rows(work: Path, n_parts: int, groups: list) -> list[list[np.ndarray]]:
    """Per partition, per group: positions of the free (not known-placed) rows."""
    gindex = {key: gi for gi, key in enumerate(groups)}
    out = []
    for i in range(n_parts):
        kinds, grps = _load_plan_part(work, i)
        with np.load(part_path(work, "embed", i, "npz")) as z:
            known = z["known"]
        row_g = np.array([gindex[(k, g)] for k, g in zip(kinds, grps)])
        row_g[known >= 0] = -1
        out.append([np.flatnonzero(row_g == gi) for gi in range(len(groups))])
    return out


def stage_fit(work: Path, groups: list, n_parts: int, status: JobStatus, embedder, lazy: "LazyClient", *,
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
        with np.load(part_path(work, "embed", i, "npz")) as z_:
            h = z_["hash"]
        for gi in todo:
            hashes[gi].append(h[rows[i][gi]])
    cuts = {gi: sample_cut(np.concatenate(hashes[gi]), sample_size) for gi in todo}
    picked_X = {gi: [] for gi in todo}
    picked_t = {gi: [] for gi in todo}
    for i in range(n_parts):
        texts = pq.read_table(part_path(work, "input", i, "parquet"), columns=["text"]).column("text").to_pylist()
        with np.load(part_path(work, "embed", i, "npz")) as z_:
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
    write_pickle(out, {"model": pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL),
                        "geometry": None if model is None else ThemeGeometry.of(model),
                        "reference": reference})
    log_write(work_p, "fit", gi)
    return "done"


def stage_finish(work: Path, groups: list, n_parts: int, status: JobStatus, *,
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
        with np.load(part_path(work, "place", i, "npz")) as z_:
            placed = z_["theme"]
            for gi in range(len(groups)):
                if f"sums_{gi}" in z_:
                    s, c = z_[f"sums_{gi}"], z_[f"counts_{gi}"]
                    sums[gi] = s if sums[gi] is None else sums[gi] + s
                    counts[gi] = c if counts[gi] is None else counts[gi] + c
        with np.load(part_path(work, "embed", i, "npz")) as z_:
            X, known = z_["X"], z_["known"]
        texts = None
        for gi in range(len(groups)):
            r = rows[i][gi]
            lr = r[placed[r] < 0]
            if len(lr):
                if texts is None:
                    texts = pq.read_table(part_path(work, "input", i, "parquet"),
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
    write_pickle(work / "plan.pkl", {"groups": groups, "per_group": per_group,
                                      "known_themes": known_themes_})
    log_write(work, "plan", "all")


def stage_name(work: Path, n_parts: int, status: JobStatus, namer) -> dict[int, str]:
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
        t = pq.read_table(part_path(work, "label", i, "parquet"),
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
    write_json(path, {str(k): v for k, v in sorted(names.items())})
    log_write(work, "names", "all")
    status.set("name", 1, 1)
    return names


def stage_write(work: Path, n_parts: int, status: JobStatus, names: dict[int, str], n_rows: int,
                 output) -> tuple[Any, list[BatchTheme]]:
    """Join names, check every row once, write the output Parquet file."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    status.set("write", 0, n_parts, force=True)
    parts = []
    for i in range(n_parts):
        t = pq.read_table(part_path(work, "label", i, "parquet"))
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
        write_parquet(Path(output), table)
    # Theme list: one entry per theme id.
    tids = table.column("theme_id").to_numpy()
    uniq, first, sizes = np.unique(tids, return_index=True, return_counts=True)
    kinds, groups, sources = (table.column(c).to_pylist() for c in ("kind", "group", "source"))
    themes = [BatchTheme(theme_id=int(t), kind=kinds[f], group=groups[f], name=names[int(t)],
                         size=int(s), source=sources[f]) for t, f, s in zip(uniq, first, sizes)]
    return table, themes
