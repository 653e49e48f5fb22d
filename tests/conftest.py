"""Fixtures shared by the store, web, command-line and browser tests."""
from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.core import roles


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
    """Rate-limit counts live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
