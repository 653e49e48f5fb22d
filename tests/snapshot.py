"""Load an expensive data set once per test process, and put it back into each test's database in milliseconds.

The demo takes 5-12 s and ~8,000 queries to load; about twenty tests need it. :class:`Snapshot` reads every
row of every table once, after the loader ran inside a transaction that is then rolled back, and
:meth:`Snapshot.restore` writes those rows back with one ``INSERT`` batch a table — on SQLite and PostgreSQL
alike, inside a test's transaction (``db``) or outside one (``transactional_db``, ``live_server``).

The restored database is the loader's database, row for row, primary keys included; sequences are moved past
the largest key so the test's own inserts never collide.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

#: Tables a snapshot leaves alone: the migration history belongs to the schema, not the data.
SKIPPED = {"django_migrations"}


@dataclass
class Snapshot:
    """Every row of every table (except :data:`SKIPPED`) at one moment."""

    tables: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)

    @classmethod
    def take(cls) -> Snapshot:
        snap = cls()
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in sorted(set(connection.introspection.table_names(cursor)) - SKIPPED):
                cursor.execute(f"SELECT * FROM {qn(table)}")
                columns = [col[0] for col in cursor.description]
                snap.tables[table] = (columns, cursor.fetchall())
        return snap

    @classmethod
    def of(cls, loader: Callable[[], object]) -> Snapshot:
        """Run ``loader`` in a transaction, take the snapshot, and roll the transaction back."""
        with transaction.atomic():
            loader()
            snap = cls.take()
            transaction.set_rollback(True)
        return snap

    def restore(self) -> None:
        """Replace the database's rows with the snapshot's (one transaction, constraints checked at its end)."""
        qn = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(no_style(), list(self.tables)):
                cursor.execute(sql)
            for table, (columns, rows) in self.tables.items():
                if rows:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {qn(table)} ({', '.join(map(qn, columns))}) VALUES ({marks})",
                                       rows)
            if connection.vendor == "postgresql":
                _sequences_past_every_key(cursor, self.tables)
            else:
                for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
                    cursor.execute(sql)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()

    @property
    def rows(self) -> int:
        return sum(len(rows) for _, rows in self.tables.values())


def _sequences_past_every_key(cursor, tables) -> None:
    """PostgreSQL: move each table's id sequence past the largest id, and never back.

    ``setval`` is not undone by a rollback. Django's ``sequence_reset_sql`` sets a sequence to the largest id
    now in the table; in a test that restores inside a transaction (``db``) and is rolled back, that could leave
    the sequence behind the rows committed before it (the role groups a transactional test's flush writes
    again), and the next insert would take an id already used ("duplicate key ... auth_group_pkey")."""
    qn = connection.ops.quote_name
    for table, (columns, _) in tables.items():
        if "id" not in columns:
            continue
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        if not sequence:
            continue
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
        last, called = cursor.fetchone()
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {qn(table)}")
        largest = cursor.fetchone()[0]
        used = last if called else last - 1
        cursor.execute("SELECT setval(%s, %s, true)", [sequence, max(largest, used, 1)])
