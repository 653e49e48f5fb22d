#!/usr/bin/env python3
"""How much quality does the scalable clusterer give up? (issue 17, item 2)

On labelled data that still fits in memory, compares, per data set:

* **exact**: ``ThemeClusterer`` on everything at once (the engine today);
* **sampled**: ``ScalableThemeClusterer``, fitted on a hash sample of
  ``--fractions`` of the distinct statements, every other statement placed
  by nearest theme (leftovers themed among themselves) - what the batch
  pipeline does above 20,000 statements per kind.

Prints AMI between the two (how far sampling changes the answer), and AMI /
ARI of each against the human labels, with theme counts and times. Kinds are
clustered separately where the data has a ``kind`` column, as the engine does.

usage:
  python benchmarks/scale_quality.py [--model minilm|fast|hashing]
      [--data CSV ...] [--fractions 0.5,0.25,0.1] [--cache DIR]

"exact, seed 1" is the exact method with another random seed (it uses seeded
k-means micro-clusters above 2,500 statements): how much the answer moves
with no sampling at all, a yardstick for AMI(exact).
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from sklearn.metrics import adjusted_mutual_info_score as ami  # noqa: E402
from sklearn.metrics import adjusted_rand_score as ari  # noqa: E402

from goldenthread.engine.cluster import ThemeClusterer  # noqa: E402
from goldenthread.engine.embed import get_embedder  # noqa: E402
from goldenthread.engine.reference import REFERENCE_STATEMENTS  # noqa: E402
from goldenthread.engine.scaling import ScalableThemeClusterer  # noqa: E402

DEFAULT_DATA = ["/work/shared/benchmarks/patient-feedback.csv",
                os.path.join(HERE, "data", "review-statements.csv"),
                os.path.join(HERE, "data", "staff-survey.csv")]


def per_kind(fit, X, texts, kinds):
    """Cluster each kind separately; global labels."""
    labels = np.zeros(len(texts), dtype=np.int64)
    nxt = 0
    for k in sorted(set(kinds)):
        rows = np.flatnonzero(np.asarray(kinds) == k)
        lab = fit(X[rows], [texts[i] for i in rows])
        labels[rows] = lab + nxt
        nxt += int(lab.max()) + 1
    return labels


def main() -> None:
    import pandas as pd

    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--data", nargs="*", default=DEFAULT_DATA)
    ap.add_argument("--fractions", default="0.5,0.25,0.1")
    ap.add_argument("--label", default="theme")
    ap.add_argument("--cache", default=None, help="folder to keep embeddings in between runs")
    args = ap.parse_args()
    fractions = [float(f) for f in args.fractions.split(",")]
    emb = get_embedder(args.model)
    ref = emb.encode(list(REFERENCE_STATEMENTS))
    print(f"model={args.model}")
    print(f"{'data':<22}{'method':<18}{'rows':>6}{'themes':>8}{'AMI(exact)':>12}{'AMI':>8}{'ARI':>8}{'fit s':>8}")
    for path in args.data:
        if not os.path.exists(path):
            print(f"{path}: missing, skipped")
            continue
        df = pd.read_csv(path)
        texts = df["text"].astype(str).str.strip().tolist()
        kinds = df["kind"].astype(str).tolist() if "kind" in df.columns else ["all"] * len(df)
        y = df[args.label].astype(str).tolist()
        t = time.perf_counter()
        cached = (os.path.join(args.cache, f"{os.path.basename(path)}.{args.model}.npy")
                  if args.cache else None)
        if cached and os.path.exists(cached):
            X = np.load(cached)
        else:
            X = emb.encode(texts)
            if cached:
                os.makedirs(args.cache, exist_ok=True)
                np.save(cached, X)
        embed_s = time.perf_counter() - t
        name = os.path.basename(path)[:20]
        t = time.perf_counter()
        exact = per_kind(lambda Xk, tk: ThemeClusterer(reference=ref).fit(Xk, keys=tk).labels_, X, texts, kinds)
        ex_s = time.perf_counter() - t
        print(f"{name:<22}{'exact':<18}{len(texts):>6}{len(set(exact)):>8}{1.0:>12.3f}"
              f"{ami(y, exact):>8.3f}{ari(y, exact):>8.3f}{ex_s:>8.1f}   (embed {embed_s:.1f} s)")
        # How much the exact method itself moves with its seed (micro-clusters above 2,500):
        seed1 = per_kind(lambda Xk, tk: ThemeClusterer(reference=ref, random_state=1).fit(Xk, keys=tk).labels_,
                         X, texts, kinds)
        print(f"{'':<22}{'exact, seed 1':<18}{len(texts):>6}{len(set(seed1)):>8}{ami(exact, seed1):>12.3f}"
              f"{ami(y, seed1):>8.3f}{ari(y, seed1):>8.3f}")
        for frac in fractions:
            def fit(Xk, tk, frac=frac):
                size = max(2, int(round(frac * len(set(tk)))))
                return ScalableThemeClusterer(sample_size=size, reference=ref).fit(Xk, keys=tk).labels_
            t = time.perf_counter()
            lab = per_kind(fit, X, texts, kinds)
            s = time.perf_counter() - t
            print(f"{'':<22}{f'sampled {frac:.0%}':<18}{len(texts):>6}{len(set(lab)):>8}"
                  f"{ami(exact, lab):>12.3f}{ami(y, lab):>8.3f}{ari(y, lab):>8.3f}{s:>8.1f}")


if __name__ == "__main__":
    main()
