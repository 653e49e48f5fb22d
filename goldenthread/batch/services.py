"""Run the theme engine's batch pipeline over the database, and save what it proposes.

One way in: :func:`start_run` records a :class:`~goldenthread.batch.models.BatchRun`
(refusing a second active run for the same cycle), then :func:`execute` does
the work in four steps, each safe to repeat after a crash:

1. **Export** the cycles' card statements - the anonymised card wording only (unchecked words masked),
   from finished reviews with consent - to ``statements.parquet`` in the run's
   work folder, read from the database in chunks (``values_list(...).iterator()``:
   never a model instance per statement). Once written, the file is the run's
   input for good, so a resumed run themes exactly the same statements.
2. **Known themes**: last cycle's themes (the ``previous`` cycle's named
   clusters on its workshops' main boards, and the cards in them) are frozen
   into ``known.json`` and handed to the engine with each theme's kind, which places statements that
   fit one of them first - only ever in a theme of the statement's own kind.
3. **Theme** with :func:`goldenthread.engine.batch.run_batch` in ``engine/``
   (Dask: a local cluster, or ``scheduler``: the run's own, else
   ``$GOLDENTHREAD_DASK_SCHEDULER``, recorded when the run starts). The engine checkpoints every
   partition, so a killed worker or a killed job redoes nothing finished.
4. **Write back** the engine's Parquet output as a proposal: one
   :class:`~goldenthread.batch.models.ProposedTheme` per theme, then the
   memberships in chunks, each chunk in one transaction together with the
   run's ``written`` counter. A resumed write skips the chunks already counted,
   and the unique (run, statement) constraint means a statement can never be
   written twice.

While a run works, a thread beside it writes a heartbeat (``updated_at``, with ``worker`` naming the
process) every :data:`~goldenthread.batch.models.HEARTBEAT_SECONDS`. A run whose worker died (killed,
out of memory, the server restarted) stops beating; :meth:`~goldenthread.batch.models.BatchRunQuerySet.mark_stopped`
then shows it as failed ("stopped: the worker went away") within a minute (at once when the process
was on this machine), so it no longer blocks a new run, and a permitted person can :func:`resume` it or
:func:`restart` it from its page.

A person then reads the proposal, renames themes and moves statements between themes of the same
kind if they wish (:func:`move_statement`), and confirms it (:func:`confirm`). Confirmed themes can start
a workshop's "place the rest" proposal boards (:func:`start_workshop_proposals`), and the cycle report
shows them as "Themes across the whole council" (:mod:`goldenthread.reporting.council_themes`). In production ``goldenthread batch --cycle SLUG`` runs from a
worker (cron, systemd, a queue); the web page starts the same :func:`execute`
in a background thread of the web process, which suits one council's server.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterable

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from goldenthread.batch import models as batch_models
from goldenthread.batch.models import BatchRun, ProposedMembership, ProposedTheme, this_worker
from goldenthread.core.models import Kind
from goldenthread.reviews.models import ProgrammeCycle, Statement, shown_card_text
from goldenthread.workshops.models import Placement

log = logging.getLogger(__name__)

#: Statements fetched from the database per round trip, and written back per transaction.
CHUNK = 5000
#: At most this many statements per known theme are handed to the engine (the theme's centre needs no more).
KNOWN_PER_THEME = 200


class BatchBusy(Exception):
    """A cycle already has a batch run going; the message names it."""


def batch_root() -> Path:
    """Where runs keep their work folders: ``$GOLDENTHREAD_BATCH_DIR`` or ``<data dir>/batch``."""
    root = os.environ.get("GOLDENTHREAD_BATCH_DIR")
    return Path(root) if root else Path(settings.DATA_DIR) / "batch"


def start_run(cycles: Iterable[ProgrammeCycle], *, per: str = "", user=None, work_dir: str | os.PathLike | None = None,
              output: str | os.PathLike | None = None, options: dict | None = None) -> BatchRun:
    """Record a new run for ``cycles``; refuse if any of them has an active run (one at a time per cycle)."""
    cycles = list(cycles)
    if not cycles:
        raise ValueError("Choose at least one cycle.")
    if per not in BatchRun.Per.values:
        raise ValueError(f"per must be one of {', '.join(repr(v) for v in BatchRun.Per.values)}")
    BatchRun.objects.mark_stopped()  # a run whose worker died no longer blocks the cycle
    with transaction.atomic():
        # Lock the cycles' rows (PostgreSQL; SQLite's IMMEDIATE transaction locks the database), so two
        # starts for one cycle at the same moment cannot both pass the check below.
        list(ProgrammeCycle.objects.select_for_update().filter(pk__in=[c.pk for c in cycles]).values_list("pk"))
        busy = BatchRun.objects.active().filter(cycles__in=cycles).distinct().first()
        if busy is not None:
            raise BatchBusy(f"Batch run {busy.pk} is still going for "
                            f"{', '.join(c.slug for c in busy.cycles.all())}; wait for it to finish.")
        work = Path(work_dir) if work_dir else batch_root() / f"run-{uuid.uuid4().hex[:12]}"
        options = dict(options or {})
        if not options.get("scheduler") and os.environ.get("GOLDENTHREAD_DASK_SCHEDULER"):
            options["scheduler"] = os.environ["GOLDENTHREAD_DASK_SCHEDULER"]  # a Dask cluster beside the app
        run = BatchRun.objects.create(per=per, options=options, work_dir=str(work.resolve()),
                                      output=str(output or ""), started_by=user)
        run.cycles.set(cycles)
    return run


def statements_for(run: BatchRun):
    """The statements a run themes: card statements (finished, consented reviews) of its cycles."""
    return Statement.objects.for_cards().filter(cycle__in=run.cycles.all())


def statements_for_cycle(cycle: ProgrammeCycle):
    """The statements a run for this one cycle would theme."""
    return Statement.objects.for_cards().filter(cycle=cycle).exclude(card_text="")


def _group_field(per: str) -> str | None:
    return {"area": "review__area__name", "user_group": "review__user_group__name"}.get(per)


def export_statements(run: BatchRun, path: Path, chunk: int = CHUNK) -> int:
    """Write the run's statements (id, anonymised text, kind, group) to Parquet in chunks; return how many.

    Written to a temporary name and renamed, so the file exists only when complete.
    Statements with no card text yet are left out (they cannot be themed).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("kind", pa.string()), ("group", pa.string())])
    group = _group_field(run.per)
    fields = ["pk", "card_text", "kind", "uncertain", "checked_at"] + ([group] if group else [])
    qs = statements_for(run).exclude(card_text="").order_by("pk").values_list(*fields)
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with pq.ParquetWriter(tmp, schema) as writer:
        rows: list[tuple] = []

        def flush():
            cols = list(zip(*rows))
            writer.write_table(pa.table({
                "id": [str(i) for i in cols[0]], "text": list(cols[1]), "kind": list(cols[2]),
                "group": list(cols[3]) if group else [""] * len(rows)}, schema=schema))

        for pk, card_text, kind, uncertain, checked_at, *rest in qs.iterator(chunk_size=chunk):
            rows.append((pk, shown_card_text(card_text, uncertain, checked_at), kind, *rest))
            if len(rows) >= chunk:
                flush()
                n += len(rows)
                rows = []
        if rows:
            flush()
            n += len(rows)
    os.replace(tmp, path)
    return n


