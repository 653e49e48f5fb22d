"""How fast does a board move reach every connected screen?

Starts Daphne on 127.0.0.1 with a throw-away SQLite database, creates a workshop
of invented cards, connects N websocket clients (loopback only), then has one
facilitator client make a fixed number of moves. For each move it records the
time from sending until each client receives the "changed" message, and prints
the median and 95th percentile.

    python benchmarks/workshop_load.py --clients 25 100 --moves 30
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(data_dir: str) -> tuple[str, str, list[int], list[int]]:
    """Migrate a fresh database; make a facilitator session, a workshop and two clusters. Returns ids for moves."""
    os.environ["GOLDENTHREAD_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.web.settings")
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from goldenthread.core import roles
    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.reviews.saving import save_reviews
    from goldenthread.workshops import services as ops

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench", password="a-long-pass-phrase")
    user.groups.add(Group.objects.get(name=roles.FACILITATOR))
    session = SessionStore()
    session["_auth_user_id"], session["_auth_user_backend"] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    cycle = ProgrammeCycle.objects.create(name="Bench", slug="bench", year=2026)
    save_reviews(cycle, [ReviewDraft(reference=f"B{i}", person_ref=f"P{i}", review_date=dt.date(2026, 1, 1),
                                     area="Harford", user_group="Older people", consent=True,
                                     statements=[StatementDraft("not_working", f"Invented statement {i}")])
                         for i in range(4)])
    w = ops.create_workshop(cycle, "Bench", "all", user)
    actor = ops.Actor("bench", True)
    cards = list(w.cards.values_list("pk", flat=True))
    ops.run(w.pk, actor, "call_card", {"card": cards[0], "cluster": "new"})
    ops.run(w.pk, actor, "call_card", {"card": cards[1], "cluster": "new"})
    ops.run(w.pk, actor, "call_card", {"card": cards[2], "cluster": ops.main_board(w, "not_working").clusters.first().pk})
    clusters = list(ops.main_board(w, "not_working").clusters.values_list("pk", flat=True))
    return session.session_key, w.code, cards, clusters


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


async def listen(sock, arrivals, stop):
    while not stop.is_set():
        try:
            msg = json.loads(await sock.receive())
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        if msg.get("type") == "changed":
            arrivals.setdefault(msg["version"], []).append(time.perf_counter())


async def measure(port, session_key, code, cards, clusters, n_clients, moves):
    arrivals, stop = {}, asyncio.Event()
    ready = [await Socket.open(port, f"/ws/workshops/{code}/", f"sessionid={session_key}") for _ in range(n_clients)]
    version = max([json.loads(await sock.receive())["version"] for sock in ready])  # the version on connecting
    tasks = [asyncio.create_task(listen(sock, arrivals, stop)) for sock in ready]
    await asyncio.sleep(0.5)
    mover = ready[0]
    latencies = []
    for i in range(moves):
        sent = time.perf_counter()
        mover.send(json.dumps({"type": "move_card", "card": cards[2], "cluster": clusters[i % 2]}))
        version += 1
        target = version
        for _ in range(100):  # at most 5 s per move
            if len(arrivals.get(target, [])) >= n_clients:
                break
            await asyncio.sleep(0.05)
        latencies += [t - sent for t in arrivals.get(target, [])]
    stop.set()
    for sock in ready:
        sock.close()
    await asyncio.gather(*tasks, return_exceptions=True)
    return latencies


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[25, 100])
    parser.add_argument("--moves", type=int, default=30)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data_dir:
        session_key, code, cards, clusters = setup(data_dir)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(args.port),
                                   "goldenthread.web.asgi:application"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(3)
            print(f"{'clients':>8} {'moves':>6} {'arrivals':>9} {'median ms':>10} {'p95 ms':>8}")
            for n in args.clients:
                lat = asyncio.run(measure(args.port, session_key, code, cards, clusters, n, args.moves))
                lat.sort()
                p95 = lat[max(0, int(len(lat) * 0.95) - 1)] if lat else float("nan")
                med = statistics.median(lat) if lat else float("nan")
                print(f"{n:>8} {args.moves:>6} {len(lat):>9} {med * 1000:>10.1f} {p95 * 1000:>8.1f}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
