"""Concurrent spends cannot overspend: two £60 spends at once from £100 — exactly one succeeds.

Run against a real file-based SQLite database and, when one can be started or
is given, PostgreSQL (GOLDENTHREAD_TEST_POSTGRES_URL, or a throw-away server
made with the ``initdb``/``pg_ctl`` found on the path).
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("concurrent_spend.py")
ROOT = Path(__file__).resolve().parents[2]


def run(database_url: str, tmp_path, mode: str = "two") -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "GOLDENTHREAD_DATA_DIR": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, str(SCRIPT), mode], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("attempt", range(3))
def test_two_spends_at_once_on_sqlite_cannot_overspend(tmp_path, attempt, put_migrated_sqlite):
    result = run(f"sqlite:///{put_migrated_sqlite(tmp_path / 'db.sqlite3')}", tmp_path)
    assert result == {"results": ["ok", "refused"], "money": "40.00"}


def test_any_spends_at_once_on_sqlite_never_overspend(tmp_path, put_migrated_sqlite):
    """A Hypothesis property (run inside the script): any balance, 2 to 4 spends at once."""
    assert run(f"sqlite:///{put_migrated_sqlite(tmp_path / 'db.sqlite3')}", tmp_path, "property")["property_cases"] >= 10


@pytest.fixture(scope="module")
def postgres_url():
    url = os.environ.get("GOLDENTHREAD_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("No PostgreSQL server: set GOLDENTHREAD_TEST_POSTGRES_URL or install PostgreSQL (initdb, pg_ctl).")
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[postgres]')")
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="gt-pg-"))  # not under pytest's 0700 folder: the postgres user must reach it
    os.chmod(folder, 0o777)
    as_postgres = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
    if as_postgres and not shutil.which("runuser"):
        pytest.skip("Running as root without runuser: cannot start a throw-away PostgreSQL server.")
    data, sock = folder / "data", folder
    subprocess.run(as_postgres + [initdb, "-D", str(data), "-U", "gt", "--auth=trust"], check=True,
                   capture_output=True)
    port = "54329"
    subprocess.run(as_postgres + [pg_ctl, "-D", str(data), "-o", f"-p {port} -k {sock} -c listen_addresses=''",
                                  "-l", str(folder / "log"), "-w", "start"], check=True, capture_output=True)
    try:
        yield f"postgres://gt@/postgres?host={sock}&port={port}"
    finally:
        subprocess.run(as_postgres + [pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_two_spends_at_once_on_postgresql_cannot_overspend(postgres_url, tmp_path):
    result = run(postgres_url, tmp_path)
    assert result == {"results": ["ok", "refused"], "money": "40.00"}


def test_any_spends_at_once_on_postgresql_never_overspend(postgres_url, tmp_path):
    assert run(postgres_url, tmp_path, "property")["property_cases"] >= 10
