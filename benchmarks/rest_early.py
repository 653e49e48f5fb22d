#!/usr/bin/env python3
"""How far "place the rest" can be trusted early in a card call: the wall fixed after 6, 12, 30 and 60 cards.

Replays card calls on the three labelled sets as ``benchmarks/fit_calibration.py`` does (the human themes
playing the room, the raw choice model's utilities recorded), and at each point asks about every card not yet
called, against the wall as it stands. For each set and point it prints the shipped calibration's ECE of the
headline calls (10 bins, as ``replay_cardcall.py``), how many proposals for a cluster were at least 70% sure
(the board's suggested level) and how often those were right. The figures behind
``goldenthread.engine.cardcall_calib.REST_MIN_SHARE``: below a fifth of the cards, the percentages are not
honest in any calibration learnt across rooms, because one early wall's errors move all its proposals together.

usage (from the project root):
  PYTHONPATH=. .venv/bin/python benchmarks/rest_early.py [--samples 3] [--size 300] [--seed 1000]
"""
from __future__ import annotations

import argparse
import random
import sys

import numpy as np

from benchmarks.fit_calibration import SETS, ece, headline, new_precision

POINTS = (6, 12, 30, 60)


def replay(path, samples: int, size: int, seed: int) -> dict:
    import pandas as pd

    from goldenthread.engine import CardCallAssistant

    df = pd.read_csv(path).dropna(subset=["text", "theme"])
    texts_all, labels_all = df["text"].astype(str).tolist(), df["theme"].astype(str).tolist()
    out: dict = {p: [] for p in POINTS}
    for s in range(samples):
        rng = random.Random(seed * 7919 + s)
        idx = rng.sample(range(len(df)), min(size, len(df)))
        texts, labels = [texts_all[i] for i in idx], [labels_all[i] for i in idx]
        cc = CardCallAssistant(calibrated=False)

        def record(i: int) -> tuple:
            x = cc._vec([texts[i]])[0]
            keys, _, _, _, u, u_new = cc._probabilities(x, texts[i])
            return (np.array(u), float(u_new), np.array(cc._prototypes()[2]),
                    keys.index(labels[i]) if labels[i] in keys else -1)

        for i in range(len(texts)):
            if i in POINTS:
                out[i].extend(record(j) for j in range(i, len(texts)))
            cc.add(texts[i], labels[i])
        print(f"  {path.name} sample {s + 1}/{samples}", file=sys.stderr, flush=True)
    return out


def main() -> None:
    from goldenthread.engine.cardcall_calib import SHIPPED

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=3)
    ap.add_argument("--size", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1000)
    a = ap.parse_args()
    print("set      cards on wall  ece    new_precision  proposals >=70%  right")
    for name, path in SETS.items():
        data = replay(path, a.samples, a.size, a.seed)
        for point in POINTS:
            calls = headline(data[point], SHIPPED)
            sure = [hit for p, hit, new in calls if not new and p >= 0.7]
            right = f"{np.mean(sure):.2f}" if sure else "-"
            print(f"{name:8} {point:>13}  {ece(calls):.3f}  {new_precision(calls):.3f}          "
                  f"{len(sure):>15}  {right}", flush=True)


if __name__ == "__main__":
    main()
