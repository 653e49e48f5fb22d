"""``goldenthread themes``: group the statements in a CSV into named themes.

Imports only click at module level so ``goldenthread --help`` stays fast; the
engine (numpy, the embedding model) is imported when the command runs. Never
imports Django.
"""
from __future__ import annotations

import sys

import click

_KINDS = ["working", "not_working", "future"]


@click.command()
@click.argument("input_csv", metavar="INPUT.csv", type=click.Path(dir_okay=False))
@click.option("--output", "-o", "output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the CSV with theme_id and theme_name added.")
@click.option("--text-column", default="text", show_default=True,
              help="Column holding the statements.")
@click.option("--kind", type=click.Choice(_KINDS), default=None,
              help="The kind of every statement (shapes the suggested names).")
@click.option("--kind-column", default=None,
              help="Column giving each row's kind; each kind is themed separately.")
@click.option("--locked-column", default=None,
              help="Column holding a locked theme name per row (empty = free to move).")
@click.option("--previous", "previous_csv", default=None, type=click.Path(dir_okay=False),
              help="Last cycle's output CSV (text + theme_name columns): match to its themes first.")
@click.option("--train", "train_csv", default=None, type=click.Path(dir_okay=False),
              help="A labelled table of last cycle's statements (text + theme columns): "
                   "place statements into these known themes first, cluster only the rest.")
@click.option("--train-text-column", default="text", show_default=True,
              help="Column of the --train table holding the statements.")
@click.option("--train-theme-column", default="theme", show_default=True,
              help="Column of the --train table holding each statement's theme.")
@click.option("--model", type=click.Choice(["auto", "minilm", "fast", "hashing"]), default="auto",
              show_default=True,
              help="auto: minilm up to 20,000 statements, fast above; minilm: the "
                   "all-MiniLM-L6-v2 transformer (better themes); fast: static model distilled "
                   "from it (built once, cached; much faster); hashing: no model (tests only).")
@click.option("--namer", type=click.Choice(["keyphrase", "llm"]), default="keyphrase",
              show_default=True,
              help="llm uses GOLDENTHREAD_LLM_BASE_URL / _MODEL / _API_KEY, falling back to keyphrase.")
@click.option("--scheduler", default=None,
              help="Address of a Dask scheduler for embedding big inputs (default: local).")
@click.option("--name-details", is_flag=True,
              help="Also add theme_name_method and theme_name_alternatives columns.")
