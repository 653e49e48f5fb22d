"""Live workshop under load: N delegates moving cards at a target rate; does every screen converge?

Starts the app on 127.0.0.1 with a throw-away database, creates a workshop
of invented cards at the "Clustering on boards" stage, and connects N delegate
websockets (each one is also a screen). Moves are sent at ``--rate`` moves per
second, spread over the delegates in turn, for ``--duration`` seconds (the
issue's soak target is 600). Reports moves done, errors, acknowledgement
latency (p50/p95/p99, from sending a move to its ``done``), for every screen how
many versions it was not told about one by one (broadcasts are coalesced, so
this is expected) and whether it ended on the final version, how long after the
last move the last screen got there, and the server's memory at start and end.

    python benchmarks/workshop_load.py --delegates 100 --rate 60 --duration 60              # SQLite, 1 process
    python benchmarks/workshop_load.py --db postgres --processes 2                          # = --stack
    python benchmarks/workshop_load.py --table                                              # every stack, one table
    python benchmarks/workshop_load.py --delegates 100 --rate 60 --duration 600   # the 10-minute soak
    python benchmarks/workshop_load.py --stack --delegates 20 --rate 10 --duration 10 --check

The app runs as deployed (deploy/stack.py: ``goldenthread serve`` processes) on ``--db`` SQLite or PostgreSQL
with ``--processes`` app processes; with more than one, Redis is the channel layer and the round-robin proxy is
in front, so half the screens are on each process and every change has to cross Redis to reach the other half.
``--stack`` is the production topology (PostgreSQL, two processes). ``--table`` runs the four stacks in turn
and prints the table of the issue. ``--check`` exits 1 unless every move was done without error and every
screen ended on the final version.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N_CARDS, N_CLUSTERS = 40, 8


def setup(data_dir: str, delegates: int, database_url: str | None = None) -> tuple[list[str], str, list[int], list[int]]:
    """Migrate a fresh database; make a workshop with named clusters and one session per delegate."""
    os.environ["GOLDENTHREAD_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.web.settings")
    import django

    django.setup()
    import datetime as dt

    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.reviews.saving import save_reviews
    from goldenthread.workshops import services as ops
    from goldenthread.workshops.access import SESSION_KEY
    from goldenthread.workshops.models import Delegate

    call_command("migrate", verbosity=0)
    cycle = ProgrammeCycle.objects.create(name="Bench", slug="bench", year=2026)
    save_reviews(cycle, [ReviewDraft(reference=f"B{i}", person_ref=f"P{i}", review_date=dt.date(2026, 1, 1),
                                     area="Harford", user_group="Older people", consent=True,
                                     statements=[StatementDraft("not_working", f"Invented statement {i}")])
                         for i in range(N_CARDS)])
    w = ops.create_workshop(cycle, "Bench", "all", None)
    actor = ops.Actor("bench", True)
    ops.run(w.pk, actor, "set_stage", {"stage": "card_call"})
    cards = list(w.cards.values_list("pk", flat=True))
    for i, card in enumerate(cards):
        clusters = list(ops.main_board(w, "not_working").clusters.values_list("pk", flat=True))
        ops.run(w.pk, actor, "call_card", {"card": card, "cluster": "new" if i < N_CLUSTERS else clusters[i % N_CLUSTERS]})
    clusters = list(ops.main_board(w, "not_working").clusters.values_list("pk", flat=True))
    for i, cluster in enumerate(clusters):  # named clusters stay even when a move empties them
        ops.run(w.pk, actor, "rename_cluster", {"cluster": cluster, "name": f"Theme {i + 1}"})
    ops.run(w.pk, actor, "set_stage", {"stage": "boards"})
    keys = []
    for i in range(delegates):
        d = Delegate.objects.create(workshop=w, name=f"Delegate {i}", group="person")
        session = SessionStore()
        session[SESSION_KEY] = {str(w.pk): d.pk}
        session.create()
        keys.append(session.session_key)
    return keys, w.code, cards, clusters


class Socket:
    """A minimal websocket client on asyncio streams (RFC 6455 text frames), so the benchmark needs no extra package."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port, path, cookie):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                      f"Origin: http://127.0.0.1:{port}\r\nCookie: {cookie}\r\n\r\n").encode())
        status = await reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in status.split(b"\r\n")[0]:
            raise RuntimeError(status.decode(errors="replace"))
        return cls(reader, writer)

    def send(self, text: str) -> None:
        data, mask = text.encode(), os.urandom(4)
        n = len(data)
        head = bytes([0x81, 0x80 | n]) if n < 126 else bytes([0x81, 0xFE]) + struct.pack("!H", n)
        self.writer.write(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    async def receive(self) -> str:
        b1, b2 = await self.reader.readexactly(2)
        n = b2 & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", await self.reader.readexactly(2))
        elif n == 127:
            (n,) = struct.unpack("!Q", await self.reader.readexactly(8))
        return (await self.reader.readexactly(n)).decode()

    def close(self):
        self.writer.close()


class Screen:
    def __init__(self, sock):
        self.sock, self.seen, self.last, self.reached = sock, set(), 0, {}
        self.acks: dict[int, float] = {}
        self.errors = 0


async def listen(screen: Screen, stop: asyncio.Event):
    while not stop.is_set():
        try:
            msg = json.loads(await screen.sock.receive())
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        now = time.perf_counter()
        if msg.get("type") == "changed":
            screen.seen.add(msg["version"])
            if msg["version"] > screen.last:
                screen.last = msg["version"]
                screen.reached[msg["version"]] = now
        elif msg.get("type") == "done":
            screen.acks[msg["ref"]] = now
        elif msg.get("type") == "error":
            screen.errors += 1


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))] if values else float("nan")


