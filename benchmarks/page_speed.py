#!/usr/bin/env python
"""Server time of every list, card, report and workshop page with a big database.

usage: python benchmarks/page_speed.py [--statements 100000] [--data-dir DIR] [--repeat 7] [--only NAME ...]
       .ci/with-postgres python benchmarks/page_speed.py --use-database-url --statements 100000

Builds (once) a SQLite database of invented data with ``make_big_db`` in
``DIR`` (default: ``$TMPDIR/gt_page_speed_<statements>``; reused when it is
already there, so the size can grow in steps), then asks each page with
Django's test client as an administrator and prints the median and 95th
percentile server time (the whole request: queries, rendering, middleware),
plus the number of SQL queries. The target is under 300 ms per page.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _setup(data_dir: str, use_database_url: bool) -> None:
    os.environ["GOLDENTHREAD_DATA_DIR"] = data_dir
    if not use_database_url:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Not setup_test_environment(): its instrumented template rendering copies the context for every
    # include, which is test-client overhead, not server time. The client only needs its host allowed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", interactive=False, verbosity=0)


def _build(statements: int) -> None:
    from goldenthread.batch.bigdb import make_big_db
    from goldenthread.reviews.models import Statement

    have = Statement.objects.count()
    if have >= statements * 0.95:
        print(f"Reusing the database: {have:,} statements")
        return
    t = time.perf_counter()
    made = make_big_db(statements - have, None, seed=have, workshop=not have,
                       echo=lambda m: print(m, end="\r", file=sys.stderr))
    print(f"\nBuilt {made.statements:,} statements, {made.reviews:,} reviews in {made.cycles} cycles, "
          f"{made.cards:,} workshop cards: {time.perf_counter() - t:.0f} s")


def _pages():
    """(name, url) of every page to time, on the cycle with the workshop and a typical cycle."""
    from django.urls import reverse

    from goldenthread.batch.models import BatchRun
    from goldenthread.reviews.models import ProgrammeCycle, Review
    from goldenthread.workshops.models import Board, Cluster, Workshop

    w = Workshop.objects.select_related("cycle").order_by("id").first()
    cycle = w.cycle
    other = ProgrammeCycle.objects.exclude(pk=cycle.pk).order_by("-id").first() or cycle
    review = Review.objects.filter(cycle=cycle).order_by("id").first()
    board = Board.objects.filter(workshop=w, is_main=True, kind="not_working").first()
    theme = Cluster.objects.filter(board=board).order_by("id").first()
    pages = [
        ("home (all cycles)", reverse("home")),
        ("cycle", reverse("cycle", args=[cycle.slug])),
        ("review list p1", reverse("review_list", args=[cycle.slug])),
        ("review list p40", reverse("review_list", args=[cycle.slug]) + "?page=40"),
        ("review", reverse("review", args=[review.pk])),
        ("cards p1", reverse("cards", args=[cycle.slug])),
        ("cards not working p20", reverse("cards", args=[cycle.slug]) + "?kind=not_working&page=20"),
        ("cards (other cycle)", reverse("cards", args=[other.slug])),
        ("report", reverse("reports:page", args=[cycle.slug])),
        ("report (other cycle)", reverse("reports:page", args=[other.slug])),
        ("golden thread", reverse("reports:thread", args=[cycle.slug])),
        ("theme thread", reverse("reports:theme_thread", args=[theme.pk])),
        ("theme matches", reverse("reports:matches", args=[cycle.slug])),
        ("workshop list", reverse("workshop:list")),
        ("workshop home", reverse("workshop:home", args=[w.code])),
        ("card call", reverse("workshop:call", args=[w.code])),
        ("screen", reverse("workshop:screen", args=[w.code])),
        ("board (not working)", reverse("workshop:board", args=[w.code, board.pk])),
        ("workshop theme", reverse("workshop:theme", args=[w.code, theme.pk])),
        ("votes", reverse("workshop:votes", args=[w.code])),
        ("actions", reverse("workshop:actions", args=[w.code])),
        ("sharing", reverse("workshop:sharing", args=[w.code])),
        ("batch start", reverse("batch:start", args=[other.slug])),
    ]
    run = BatchRun.objects.order_by("-id").first()
    if run is not None:
        pages.append(("batch run", reverse("batch:run", args=[run.pk])))
        t = run.themes.order_by("-size").first()
        if t is not None:
            pages.append(("batch theme", reverse("batch:theme", args=[run.pk, t.pk])))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--use-database-url", action="store_true",
                        help="Use $DATABASE_URL (e.g. PostgreSQL from .ci/with-postgres) instead of SQLite in DIR.")
    parser.add_argument("--only", nargs="*", default=None, help="Time only pages whose name contains one of these.")
    args = parser.parse_args()
    data_dir = args.data_dir or os.path.join(tempfile.gettempdir(), f"gt_page_speed_{args.statements}")
    os.makedirs(data_dir, exist_ok=True)
    _setup(data_dir, args.use_database_url)
    _build(args.statements)

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from goldenthread.reviews.models import Review, Statement

    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", password="a-long-pass-phrase")
    client = Client()
    client.force_login(admin)
    print(f"{Statement.objects.count():,} statements, {Review.objects.count():,} reviews; "
          f"database {connection.vendor}; {args.repeat} requests per page")
    print(f"{'page':<26} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'status':>7}")
    worst = 0.0
    for name, url in _pages():
        if args.only and not any(o in name for o in args.only):
            continue
        times = []
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
            r = client.get(url)  # warm-up (and the query count)
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        med = statistics.median(times)
        worst = max(worst, med)
        flag = "" if med < 300 else "  SLOW"
        print(f"{name:<26} {med:>10.0f} {p95:>8.0f} {len(queries):>8} {r.status_code:>7}{flag}")
    print(f"slowest median: {worst:.0f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
