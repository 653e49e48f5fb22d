"""How many reviews a second can other systems send through the API?

Makes a throw-away data folder (SQLite) in a temporary directory, creates a
cycle and an API token there, starts ``goldenthread serve`` on 127.0.0.1, and
posts invented reviews (three statements each) to
``POST /api/v1/cycles/bench/reviews``: first from one client, then from ten
clients at once, each on its own keep-alive connection. Each scenario sends a
fixed number of requests; the server is stopped at the end.

    python benchmarks/api_throughput.py                       # 1 review a request
    python benchmarks/api_throughput.py --batch 50 --requests 40

Prints reviews per second and the median and 95th-percentile request time.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepare(data_dir: str) -> str:
    """Migrate a fresh database, make the cycle and a write token; return the token."""
    os.environ["GOLDENTHREAD_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from goldenthread.api.tokens import create_client
    from goldenthread.reviews.models import ProgrammeCycle

    call_command("migrate", verbosity=0)
    ProgrammeCycle.objects.create(name="Benchmark, 2026", slug="bench", year=2026)
    _client, token = create_client("benchmark", "Review facilitator", write=True, rate_limit=10_000_000)
    return token


def review(n: int) -> dict:
    return {
        "review_id": f"BENCH-{n}", "person_id": f"P{n}", "person_name": "Alex Invented",
        "review_date": "2026-03-01", "facilitator": "Jo Madeup", "attendees": "Sam Madeup (brother)",
        "area": ("Northbrook", "Harford", "Ashdown")[n % 3], "service": "Acorn Support",
        "user_group": "Older people", "consent": "yes",
        "statements": [
            {"kind": "working", "priority": 1, "text": f"Alex likes the Tuesday lunch club ({n})"},
            {"kind": "not working", "text": "The bus stops at six so Alex misses the evening group"},
            {"kind": "future", "perspective": "family", "text": "Sam hopes Alex can try a college course"},
        ],
    }


class Counter:
    def __init__(self, start: int):
        self.n, self.lock = start, threading.Lock()

    def take(self, k: int) -> int:
        with self.lock:
            first = self.n
            self.n += k
            return first


def client_loop(port, token, batch, requests, counter, times, failures):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for _ in range(requests):
        first = counter.take(batch)
        body = json.dumps({"reviews": [review(first + i) for i in range(batch)]}).encode()
        started = time.perf_counter()
        conn.request("POST", "/api/v1/cycles/bench/reviews", body=body, headers=headers)
        response = conn.getresponse()
        answer = response.read()
        times.append(time.perf_counter() - started)
        if response.status != 201:
            failures.append(response.status)
            if len(failures) == 1:
                print(f"  first failure: {response.status} {answer[:300]!r}")
    conn.close()


def scenario(port, token, clients, requests, batch, counter) -> dict:
    times, failures = [], []
    per_client = max(1, requests // clients)
    threads = [threading.Thread(target=client_loop, args=(port, token, batch, per_client, counter, times, failures))
               for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    done = len(times) * batch
    ordered = sorted(times)
    return {"clients": clients, "requests": len(times), "reviews": done, "seconds": elapsed,
            "reviews_per_second": done / elapsed, "median_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000, "failures": failures}


def wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("goldenthread serve stopped before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("goldenthread serve did not answer in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per scenario (default 200)")
    parser.add_argument("--batch", type=int, default=1, help="reviews per request (default 1)")
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="gt-api-bench-")
    server = None
    try:
        token = prepare(data_dir)
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        server = subprocess.Popen([sys.executable, "-m", "goldenthread.cli.main", "serve", "--host", "127.0.0.1",
                                   "--port", str(args.port)], cwd=data_dir, env=env,
                                  stdout=subprocess.DEVNULL, stderr=open(os.environ.get("GT_BENCH_SERVER_LOG", os.devnull), "w"))
        wait_for(args.port, server)
        counter = Counter(1)
        print(f"POST /api/v1/cycles/bench/reviews, {args.batch} review(s) of 3 statements a request, "
              f"{args.requests} requests a scenario, SQLite, goldenthread serve (Daphne) on 127.0.0.1")
        for clients in (1, 10):
            r = scenario(args.port, token, clients, args.requests, args.batch, counter)
            print(f"{clients:>2} client{'s' if clients > 1 else ' '}: {r['reviews']:>5} reviews in "
                  f"{r['seconds']:6.2f} s = {r['reviews_per_second']:7.1f} reviews/s; request median "
                  f"{r['median_ms']:6.1f} ms, p95 {r['p95_ms']:6.1f} ms; failures: {len(r['failures'])} "
                  f"{sorted(set(r['failures']))}")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
