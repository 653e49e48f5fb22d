"""A process applying workshop moves is killed with SIGKILL mid-way: the database stays consistent.

Versions are contiguous (one per applied change), there is one Change row per applied move, every move the
process reported as done is there, and the board is exactly the last logged change's "after" (no half move)."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_killing_a_process_mid_move_leaves_the_workshop_consistent(tmp_path, put_migrated_sqlite):
    put_migrated_sqlite(tmp_path / "kill.sqlite3")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen([sys.executable, "-m", "tests.workshops._mover", str(tmp_path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        ready = proc.stdout.readline().split()
        assert ready and ready[0] == "ready", "the mover did not start"
        workshop_id, board_id, start = map(int, ready[1:])
        reported = []
        deadline = time.monotonic() + 120
        while len(reported) < 25 and time.monotonic() < deadline:
            reported.append(int(proc.stdout.readline().split()[1]))
        time.sleep(0.013)  # land somewhere inside a later move
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert len(reported) == 25

    db = sqlite3.connect(tmp_path / "kill.sqlite3")
    (version,) = db.execute("select version from store_workshop where id = ?", (workshop_id,)).fetchone()
    moves = db.execute("select id, after from store_change where workshop_id = ? and op = 'move_card' "
                       "order by id", (workshop_id,)).fetchall()
    assert version == start + len(moves), "one version per applied move, no gaps"
    assert version >= reported[-1], "every move reported as done survived"
    assert reported == list(range(start + 1, start + 26)), "versions are contiguous"
    placements = sorted([card, cluster, position, bool(disputed)] for card, cluster, position, disputed in db.execute(
        "select card_id, cluster_id, position, disputed from store_placement where board_id = ?", (board_id,)))
    assert placements == sorted(json.loads(moves[-1][1])["placements"]), "the board is the last move, complete"
    assert db.execute("pragma integrity_check").fetchone() == ("ok",)
