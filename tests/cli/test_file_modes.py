"""Files Golden Thread makes are readable by their owner only, even when started with the usual umask (022)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_secret_key_and_backups_are_created_0600(tmp_path):
    data = tmp_path / "data"
    env = dict(os.environ, GOLDENTHREAD_DATA_DIR=str(data), PYTHONPATH=str(ROOT),
               DJANGO_SETTINGS_MODULE="goldenthread.web.settings")
    env.pop("DATABASE_URL", None)
    env.pop("GOLDENTHREAD_UMASK", None)
    env.pop("GOLDENTHREAD_SECRET_KEY", None)

    def cli(*args):
        done = subprocess.run([sys.executable, "-m", "goldenthread.cli.main", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300, preexec_fn=lambda: os.umask(0o022))
        assert done.returncode == 0, done.stdout + done.stderr

    cli("backup", "--output", str(tmp_path / "backup.sqlite3"), "--format", "sqlite")
    cli("backup", "--output", str(tmp_path / "backup.json.gz"), "--format", "json")
    made = [data / "goldenthread.sqlite3", data / "secret_key", tmp_path / "backup.sqlite3",
            tmp_path / "backup.json.gz"]
    made += [p for p in data.iterdir() if p.name.startswith("goldenthread.sqlite3-")]  # the WAL journal, if left
    assert {p.name: _mode(p) for p in made} == {p.name: 0o600 for p in made}
    assert _mode(data) == 0o700
