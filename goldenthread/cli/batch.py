"""``goldenthread batch``: theme a very large file of statements on Dask, resumably.

A thin wrapper over :func:`goldenthread.engine.batch.run_batch` (no Django):
reads Parquet or CSV, themes per kind (and per group when asked), names the
themes, writes Parquet. Progress goes to a bar in a terminal (a line per
stage otherwise) and to ``status.json`` in the work folder. Stop it at any
time and run it again with ``--resume``: finished partitions are not redone.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click


def _progress_printer():
    """A progress callback: a bar on a terminal, one line per finished stage otherwise."""
    tty = sys.stderr.isatty()
    last: dict[str, int] = {}

    def show(stage: str, done: int, total: int) -> None:
        if last.get(stage) == done:
            return
        last[stage] = done
        if tty:
            width = 30
            filled = int(width * done / total) if total else width
            click.echo(f"\r{stage:<8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                       err=True, nl=done >= total)
        elif done >= total:
            click.echo(f"{stage}: {done}/{total} done", err=True)

    return show


def _read_known(path: Path, text_column: str, kind_column: str | None = None) -> tuple[list[str], ...]:
    """A labelled table (text + theme, or theme_name) from CSV or Parquet.

    With ``kind_column`` (the input is themed per kind) and that column in the table too, each known theme
    gets its kind, and a statement only joins a known theme of its own kind; a theme listed under two
    kinds is refused.
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pq.read_table(path) if path.suffix.lower() in (".parquet", ".pq") else pacsv.read_csv(path)
    names = table.schema.names
    label = next((c for c in ("theme_name", "theme") if c in names), None)
    if text_column not in names or label is None:
        raise click.UsageError(f"--train {path}: needs a {text_column!r} column and a 'theme_name' "
                               f"or 'theme' column; columns found: {', '.join(names)}")
    kinds_in = table.column(kind_column).to_pylist() if kind_column and kind_column in names else None
    if kind_column and kinds_in is None:
        click.echo(f"--train {path} has no {kind_column!r} column: its themes may take statements of any kind.",
                   err=True)
    texts, labels, kinds = [], [], []
    for i, (t, lab) in enumerate(zip(table.column(text_column).to_pylist(), table.column(label).to_pylist())):
        if t and lab and str(t).strip() and str(lab).strip():
            texts.append(str(t).strip())
            labels.append(str(lab).strip())
            if kinds_in is not None:
                kinds.append(str(kinds_in[i] or "").strip())
    if not texts:
        raise click.UsageError(f"--train {path}: no rows with both a text and a theme")
    if kinds_in is None:
        return texts, labels
    seen: dict[str, str] = {}
    for lab, kind in zip(labels, kinds):
        if seen.setdefault(lab, kind) != kind:
            raise click.UsageError(f"--train {path}: the theme {lab!r} is listed under two kinds "
                                   f"({seen[lab]!r} and {kind!r}); a theme has one kind")
    return texts, labels, kinds


@click.command("batch")
@click.option("--input", "input_path", default=None, type=click.Path(path_type=Path, dir_okay=False),
              help="Statements: a .parquet or .csv file (or use --cycle).")
@click.option("--cycle", "cycles", multiple=True, metavar="SLUG",
              help="Theme the card statements of this cycle from the database (repeat for several cycles); "
                   "the themes are saved as a proposal to confirm on the web.")
@click.option("--per", type=click.Choice(["area", "user_group"]), default=None,
              help="With --cycle: theme each area or user group separately.")
@click.option("--output", default=None, type=click.Path(path_type=Path, dir_okay=False),
              help="Parquet file to write: every input row with theme_id and theme_name.")
@click.option("--work-dir", default=None, type=click.Path(path_type=Path, file_okay=False),
              help="Checkpoints and status.json (keep it to resume). With --cycle, default: a new folder under "
                   "the data folder.")
@click.option("--text-column", default="text", show_default=True)
@click.option("--id-column", default=None, help="Unique id per row [default: 'id' if present, else the row number].")
@click.option("--kind-column", default=None,
              help="Theme each kind separately [default: 'kind' if the input has it].")
@click.option("--group-column", default=None, help="Also theme each value of this column separately (area, user group).")
@click.option("--scheduler", default=None, help="Address of a running Dask scheduler (default: a local cluster).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes of the local cluster.")
@click.option("--model", default="auto", show_default=True,
              type=click.Choice(["auto", "minilm", "fast", "hashing"]))
@click.option("--partition-size", default=20000, show_default=True, type=click.IntRange(100))
@click.option("--train", "train", default=None, type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Known themes (CSV/Parquet with text and theme_name): statements that fit one join it first.")
@click.option("--resume", is_flag=True, help="Continue the job in --work-dir.")
def batch(input_path: Path | None, cycles: tuple[str, ...], per: str | None, output: Path | None,
          work_dir: Path | None, text_column: str, id_column: str | None,
          kind_column: str | None, group_column: str | None, scheduler: str | None, workers: int,
          model: str, partition_size: int, train: Path | None, resume: bool) -> None:
    """Theme a very large file of statements (or a cycle's statements) on Dask, resumably."""
    from goldenthread.engine.batch import BatchError, run_batch

    if cycles:
        if input_path is not None:
            raise click.UsageError("give either --input or --cycle, not both")
        if train is not None:
            raise click.UsageError("--train is for --input; with --cycle, last cycle's themes are used")
        from goldenthread.cli.batch_db import batch_cycles

        batch_cycles(cycles, per=per or "", output=output, work_dir=work_dir, scheduler=scheduler,
                     workers=workers, model=model, partition_size=partition_size, resume=resume,
                     progress=_progress_printer())
        return
    if input_path is None or output is None or work_dir is None:
        raise click.UsageError("give --input, --output and --work-dir (or --cycle SLUG)")

    if kind_column is None and _has_column(input_path, "kind"):
        kind_column = "kind"
    known = _read_known(train, text_column, kind_column) if train else None
    try:
        res = run_batch(input_path, work_dir=work_dir, output=output, id_column=id_column,
                        text_column=text_column, kind_column=kind_column, group_column=group_column,
                        model=model, scheduler=scheduler, n_workers=workers,
                        partition_size=partition_size, known=known, resume=resume,
                        progress=_progress_printer())
    except BatchError as e:
        raise click.ClickException(str(e)) from None
    n_known = sum(t.size for t in res.themes if t.source == "known")
    click.echo(f"{res.table.num_rows} statements, {len(res.themes)} themes ({res.model} model), "
               f"{n_known} placed in known themes; {res.timings['total_s']:.1f} s; wrote {output}")


def _has_column(path: Path, name: str) -> bool:
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            return name in pq.read_schema(path).names
        import csv

        with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
            return name in next(csv.reader(f), [])
    except (OSError, StopIteration):
        return False