async def soak(port, keys, code, cards, clusters, rate, duration):
    stop = asyncio.Event()
    screens = []
    for key in keys:
        screen = Screen(await Socket.open(port, f"/ws/workshops/{code}/", f"sessionid={key}"))
        hello = json.loads(await screen.sock.receive())
        screen.last = start_version = hello["version"]
        screens.append(screen)
    tasks = [asyncio.create_task(listen(s, stop)) for s in screens]
    await asyncio.sleep(0.5)
    per_process = await asyncio.to_thread(connections_per_process)
    rng = random.Random(7)
    sent: dict[tuple[int, int], float] = {}
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < duration:
        due = t0 + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        who = n % len(screens)
        screens[who].sock.send(json.dumps({"type": "move_card", "card": rng.choice(cards),
                                           "cluster": rng.choice(clusters), "ref": n}))
        sent[(who, n)] = time.perf_counter()
        n += 1
    last_sent = time.perf_counter()
    for _ in range(300):  # acks: up to 30 s
        if sum(len(s.acks) + s.errors for s in screens) >= n:
            break
        await asyncio.sleep(0.1)
    final = start_version + sum(len(s.acks) for s in screens)
    for _ in range(100):  # convergence: up to 10 s more
        if all(s.last >= final for s in screens):
            break
        await asyncio.sleep(0.1)
    stop.set()
    for s in screens:
        s.sock.close()
    await asyncio.gather(*tasks, return_exceptions=True)
    acks = [s.acks[ref] - sent[(i, ref)] for i, s in enumerate(screens) for ref in s.acks]
    last_ack = max((t for s in screens for t in s.acks.values()), default=last_sent)
    on_final = [s for s in screens if s.last >= final]
    after_last = [s.reached[final] - last_ack for s in on_final if final in s.reached]
    misses = [(final - start_version) - len([v for v in s.seen if v > start_version]) for s in screens]
    return {"sent": n, "done": len(acks), "errors": sum(s.errors for s in screens), "final": final,
            "achieved_rate": n / (last_sent - t0), "ack_p50": pct(acks, 50), "ack_p95": pct(acks, 95),
            "ack_p99": pct(acks, 99), "screens": len(screens), "on_final": len(on_final),
            "final_after_last_ms_max": max(after_last, default=float("nan")) * 1000,
            "final_after_last_ms_p50": (statistics.median(after_last) if after_last else float("nan")) * 1000,
            "misses_mean": statistics.mean(misses), "misses_max": max(misses),
            "messages_per_screen": statistics.mean(len(s.seen) for s in screens),
            "last_min": min(s.last for s in screens), "last_max": max(s.last for s in screens),
            "per_process": per_process}