def themes(input_csv: str, output: str, text_column: str, kind: str | None,
           kind_column: str | None, locked_column: str | None, previous_csv: str | None,
           train_csv: str | None, train_text_column: str, train_theme_column: str, model: str, namer: str, scheduler: str | None, name_details: bool) -> None:
    """Group statements in INPUT.csv into themes.

    Every input row and column is kept, in order; theme_id and theme_name are
    added (or replaced). Each kind of statement is themed separately. Nothing
    is written when the input has a problem.
    """
    from goldenthread.engine.io import read_csv_table, write_csv_table
    from goldenthread.engine.themes import InputError, ThemeEngine

    try:
        header, rows = read_csv_table(input_csv)
        if kind and kind_column:
            raise InputError("give either --kind or --kind-column, not both")
        for col, opt in ((text_column, "--text-column"), (kind_column, "--kind-column"),
                         (locked_column, "--locked-column")):
            if col is not None and col not in header:
                found = ", ".join(repr(c) for c in header)
                raise InputError(f"{input_csv} has no column {col!r} ({opt}); columns found: {found}")
        ti = header.index(text_column)
        texts = [r[ti].strip() for r in rows]
        empty = [i + 1 for i, t in enumerate(texts) if not t]
        if empty:
            shown = ", ".join(map(str, empty[:20])) + (f" and {len(empty) - 20} more"
                                                       if len(empty) > 20 else "")
            raise InputError(f"{input_csv}: {len(empty)} row(s) have an empty {text_column!r}: "
                             f"rows {shown} (counting the first row after the header as 1). "
                             "Fill them in or remove those rows")
        kinds = [r[header.index(kind_column)] for r in rows] if kind_column else kind
        locked = [r[header.index(locked_column)] for r in rows] if locked_column else None
        seeds = _read_previous(previous_csv, text_column) if previous_csv else None
        train = (_read_train(train_csv, train_text_column, train_theme_column)
                 if train_csv else None)
        engine = ThemeEngine(model=model, namer=namer, scheduler_address=scheduler)
        result = engine.fit(texts, kinds=kinds, locked=locked, seeds=seeds, train=train)
    except InputError as e:
        raise click.ClickException(str(e)) from None

    by_id = {t.id: t for t in result.themes}
    extra = ["theme_id", "theme_name"] + (["theme_name_method", "theme_name_alternatives"]
                                          if name_details else [])
    out_header = list(header)
    pos = {}
    for col in extra:
        if col in out_header:
            pos[col] = out_header.index(col)
        else:
            pos[col] = len(out_header)
            out_header.append(col)
    out_rows = []
    for r, tid in zip(rows, result.theme_ids):
        t = by_id[tid]
        vals = {"theme_id": tid, "theme_name": t.name}
        if name_details:
            vals["theme_name_method"] = t.names[0].made_by if t.names else ""
            vals["theme_name_alternatives"] = " | ".join(n.text for n in t.names[1:])
        row = list(r) + [""] * (len(out_header) - len(r))
        for col, v in vals.items():
            row[pos[col]] = v
        out_rows.append(row)
    write_csv_table(output, out_header, out_rows)
    if train_csv:
        n_known = sum(len(t.rows) for t in result.themes if t.seed is not None)
        click.echo(f"{n_known} of {len(rows)} statements placed in known themes from {train_csv}",
                   err=True)
    click.echo(f"{len(rows)} statements -> {len(result.themes)} themes "
               f"({result.model} model, {result.timings['total_s']:.1f} s); wrote {output}",
               err=True)


def _read_previous(path: str, text_column: str):
    """Seed themes from last cycle's output CSV (text + theme_name [+ kind])."""
    from goldenthread.engine.io import read_csv_table
    from goldenthread.engine.themes import InputError, SeedTheme

    header, rows = read_csv_table(path)
    if "theme_name" not in header:
        raise InputError(f"{path} (--previous) has no 'theme_name' column; columns found: "
                         + ", ".join(repr(c) for c in header))
    tcol = text_column if text_column in header else ("text" if "text" in header else None)
    ni = header.index("theme_name")
    ti = header.index(tcol) if tcol else None
    ki = header.index("kind") if "kind" in header else None
    groups: dict[tuple, list[str]] = {}
    for r in rows:
        name = r[ni].strip()
        if not name:
            continue
        k = r[ki].strip() or None if ki is not None else None
        groups.setdefault((name, k), [])
        if ti is not None and r[ti].strip():
            groups[(name, k)].append(r[ti].strip())
    return [SeedTheme(name=n, statements=tuple(ts), kind=k, key=f"{k or ''}:{n}")
            for (n, k), ts in sorted(groups.items(), key=lambda x: (x[0][0], x[0][1] or ""))]


def _read_train(path: str, text_column: str, theme_column: str):
    """(texts, themes) from a labelled table; rows missing either are skipped."""
    from goldenthread.engine.io import read_csv_table
    from goldenthread.engine.themes import InputError

    header, rows = read_csv_table(path)
    for col, opt in ((text_column, "--train-text-column"), (theme_column, "--train-theme-column")):
        if col not in header:
            raise InputError(f"{path} (--train) has no column {col!r} ({opt}); columns found: "
                             + ", ".join(repr(c) for c in header))
    ti, hi = header.index(text_column), header.index(theme_column)
    pairs = [(r[ti].strip(), r[hi].strip()) for r in rows
             if len(r) > max(ti, hi) and r[ti].strip() and r[hi].strip()]
    if not pairs:
        raise InputError(f"{path} (--train) has no row with both a statement and a theme")
    return [t for t, _ in pairs], [h for _, h in pairs]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(themes())
