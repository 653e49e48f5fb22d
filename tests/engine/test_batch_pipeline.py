"""The resumable batch pipeline: every statement exactly once, stopped and resumed."""
from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from goldenthread.engine.batch import BatchError, read_status, read_write_log, run_batch
from goldenthread.engine.synthetic import make_statements

ROOT = Path(__file__).resolve().parents[2]


def _assert_each_row_once(table, rows):
    ids = table.column("row_id").to_pylist()
    assert sorted(ids) == sorted(r["id"] for r in rows)  # nothing lost, nothing doubled
    assert len(set(ids)) == len(ids)
    tid = table.column("theme_id").to_numpy()
    assert (tid >= 1).all()
    names = table.column("theme_name").to_pylist()
    assert all(n.strip() for n in names)


def _assert_nothing_written_twice(work):
    counts = collections.Counter(read_write_log(work))
    assert counts and max(counts.values()) == 1, [k for k, c in counts.items() if c > 1]


def _wait_for(work, stage, at_least, timeout=120):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        st = read_status(work)
        if st and st["stages"][stage]["done"] >= at_least:
            return st
        time.sleep(0.05)
    raise AssertionError(f"{stage} did not reach {at_least} in {timeout} s: {read_status(work)}")


def test_a_batch_themes_every_statement_once_per_kind_and_group_with_known_themes(tmp_path):
    rows = make_statements(2400, seed=3)
    seen = []
    known = (["I see nobody all day and I feel lonely", "I am lonely, nobody visits"],
             ["I am lonely"] * 2)
    res = run_batch(rows, work_dir=tmp_path / "work", output=tmp_path / "out.parquet",
                    id_column="id", kind_column="kind", group_column="area", model="hashing",
                    partition_size=400, sample_size=600, known=known,
                    progress=lambda s, d, n: seen.append((s, d, n)))
    out = pq.read_table(tmp_path / "out.parquet")
    _assert_each_row_once(out, rows)
    _assert_nothing_written_twice(tmp_path / "work")
    df = out.to_pandas()
    # a theme never spans two kinds or two areas
    assert (df.groupby("theme_id")[["kind", "group"]].nunique() == 1).all().all()
    assert set(df["group"]) == {r["area"] for r in rows}
    assert (df.loc[df.source == "known", "theme_name"] == "I am lonely").all()
    assert (df.source == "known").sum() > 0
    st = read_status(tmp_path / "work")
    assert st["state"] == "done" and st["stages"]["embed"] == {"done": 6, "total": 6}
    assert ("label", 6, 6) in seen
    assert sum(t.size for t in res.themes) == len(rows)
    # the themes follow the invented topics far better than chance
    from sklearn.metrics import adjusted_mutual_info_score

    topic = {r["id"]: r["topic"] for r in rows}
    assert adjusted_mutual_info_score([topic[i] for i in df.row_id], df.theme_id) > 0.3


def test_a_killed_worker_loses_and_redoes_nothing(tmp_path):
    import logging

    from distributed import Client, LocalCluster

    class SlowHashing:
        name, dim = "slow-hashing", 512

        def encode(self, texts):
            from goldenthread.engine.embed import HashingEmbedder

            time.sleep(0.3)
            return HashingEmbedder().encode(texts)

    rows = make_statements(3000, seed=4)
    work = tmp_path / "work"
    box = {}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        def job():
            try:
                box["res"] = run_batch(rows, work_dir=work, id_column="id", kind_column="kind",
                                       model=SlowHashing(), partition_size=200, sample_size=800,
                                       scheduler=cluster.scheduler_address)
            except BaseException as e:  # pragma: no cover - reported below
                box["err"] = e

        th = threading.Thread(target=job)
        th.start()
        _wait_for(work, "embed", 3)
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        os.kill(victim, signal.SIGKILL)
        th.join(180)
        assert not th.is_alive()
    assert "err" not in box, box.get("err")
    _assert_each_row_once(box["res"].table, rows)
    _assert_nothing_written_twice(work)