def connections_per_process() -> list[int]:
    """How many of the screens each app process holds (from the live-connections table), most first."""
    from django.db import connection
    from django.db.models import Count

    from goldenthread.workshops.models import LiveConnection

    try:
        return sorted((row["n"] for row in LiveConnection.objects.values("process").annotate(n=Count("pk"))),
                      reverse=True)
    finally:
        connection.close()


def server_parts(stack) -> dict[str, list]:
    """The processes of the stack by part (app, proxy, Redis, PostgreSQL), for the CPU each uses per move."""
    import psutil

    parts: dict[str, list] = {}
    for proc in stack.procs:
        part = "app" if proc.gt_name.startswith("app") else proc.gt_name
        parts.setdefault(part, []).append(psutil.Process(proc.pid))
    pid_file = stack.dir / "pg" / "postmaster.pid"
    if pid_file.exists():
        parts["postgres"] = [psutil.Process(int(pid_file.read_text().split()[0]))]
    return parts


def cpu_seconds(procs) -> float:
    """User + system CPU time of these processes and of all their children, living or ended (seconds)."""
    import psutil

    total = 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
            for child in proc.children(recursive=True):
                c = child.cpu_times()
                total += c.user + c.system
        except psutil.Error:
            pass
    return total


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


STACKS = [("sqlite", 1), ("sqlite", 2), ("postgres", 1), ("postgres", 2)]


def stack_name(db: str, processes: int) -> str:
    return (f"{'SQLite' if db == 'sqlite' else 'PostgreSQL'}, {processes} process{'es' if processes > 1 else ''}"
            + (" + Redis channel layer" if processes > 1 else ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=100)
    parser.add_argument("--rate", type=float, default=60.0, help="moves per second, all delegates together")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of moving (the soak target is 600)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--processes", type=int, default=1,
                        help="app processes (more than one: Redis as the channel layer, the proxy in front)")
    parser.add_argument("--stack", action="store_true",
                        help="the production topology: the same as --db postgres --processes 2")
    parser.add_argument("--table", action="store_true",
                        help="run every stack in turn (SQLite and PostgreSQL, 1 and 2 processes) and print the table")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line at the end")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless every move was done and every screen reached the final version")
    args = parser.parse_args(argv)
    if args.table:
        return table(args)
    if args.stack:
        args.db, args.processes = "postgres", 2
    r = on_stack(args)
    if args.json:
        print(json.dumps(r))
    if args.check:
        ok = r["done"] == r["sent"] > 0 and r["errors"] == 0 and r["on_final"] == r["screens"]
        print("check:", "every move done, every screen on the final version" if ok else "FAILED")
        sys.exit(0 if ok else 1)


