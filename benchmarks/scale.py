#!/usr/bin/env python3
"""Whole council to whole country: the batch pipeline's speed and memory (issue 17).

For each size (default 1,000 / 10,000 / 100,000; ``--sizes`` up to
1,000,000) this benchmark

1. invents that many statements from templates about everyday life with
   support (``goldenthread.engine.synthetic``: travel, money, friends, staff,
   health, home, work, hobbies, family, choice - written for this project,
   with random slots, lead-ins, tails and dropped words) and writes them to a
   Parquet file with id, text, kind and area;
2. runs ``goldenthread batch`` on it in a fresh process (a 2-worker local Dask
   cluster, per kind, themes named, Parquet out) and measures wall time and
   peak memory: the sum of the resident memory of the job and all its Dask
   processes, sampled every 0.2 s with psutil;
3. runs the **embedding step alone** with the same model on the same kind of
   2-worker cluster (same partitions, distinct texts per partition, nothing
   else) as the floor.

It prints one row per size and how each figure grows from one size to the
next (exponent 1.0 = linear). Targets from the issue: 1,000,000 statements in
under 10 minutes end to end, peak memory under 6 GB, end to end within 2x of
embedding alone.

usage:
  python benchmarks/scale.py [--sizes 1000,10000,100000] [--model fast] [--workers 2]
                             [--partition-size 20000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)


def _tree_rss(proc) -> tuple[int, int]:
    """(sum, largest) resident bytes of a process and all its descendants."""
    import psutil

    total = biggest = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0, 0
    for p in procs:
        try:
            r = p.memory_info().rss
        except psutil.Error:
            continue
        total += r
        biggest = max(biggest, r)
    return total, biggest


def run_measured(cmd: list[str], env: dict) -> dict:
    """Run ``cmd``; wall time, peak summed RSS of its process tree, exit code, output."""
    import psutil

    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(p.pid)
    peak = {"total": 0, "biggest": 0}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            tot, big = _tree_rss(ps)
            peak["total"] = max(peak["total"], tot)
            peak["biggest"] = max(peak["biggest"], big)
            stop.wait(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = p.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    return {"wall_s": wall, "peak_rss": peak["total"], "peak_proc_rss": peak["biggest"],
            "rc": p.returncode, "stdout": out, "stderr": err}


def embed_only(path: str, model: str, workers: int, partition_size: int) -> None:
    """Child process: the embedding step alone on a local Dask cluster; prints JSON."""
    import logging

    import pyarrow.parquet as pq
    from distributed import Client, LocalCluster, wait

    from goldenthread.engine.batch_stages import worker_embedder

    texts = pq.read_table(path, columns=["text"]).column("text").to_pylist()
    parts = [texts[i:i + partition_size] for i in range(0, len(texts), partition_size)]

    def encode(part, model=model):
        uniq = sorted(set(part))
        return worker_embedder(model).encode(uniq).shape[0]

    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        t1 = time.perf_counter()
        futs = client.map(encode, parts, pure=False)
        wait(futs)
        n = sum(f.result() for f in futs)
        t2 = time.perf_counter()
    print(json.dumps({"cluster_start_s": t1 - t0, "embed_s": t2 - t1, "embedded": n}))


def fmt_bytes(b: int) -> str:
    return f"{b / 2**20:,.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--model", default="fast", help="fast (default; what auto uses above 20,000), minilm, hashing, auto")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-size", type=int, default=20000)
    ap.add_argument("--keep", default=None, help="keep inputs/outputs in this folder")
    ap.add_argument("--_embed-only", nargs=4, dest="embed_only", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.embed_only:
        path, model, workers, psize = args.embed_only
        embed_only(path, model, int(workers), int(psize))
        return

    import pyarrow as pa
    import pyarrow.parquet as pq

    from goldenthread.engine.synthetic import make_statements

    sizes = [int(s) for s in args.sizes.split(",")]
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if args.model in ("fast", "auto"):
        from goldenthread.engine.embed import build_fast_model, distilled_model_dir

        t = time.perf_counter()
        existed = distilled_model_dir().exists()
        build_fast_model()
        print(f"fast model {'found' if existed else 'distilled'} in {time.perf_counter() - t:.1f} s")
    base = args.keep or tempfile.mkdtemp(prefix="gt-scale-")
    os.makedirs(base, exist_ok=True)
    rows = []
    for n in sizes:
        t = time.perf_counter()
        data = make_statements(n, seed=n)
        src = os.path.join(base, f"in-{n}.parquet")
        pq.write_table(pa.Table.from_pylist([{k: r[k] for k in ("id", "text", "kind", "area")}
                                             for r in data]), src)
        distinct = len({r["text"] for r in data})
        del data
        gen_s = time.perf_counter() - t
        work = os.path.join(base, f"work-{n}")
        out = os.path.join(base, f"out-{n}.parquet")
        batch = run_measured([sys.executable, "-m", "goldenthread.cli.main", "batch", "--input", src,
                              "--output", out, "--work-dir", work, "--model", args.model,
                              "--workers", str(args.workers),
                              "--partition-size", str(args.partition_size)], env)
        if batch["rc"] != 0:
            print(batch["stderr"][-3000:])
            raise SystemExit(f"batch failed for {n}")
        with open(os.path.join(work, "status.json"), encoding="utf-8") as f:
            timings = json.load(f).get("timings", {})
        floor = run_measured([sys.executable, os.path.abspath(__file__), "--_embed-only", src, args.model,
                              str(args.workers), str(args.partition_size)], env)
        if floor["rc"] != 0:
            print(floor["stderr"][-3000:])
            raise SystemExit(f"embedding alone failed for {n}")
        fl = json.loads(floor["stdout"].strip().splitlines()[-1])
        themes = pq.read_table(out, columns=["theme_id"]).column("theme_id").to_numpy()
        row = {"n": n, "distinct": distinct, "gen_s": gen_s, "wall_s": batch["wall_s"],
               "per_s": n / batch["wall_s"], "peak_rss": batch["peak_rss"],
               "peak_proc_rss": batch["peak_proc_rss"], "themes": len(set(themes.tolist())),
               "embed_stage_s": timings.get("embed_s", float("nan")),
               "floor_wall_s": floor["wall_s"], "floor_embed_s": fl["embed_s"],
               "floor_peak_rss": floor["peak_rss"], "timings": timings}
        rows.append(row)
        print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()
                          if k != "timings"}), flush=True)
        print("  stages: " + ", ".join(f"{k[:-2]} {v:.1f} s" for k, v in timings.items()), flush=True)

    print()
    print(f"model={args.model}, workers={args.workers}, partition size={args.partition_size}, "
          f"cores={os.cpu_count()}")
    print(f"{'statements':>11} {'distinct':>9} {'themes':>7} {'wall':>8} {'stmt/s':>8} {'peak mem':>10} "
          f"{'embed alone':>12} {'wall/embed':>11}")
    for r in rows:
        print(f"{r['n']:>11,} {r['distinct']:>9,} {r['themes']:>7} {r['wall_s']:>7.1f}s {r['per_s']:>8,.0f} "
              f"{fmt_bytes(r['peak_rss']):>10} {r['floor_wall_s']:>11.1f}s {r['wall_s'] / r['floor_wall_s']:>10.2f}x")
    print("(wall and embed alone are whole processes: both include starting the 2-worker cluster; "
          "'embed alone' excluding cluster start: " + ", ".join(f"{r['floor_embed_s']:.1f} s" for r in rows) + ")")
    for a, b in zip(rows, rows[1:]):
        k = math.log(b["n"] / a["n"])
        print(f"{a['n']:,} -> {b['n']:,}: wall x{b['wall_s'] / a['wall_s']:.2f} (exponent "
              f"{math.log(b['wall_s'] / a['wall_s']) / k:.2f}), peak memory x{b['peak_rss'] / a['peak_rss']:.2f} "
              f"(exponent {math.log(b['peak_rss'] / a['peak_rss']) / k:.2f}), embed alone "
              f"x{b['floor_wall_s'] / a['floor_wall_s']:.2f}")


if __name__ == "__main__":
    main()
