"""``make stack``: the production topology of deploy/compose.yaml on one machine, from Debian packages, no containers.

A PostgreSQL cluster (Debian's ``postgresql``) and a Redis server (``redis-server``) in a folder of their own,
the migrations run once, two ``goldenthread serve`` processes sharing them (Redis is the channel layer, so a
change on one process reaches the screens on the other), and a round-robin proxy in front
(:mod:`devproxy`: this machine has no Caddy, nginx or HAProxy package). The app processes trust the proxy's
``X-Forwarded-For`` (``GOLDENTHREAD_TRUSTED_PROXIES=127.0.0.1``) and log JSON, as in production.

    python deploy/stack.py                 # http://127.0.0.1:8080/ until Ctrl+C; everything is removed after
    python deploy/stack.py --keep DIR      # keep the database and logs in DIR (started again from there)

``tests/deploy/test_stack.py`` starts the same stack and runs 20 delegates for 10 seconds through the proxy.
"""
from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


def missing() -> list[str]:
    """What this machine lacks for the stack (Debian packages), empty when it can run."""
    need = []
    if postgres_bin() is None:
        need.append("postgresql")
    if not shutil.which("redis-server"):
        need.append("redis-server")
    return need


class Stack:
    """PostgreSQL + Redis + two app processes + the proxy. Use as a context manager; ``url`` is the proxy's."""

    def __init__(self, folder: str | None = None, port: int | None = None, processes: int = 2, log=sys.stderr,
                 database: str = "postgres", redis: bool | None = None, proxy: str = "thread"):
        """``database`` is "postgres" or "sqlite" (a file in the folder); ``redis`` (the channel layer) is on
        by default with more than one process, and must be; ``proxy`` runs the round-robin proxy in a thread of
        this process ("thread": tests read its connection counts) or in a process of its own ("process": a
        benchmark, so the proxy and the load share no interpreter lock)."""
        if database not in ("postgres", "sqlite"):
            raise ValueError("database is postgres or sqlite")
        self.database, self.redis = database, processes > 1 if redis is None else redis
        if processes > 1 and not self.redis:
            raise ValueError("more than one app process needs Redis as the channel layer")
        self.proxy_mode = proxy
        self.keep = folder is not None
        self.dir = Path(folder or tempfile.mkdtemp(prefix="gt-stack-")).resolve()
        self.port = port or free_port()
        self.app_ports = [free_port() for _ in range(processes)]
        self.pg_port, self.redis_port = free_port(), free_port()
        self.procs: list[subprocess.Popen] = []
        self.log = log
        self.url = f"http://127.0.0.1:{self.port}"
        self.proxy = None

    # --- the parts ---------------------------------------------------------------------------------

    def _as_postgres(self) -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []

    def _start_postgres(self) -> None:
        pgbin, data = postgres_bin(), self.dir / "pg"
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        if not (data / "PG_VERSION").exists():
            subprocess.run([*self._as_postgres(), str(pgbin / "initdb"), "-D", str(data), "-U", "goldenthread",
                            "-A", "trust"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*self._as_postgres(), str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "pg.log"),
                        "-o", f"-p {self.pg_port} -k {self.dir} -c listen_addresses=127.0.0.1", "-w", "start"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(pgbin / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "goldenthread",
                        "goldenthread"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # exists: fine

    def _stop_postgres(self) -> None:
        subprocess.run([*self._as_postgres(), str(postgres_bin() / "pg_ctl"), "-D", str(self.dir / "pg"), "-m", "fast",
                        "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def env(self) -> dict[str, str]:
        env = {**os.environ}
        env.pop("REDIS_URL", None)
        return {**env, "PYTHONPATH": str(ROOT),
                "DJANGO_SETTINGS_MODULE": "goldenthread.web.settings",
                "DATABASE_URL": (f"postgres://goldenthread@127.0.0.1:{self.pg_port}/goldenthread"
                                 if self.database == "postgres" else f"sqlite:///{self.dir / 'data' / 'gt.sqlite3'}"),
                **({"REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0"} if self.redis else {}),
                "GOLDENTHREAD_DATA_DIR": str(self.dir / "data"),
                "GOLDENTHREAD_TRUSTED_PROXIES": "127.0.0.1",
                "GOLDENTHREAD_LOG_FORMAT": "json", "GOLDENTHREAD_LOG_LEVEL": "WARNING",
                "GOLDENTHREAD_ALLOWED_HOSTS": "127.0.0.1,localhost"}

    def _spawn(self, name: str, argv: list[str], env=None) -> subprocess.Popen:
        out = open(self.dir / f"{name}.log", "ab")
        proc = subprocess.Popen(argv, env=env or self.env(), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        proc.gt_name = name
        self.procs.append(proc)
        return proc

    def goldenthread(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "goldenthread.cli.main", *args]

    def start(self) -> "Stack":
        (self.dir / "data").mkdir(parents=True, exist_ok=True)
        self._say(f"{'PostgreSQL on ' + str(self.pg_port) if self.database == 'postgres' else 'SQLite'}, "
                  f"{'Redis on ' + str(self.redis_port) if self.redis else 'no Redis'}, in {self.dir}")
        if self.database == "postgres":
            self._start_postgres()
        if self.redis:
            self._spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no"])
        self._say("migrating the database once")
        subprocess.run(self.goldenthread("manage", "migrate", "--no-input", "-v", "0"), env=self.env(), cwd=ROOT,
                       check=True)
        for n, port in enumerate(self.app_ports, 1):
            self._spawn(f"app{n}", self.goldenthread("serve", "--host", "127.0.0.1", "--port", str(port)))
        self._start_proxy()
        self.wait_ready()
        self._say(f"ready: {self.url}/ (app processes on {', '.join(map(str, self.app_ports))}; logs in {self.dir})")
        return self

    def _start_proxy(self) -> None:
        if self.proxy_mode == "process":
            self._spawn("proxy", [sys.executable, str(ROOT / "deploy" / "devproxy.py"), "--listen",
                                  f"127.0.0.1:{self.port}", *[a for p in self.app_ports
                                                              for a in ("--backend", f"127.0.0.1:{p}")]])
            return
        import asyncio

        import devproxy

        ready = threading.Event()

        def run():
            asyncio.run(devproxy.serve(("127.0.0.1", self.port), [("127.0.0.1", p) for p in self.app_ports],
                                       started=lambda proxy: (setattr(self, "proxy", proxy), ready.set())))

        threading.Thread(target=run, name="devproxy", daemon=True).start()
        ready.wait(10)

    def wait_ready(self, timeout: float = 120) -> None:
        """Until every app process says /readyz 200 (database, Redis round trip, migrations)."""
        deadline = time.monotonic() + timeout
        pending = set(self.app_ports)
        while pending and time.monotonic() < deadline:
            for proc in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{proc.gt_name} stopped: see {self.dir / (proc.gt_name + '.log')}")
            for port in list(pending):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=3) as r:
                        if r.status == 200:
                            pending.discard(port)
                except OSError:
                    pass
            time.sleep(0.5)
        if pending:
            raise RuntimeError(f"app processes on {sorted(pending)} not ready after {timeout:.0f} s; logs in {self.dir}")

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()
        if self.database == "postgres":
            self._stop_postgres()
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Stack":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    def _say(self, text: str) -> None:
        if self.log is not None:
            print(f"stack: {text}", file=self.log, flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080, help="the proxy's port")
    parser.add_argument("--keep", metavar="DIR", default=None, help="keep the database and logs in this folder")
    args = parser.parse_args(argv)
    if missing():
        sys.exit(f"stack: install Debian's {' and '.join(missing())} first (apt-get install {' '.join(missing())})")
    def stop(signum, frame):
        raise KeyboardInterrupt

    # Ctrl+C, or a TERM from a service manager (and INT even where a shell started this with INT ignored).
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    with Stack(args.keep, args.port):
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
