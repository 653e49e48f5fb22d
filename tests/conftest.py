"""Fixtures shared by the store, web, command-line and browser tests."""
from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path

import pytest

from goldenthread.core import roles

ROOT = Path(__file__).resolve().parent.parent


#: The longest tests, longest first (``pytest --durations=40 -n 2``): they start first, so that on two workers
#: the short tests fill in around them instead of one long test starting last and running on alone.
#: The permission matrix goes before the browser tests: once Playwright's event loop runs in a worker's test
#: thread, a view that calls async_to_sync there (/readyz) fails in that worker.
LONGEST_FIRST = (
    "tests/test_permission_matrix.py",
    "tests/deploy/test_stack.py::test_twenty_delegates",
    "tests/browser/test_fits_the_screen.py",
    "tests/providers/test_concurrency.py",
    "tests/browser/test_programme.py",
    "tests/browser/test_workshop.py",
    "tests/store/test_upgrade.py",
    "tests/batch/test_batch_db.py",
    "tests/cli/test_file_modes.py",
    "tests/cli/test_import_sigkill.py",
    "tests/deploy/test_recipe.py",
    "tests/core/test_change_log_privacy.py",
    "tests/browser/test_providers.py",
    "tests/engine/test_batch_pipeline.py",
    "tests/browser/",
)


def pytest_collection_modifyitems(items):
    """Run the longest tests first (see :data:`LONGEST_FIRST`); the rest keep their order."""
    def rank(item) -> int:
        return next((i for i, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)),
                    len(LONGEST_FIRST))

    items.sort(key=rank)


#: The council's fixed lists in the tests: every area, service and user group the test files and forms use.
COUNCIL_LISTS = {
    "areas": ["A", "Harford", "Northbrook"],
    "services": ["Acorn House", "Acorn Support", "Beech Homes"],
    "user-groups": ["G", "LD", "Learning disability", "Older people"],
}


def make_council_lists() -> dict[str, dict[str, object]]:
    """Create the test council's lists; returns {list slug: {name: row}}."""
    from goldenthread.core.lookups import LISTS

    return {slug: {name: LISTS[slug].model.objects.get_or_create(name=name)[0] for name in names}
            for slug, names in COUNCIL_LISTS.items()}


def as_choices(data: dict) -> dict:
    """Form data with area, service and user group names turned into the list choices a browser sends."""
    from goldenthread.core.lookups import BY_FIELD, Lookups, NotOnTheList

    lookups, out = Lookups(), dict(data)
    for field in BY_FIELD:
        if out.get(field):
            try:
                out[field] = str(lookups.find(field, out[field]).pk)
            except NotOnTheList:
                pass  # sent as typed: the form refuses it
    return out


@pytest.fixture
def council_lists(db):
    return make_council_lists()


@pytest.fixture
def cycle(db, council_lists):
    from goldenthread.reviews.models import ProgrammeCycle

    return ProgrammeCycle.objects.create(name="Test town, 2026", slug="test-2026", year=2026)


@pytest.fixture
def make_user(db):
    from django.contrib.auth.models import Group, User

    def make(role: str, username: str | None = None) -> User:
        roles.ensure_roles()
        user = User.objects.create_user(username or role.lower().replace(" ", "-"), password="a-long-pass-phrase")
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def review_csv() -> bytes:
    """A small, valid review file: two reviews, one without consent."""
    return (
        "review_id,person_id,person_name,review_date,facilitator,attendees,location,area,service,user_group,"
        "consent,kind,perspective,priority,text\n"
        "R1,P1,Dev Patel,2026-02-03,Ann Lee,Dev Patel (person); Rose Akers (sister),Home,Northbrook,"
        "Acorn Support,Learning disability,yes,working,person,1,I like my job at the cafe\n"
        "R1,P1,Dev Patel,2026-02-03,Ann Lee,Dev Patel (person); Rose Akers (sister),Home,Northbrook,"
        "Acorn Support,Learning disability,yes,not working,person,1,Rose's car broke so Dev can't get to town\n"
        "R1,P1,Dev Patel,2026-02-03,Ann Lee,Dev Patel (person); Rose Akers (sister),Home,Northbrook,"
        "Acorn Support,Learning disability,yes,future,family,,He will want his own flat\n"
        "R2,P2,Joan Bright,03/02/2026,,,,Harford,,Older people,no,working,person,,My carers are kind\n"
    ).encode("utf-8")


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counts live in the cache; each test starts with none. Django's cache of content types is
    cleared too: a test that replaces the database (a restore, a flush) leaves the worker's cached ids pointing at
    rows that are gone, and the next test's change-log entries would name them (on PostgreSQL, a foreign-key
    error)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    cache.clear()
    ContentType.objects.clear_cache()
    yield


