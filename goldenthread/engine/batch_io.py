"""The batch pipeline's files (:mod:`goldenthread.engine.batch`): atomic writes and the write log, reading
the input, the progress file ``status.json``, and the result.

Every file is written to a temporary name and renamed into place, so a file that exists is complete;
each write is appended to ``writes.log`` (:func:`read_write_log`) so tests can check nothing was written twice.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

STAGES = ("prepare", "embed", "fit", "place", "finish", "label", "name", "write")


# -- files: atomic writes, the write log -----------------------------------------------

def atomic_write(path: Path, write: Callable[[Any], None], mode: str = "wb") -> None:
    """Write through ``write(file)`` into a temporary file, then rename it to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_json(path: Path, obj: Any) -> None:
    atomic_write(path, lambda f: f.write(json.dumps(obj, indent=1, default=str)), mode="w")


def write_pickle(path: Path, obj: Any) -> None:
    atomic_write(path, lambda f: pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL))


def write_npz(path: Path, **arrays: np.ndarray) -> None:
    atomic_write(path, lambda f: np.savez(f, **arrays))


def write_parquet(path: Path, table) -> None:
    import pyarrow.parquet as pq

    atomic_write(path, lambda f: pq.write_table(table, f))


def log_write(work: Path, stage: str, part: int | str) -> None:
    """Record one finished checkpoint (a single small append)."""
    with open(work / "writes.log", "a", encoding="utf-8") as f:
        f.write(f"{stage}\t{part}\t{os.getpid()}\n")


def read_write_log(work_dir: str | os.PathLike) -> list[tuple[str, str]]:
    """(stage, partition) of every checkpoint written, in order (for checks)."""
    p = Path(work_dir) / "writes.log"
    if not p.exists():
        return []
    return [tuple(line.split("\t")[:2]) for line in p.read_text(encoding="utf-8").splitlines() if line]


def part_path(work: Path, stage: str, i: int, ext: str) -> Path:
    return work / stage / f"part-{i:05d}.{ext}"


# -- input ---------------------------------------------------------------------------

class BatchError(ValueError):
    """The batch cannot run; the message says what is wrong and how to fix it."""


def read_source(source, id_column, text_column, kind_column, group_column):
    """Any accepted input -> a pyarrow Table with row_id, text, kind, group (strings)."""
    import pyarrow as pa

    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if not p.exists():
            raise BatchError(f"{p}: no such file")
        suffix = p.suffix.lower()
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            table = pq.read_table(p)
        elif suffix in (".csv", ".txt"):
            import pyarrow.csv as pacsv

            import csv

            with open(p, encoding="utf-8-sig", errors="replace", newline="") as f:
                names = next(csv.reader(f), [])
            try:
                table = pacsv.read_csv(p, convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.string() for c in names}, strings_can_be_null=False))
            except (pa.ArrowInvalid, UnicodeDecodeError) as e:
                raise BatchError(f"{p} could not be read as a UTF-8 CSV file with a header row: {e}") from None
        else:
            raise BatchError(f"{p}: expected a .parquet or .csv file")
        where = str(p)
    elif isinstance(source, pa.Table):
        table, where = source, "the table"
    elif hasattr(source, "columns") and hasattr(source, "to_dict"):  # pandas DataFrame
        table, where = pa.Table.from_pandas(source, preserve_index=False), "the table"
    else:
        rows = list(source)
        if rows and not isinstance(rows[0], dict):
            cols = ["id", "text", "kind", "group"]
            rows = [dict(zip(cols, r)) for r in rows]
            id_column = id_column or "id"
            kind_column = kind_column or "kind"
            group_column = group_column or ("group" if any(r.get("group") is not None for r in rows)
                                            else None)
        if not rows:
            raise BatchError("there are no statements to theme")
        table, where = pa.Table.from_pylist(rows), "the rows"
    if table.num_rows == 0:
        raise BatchError(f"{where} has no statements")
    found = table.schema.names
    for col, what in ((text_column, "text"), (id_column, "id"), (kind_column, "kind"),
                      (group_column, "group")):
        if col is not None and col not in found:
            raise BatchError(f"{where} has no {what} column {col!r}; columns found: "
                             + ", ".join(repr(c) for c in found))

    def strings(col):
        if col is None:
            return [""] * table.num_rows
        return ["" if v is None else str(v).strip() for v in table.column(col).to_pylist()]

    texts = ["" if v is None else str(v).strip() for v in table.column(text_column).to_pylist()]
    empty = [i + 1 for i, t in enumerate(texts) if not t]
    if empty:
        shown = ", ".join(map(str, empty[:20])) + (f" and {len(empty) - 20} more" if len(empty) > 20 else "")
        raise BatchError(f"{len(empty)} row(s) of {where} have an empty {text_column!r}: rows {shown} "
                         "(counting the first data row as 1); fill them in or remove them")
    ids = strings(id_column) if id_column else [str(i + 1) for i in range(table.num_rows)]
    if id_column:
        seen: dict[str, int] = {}
        dup = []
        for i, v in enumerate(ids):
            if not v:
                dup.append(f"row {i + 1} has no id")
            elif v in seen:
                dup.append(f"id {v!r} on rows {seen[v]} and {i + 1}")
            else:
                seen[v] = i + 1
        if dup:
            raise BatchError(f"{where}: every row needs its own {id_column!r}: " + "; ".join(dup[:10])
                             + (f" and {len(dup) - 10} more" if len(dup) > 10 else ""))
    return pa.table({"row_id": ids, "text": texts, "kind": strings(kind_column),
                     "group": strings(group_column)})