def _start_job(work, out, n, *extra):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-m", "tests.engine.batch_job", str(work), str(out), str(n),
                             *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def test_a_killed_job_resumes_without_redoing_finished_partitions(tmp_path):
    work, out, n = tmp_path / "work", tmp_path / "out.parquet", 3000
    proc = _start_job(work, out, n)
    try:
        _wait_for(work, "embed", 5)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the job and its Dask workers
        proc.wait(30)
    done_before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (work / "embed").glob("*.npz")}
    assert 5 <= len(done_before) < 15 and not out.exists()
    # run again without --resume: refused, nothing touched
    with pytest.raises(BatchError, match="resume"):
        run_batch(make_statements(n, seed=5), work_dir=work, id_column="id", kind_column="kind",
                  model="hashing", partition_size=200)
    proc = _start_job(work, out, n, "--resume")
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr[-3000:]
    skipped = json.loads(stdout.strip().splitlines()[-1])
    assert skipped["embed"] >= len(done_before)
    for name, stamp in done_before.items():  # finished partitions were not written again
        p = work / "embed" / name
        assert (p.stat().st_ino, p.stat().st_mtime_ns) == stamp
    _assert_nothing_written_twice(work)
    _assert_each_row_once(pq.read_table(out), make_statements(n, seed=5))
    assert read_status(work)["state"] == "done"


def test_bad_input_is_refused_with_the_rows_named(tmp_path):
    rows = [{"id": "a", "text": "I like my job"}, {"id": "b", "text": "  "},
            {"id": "a", "text": "I miss my dog"}]
    with pytest.raises(BatchError, match=r"empty 'text': rows 2"):
        run_batch(rows, work_dir=tmp_path / "w", id_column="id", model="hashing")
    rows[1]["text"] = "I like the bus"
    with pytest.raises(BatchError, match=r"id 'a' on rows 1 and 3"):
        run_batch(rows, work_dir=tmp_path / "w", id_column="id", model="hashing")
    with pytest.raises(BatchError, match=r"no group column 'area'; columns found: 'id', 'text'"):
        run_batch(rows, work_dir=tmp_path / "w", group_column="area", model="hashing")
    assert not (tmp_path / "w").exists()


def test_the_batch_command_reads_csv_and_writes_parquet(tmp_path):
    from click.testing import CliRunner

    from goldenthread.cli.main import cli

    rows = make_statements(600, seed=6)
    src = tmp_path / "in.csv"
    src.write_text("id,text,kind,area\n" + "".join(
        f'{r["id"]},"{r["text"]}",{r["kind"]},{r["area"]}\n' for r in rows), encoding="utf-8")
    train = tmp_path / "last.csv"
    train.write_text("text,theme_name\nI feel lonely and see nobody,I am lonely\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    args = ["batch", "--input", str(src), "--output", str(out), "--work-dir", str(tmp_path / "w"),
            "--model", "hashing", "--partition-size", "200", "--group-column", "area",
            "--train", str(train)]
    got = CliRunner().invoke(cli, args)
    assert got.exit_code == 0, got.output
    assert "600 statements" in got.output and "kind" in pq.read_schema(out).names
    _assert_each_row_once(pq.read_table(out), rows)
    first = pq.read_table(out).column("theme_id").to_numpy()
    again = CliRunner().invoke(cli, args)  # the work folder holds this job now
    assert again.exit_code != 0 and "--resume" in again.output
    resumed = CliRunner().invoke(cli, args + ["--resume"])  # all done: nothing redone
    assert resumed.exit_code == 0, resumed.output
    assert np.array_equal(pq.read_table(out).column("theme_id").to_numpy(), first)
    _assert_nothing_written_twice(tmp_path / "w")


def test_a_file_that_is_not_utf8_or_not_there_is_refused_clearly(tmp_path):
    bad = tmp_path / "in.csv"
    bad.write_bytes("id,text\n1,caf\xe9 trips\n".encode("latin-1"))
    with pytest.raises(BatchError, match="UTF-8"):
        run_batch(bad, work_dir=tmp_path / "w", model="hashing")
    with pytest.raises(BatchError, match="no such file"):
        run_batch(tmp_path / "missing.parquet", work_dir=tmp_path / "w", model="hashing")
    with pytest.raises(BatchError, match=r"\.parquet or \.csv"):
        (tmp_path / "in.xlsx").write_bytes(b"x")
        run_batch(tmp_path / "in.xlsx", work_dir=tmp_path / "w", model="hashing")