def table(args):
    """Each stack in a fresh Python process of its own (Django is set up once per process), then one table."""
    rows = []
    for db, processes in STACKS:
        print(f"--- {stack_name(db, processes)}", flush=True)
        out = subprocess.run([sys.executable, __file__, "--db", db, "--processes", str(processes), "--json",
                              "--delegates", str(args.delegates), "--rate", str(args.rate),
                              "--duration", str(args.duration)], capture_output=True, text=True)
        lines = out.stdout.strip().splitlines()
        print("\n".join(lines[:-1]), flush=True)
        try:
            rows.append((db, processes, json.loads(lines[-1])))
        except (IndexError, ValueError):
            print(out.stderr[-2000:], flush=True)
            rows.append((db, processes, None))
    load = os.getloadavg()
    print(f"\n{args.delegates} delegates, {args.rate:g} moves/s for {args.duration:g} s "
          f"({os.cpu_count()} cores; load average at the end {load[0]:.1f})\n")
    print("| stack | ack p50 / p95 | every screen on the final version | moves done of sent (lost) | server CPU ms per move |")
    print("|---|---|---|---|---|")
    for db, processes, r in rows:
        if r is None:
            print(f"| {stack_name(db, processes)} | failed | | |")
            continue
        lost = r["sent"] - r["done"] - r["errors"]
        final = (f"{r['final_after_last_ms_max']:.0f} ms after the last move" if r["on_final"] == r["screens"]
                 else f"{r['on_final']} of {r['screens']} screens")
        print(f"| {stack_name(db, processes)} | {r['ack_p50'] * 1000:.0f} / {r['ack_p95'] * 1000:.0f} ms | {final} | "
              f"{r['done']} of {r['sent']} ({lost}) | {sum(r['cpu_ms_per_move'].values()):.1f} |")


def on_stack(args):
    """The app as deployed: ``goldenthread serve`` processes (deploy/stack.py) on SQLite or PostgreSQL. One process
    is reached directly; with more, Redis carries every change between them and the proxy (a process of its own)
    shares the screens out, so half of them hear of each change through Redis."""
    sys.path.insert(0, str(ROOT / "deploy"))
    from stack import Stack

    with Stack(processes=args.processes, database=args.db, proxy="process",
               log=sys.stderr if not args.json else None) as stack:
        env = stack.env()
        if "REDIS_URL" in env:
            os.environ["REDIS_URL"] = env["REDIS_URL"]
        keys, code, cards, clusters = setup(env["GOLDENTHREAD_DATA_DIR"], args.delegates, env["DATABASE_URL"])
        pids = [p.pid for p in stack.procs if p.gt_name.startswith("app")]
        port = stack.app_ports[0] if args.processes == 1 else stack.port
        mem_start = sum(rss_mb(pid) for pid in pids)
        parts = server_parts(stack)
        cpu_start = {name: cpu_seconds(procs) for name, procs in parts.items()}
        r = asyncio.run(soak(port, keys, code, cards, clusters, args.rate, args.duration))
        r["cpu_ms_per_move"] = {name: (cpu_seconds(procs) - cpu_start[name]) * 1000 / max(r["done"], 1)
                                for name, procs in parts.items()}
        mem_end = sum(rss_mb(pid) for pid in pids)
        print(stack_name(args.db, args.processes))
        report(args, r, mem_start, mem_end)
        print("connections per app process: " + ", ".join(map(str, r["per_process"])))
    return r


def report(args, r, mem_start, mem_end):
    load = os.getloadavg()
    print(f"delegates {args.delegates}, target {args.rate:g} moves/s for {args.duration:g} s "
          f"(load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})")
    print(f"moves sent {r['sent']} ({r['achieved_rate']:.1f}/s), done {r['done']}, errors {r['errors']}, "
          f"final version {r['final']}")
    print(f"ack ms: p50 {r['ack_p50'] * 1000:.0f}  p95 {r['ack_p95'] * 1000:.0f}  p99 {r['ack_p99'] * 1000:.0f}")
    print(f"screens {r['screens']}: on the final version {r['on_final']}; final reached after the last ack: "
          f"median {r['final_after_last_ms_p50']:.0f} ms, slowest {r['final_after_last_ms_max']:.0f} ms")
    print(f"versions not told one by one (coalesced) per screen: mean {r['misses_mean']:.0f}, max {r['misses_max']}; "
          f"change messages per screen: {r['messages_per_screen']:.0f}; "
          f"last version seen: lowest {r['last_min']}, highest {r['last_max']}")
    print(f"server memory MB: start {mem_start:.0f}, end {mem_end:.0f}")
    if "cpu_ms_per_move" in r:
        print("server CPU per move done (ms, load-independent): "
              + ", ".join(f"{name} {ms:.1f}" for name, ms in r["cpu_ms_per_move"].items()))


if __name__ == "__main__":
    main()