def known_themes(cycles: Iterable[ProgrammeCycle]) -> tuple[list[str], list[str], list[str]] | None:
    """Last cycle's themes as (card texts, theme names, kinds): the previous cycles' named clusters and their cards.

    Each theme has the kind of its board, and the engine only places a statement in a known theme of the
    statement's own kind (a "working" theme never takes a "not working" statement). The name is also
    prefixed with its kind, so two of last year's themes of different kinds with the same name stay two.
    At most :data:`KNOWN_PER_THEME` cards per theme. ``None`` when there are none.
    """
    previous = [c.previous_id for c in cycles if c.previous_id]
    if not previous:
        return None
    rows = (Placement.objects.filter(board__is_main=True, board__workshop__cycle__in=previous, cluster__name__gt="")
            .order_by("cluster_id", "position", "id")
            .values_list("cluster_id", "cluster__name", "board__kind", "card__statement__card_text",
                         "card__statement__uncertain", "card__statement__checked_at"))
    texts, labels, kinds, per_theme = [], [], [], {}
    for cluster_id, name, kind, card_text, uncertain, checked_at in rows.iterator(chunk_size=CHUNK):
        text = shown_card_text(card_text, uncertain, checked_at)
        if not text.strip() or per_theme.get(cluster_id, 0) >= KNOWN_PER_THEME:
            continue
        per_theme[cluster_id] = per_theme.get(cluster_id, 0) + 1
        texts.append(text)
        labels.append(f"{kind}: {name}")
        kinds.append(kind)
    return (texts, labels, kinds) if texts else None


