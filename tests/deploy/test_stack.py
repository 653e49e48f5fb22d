"""Issue 24: ``make stack``: the production topology from Debian packages (PostgreSQL, Redis, two app processes,
a round-robin proxy), and 20 delegates for 10 seconds through it, every screen converging and no move lost."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))

import devproxy  # noqa: E402
import stack  # noqa: E402


def test_the_proxy_replaces_a_forwarded_address_the_client_sent_with_the_one_it_saw():
    head = (b"POST /accounts/login/ HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6\r\nConnection: keep-alive\r\n"
            b"Content-Length: 3\r\n\r\n")
    out = devproxy.rewrite(head, "203.0.113.5").split(b"\r\n")
    assert b"X-Forwarded-For: 203.0.113.5" in out and b"X-Forwarded-For: 6.6.6.6" not in out
    assert b"Connection: close" in out and b"Connection: keep-alive" not in out and out[-2:] == [b"", b""]


def test_the_proxy_passes_a_websocket_upgrade_through():
    head = b"GET /ws/workshops/ABC/ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
    out = devproxy.rewrite(head, "203.0.113.5").split(b"\r\n")
    assert b"Connection: Upgrade" in out and b"Connection: close" not in out


def test_the_proxy_sends_connections_to_the_app_processes_in_turn_skipping_an_unhealthy_one():
    proxy = devproxy.Proxy([("127.0.0.1", 1), ("127.0.0.1", 2), ("127.0.0.1", 3)])
    assert [proxy.order()[0][1] for _ in range(3)] == [1, 2, 3]
    proxy.healthy[("127.0.0.1", 2)] = False
    assert [proxy.order()[0][1] for _ in range(3)] == [1, 3, 3]


@pytest.mark.stack
@pytest.mark.skipif(bool(stack.missing()), reason=f"needs Debian's {' and '.join(stack.missing())}")
def test_twenty_delegates_for_ten_seconds_on_postgres_redis_and_two_processes_converge_without_loss():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "GOLDENTHREAD_DATA_DIR"):
        env.pop(name, None)  # the stack brings its own
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "workshop_load.py"), "--stack", "--delegates", "20",
                          "--rate", "10", "--duration", "10", "--check"], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=400)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "screens 20: on the final version 20" in out.stdout and "errors 0" in out.stdout
    per_process = out.stdout.split("connections per app process: ", 1)[1].splitlines()[0]
    assert per_process == "10, 10"  # the proxy shared the screens out: every change crossed Redis to half of them
