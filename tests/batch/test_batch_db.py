"""Batch theming over the database: every card statement ends in exactly one proposed theme, once,
even when a Dask worker or the whole job is killed part-way and the run resumed."""
from __future__ import annotations

import collections
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from goldenthread.batch import services
from goldenthread.batch.bigdb import make_big_db
from goldenthread.batch.models import BatchRun, ProposedMembership, ProposedTheme
from goldenthread.engine.batch import read_status, read_write_log
from goldenthread.reviews.models import ProgrammeCycle, Statement

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(work, stage, at_least, timeout=180):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        st = read_status(work)
        if st and st["stages"][stage]["done"] >= at_least:
            return st
        time.sleep(0.05)
    raise AssertionError(f"{stage} did not reach {at_least} in {timeout} s: {read_status(work)}")


def _assert_nothing_written_twice(engine_work):
    counts = collections.Counter(read_write_log(engine_work))
    assert counts and max(counts.values()) == 1, [k for k, c in counts.items() if c > 1]


def _assert_each_statement_once(run):
    expected = set(services.statements_for(run).values_list("pk", flat=True))
    got = list(ProposedMembership.objects.filter(run=run).values_list("statement_id", flat=True))
    assert len(got) == len(set(got)) == len(expected)  # nothing doubled
    assert set(got) == expected  # nothing lost
    assert run.written == len(expected)
    sizes = dict(ProposedTheme.objects.filter(run=run).values_list("pk", "size"))
    counted = collections.Counter(ProposedMembership.objects.filter(run=run).values_list("theme_id", flat=True))
    assert counted == collections.Counter({k: v for k, v in sizes.items() if v})


@pytest.fixture
def big(db):
    made = make_big_db(2400, 2, seed=1)  # two yearly cycles; the first has a workshop with named themes
    return made


def test_a_cycle_is_themed_on_dask_with_last_cycles_themes_placed_first(big, tmp_path):
    second = ProgrammeCycle.objects.get(slug="big-002")
    assert second.previous.slug == "big-001"
    run = services.start_run([second], per="area", work_dir=tmp_path / "run",
                             options={"model": "hashing", "partition_size": 300, "sample_size": 600})
    services.execute(run)
    run.refresh_from_db()
    assert run.status == BatchRun.Status.DONE and run.statements > 1000
    _assert_each_statement_once(run)
    _assert_nothing_written_twice(tmp_path / "run" / "engine")
    # last year's workshop themes came first, under their own names (no kind prefix)
    known = ProposedTheme.objects.filter(run=run, source="known")
    assert known.exists() and not known.filter(name__contains=": ").exists()
    assert set(known.values_list("name", flat=True)) <= {
        "I like my home", "I see my friends", "My staff know me", "I have a job", "I keep healthy", "I cannot get out",
        "I feel lonely", "Staff keep changing", "Money is hard", "I am not listened to", "I want a job",
        "I want my own place", "I want to learn", "I want to travel"}
    # a theme never mixes kinds or areas
    mixed = (ProposedMembership.objects.filter(run=run).exclude(statement__kind=models_F("theme__kind")))
    assert not mixed.exists()
    assert (tmp_path / "run" / "themes.parquet").exists()
    # writing the result back again changes nothing
    assert services.write_back(run, tmp_path / "run" / "themes.parquet") == 0
    _assert_each_statement_once(run)


def models_F(name):
    from django.db.models import F

    return F(name)


def test_a_crash_while_saving_resumes_without_writing_any_statement_twice(db, tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    make_big_db(600, 1, workshop=False)
    cycle = ProgrammeCycle.objects.get()
    run = services.start_run([cycle], work_dir=tmp_path / "run")
    ids = list(services.statements_for(run).values_list("pk", "kind"))
    out = tmp_path / "themes.parquet"
    pq.write_table(pa.table({
        "row_id": [str(i) for i, _ in ids], "kind": [k for _, k in ids], "group": [""] * len(ids),
        "theme_id": [1 + (i % 3) for i, _ in ids], "theme_name": [f"Theme {1 + i % 3}" for i, _ in ids],
        "source": ["clustered"] * len(ids), "similarity": [0.5] * len(ids)}), out)
    real_touch, calls = services._touch, {"n": 0}

    def crash_on_third_chunk(r, **fields):
        if "written" in fields:
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt("killed")
        return real_touch(r, **fields)

    monkeypatch.setattr(services, "_touch", crash_on_third_chunk)
    with pytest.raises(KeyboardInterrupt):
        services.write_back(run, out, chunk=100)
    run.refresh_from_db()
    assert run.written == 200  # two chunks saved; the third rolled back with its counter
    assert ProposedMembership.objects.filter(run=run).count() == 200
    monkeypatch.setattr(services, "_touch", real_touch)
    assert services.write_back(run, out, chunk=100) == len(ids) - 200
    run.refresh_from_db()
    got = list(ProposedMembership.objects.filter(run=run).values_list("statement_id", flat=True))
    assert sorted(got) == sorted(i for i, _ in ids)


def test_only_one_run_at_a_time_for_a_cycle(db, tmp_path):
    make_big_db(60, 1, workshop=False)
    cycle = ProgrammeCycle.objects.get()
    run = services.start_run([cycle], work_dir=tmp_path / "a")
    with pytest.raises(services.BatchBusy, match=f"Batch run {run.pk}"):
        services.start_run([cycle], work_dir=tmp_path / "b")
    BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.DONE)
    services.start_run([cycle], work_dir=tmp_path / "c")  # finished runs do not block


