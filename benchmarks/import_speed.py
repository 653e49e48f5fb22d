#!/usr/bin/env python
"""How long does importing N reviews take? Prints seconds for reading+checking and for saving.

usage: python benchmarks/import_speed.py [--reviews 10000] [--statements 8] [--format csv|xlsx|json]

Runs against a fresh SQLite database in a temporary folder (or DATABASE_URL if set).
The reviews are generated from a small invented vocabulary, with names to hide.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sys
import tempfile
import time


def make_file(n_reviews: int, per_review: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    first = ["Amir", "Bea", "Carl", "Dina", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jess", "Will", "Rose"]
    last = ["Shaw", "Okoro", "Lind", "Begum", "Price", "Novak", "Reid", "Kaur"]
    bits = {
        "working": ["I like {x} at the {p}", "{n} helps me with {x}", "going to the {p} is good", "my {x} is nice"],
        "not working": ["no bus to the {p} after six", "{n} is always rushed", "I can't do {x} any more",
                        "too many new staff"],
        "future": ["I want to learn {x}", "a job at the {p}", "more time with {n}", "go on holiday"],
    }
    things = ["cooking", "swimming", "gardening", "music", "bingo", "shopping", "reading", "football"]
    places = ["library", "day centre", "cafe", "park", "college", "church"]
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["review_id", "person_id", "person_name", "review_date", "attendees", "area", "user_group",
                "consent", "kind", "priority", "text"])
    for r in range(n_reviews):
        name = f"{rng.choice(first)} {rng.choice(last)}"
        other = f"{rng.choice(first)} {rng.choice(last)}"
        date = f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"
        used: dict[str, int] = {}
        for s in range(per_review):
            kind = list(bits)[s % 3]
            used[kind] = used.get(kind, 0) + 1
            text = rng.choice(bits[kind]).format(x=rng.choice(things), p=rng.choice(places), n=other.split()[0])
            w.writerow([f"B-{r:06d}", f"P-{r:06d}", name, date, f"{other} (friend)", f"Area {r % 3}",
                        ["Older people", "Learning disability"][r % 2], "yes", kind,
                        used[kind] if used[kind] <= 3 else "", text])
    return out.getvalue().encode()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reviews", type=int, default=10_000)
    ap.add_argument("--statements", type=int, default=8, help="statements per review")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="gt-bench-")
    os.environ.setdefault("GOLDENTHREAD_DATA_DIR", tmp)
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from goldenthread.cli.django_setup import setup

    setup(migrate=True)
    from goldenthread.reviews.importing import import_reviews, read_review_file
    from goldenthread.reviews.models import ProgrammeCycle

    data = make_file(args.reviews, args.statements)
    cycle = ProgrammeCycle.objects.create(name="Benchmark", slug="bench", year=2026)
    from goldenthread.core.models import Area, UserGroup

    for n in range(3):  # the council's fixed lists: the file may only use these names
        Area.objects.get_or_create(name=f"Area {n}")
    for name in ("Older people", "Learning disability"):
        UserGroup.objects.get_or_create(name=name)
    t0 = time.perf_counter()
    read_review_file(data, "bench.csv")
    t_check = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = import_reviews(cycle, data, "bench.csv")
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = import_reviews(cycle, data, "bench.csv")
    t_again = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"file: {args.reviews} reviews, {result.statements_created} statements, {len(data) / 1e6:.1f} MB CSV")
    print(f"read and check only:     {t_check:6.2f} s")
    print(f"full import (check+save): {t_import:6.2f} s")
    print(f"re-import (no changes):  {t_again:6.2f} s  ({again.reviews_unchanged} unchanged)")
    print(f"peak memory:             {peak:6.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
