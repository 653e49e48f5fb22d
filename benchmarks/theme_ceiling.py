#!/usr/bin/env python3
"""How far can these embeddings go *if the human themes were known*?

A calibration for the theme benchmark (``benchmarks/themes.py``). It draws the
same samples as ``score_themes.py`` (same seed, same sizes). For each sample
it scores two classifiers that are **given the human labels** of every row
outside the sample, with AMI and ARI as the yardstick does:

- nearest centroid: each theme's mean embedding, each row to the closest;
- logistic regression on the embeddings.

An unsupervised engine with general settings should not be expected to beat
the nearest-centroid figure; it shows what the representation allows.

usage:
  python benchmarks/theme_ceiling.py [--data CSV] [--samples 10] [--size 300]
                                     [--models minilm,fast] [--label theme]
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
DEFAULT_DATA = os.environ.get("GOLDENTHREAD_THEME_DATA",
                              "/work/shared/benchmarks/patient-feedback.csv")


def _unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return x / n


def main() -> int:
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import adjusted_mutual_info_score as ami
    from sklearn.metrics import adjusted_rand_score as ari

    from goldenthread.engine.embed import get_embedder

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--size", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7, help="score_themes.py's default seed")
    ap.add_argument("--label", default="theme")
    ap.add_argument("--models", default="minilm,fast")
    args = ap.parse_args()

    df = pd.read_csv(args.data)
    y = df[args.label].astype(str).values
    rng = np.random.default_rng(args.seed)
    samples = [rng.choice(len(df), args.size, replace=False) for _ in range(args.samples)]
    print(f"{len(df)} rows, {len(set(y))} themes; {args.samples} samples of {args.size}")
    for model in args.models.split(","):
        X = get_embedder(model).encode(df.text.astype(str).tolist())
        Xc = _unit(X - X.mean(axis=0))
        nc, lr = [], []
        for idx in samples:
            train = np.setdiff1d(np.arange(len(df)), idx)
            themes = np.unique(y[train])
            C = _unit(np.array([Xc[train][y[train] == t].mean(axis=0) for t in themes]))
            pred = themes[np.argmax(Xc[idx] @ C.T, axis=1)]
            nc.append((ami(y[idx], pred), ari(y[idx], pred)))
            pred = LogisticRegression(max_iter=300).fit(X[train], y[train]).predict(X[idx])
            lr.append((ami(y[idx], pred), ari(y[idx], pred)))
        for name, r in (("nearest centroid", nc), ("logistic regression", lr)):
            a, b = np.mean(r, axis=0)
            print(f"{model:8s} {name:20s} AMI={a:.3f} ARI={b:.3f}  (given the labels)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
