"""Issue 24: a batch run whose worker died shows as stopped, no longer blocks new runs, and can be resumed or
started again from its page by someone who runs cycles."""
from __future__ import annotations

import datetime as dt
import socket
import subprocess
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from goldenthread.batch import models as batch_models
from goldenthread.batch import services
from goldenthread.batch.bigdb import make_big_db
from goldenthread.batch.models import WORKER_GONE, BatchRun
from goldenthread.core import roles
from goldenthread.reviews.models import ProgrammeCycle


@pytest.fixture
def small(db):
    make_big_db(60, 1, workshop=False)
    return ProgrammeCycle.objects.get()


def _dead_pid() -> int:
    proc = subprocess.Popen(["sleep", "30"])
    proc.kill()
    proc.wait()
    return proc.pid


def _running(cycle, tmp_path, *, worker: str, heard: dt.datetime | None = None) -> BatchRun:
    run = services.start_run([cycle], work_dir=tmp_path / "run")
    BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.RUNNING, stage="embed", worker=worker,
                                              updated_at=heard or timezone.now())
    run.refresh_from_db()
    return run


def test_a_run_whose_worker_process_is_gone_is_shown_as_stopped_at_once(client, make_user, small, tmp_path):
    run = _running(small, tmp_path, worker=f"{socket.gethostname()}:{_dead_pid()}")  # heartbeat still fresh
    client.force_login(make_user(roles.FACILITATOR))
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Stopped: the worker went away" in page and "Resume" in page and "Start again" in page
    assert 'data-refresh-seconds' not in page
    run.refresh_from_db()
    assert run.status == BatchRun.Status.FAILED and run.error == WORKER_GONE


def test_a_run_on_another_machine_that_stopped_heartbeating_is_shown_as_stopped(client, make_user, small, tmp_path):
    heard = timezone.now() - batch_models.STALE_AFTER - dt.timedelta(seconds=1)
    run = _running(small, tmp_path, worker="batch-worker-7:4242", heard=heard)
    client.force_login(make_user(roles.FACILITATOR))
    assert "Stopped: the worker went away" in client.get(run.get_absolute_url()).content.decode()


def test_a_run_with_a_live_worker_is_still_going(client, make_user, small, tmp_path):
    run = _running(small, tmp_path, worker=batch_models.this_worker())
    client.force_login(make_user(roles.FACILITATOR))
    page = client.get(run.get_absolute_url()).content.decode()
    assert "data-refresh-seconds" in page and "went away" not in page
    with pytest.raises(services.BatchBusy):
        services.start_run([small], work_dir=tmp_path / "second")


def test_a_dead_workers_run_no_longer_blocks_a_new_run_for_the_cycle(small, tmp_path):
    _running(small, tmp_path, worker=f"{socket.gethostname()}:{_dead_pid()}")
    assert services.start_run([small], work_dir=tmp_path / "second").status == BatchRun.Status.QUEUED


def test_resume_carries_a_stopped_run_on_from_its_page(client, make_user, small, tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(services, "start_in_background", started.append)
    run = _running(small, tmp_path, worker=f"{socket.gethostname()}:{_dead_pid()}")
    client.force_login(make_user(roles.COMMISSIONER))
    client.get(run.get_absolute_url())
    r = client.post(reverse("batch:resume", args=[run.pk]))
    assert r.status_code == 302 and r["Location"] == run.get_absolute_url()
    run.refresh_from_db()
    assert started == [run] and run.status == BatchRun.Status.QUEUED and run.error == ""
    # pressed twice (or by two people): started once
    client.post(reverse("batch:resume", args=[run.pk]))
    assert len(started) == 1


def test_start_again_makes_a_new_run_of_the_same_cycles_the_same_way(client, make_user, small, tmp_path,
                                                                      monkeypatch):
    started = []
    monkeypatch.setattr(services, "start_in_background", started.append)
    monkeypatch.setenv("GOLDENTHREAD_BATCH_DIR", str(tmp_path / "runs"))
    run = _running(small, tmp_path, worker=f"{socket.gethostname()}:{_dead_pid()}")
    BatchRun.objects.filter(pk=run.pk).update(per="area", options={"model": "hashing"})
    client.force_login(make_user(roles.FACILITATOR))
    client.get(run.get_absolute_url())
    r = client.post(reverse("batch:restart", args=[run.pk]))
    new = BatchRun.objects.exclude(pk=run.pk).get()
    assert r["Location"] == new.get_absolute_url() and started == [new]
    assert list(new.cycles.all()) == [small] and new.per == "area" and new.options == {"model": "hashing"}
    assert new.work_dir != run.work_dir


@pytest.mark.parametrize("action", ["batch:resume", "batch:restart"])
def test_only_people_who_run_cycles_may_resume_or_restart(client, make_user, small, tmp_path, monkeypatch, action):
    monkeypatch.setattr(services, "start_in_background", lambda run: None)
    run = _running(small, tmp_path, worker=f"{socket.gethostname()}:{_dead_pid()}")
    client.force_login(make_user(roles.VIEWER))
    assert client.post(reverse(action, args=[run.pk])).status_code == 403
    assert BatchRun.objects.count() == 1


def test_a_working_run_keeps_heartbeating_whatever_stage_it_is_in(transactional_db, tmp_path, monkeypatch):
    make_big_db(30, 1, workshop=False)
    cycle = ProgrammeCycle.objects.get()
    monkeypatch.setattr(batch_models, "HEARTBEAT_SECONDS", 0.05)
    run = services.start_run([cycle], work_dir=tmp_path / "run")
    seen = []

    def slow_stage(*args, **kwargs):
        first = BatchRun.objects.get(pk=run.pk).updated_at
        time.sleep(0.5)  # one long stage that reports no progress
        seen.append((first, BatchRun.objects.get(pk=run.pk).updated_at))
        raise RuntimeError("stop here")

    import goldenthread.engine.batch as engine_batch

    monkeypatch.setattr(engine_batch, "run_batch", slow_stage)
    with pytest.raises(RuntimeError):
        services.execute(run)
    (first, later), = seen
    assert later > first
    run.refresh_from_db()
    assert run.worker == batch_models.this_worker()


def test_runs_go_to_the_dask_scheduler_named_in_the_environment(small, tmp_path, monkeypatch):
    monkeypatch.setenv("GOLDENTHREAD_DASK_SCHEDULER", "tcp://dask-scheduler:8786")
    run = services.start_run([small], work_dir=tmp_path / "run")
    assert run.options["scheduler"] == "tcp://dask-scheduler:8786"
