#!/usr/bin/env python3
"""Does last year's themes as a head start help a second year's card call?

Each labelled set (columns text, theme) is split, by a fixed seed per sample, into two halves: "year 1"
and "year 2" (at most ``--size`` cards each, so a workshop's size). Year 1's themes are named by their
theme label (the room's names last year) and given, with their cards, to
:class:`goldenthread.engine.cardcall_reference.LastYearThemes`. Year 2's card call is then replayed, the
labels playing the room, with and without last year's themes, as ``/work/shared/benchmarks/replay_cardcall.py``
replays one (the same scores):

  live   ask, then place every card where the labels say.
  rest   the room places the first ``--placed`` share, then "place the rest" proposes a place for the others.

Scores (live: over the asked cards; rest: over the proposals):
  top1, top3   over cards whose theme is already on the wall: the room's cluster is first / in the first three
               (with last year: of the wall's clusters and last year's themes together; one of last year's
               themes ranked above the room's own cluster counts as a miss)
  right_call   over all cards: the headline is the room's decision (its cluster; for a card whose theme is not
               on the wall, starting a new cluster: plain, or last year's theme again)
  new_recall   over cards whose theme is not on the wall: the headline starts a new cluster
  named_new    over cards whose theme is not on the wall: the headline is last year's theme of that name
  top1@10, top1@30   top1 over the first 10 / 30 cards called (cards whose theme is on the wall)
  named@10, named@30 over the first 10 / 30 cards: the first-ranked answer is the card's theme (its cluster
               on the wall, or last year's theme of that name when it is not on the wall yet)
In the live regime the room accepts last year's theme (LastYearThemes.claim) when it starts the card's
theme and that theme was among the three answers shown.

usage: python benchmarks/cardcall_second_year.py [--samples 3] [--size 300] [--model minilm] [--placed 0.2]
       [--data CSV ...]
The last line of each set holds its figures as key=value.
"""
from __future__ import annotations

import argparse
import random
import warnings
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
SETS = [HERE / "data" / "review-statements.csv", HERE / "data" / "staff-survey.csv",
        Path("/work/shared/benchmarks/patient-feedback.csv")]
KEYS = ["top1", "top3", "right_call", "new_recall", "named_new", "top1@10", "top1@30", "named@10", "named@30"]


def split(texts, labels, seed, size):
    """Two disjoint halves by a fixed seed: (year 1, year 2), each [(text, label)] of at most ``size``."""
    idx = list(range(len(texts)))
    random.Random(seed).shuffle(idx)
    half = len(idx) // 2
    one, two = idx[:half][:size], idx[half:][:size]
    return [(texts[i], labels[i]) for i in one], [(texts[i], labels[i]) for i in two]


class Tally:
    def __init__(self):
        self.n = {}

    def add(self, key, hit):
        n, k = self.n.get(key, (0, 0))
        self.n[key] = (n + 1, k + bool(hit))

    def share(self, key):
        n, k = self.n.get(key, (0, 0))
        return k / n if n else float("nan")


def replay_live(cc, ly, year2, t: Tally):
    from goldenthread.engine.cardcall_reference import LastYearFit

    wall = set()
    for step, (text, label) in enumerate(year2):
        if ly is None:
            s = cc.suggest(text)
            top = [("wall", f.cluster) for f in s.ranked]
            headline = ("new", None) if s.new_cluster or not s.ranked else ("wall", s.ranked[0].cluster)
        else:
            s = ly.suggest(cc, text)
            top = [("last" if isinstance(f, LastYearFit) else "wall", f.cluster) for f in s.top(3)]
            headline = (("wall", s.best) if s.best is not None else
                        ("last", s.best_last_year.theme) if s.best_last_year else ("new", None))
        seen = label in wall
        firsts = top[0] if top else ("new", None)
        if seen:
            t.add("top1", firsts == ("wall", label))
            t.add("top3", ("wall", label) in top[:3])
            for n in (10, 30):
                if step < n:
                    t.add(f"top1@{n}", firsts == ("wall", label))
            t.add("right_call", headline == ("wall", label))
        else:
            t.add("new_recall", headline[0] != "wall")
            t.add("named_new", headline == ("last", label))
            t.add("right_call", headline[0] != "wall")
        for n in (10, 30):
            if step < n:
                t.add(f"named@{n}", firsts == (("wall", label) if seen else ("last", label)))
        cc.add(text, label)
        if ly is not None and not seen and ("last", label) in top[:3]:
            ly.claim(label, label)
        wall.add(label)


def replay_rest(cc, ly, year2, placed, t: Tally):
    n = int(round(placed * len(year2)))
    for text, label in year2[:n]:
        cc.add(text, label)
    wall = {label for _, label in year2[:n]}
    rest = year2[n:]
    result = cc.place_rest([x for x, _ in rest]) if ly is None else ly.place_rest(cc, [x for x, _ in rest])
    names = getattr(result, "last_year", {})
    by = {p.card: p for p in result.proposals}
    for text, label in rest:
        p = by[text]
        if label in wall:
            t.add("top1", p.cluster == label)
            t.add("top3", p.cluster == label or label in [a for a, _ in p.alternatives[:2]])
            t.add("right_call", p.cluster == label)
        else:
            t.add("new_recall", p.cluster is None)
            t.add("right_call", p.cluster is None)
            t.add("named_new", p.new_group in names and names[p.new_group].key == label)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", nargs="+", default=[str(s) for s in SETS])
    ap.add_argument("--samples", type=int, default=3)
    ap.add_argument("--size", type=int, default=300)
    ap.add_argument("--placed", type=float, default=0.2)
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    from goldenthread.engine import CardCallAssistant, get_embedder
    from goldenthread.engine.cardcall_reference import LastYearThemes

    warnings.filterwarnings("ignore")
    emb = get_embedder(a.model)
    print(f"model={a.model} samples={a.samples} size={a.size} placed={a.placed} "
          "(year 1 named by its theme labels)")
    print(f"{'set':<22}{'regime':<6}{'last year':<10}" + "".join(f"{k:>11}" for k in KEYS))
    for path in a.data:
        df = pd.read_csv(path).dropna(subset=["text", "theme"])
        texts, labels = df["text"].astype(str).tolist(), df["theme"].astype(str).tolist()
        for regime in ("live", "rest"):
            figs = {}
            for with_last in ("without", "compete", "names"):
                t = Tally()
                for s in range(a.samples):
                    one, two = split(texts, labels, a.seed * 7919 + s, a.size)
                    emb.encode([x for x, _ in one + two])
                    cc = CardCallAssistant(model=emb)
                    ly = None
                    if with_last != "without":
                        themes = {}
                        for x, lab in one:
                            themes.setdefault(lab, []).append(x)
                        ly = LastYearThemes(themes, compete=with_last == "compete")
                    if regime == "live":
                        replay_live(cc, ly, two, t)
                    else:
                        replay_rest(cc, ly, two, a.placed, t)
                figs[with_last] = {k: t.share(k) for k in KEYS}
                print(f"{Path(path).stem:<22}{regime:<6}{with_last:<10}"
                      + "".join(f"{figs[with_last][k]:>11.3f}" for k in KEYS), flush=True)


if __name__ == "__main__":
    main()
