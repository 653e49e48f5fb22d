"""When a person's data is erased (or purged), the batch runs that read their statements lose their files.

A run's work folder holds ``statements.parquet`` (the card wording of every statement it themed),
``known.json`` (last cycle's card wording), the engine's checkpoints under ``engine/`` and, unless the run was
given another place, ``themes.parquet``. All of them are copies made for the run. Rewriting them without the
erased rows would mean editing the engine's partitions and checkpoints in place; since the run's result is
already in the database (the proposal, whose memberships for the erased statements are deleted with them), the
files of every affected run are deleted instead. Starting the run again exports afresh, without the erased
statements.

A run is affected when one of its cycles held an erased review (its ``statements.parquet``) or had that
review's cycle as its previous cycle (its ``known.json``). Only the files a run writes are deleted, never
anything else in a folder someone named with ``--work-dir``.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from django.db.models import Q

from goldenthread.batch.models import BatchRun

#: What a run writes in its work folder (besides ``engine/``, which is the engine's own).
RUN_FILES = ("statements.parquet", "statements.parquet.tmp", "known.json", "known.json.tmp", "themes.parquet")


def affected_runs(cycle_ids):
    """Runs whose files may hold card wording from reviews of these cycles."""
    return BatchRun.objects.filter(Q(cycles__in=cycle_ids) | Q(cycles__previous__in=cycle_ids)).distinct()


def drop_run_files(run: BatchRun) -> bool:
    """Delete the files a run wrote (work folder contents and its output); True if anything was there."""
    found = False
    work = Path(run.work_dir)
    for name in RUN_FILES:
        path = work / name
        if path.exists():
            path.unlink()
            found = True
    if (work / "engine").is_dir():
        shutil.rmtree(work / "engine")
        found = True
    if run.output and Path(run.output).is_file():
        Path(run.output).unlink()
        found = True
    try:
        work.rmdir()  # only when nothing else is left in it
    except OSError:
        pass
    return found


def on_erased(sender, cycle_ids=(), **kwargs) -> None:
    """Receiver of :data:`goldenthread.reviews.data_protection.erased`: drop the affected runs' files."""
    for run in affected_runs(list(cycle_ids)):
        drop_run_files(run)
