#!/usr/bin/env python
"""How long does a cycle's report take? Prints seconds per output for 60 and 10,000 reviews.

usage: python benchmarks/report_speed.py [--reviews 60 10000]

Builds invented data in a fresh SQLite database in a temporary folder: each
review gives 3 statements (one per kind) placed into 12 themes per kind, across
6 areas and 4 user groups, with votes and actions.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build(n: int, seed: int = 1):
    from goldenthread.core.models import Area, UserGroup
    from goldenthread.reviews.models import ProgrammeCycle, Review, Statement
    from goldenthread.workshops.models import Action, Board, Cluster, Delegate, Placement, Vote, Workshop, WorkshopCard

    rng = random.Random(seed)
    cycle = ProgrammeCycle.objects.create(name=f"Bench {n}", slug=f"bench-{n}", year=2026)
    areas = [Area.objects.get_or_create(name=f"Area {i}")[0] for i in range(6)]
    groups = [UserGroup.objects.get_or_create(name=f"Group {i}")[0] for i in range(4)]
    reviews = Review.objects.bulk_create([
        Review(cycle=cycle, reference=f"R{i}", person_ref=f"P{i % max(n - n // 10, 1)}", review_date=dt.date(2026, 1, 1),
               area=rng.choice(areas), user_group=rng.choice(groups), consent_given=True) for i in range(n)])
    kinds = ["working", "not_working", "future"]
    statements = Statement.objects.bulk_create([
        Statement(review=r, cycle=cycle, kind=k, text="x", card_text=f"{k} card {i}", card_number=i + 1)
        for i, r in enumerate(reviews) for k in kinds])
    ws = Workshop.objects.create(cycle=cycle, name="Bench workshop")
    cards = WorkshopCard.objects.bulk_create([WorkshopCard(workshop=ws, statement=s, kind=s.kind, order=i)
                                              for i, s in enumerate(statements)])
    boards = {k: Board.objects.create(workshop=ws, kind=k, name=k, is_main=True) for k in kinds}
    clusters = {k: [Cluster.objects.create(board=boards[k], name=f"I statement {k} {j}") for j in range(12)]
                for k in kinds}
    Placement.objects.bulk_create([Placement(board=boards[c.kind], cluster=rng.choice(clusters[c.kind]), card=c)
                                   for c in cards], batch_size=2000)
    delegates = [Delegate.objects.create(workshop=ws, name=f"D{i}", group="person") for i in range(30)]
    for d in delegates:
        for c in rng.sample(clusters["not_working"], 3):
            Vote.objects.create(cluster=c, delegate=d, dots=1)
    for j in range(5):
        a = Action.objects.create(workshop=ws, stakeholder="commissioners", text=f"Action {j}", owner="Team",
                                  measure="Measured", due=dt.date(2026, 12, 1))
        a.themes.add(clusters["not_working"][j])
    return cycle, ws


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, nargs="+", default=[60, 10000])
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ["GOLDENTHREAD_DATA_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "goldenthread.web.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from goldenthread.reporting.data import build_report
    from goldenthread.reporting.outputs import make_output

    for n in args.reviews:
        start = time.perf_counter()
        cycle, ws = build(n)
        print(f"\n{n:,} reviews ({3 * n:,} cards): data built in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        build_report(cycle, ws)
        print(f"  numbers (build_report)          {time.perf_counter() - start:6.2f} s")
        for output, fmt in [("full", "html"), ("full", "pdf"), ("easy_read", "pdf"), ("wall_sheets", "pdf"),
                            ("data", "csv"), ("data", "xlsx"), ("data", "json")]:
            start = time.perf_counter()
            made = make_output(cycle, ws, output, fmt, user_name="bench", via="cli")
            print(f"  {output + ' ' + fmt:30s}  {time.perf_counter() - start:6.2f} s  {len(made.content):>9,} bytes")


if __name__ == "__main__":
    main()
