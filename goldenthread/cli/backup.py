"""``goldenthread backup --output FILE`` and ``goldenthread restore FILE``.

Two formats, one pair of commands:

* ``json`` (any database, the default for PostgreSQL): every Golden Thread
  app, the accounts and groups (``auth``), the change log (``auditlog``) and
  the access log, written with Django's serialiser using natural keys for
  content types and permissions, gzip-compressed. Restoring empties the
  database (``flush``) and loads the file, in one transaction, with the change
  log switched off so loading adds no entries of its own. It moves data between
  SQLite and PostgreSQL too.
* ``sqlite`` (the default when the database is SQLite): a page-by-page copy
  made with SQLite's online backup API, consistent even while the server is
  running and workshops are writing. Restoring copies it back the same way.

``restore`` reads the format from the file's first bytes. Both commands are
recorded in the access log (after a restore, the record is added to the
restored log).

The **erasure ledger** (``reviews.ErasureRecord``: person IDs and dates) is
never in a backup, and a restore keeps the live one: after putting the backup
back, ``restore`` erases again everyone erased after the backup was made
(:func:`goldenthread.reviews.data_protection.reapply_erasures`), scrubs any
change-log entries the backup held under an older rule, and says how many
erasures it re-applied. Backup files are created readable by their owner only
(0600).
"""
from __future__ import annotations

import gzip
import io
import os
import sqlite3
import tempfile
from pathlib import Path

import click

from goldenthread.cli.django_setup import setup

SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"


#: Kept apart from the data: never written to a backup, never replaced by a restore.
LEDGER = "reviews.ErasureRecord"


def _labels() -> list[str]:
    from django.apps import apps

    return [c.label for c in apps.get_app_configs() if c.name.startswith("goldenthread.")
            and c.get_models()] + ["auth.user", "auth.group", "auditlog"]


def _private(path: Path) -> int:
    """Open ``path`` for writing, created (or truncated) readable by its owner only; returns the descriptor."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return fd


def _is_sqlite() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"


def backup_json(out) -> None:
    """Write every app's rows as natural-key JSON, gzipped, to the binary file ``out``."""
    from django.core.management import call_command

    text = io.StringIO()
    call_command("dumpdata", *_labels(), exclude=[LEDGER], natural_foreign=True, format="json", indent=None,
                 stdout=text)
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))


def restore_json(path: Path) -> None:
    """Empty the database and load a JSON backup, all or nothing."""
    from auditlog.context import disable_auditlog
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction

    with transaction.atomic(), disable_auditlog():
        call_command("flush", interactive=False, verbosity=0)  # also re-creates content types and permissions
        Group.objects.all().delete()  # the roles come back from the file, with their ids
        with gzip.open(path, "rb") as gz:
            data = gz.read()
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder) / "goldenthread-restore.json"
            tmp.write_bytes(data)
            call_command("loaddata", str(tmp), verbosity=0)


def backup_sqlite(output: Path) -> None:
    """Copy the live SQLite database with the online backup API."""
    from django.db import connection

    from goldenthread.reviews.models import ErasureRecord

    connection.ensure_connection()
    os.close(_private(output))
    target = sqlite3.connect(output)
    try:
        connection.connection.backup(target)
        with target:  # the erasure ledger stays out of backups
            target.execute(f'DELETE FROM "{ErasureRecord._meta.db_table}"')
        target.execute("VACUUM")  # so the deleted rows leave the file too
    finally:
        target.close()


def restore_sqlite(path: Path) -> None:
    """Copy a SQLite backup over the live database with the online backup API."""
    from django.db import connection

    if not _is_sqlite():
        raise click.ClickException("this is a SQLite backup; restore it into SQLite, or make a json backup")
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _keep_ledger(restore_data):
    """Restore with ``restore_data()``, keeping the live erasure ledger and re-applying it.

    Returns the erasures that found something to erase again (those made after the backup).
    """
    from auditlog.models import LogEntry
    from django.core.management import call_command
    from django.db import transaction

    from goldenthread.core.audit import scrub_log
    from goldenthread.reviews.data_protection import reapply_erasures
    from goldenthread.reviews.models import ErasureRecord

    ledger = list(ErasureRecord.objects.values("person_ref", "erased_at", "reviews_before"))
    restore_data()
    call_command("migrate", interactive=False, verbosity=0)  # a backup from an older version
    with transaction.atomic():
        ErasureRecord.objects.all().delete()
        ErasureRecord.objects.bulk_create([ErasureRecord(**row) for row in ledger])
        scrub_log(LogEntry.objects.all())
        return reapply_erasures("system:restore")


def _log(action: str, detail: str) -> None:
    from goldenthread.core.access_log import record_access

    record_access("system:cli", action, None, detail=detail)


@click.command()
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The backup file to write.")
@click.option("--format", "fmt", type=click.Choice(["auto", "json", "sqlite"]), default="auto", show_default=True,
              help="auto: sqlite for a SQLite database, json otherwise.")
def backup(output: Path, fmt: str) -> None:
    """Back up the whole database to one file (restore it with ``goldenthread restore``)."""
    setup(migrate=True)
    fmt = ("sqlite" if _is_sqlite() else "json") if fmt == "auto" else fmt
    if fmt == "sqlite" and not _is_sqlite():
        raise click.ClickException("the sqlite format needs a SQLite database; use --format json")
    _log("backup", f"{fmt} backup to {output.name}")
    if fmt == "sqlite":
        backup_sqlite(output)
    else:
        with os.fdopen(_private(output), "wb") as out:
            backup_json(out)
    click.echo(f"Backed up to {output} ({fmt}, {output.stat().st_size:,} bytes).")


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing everything in the database.")
def restore(path: Path, yes: bool) -> None:
    """Replace everything in the database with a backup made by ``goldenthread backup``."""
    setup(migrate=True)
    head = path.read_bytes()[:16]
    if head.startswith(SQLITE_MAGIC):
        fmt = "sqlite"
    elif head.startswith(GZIP_MAGIC):
        fmt = "json"
    else:
        raise click.ClickException(f"{path.name} is not a Golden Thread backup (neither SQLite nor gzip JSON)")
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Go on?", abort=True)
    reapplied = _keep_ledger(lambda: restore_sqlite(path) if fmt == "sqlite" else restore_json(path))
    _log("restore", f"{fmt} restore from {path.name}; re-applied {len(reapplied)} erasures")
    click.echo(f"Restored {path} ({fmt}).")
    if reapplied:
        made = "erasure" if len(reapplied) == 1 else "erasures"
        click.echo(f"Re-applied {len(reapplied)} {made} made after this backup (see the access log).")
    else:
        click.echo("No erasure made after this backup needed re-applying.")