def _touch(run: BatchRun, **fields) -> None:
    """Save progress with one UPDATE (not audited, no signals) and keep the instance in step."""
    fields["updated_at"] = timezone.now()
    BatchRun.objects.filter(pk=run.pk).update(**fields)
    for k, v in fields.items():
        setattr(run, k, v)


def execute(run: BatchRun, *, model: Any = None, scheduler: str | None = None, n_workers: int | None = None,
            partition_size: int | None = None, sample_size: int | None = None,
            progress: Callable[[str, int, int], None] | None = None) -> BatchRun:
    """Do (or finish) the run: export, theme on Dask, write the proposal back. Safe to call again after a crash.

    Settings not given come from ``run.options`` (what the run was started with), so a resumed run
    uses the same model and partitions. Returns the run, ``DONE`` (or ``FAILED``, with ``error`` set,
    and the exception raised again).
    """
    from goldenthread.engine.batch import read_status, run_batch

    opts = run.options or {}
    model = model if model is not None else opts.get("model", "auto")
    scheduler = scheduler if scheduler is not None else opts.get("scheduler")
    n_workers = n_workers or opts.get("workers", 2)
    partition_size = partition_size or opts.get("partition_size", 20000)
    sample_size = sample_size or opts.get("sample_size")
    work = Path(run.work_dir)
    engine_work = work / "engine"
    output = Path(run.output) if run.output else work / "themes.parquet"
    heartbeat = Heartbeat(run)
    try:
        _touch(run, status=BatchRun.Status.RUNNING, stage="export", error="", worker=this_worker())
        heartbeat.start()
        source = work / "statements.parquet"
        if not source.exists():
            n = export_statements(run, source)
        else:
            import pyarrow.parquet as pq

            n = pq.ParquetFile(source).metadata.num_rows
        _touch(run, statements=n)
        if n == 0:
            raise ValueError("These cycles have no card statements to theme yet (finished reviews with consent).")
        known_file = work / "known.json"
        if not known_file.exists():  # frozen at the first start, so a resumed run sees the same known themes
            tmp = known_file.with_name("known.json.tmp")
            tmp.write_text(json.dumps(known_themes(run.cycles.all())), encoding="utf-8")
            os.replace(tmp, known_file)
        known = json.loads(known_file.read_text(encoding="utf-8"))

        last = [0.0]

        def on_progress(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] > 1.0 or done >= total:
                last[0] = now
                st = read_status(engine_work) or {}
                _touch(run, stage=stage, progress=st.get("stages", {}))
            if progress is not None:
                progress(stage, done, total)

        st = read_status(engine_work)
        if not (output.exists() and st and st.get("state") == "done"):
            run_batch(source, work_dir=engine_work, output=output, id_column="id", text_column="text",
                      kind_column="kind", group_column="group" if run.per else None, model=model,
                      scheduler=scheduler, n_workers=n_workers, partition_size=partition_size,
                      sample_size=sample_size, known=tuple(known) if known else None,
                      resume=(engine_work / "manifest.json").exists(), progress=on_progress)
        st = read_status(engine_work) or {}
        _touch(run, status=BatchRun.Status.WRITING, stage="save", progress=st.get("stages", {}))
        write_back(run, output, progress=progress)
        _touch(run, status=BatchRun.Status.DONE, stage="", finished_at=timezone.now())
    except BaseException as e:
        _touch(run, status=BatchRun.Status.FAILED, error=f"{type(e).__name__}: {e}"[:2000])
        raise
    finally:
        heartbeat.stop()
    return run