def test_a_killed_dask_worker_loses_and_doubles_nothing(db, tmp_path):
    import logging

    from distributed import Client, LocalCluster

    class SlowHashing:  # defined here so Dask ships it by value (workers never import this Django test module)
        name, dim = "slow-hashing", 512

        def encode(self, texts):
            from goldenthread.engine.embed import HashingEmbedder

            time.sleep(0.3)
            return HashingEmbedder().encode(texts)

    make_big_db(2400, 1, workshop=False)
    run = services.start_run(ProgrammeCycle.objects.all(), work_dir=tmp_path / "run",
                             options={"partition_size": 200, "sample_size": 800})
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        victim = sorted(client.run(os.getpid).values())[0]
        killed = {}

        def kill_one_worker():
            _wait_for(tmp_path / "run" / "engine", "embed", 3)
            os.kill(victim, signal.SIGKILL)
            killed["yes"] = True

        th = threading.Thread(target=kill_one_worker, daemon=True)
        th.start()
        services.execute(run, model=SlowHashing(), scheduler=cluster.scheduler_address)
        th.join(5)
    assert killed
    run.refresh_from_db()
    assert run.status == BatchRun.Status.DONE
    _assert_each_statement_once(run)
    _assert_nothing_written_twice(tmp_path / "run" / "engine")


def _start_job(data, *extra):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "tests.batch.db_batch_job", str(data), *extra], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def test_a_killed_job_resumes_from_the_database_and_writes_each_statement_once(tmp_path, put_migrated_sqlite):
    data = tmp_path / "data"
    data.mkdir()
    put_migrated_sqlite(data / "goldenthread.sqlite3")
    engine = data / "work" / "engine"
    proc = _start_job(data)
    try:
        _wait_for(engine, "embed", 5)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the job and its Dask workers, mid-run
        proc.wait(30)
    done_before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (engine / "embed").glob("*.npz")}
    assert len(done_before) >= 5
    db = sqlite3.connect(data / "goldenthread.sqlite3")
    assert db.execute("select status from batch_batchrun").fetchone()[0] == "running"  # left as it died
    assert db.execute("select count(*) from batch_proposedmembership").fetchone()[0] == 0
    db.close()

    proc = _start_job(data, "--resume")
    stdout, stderr = proc.communicate(timeout=400)
    assert proc.returncode == 0, stderr[-3000:]
    for name, stamp in done_before.items():  # finished partitions were not redone
        p = engine / "embed" / name
        assert (p.stat().st_ino, p.stat().st_mtime_ns) == stamp
    _assert_nothing_written_twice(engine)
    db = sqlite3.connect(data / "goldenthread.sqlite3")
    status, statements, written = db.execute("select status, statements, written from batch_batchrun").fetchone()
    expected = {r[0] for r in db.execute(
        "select s.id from store_statement s join store_review r on r.id = s.review_id "
        "where r.consent_given and r.status = 'complete' and s.card_text != ''")}
    rows = [r[0] for r in db.execute("select statement_id from batch_proposedmembership")]
    per_theme = dict(db.execute("select id, size from batch_proposedtheme"))
    counted = collections.Counter(r[0] for r in db.execute("select theme_id from batch_proposedmembership"))
    db.close()
    assert status == "done" and statements == written == len(expected) > 2000
    assert len(rows) == len(set(rows)) and set(rows) == expected  # exactly one theme each
    assert counted == collections.Counter({k: v for k, v in per_theme.items() if v})


def test_an_engine_output_that_puts_statements_under_last_years_theme_of_another_kind_is_refused(db, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    make_big_db(60, 1, workshop=False)
    run = services.start_run([ProgrammeCycle.objects.get()], work_dir=tmp_path / "run")
    ids = list(services.statements_for(run).filter(kind="working").values_list("pk", flat=True)[:3])
    out = tmp_path / "themes.parquet"
    pq.write_table(pa.table({  # an older engine's output: working cards under last year's not-working theme
        "row_id": [str(i) for i in ids], "kind": ["working"] * 3, "group": [""] * 3, "theme_id": [1] * 3,
        "theme_name": ["not_working: I'm sad"] * 3, "source": ["known"] * 3, "similarity": [0.5] * 3}), out)
    with pytest.raises(services.KindMismatch, match="not working theme “I'm sad” was given working statements"):
        services.write_back(run, out)
    assert not ProposedTheme.objects.filter(run=run).exists()
    assert not ProposedMembership.objects.filter(run=run).exists()