# --- the demo, loaded once and kept between runs ----------------------------------------------------------

def _cache_root() -> Path:
    """Where the suite keeps what it builds between runs: ``$GOLDENTHREAD_CACHE_DIR`` (else
    ``~/.cache/goldenthread``, as the engine's distilled model) ``/test-db``."""
    env = os.environ.get("GOLDENTHREAD_CACHE_DIR")
    root = (Path(env).expanduser() if env else Path.home() / ".cache" / "goldenthread") / "test-db"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _digest(files, *extra: str) -> str:
    import hashlib

    digest = hashlib.sha256("\0".join(extra).encode())
    for path in sorted({Path(f) for f in files}):
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path  # worktrees at one commit share
        digest.update(str(name).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


@functools.cache
def _migrations_key() -> str:
    """Changes whenever what ``migrate`` makes of an empty database could: a migration file of any installed app
    (third-party ones included), the role groups the post-migrate hook writes, Django or the list of apps."""
    import sys

    import django
    from django.conf import settings
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    files = [sys.modules[type(m).__module__].__file__ for m in loader.disk_migrations.values()]
    return _digest(files + [str(ROOT / "goldenthread" / "core" / "roles.py")], django.__version__,
                   repr(settings.INSTALLED_APPS))


def _source_key() -> str:
    """Changes whenever the demo's rows could: any file of the app (code, demo data, migrations), the snapshot
    code, today's date (the demo dates some rows from today) and the GOLDENTHREAD_ settings."""
    files = [p for p in (ROOT / "goldenthread").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += [ROOT / "tests" / "conftest.py", ROOT / "tests" / "snapshot.py"]
    env = sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith("GOLDENTHREAD_") and k != "GOLDENTHREAD_DATA_DIR")
    return _digest(files, _migrations_key(), dt.date.today().isoformat(), *env)


def _snapshot_of(loaders, django_db_blocker):
    """Run the loaders once, with a quick deterministic embedder instead of the real model, and keep the rows."""
    from goldenthread.core import themes
    from goldenthread.engine import HashingEmbedder
    from goldenthread.reporting import matching
    from tests.snapshot import Snapshot

    def load():
        for loader in loaders:
            loader()

    themes._embedder.cache_clear()
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(themes, "_embedder", lambda: HashingEmbedder())
        patch.setattr(matching, "similarity", lambda a, b: [[1.0 for _ in b] for _ in a])
        return Snapshot.of(load)


def _kept_snapshot(name, loaders, django_db_blocker):
    """:func:`_snapshot_of`, loaded by one test process and kept on disk for the others and for later runs.

    The demo takes 10-30 s to load on two busy cores and each xdist worker needed it; now the first worker
    that needs it loads it and the rest read its rows back. The file is named by :func:`_source_key`, so any
    change to the app, its migrations or the demo's data loads it afresh. SQLite only: on PostgreSQL every
    worker loads its own, as before.
    """
    import pickle

    from django.db import connection
    from filelock import FileLock

    from tests.snapshot import Snapshot

    if connection.vendor != "sqlite":
        return _snapshot_of(loaders, django_db_blocker)
    path = _cache_root() / f"{name}-{_source_key()}.pickle"
    with FileLock(str(path) + ".lock"):
        if path.exists():
            try:
                return Snapshot(tables=pickle.loads(path.read_bytes()))
            except Exception:  # a file from an older layout or cut short: load afresh
                pass
        snapshot = _snapshot_of(loaders, django_db_blocker)
        part = path.with_suffix(f".{os.getpid()}.part")
        part.write_bytes(pickle.dumps(snapshot.tables, protocol=pickle.HIGHEST_PROTOCOL))
        part.replace(path)
        _forget_older(name, path)
    return snapshot


def _forget_older(prefix: str, kept: Path, days: float = 2) -> None:
    """Remove this kind's files that no run has written for ``days`` (other sources, other days)."""
    import time

    for old in kept.parent.glob(f"{prefix}-*"):
        try:
            if old != kept and old.stat().st_mtime < time.time() - days * 86400:
                old.unlink()
        except OSError:
            pass


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The rows ``load_demo()`` makes (cycles, reviews, workshops, programme, accounts), taken once."""
    from goldenthread.demo import load_demo

    return _kept_snapshot("demo", [load_demo], django_db_blocker)


@pytest.fixture(scope="session")
def full_demo_snapshot(django_db_setup, django_db_blocker):
    """What ``goldenthread demo`` loads: :func:`demo_snapshot` plus the person-centred and provider demos."""
    from goldenthread.demo import load_demo
    from goldenthread.demo.market import load_market_demo
    from goldenthread.demo.people import load_people_demo
    from goldenthread.demo.outcomes import load_outcomes_demo
    from goldenthread.demo.providers import load_providers_demo
    from goldenthread.demo.tenders import load_tenders_demo

    return _kept_snapshot("full-demo", [load_demo, load_people_demo, load_providers_demo, load_outcomes_demo,
                                        load_market_demo, load_tenders_demo], django_db_blocker)


def _with_database(request) -> None:
    live = {"transactional_db", "live_server"} & set(request.fixturenames)
    request.getfixturevalue("transactional_db" if live else "db")


@pytest.fixture
def demo_data(request, demo_snapshot):
    """This test's database holds the demo (as after ``load_demo()``); use with ``db`` or ``transactional_db``."""
    _with_database(request)
    demo_snapshot.restore()


@pytest.fixture
def full_demo_data(request, full_demo_snapshot):
    """This test's database holds everything ``goldenthread demo`` loads."""
    _with_database(request)
    full_demo_snapshot.restore()


# --- a migrated SQLite file, built once and kept between runs ----------------------------------------------

def _migrated_sqlite_file() -> Path:
    """A SQLite database file with every migration applied, named by :func:`_migrations_key`.

    Built by ``goldenthread manage migrate`` in a process of its own the first time any test process of any run
    needs it (the others wait on a file lock), then kept in :func:`_cache_root` until a migration changes.
    """
    import shutil
    import sqlite3
    import subprocess
    import sys

    from filelock import FileLock

    path = _cache_root() / f"migrated-{_migrations_key()}.sqlite3"
    with FileLock(str(path) + ".lock"):
        if not path.exists():
            work = path.with_name(f"migrating-{os.getpid()}")
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            env = dict(os.environ, GOLDENTHREAD_DATA_DIR=str(work), DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}")
            subprocess.run([sys.executable, "-m", "goldenthread.cli.main", "manage", "migrate", "--verbosity", "0"],
                           env=env, check=True, capture_output=True, cwd=ROOT)
            with sqlite3.connect(work / "db.sqlite3") as db:  # one self-contained file: no WAL beside it
                db.execute("PRAGMA journal_mode=DELETE")
            db.close()
            (work / "db.sqlite3").replace(path)
            shutil.rmtree(work, ignore_errors=True)
            _forget_older("migrated", path)
    return path


@pytest.fixture(scope="session")
def migrated_sqlite():
    """The migrated SQLite file (:func:`_migrated_sqlite_file`). Tests that start ``goldenthread`` (or a helper
    script) in a process of its own copy it where that process looks for its database (:func:`put_migrated_sqlite`),
    so the process finds the schema up to date instead of migrating from scratch."""
    return _migrated_sqlite_file()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """On SQLite, each test process's in-memory test database is a copy of :func:`_migrated_sqlite_file` instead of
    the result of running every migration again (20-40 s a process on two busy cores, mostly Django rendering
    model states): ``migrate``, the first time Django's test set-up calls it, copies the file in and stops.
    PostgreSQL migrates as before. :func:`django_db_setup` takes the stand-in away once the database is made."""
    from django.core.management.commands import migrate
    from django.db import connections

    original = migrate.Command.handle

    def handle(self, *args, **options):
        migrate.Command.handle = original  # once only: tests that run migrate themselves get the real one
        connection = connections[options.get("database") or "default"]
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            return original(self, *args, **options)
        import sqlite3

        connection.ensure_connection()
        with sqlite3.connect(_migrated_sqlite_file()) as source:
            source.backup(connection.connection)
        source.close()

    migrate.Command.handle = handle
    _PUT_BACK.append(lambda: setattr(migrate.Command, "handle", original))


_PUT_BACK: list = []


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases (made from the migrated file on SQLite, see above)."""
    while _PUT_BACK:
        _PUT_BACK.pop()()


@pytest.fixture
def put_migrated_sqlite(migrated_sqlite):
    """``put(path)`` copies the migrated database to ``path`` (a file the test's own process will open)."""
    import shutil

    def put(path):
        shutil.copyfile(migrated_sqlite, path)
        return path

    return put