class Heartbeat:
    """A daemon thread that keeps a working run's ``updated_at`` fresh, whatever stage the work is in."""

    def __init__(self, run: BatchRun):
        self.run_pk = run.pk
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"batch-heartbeat-{run.pk}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def _beat(self) -> None:
        try:
            while not self.stopping.wait(batch_models.HEARTBEAT_SECONDS):
                try:
                    BatchRun.objects.filter(pk=self.run_pk, status__in=BatchRun.ACTIVE).update(updated_at=timezone.now())
                except Exception:  # a database hiccup: the next beat tries again
                    log.exception("batch run %s: heartbeat not written", self.run_pk)
        finally:
            connection.close()


def resume(run: BatchRun) -> BatchRun:
    """Claim a failed run to carry on from its checkpoints; refuse if it is not failed, or its cycles are busy.

    The claim is one conditional UPDATE, so two people pressing "Resume" at once start it once.
    """
    BatchRun.objects.mark_stopped()
    with transaction.atomic():
        busy = BatchRun.objects.active().filter(cycles__in=run.cycles.all()).exclude(pk=run.pk).distinct().first()
        if busy is not None:
            raise BatchBusy(f"Batch run {busy.pk} is still going for these cycles; wait for it to finish.")
        claimed = BatchRun.objects.filter(pk=run.pk, status=BatchRun.Status.FAILED).update(
            status=BatchRun.Status.QUEUED, error="", worker="", updated_at=timezone.now())
    if not claimed:
        raise BatchBusy(f"Batch run {run.pk} is not stopped, so there is nothing to resume.")
    run.refresh_from_db()
    return run


def restart(run: BatchRun, user=None) -> BatchRun:
    """A new run over the same cycles, the same way, from the start (a new work folder)."""
    return start_run(run.cycles.all(), per=run.per, user=user, options=dict(run.options or {}))