def fingerprint(table) -> str:
    h = hashlib.blake2b(digest_size=16)
    for col in ("row_id", "text", "kind", "group"):
        for v in table.column(col).to_pylist():
            h.update(v.encode("utf-8"))
            h.update(b"\x00")
    return h.hexdigest()


# -- the result ----------------------------------------------------------------------

@dataclass
class BatchTheme:
    """One theme of a batch run."""

    theme_id: int
    kind: str
    group: str
    name: str
    size: int
    source: str  # "clustered" or "known"


@dataclass
class BatchResult:
    """What :func:`~goldenthread.engine.batch.run_batch` made.

    ``table`` is a pyarrow Table with one row per input statement: ``row_id``,
    ``text``, ``kind``, ``group``, ``theme_id``, ``theme_name``, ``source``
    (``clustered`` or ``known``) and ``similarity`` (to the theme's centre).
    """

    table: Any
    themes: list[BatchTheme]
    work_dir: Path
    output: Path | None
    model: str
    timings: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def to_pandas(self):
        return self.table.to_pandas()


# -- progress: status.json -------------------------------------------------------------

class JobStatus:
    """``status.json`` and the progress callback."""

    def __init__(self, work: Path, n_parts: int, rows: int,
                 progress: Callable[[str, int, int], None] | None) -> None:
        self.path = work / "status.json"
        self.progress = progress
        self.state = {"state": "running", "stage": "prepare", "rows": rows,
                      "partitions": n_parts, "stages": {s: {"done": 0, "total": 0} for s in STAGES},
                      "error": None, "started": _now(), "updated": _now()}
        self._last = 0.0

    def set(self, stage: str, done: int, total: int, force: bool = False) -> None:
        self.state["stage"] = stage
        self.state["stages"][stage] = {"done": done, "total": total}
        self.state["updated"] = _now()
        now = time.monotonic()
        if force or done >= total or now - self._last > 0.5:
            write_json(self.path, self.state)
            self._last = now
        if self.progress is not None:
            self.progress(stage, done, total)

    def finish(self, state: str, error: str | None = None) -> None:
        self.state["state"] = state
        self.state["error"] = error
        self.state["updated"] = _now()
        write_json(self.path, self.state)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def read_status(work_dir: str | os.PathLike) -> dict | None:
    """The job's ``status.json`` (``None`` before it starts)."""
    p = Path(work_dir) / "status.json"
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
