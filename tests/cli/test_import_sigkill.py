"""An import killed with SIGKILL half-way leaves the database with all or none of it, never part."""
from __future__ import annotations

import csv
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _big_csv(path: Path, reviews: int) -> None:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["review_id", "person_id", "person_name", "review_date", "area", "user_group", "consent", "kind",
                "text"])
    for i in range(reviews):
        for kind, text in (("working", "I like my job at the cafe"), ("not working", "The bus is always late"),
                           ("future", "I want to live with friends")):
            w.writerow([f"R{i}", f"P{i}", f"Person {i}", "2026-02-03", "Harford", "Older people", "yes", kind, text])
    path.write_text(out.getvalue())


def _cli(env, *args, **kw):
    return subprocess.Popen([sys.executable, "-m", "goldenthread.cli.main", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)


def _count(db: Path) -> tuple[int, int]:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return (con.execute("SELECT COUNT(*) FROM store_review").fetchone()[0],
                con.execute("SELECT COUNT(*) FROM store_statement").fetchone()[0])
    finally:
        con.close()


def test_an_import_killed_mid_way_leaves_all_or_nothing(tmp_path, put_migrated_sqlite):
    put_migrated_sqlite(tmp_path / "goldenthread.sqlite3")
    env = dict(os.environ, GOLDENTHREAD_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT),
               DJANGO_SETTINGS_MODULE="goldenthread.web.settings")
    env.pop("DATABASE_URL", None)
    made = _cli(env, "cycle", "create", "--name", "Kill town", "--slug", "kill", "--year", "2026")
    assert made.wait(timeout=300) == 0, made.stdout.read().decode()
    for kind, name in (("areas", "Harford"), ("user-groups", "Older people")):   # the council's lists
        listed = _cli(env, "lists", "add", kind, name)
        assert listed.wait(timeout=300) == 0, listed.stdout.read().decode()
    db = tmp_path / "goldenthread.sqlite3"
    file = tmp_path / "big.csv"
    _big_csv(file, 4000)

    proc = _cli(env, "import", "reviews", str(file), "--cycle", "kill")
    # Wait until the import is writing: SQLite keeps a journal (or a WAL) beside the file while it does.
    journal, wal = Path(f"{db}-journal"), Path(f"{db}-wal")
    deadline = time.monotonic() + 300
    wal_size = wal.stat().st_size if wal.exists() else 0
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() or (wal.exists() and wal.stat().st_size > wal_size + 64 * 1024):
            break
        time.sleep(0.005)
    if proc.poll() is not None:
        pytest.fail("the import finished before it could be killed; make the file bigger")
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    reviews, statements = _count(db)
    assert (reviews, statements) in ((0, 0), (4000, 12000)), (reviews, statements)

    # And the same file imports whole afterwards.
    again = _cli(env, "import", "reviews", str(file), "--cycle", "kill")
    assert again.wait(timeout=600) == 0, again.stdout.read().decode()
    assert _count(db) == (4000, 12000)
