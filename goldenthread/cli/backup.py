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
"""
from __future__ import annotations

import gzip
import io
import sqlite3
import tempfile
from pathlib import Path

import click

from goldenthread.cli.django_setup import setup

SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"


def _labels() -> list[str]:
    from django.apps import apps

    return [c.label for c in apps.get_app_configs() if c.name.startswith("goldenthread.")
            and c.get_models()] + ["auth.user", "auth.group", "auditlog"]


def _is_sqlite() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"


def backup_json(out) -> None:
    """Write every app's rows as natural-key JSON, gzipped, to the binary file ``out``."""
    from django.core.management import call_command

    text = io.StringIO()
    call_command("dumpdata", *_labels(), natural_foreign=True, format="json", indent=None, stdout=text)
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

    connection.ensure_connection()
    target = sqlite3.connect(output)
    try:
        connection.connection.backup(target)
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
        with open(output, "wb") as out:
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
    if fmt == "sqlite":
        restore_sqlite(path)
    else:
        restore_json(path)
    _log("restore", f"{fmt} restore from {path.name}")
    click.echo(f"Restored {path} ({fmt}).")
