#!/usr/bin/env python3
"""Speed and memory benchmark for the theme engine (2-CPU targets).

Measures, each in a fresh process so model loading and peak memory count:

1. 300 statements themed and named through the CLI, including model load
   (target < 3 s; the default ``auto`` model uses MiniLM at this size);
2. card-call assistant: milliseconds per card with 200 cards on the wall;
3. 100,000 statements (made by recombining clauses of the shared data, or
   synthetic text if it is missing) themed and named (``auto`` uses the fast
   model at this size): wall time and peak RSS (targets < 60 s, < 2 GB);
4. optionally (``--distill``) how long building the fast model takes, in a
   throw-away cache directory.

usage:
  python benchmarks/engine_speed.py [--data CSV] [--n-large 100000] [--model auto]
                                    [--skip-large] [--distill]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_DATA = os.environ.get("GOLDENTHREAD_BENCH_DATA", "/work/shared/benchmarks/patient-feedback.csv")


def load_texts(path: str) -> list[str]:
    if os.path.exists(path):
        with open(path, encoding="utf-8", newline="") as f:
            return [r["text"] for r in csv.DictReader(f) if r.get("text", "").strip()]
    subjects = ["my carer", "the staff", "my daughter", "the day centre", "my flat", "the bus",
                "my money", "the food", "my GP", "my garden", "the night staff", "my neighbours"]
    verbs = ["helps me", "lets me down", "makes me happy", "worries me", "is always late",
             "listens to me", "is too expensive", "keeps me busy", "is cold", "is far away"]
    rng = random.Random(0)
    return [f"{rng.choice(subjects).capitalize()} {rng.choice(verbs)}." for _ in range(5000)]


def make_large(texts: list[str], n: int, seed: int = 0) -> list[str]:
    """Recombine clauses and drop words to make ``n`` statements (not saved anywhere)."""
    rng = random.Random(seed)
    clauses = [c.strip() for t in texts for c in re.split(r"(?<=[.!?,;])\s+", t) if len(c.split()) >= 2]
    out = []
    for i in range(n):
        parts = [rng.choice(clauses) for _ in range(rng.choice((1, 1, 2)))]
        words = " ".join(parts).split()
        if len(words) > 4 and rng.random() < 0.5:
            del words[rng.randrange(len(words))]
        out.append(" ".join(words))
    return out


def child(code: str, env_extra: dict | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line. Adds peak RSS."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.update(env_extra or {})
    wrapper = code + "\nimport resource, json as _j\n" \
        "print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    res = {}
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            res.update(json.loads(line))
        elif line.startswith("RSS "):
            res["peak_rss_mb"] = int(line.split()[1]) / 1024
    res["process_wall_s"] = wall
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--n-small", type=int, default=300)
    ap.add_argument("--n-large", type=int, default=100_000)
    ap.add_argument("--model", default="auto", help="auto (the default), minilm or fast")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--distill", action="store_true", help="also time building the fast model")
    args = ap.parse_args()
    texts = load_texts(args.data)
    rng = random.Random(7)

    with tempfile.TemporaryDirectory() as tmp:
        # make sure the fast model exists, so step 1 measures loading, not distilling
        child("from goldenthread.engine.embed import build_fast_model; build_fast_model()")

        # 1. 300 statements through the CLI, cold process
        small = rng.sample(texts, min(args.n_small, len(texts)))
        fin, fout = os.path.join(tmp, "in.csv"), os.path.join(tmp, "out.csv")
        with open(fin, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "text"])
            w.writerows(enumerate(small))
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        walls = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "goldenthread.cli.main", "themes", fin,
                            "--output", fout, "--model", args.model], check=True, env=env,
                           capture_output=True)
            walls.append(time.perf_counter() - t0)
        print(f"{len(small)} statements themed+named via CLI ({args.model}, incl. model load): "
              f"best {min(walls):.2f} s, median {sorted(walls)[1]:.2f} s")

        # 2. card call
        cards = json.dumps(rng.sample(texts, 300))
        r = child(f"""
import json, time
from goldenthread.engine import ThemeEngine, CardCallAssistant
cards = json.loads({cards!r})
t0 = time.perf_counter()
cc = CardCallAssistant(model={args.model!r})
load = time.perf_counter() - t0
wall, new = cards[:200], cards[200:]
res = ThemeEngine(model=cc.embedder, namer=None).fit(wall, name=False)
cc.load({{t.id: [wall[i] for i in t.rows] for t in res.themes}})
cc.suggest(new[0])
times = []
for c in new:
    t1 = time.perf_counter(); s = cc.suggest(c); times.append(time.perf_counter() - t1)
    cc.add(c, s.best if s.best is not None else 'new-' + c)
times.sort()
print(json.dumps({{"load_s": load, "mean_ms": 1000 * sum(times) / len(times),
                  "p95_ms": 1000 * times[int(0.95 * len(times))], "clusters": len(res.themes)}}))
""")
        print(f"card call ({args.model}): {r['mean_ms']:.1f} ms per card on average, "
              f"p95 {r['p95_ms']:.1f} ms (200 cards in {r['clusters']} clusters on the wall, "
              f"then 100 cards added one by one; model load {r['load_s']:.2f} s)")

        # 3. large input
        if not args.skip_large:
            big = os.path.join(tmp, "big.json")
            with open(big, "w", encoding="utf-8") as f:
                json.dump(make_large(texts, args.n_large), f)
            r = child(f"""
import json, time
t0 = time.perf_counter()
from goldenthread.engine import ThemeEngine
texts = json.load(open({big!r}, encoding="utf-8"))
t1 = time.perf_counter()
res = ThemeEngine(model={args.model!r}).fit(texts)
t2 = time.perf_counter()
sizes = sorted((t.size for t in res.themes), reverse=True)
print(json.dumps({{"fit_s": t2 - t1, "timings": res.timings, "themes": len(res.themes),
                  "singletons": sum(1 for s in sizes if s == 1), "largest": sizes[:5],
                  "distinct": len(set(texts))}}))
""")
            print(f"{args.n_large} statements ({r['distinct']} distinct) themed+named ({args.model}): "
                  f"{r['fit_s']:.1f} s in fit (embed {r['timings']['embed_s']:.1f} s), "
                  f"{r['process_wall_s']:.1f} s whole process; peak RSS {r['peak_rss_mb']:.0f} MB; "
                  f"{r['themes']} themes ({r['singletons']} single-statement), largest {r['largest']}")

        # 4. distillation
        if args.distill:
            cache = os.path.join(tmp, "cache")
            r = child("""
import json, time
t0 = time.perf_counter()
from goldenthread.engine.embed import build_fast_model
build_fast_model()
print(json.dumps({"build_s": time.perf_counter() - t0}))
""", {"GOLDENTHREAD_CACHE_DIR": cache})
            print(f"distilling the fast model (fresh cache): {r['build_s']:.1f} s "
                  f"(peak RSS {r['peak_rss_mb']:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
