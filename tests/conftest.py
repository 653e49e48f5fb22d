"""Fixtures shared by the store, web, command-line and browser tests."""
from __future__ import annotations

import datetime as dt
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


# --- the demo, loaded once per test process ---------------------------------------------------------------

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


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The rows ``load_demo()`` makes (cycles, reviews, workshops, programme, accounts), taken once."""
    from goldenthread.demo import load_demo

    return _snapshot_of([load_demo], django_db_blocker)


@pytest.fixture(scope="session")
def full_demo_snapshot(django_db_setup, django_db_blocker):
    """What ``goldenthread demo`` loads: :func:`demo_snapshot` plus the person-centred and provider demos."""
    from goldenthread.demo import load_demo
    from goldenthread.demo.people import load_people_demo
    from goldenthread.demo.outcomes import load_outcomes_demo
    from goldenthread.demo.providers import load_providers_demo
    from goldenthread.demo.tenders import load_tenders_demo

    return _snapshot_of([load_demo, load_people_demo, load_providers_demo, load_outcomes_demo, load_tenders_demo],
                        django_db_blocker)


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


# --- a migrated SQLite file for the tests that start their own processes -----------------------------------

@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A SQLite database file with every migration applied, made once per run and shared by the xdist workers.

    Tests that start ``goldenthread`` (or a helper script) in a process of its own copy it where that process
    looks for its database, so the process finds the schema up to date instead of migrating from scratch.
    """
    import shutil
    import subprocess
    import sys

    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of this run
    path = shared / "migrated.sqlite3"
    with FileLock(str(path) + ".lock"):
        if not path.exists():
            work = shared / "migrating"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            env = dict(os.environ, GOLDENTHREAD_DATA_DIR=str(work), DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}")
            subprocess.run([sys.executable, "-m", "goldenthread.cli.main", "manage", "migrate", "--verbosity", "0"],
                           env=env, check=True, capture_output=True, cwd=ROOT)
            (work / "db.sqlite3").replace(path)
    return path


@pytest.fixture
def put_migrated_sqlite(migrated_sqlite):
    """``put(path)`` copies the migrated database to ``path`` (a file the test's own process will open)."""
    import shutil

    def put(path):
        shutil.copyfile(migrated_sqlite, path)
        return path

    return put

