#!/usr/bin/env python3
"""How long the workshop takes to rebuild the card-call assistant from the room's history, per page.

The web layer rebuilds the learning assistant from the workshop's change log (decisions in order, moves
counting against the cluster a card left; see ``goldenthread.core.themes``). This prints, for a card call
with N cards already called (from ``benchmarks/data/review-statements.csv``, its themes playing the room,
one card in ten moved afterwards):

* ``replay_ms``: a cold rebuild (the whole history told to a fresh assistant; embeddings already cached);
* ``next_ms`` p50/p95: the usual request, one more decision than the kept assistant has seen, plus its
  suggestion for the next card (what the card-call page pays);
* ``place_rest_ms``: "place the rest" for the cards not yet called (up to 100).

usage: python benchmarks/cardcall_replay.py [--n 100 300] [--model minilm|hashing]
"""
from __future__ import annotations

import argparse
import csv
import statistics
import time
from pathlib import Path

DATA = Path(__file__).parent / "data" / "review-statements.csv"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--model", default="minilm")
    args = parser.parse_args()

    from goldenthread.core import themes
    from goldenthread.engine import get_embedder

    embedder = get_embedder(args.model)
    themes._embedder = lambda: embedder
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    embedder.encode([r["text"] for r in rows])  # model load and embeddings out of the timings
    for n in args.n:
        called, rest = rows[:n], rows[n:n + 100]
        keys: dict[str, int] = {}
        history = [("add", r["text"], keys.setdefault(r["theme"], len(keys))) for r in called]
        history += [("move", r["text"], keys[called[(i + 1) % n]["theme"]]) for i, r in enumerate(called) if i % 10 == 0]
        themes._kept.clear()
        t = time.perf_counter()
        themes.learnt_assistant(history, key="bench")
        replay = (time.perf_counter() - t) * 1000
        times = []
        for i, r in enumerate(rest[:40]):
            history = history + [("add", r["text"], keys.setdefault(r["theme"], len(keys)))]
            t = time.perf_counter()
            themes.learnt_suggestion(rest[i + 1]["text"] if i + 1 < len(rest) else r["text"], history, key="bench")
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        t = time.perf_counter()
        themes.place_rest(history, [(i, r["text"]) for i, r in enumerate(rest)], key="bench")
        place = (time.perf_counter() - t) * 1000
        print(f"n={n} model={args.model} replay_ms={replay:.0f} next_ms_p50={statistics.median(times):.1f} "
              f"next_ms_p95={times[int(0.95 * (len(times) - 1))]:.1f} place_rest_ms={place:.0f} ({len(rest)} cards)")


if __name__ == "__main__":
    main()