def write_back(run: BatchRun, output: Path, *, chunk: int = CHUNK,
               progress: Callable[[str, int, int], None] | None = None) -> int:
    """Save the engine's output as the run's proposal; return the memberships written by this call.

    Idempotent: themes are matched by their number, membership chunks already counted in
    ``run.written`` are skipped, and (run, statement) is unique, so calling it again after a
    crash - or twice - leaves every statement in exactly one proposed theme.
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(output, columns=["theme_id", "theme_name", "kind", "group", "source"])
    sizes = table.group_by(["theme_id", "theme_name", "kind", "group", "source"]).aggregate([("theme_id", "count")])
    themes = [ProposedTheme(run=run, number=int(r["theme_id"]), name=_theme_name(r)[:200], kind=r["kind"],
                            group=r["group"] or "", size=int(r["theme_id_count"]),
                            source=r["source"] if r["source"] in ProposedTheme.Source.values else "clustered")
              for r in sizes.to_pylist()]
    ProposedTheme.objects.bulk_create(themes, batch_size=1000, ignore_conflicts=True)
    theme_pk = dict(ProposedTheme.objects.filter(run=run).values_list("number", "pk"))
    del table, sizes

    total = pq.ParquetFile(output).metadata.num_rows
    run.refresh_from_db(fields=["written"])
    offset = 0
    wrote = 0
    for batch in pq.ParquetFile(output).iter_batches(batch_size=chunk, columns=["row_id", "theme_id", "similarity"]):
        end = offset + batch.num_rows
        if end <= run.written:  # this chunk was saved before the crash
            offset = end
            continue
        ids = [int(i) for i in batch.column("row_id").to_pylist()]
        numbers = pc.cast(batch.column("theme_id"), "int64").to_pylist()
        sims = batch.column("similarity").to_pylist()
        with transaction.atomic():
            alive = set(Statement.objects.filter(pk__in=ids).values_list("pk", flat=True))  # deleted since export
            rows = [ProposedMembership(run=run, theme_id=theme_pk[t], statement_id=i, similarity=float(s or 0))
                    for i, t, s in zip(ids, numbers, sims) if i in alive]
            ProposedMembership.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
            _touch(run, written=end)
        wrote += len(rows)
        offset = end
        if progress is not None:
            progress("save", end, total)
    return wrote


class KindMismatch(ValueError):
    """The engine's output put a statement in last cycle's theme of another kind (an old run's output)."""


def _theme_name(row: dict) -> str:
    """The engine's name, without the kind prefix :func:`known_themes` put on last cycle's themes.

    Last cycle's themes are placed by kind (:func:`known_themes` gives the engine each theme's kind), so a
    known theme only ever holds statements of its own kind. An output that breaks this (written by an
    older engine) is refused rather than shown: start the run again.
    """
    name = row["theme_name"]
    if row["source"] == "known":
        kind, sep, rest = name.partition(": ")
        if sep and kind in Kind.values:
            if kind != row["kind"]:
                raise KindMismatch(f"Last year's {Kind(kind).label.lower()} theme “{rest}” was given "
                                   f"{Kind(row['kind']).label.lower()} statements; start this run again.")
            return rest
    return name


def confirm(run: BatchRun, user) -> None:
    """A person has checked the proposed themes and confirms them as this run's themes."""
    if run.status != BatchRun.Status.DONE:
        raise ValueError("Only a finished run's themes can be confirmed.")
    run.status = BatchRun.Status.CONFIRMED
    run.confirmed_by = user
    run.confirmed_at = timezone.now()
    run.save(update_fields=["status", "confirmed_by", "confirmed_at"])


class CannotMove(ValueError):
    """A statement cannot be moved there: the message says why, in plain words."""


def move_targets(theme: ProposedTheme):
    """The proposed themes a statement of ``theme`` may move to: the run's other themes of the same kind
    (and the same area or user group, when the run themed per group), biggest first."""
    return (ProposedTheme.objects.filter(run_id=theme.run_id, kind=theme.kind, group=theme.group)
            .exclude(pk=theme.pk).order_by("-size", "name", "pk"))


def move_statement(run: BatchRun, statement_id: int, to_theme_id: int, user=None) -> ProposedMembership:
    """Move one statement from its proposed theme to another of the same kind; return its membership.

    Refused (:class:`CannotMove`) once the run is confirmed (or before it has finished), for a statement
    not in this run, and for a theme of another run, another kind or another group: a working card never
    goes under a not-working theme. The change is a saved row (the change log records who moved which
    statement from which theme to which, as keys: no wording), and both themes' sizes follow.
    """
    from auditlog.context import set_actor

    with transaction.atomic():
        locked = BatchRun.objects.select_for_update().get(pk=run.pk)
        if locked.status == BatchRun.Status.CONFIRMED:
            raise CannotMove("These themes are confirmed, so statements can no longer be moved.")
        if locked.status != BatchRun.Status.DONE:
            raise CannotMove("Statements can be moved once the run has finished.")
        membership = (ProposedMembership.objects.select_for_update().select_related("theme")
                      .filter(run=locked, statement_id=statement_id).first())
        if membership is None:
            raise CannotMove("That statement is not in this run's themes.")
        target = ProposedTheme.objects.filter(pk=to_theme_id, run=locked).first()
        if target is None:
            raise CannotMove("Choose one of this run's themes.")
        source = membership.theme
        if target.pk == source.pk:
            raise CannotMove("The statement is already in that theme.")
        if target.kind != source.kind:
            raise CannotMove(f"A {source.get_kind_display().lower()} statement can only move to another "
                             f"{source.get_kind_display().lower()} theme, not to “{target.name}” "
                             f"({target.get_kind_display().lower()}).")
        if target.group != source.group:
            raise CannotMove(f"“{target.name}” is for {target.group or 'another group'}; a statement stays "
                             f"in the themes of {source.group or 'its own group'}.")
        membership.theme = target
        with set_actor(user) if user is not None and user.is_authenticated else _no_actor():
            membership.save(update_fields=["theme"])
        ProposedTheme.objects.filter(pk=source.pk).update(size=models.F("size") - 1)
        ProposedTheme.objects.filter(pk=target.pk).update(size=models.F("size") + 1)
    return membership


class _no_actor:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def rename_theme(theme: ProposedTheme, name: str) -> None:
    name = name.strip()
    if not name:
        raise ValueError("Give the theme a name.")
    theme.name = name[:200]
    theme.save(update_fields=["name"])


def workshops_for(run: BatchRun):
    """The workshops a confirmed run's themes can start a proposal board in: those of the run's cycles."""
    from goldenthread.workshops.models import Workshop

    return Workshop.objects.filter(cycle__in=run.cycles.all()).order_by("cycle__year", "name", "pk")


def start_workshop_proposals(run: BatchRun, workshop, user=None) -> dict[str, int]:
    """Start ``workshop``'s "place the rest" proposal boards from the run's confirmed themes; return the cards
    proposed per kind (working, not working, future).

    Each card of the workshop not yet on its main board, whose statement is in one of the run's themes, is
    proposed for that theme: for a cluster on the board with the theme's name, else for a new theme group
    named after it (:func:`goldenthread.workshops.proposals.propose_from_themes`). Nothing on the board
    changes until the facilitator accepts places, one by one or all above a confidence, as with any proposal.
    Refused (``ValueError``) before the themes are confirmed, and for a workshop of another cycle.
    """
    from goldenthread.workshops.models import BOARD_KINDS, Workshop
    from goldenthread.workshops.proposals import propose_from_themes

    if run.status != BatchRun.Status.CONFIRMED:
        raise ValueError("Confirm the themes first: only confirmed themes can start a workshop's proposal board.")
    if not run.cycles.filter(pk=workshop.cycle_id).exists():
        raise ValueError("That workshop is not in this run's cycles.")
    made_by = (user.get_full_name() or user.get_username()) if user is not None else "Whole-council themes"
    made: dict[str, int] = {}
    with transaction.atomic():
        w = Workshop.objects.select_for_update().get(pk=workshop.pk)
        cards = list(w.cards.filter(kind__in=BOARD_KINDS).select_related("statement"))
        theme_of = {sid: (name, sim) for sid, name, sim in ProposedMembership.objects.filter(
            run=run, statement_id__in=[c.statement_id for c in cards]).values_list(
            "statement_id", "theme__name", "similarity")}
        for kind in BOARD_KINDS:
            places = [(c, *theme_of[c.statement_id]) for c in cards if c.kind == kind and c.statement_id in theme_of]
            proposal = propose_from_themes(w, f"{made_by} (whole-council themes, batch run {run.pk})"[:150], kind,
                                           places)
            made[kind] = proposal.places.count() if proposal else 0
        if any(made.values()):
            w.version += 1
            w.save(update_fields=["version"])
    return made


def start_in_background(run: BatchRun) -> threading.Thread:
    """Run :func:`execute` in a daemon thread of this process (the web page's way in).

    Errors are kept on the run (``status`` failed, ``error``) for the progress page.
    """
    def main() -> None:
        try:
            execute(BatchRun.objects.get(pk=run.pk))
        except Exception:  # kept on the run; the thread has nobody else to tell
            log.exception("batch run %s failed", run.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=main, name=f"batch-run-{run.pk}", daemon=True)
    thread.start()
    return thread
