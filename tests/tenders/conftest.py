import pytest


@pytest.fixture
def tender(db, demo_data):
    """The demo's tender (goldenthread/demo/tenders.py) over the demo workshops: 4 questions, 3 bids, a panel of
    4 who scored every bid, scoring still open."""
    from goldenthread.demo.tenders import NAME, load_tenders_demo
    from goldenthread.tenders.models import Tender

    load_tenders_demo()
    return Tender.objects.get(name=NAME)


@pytest.fixture
def as_user(client):
    from django.contrib.auth.models import User

    def sign_in(username: str):
        client.force_login(User.objects.get(username=username))
        return client

    return sign_in
