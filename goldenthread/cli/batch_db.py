"""``goldenthread batch --cycle SLUG``: theme cycles' statements from the database, resumably.

The production way to run a batch: from a worker (cron, systemd timer, a job
queue) rather than the web process. ``--resume`` continues the latest run of
the same cycles that did not finish (or the run in ``--work-dir``); finished
engine partitions and saved chunks are not redone.
"""
from __future__ import annotations

from pathlib import Path

import click

from goldenthread.cli.django_setup import get_cycle, setup


def batch_cycles(slugs, *, per: str, output: Path | None, work_dir: Path | None, scheduler: str | None,
                 workers: int, model: str, partition_size: int, resume: bool, progress) -> None:
    setup(migrate=True)
    import logging

    logging.getLogger("distributed").setLevel(logging.WARNING)  # Dask's own chatter; our progress bar says enough
    from goldenthread.batch import services
    from goldenthread.batch.models import BatchRun

    cycles = [get_cycle(s) for s in dict.fromkeys(slugs)]
    if resume:
        runs = BatchRun.objects.exclude(status__in=[BatchRun.Status.DONE, BatchRun.Status.CONFIRMED])
        if work_dir is not None:
            run = runs.filter(work_dir=str(Path(work_dir).resolve())).first()
        else:
            wanted = {c.pk for c in cycles}
            run = next((r for r in runs.prefetch_related("cycles")
                        if {c.pk for c in r.cycles.all()} == wanted and r.per == per), None)
        if run is None:
            raise click.ClickException("there is no unfinished batch run for "
                                       + ", ".join(slugs) + " to resume; run it without --resume")
    else:
        try:
            run = services.start_run(cycles, per=per, work_dir=work_dir, output=output, options={
                "model": model, "scheduler": scheduler, "workers": workers, "partition_size": partition_size})
        except services.BatchBusy as e:
            raise click.ClickException(str(e)) from None
    click.echo(f"Batch run {run.pk}: work folder {run.work_dir}", err=True)
    try:
        services.execute(run, progress=progress)
    except Exception as e:
        raise click.ClickException(f"batch run {run.pk} stopped: {e}. Run the same command with --resume "
                                   "to continue.") from None
    run.refresh_from_db()
    click.echo(f"{run.statements} statements, {run.themes.count()} proposed themes; "
               f"confirm them at /batch/{run.pk}/ (output {run.output or Path(run.work_dir) / 'themes.parquet'})")
