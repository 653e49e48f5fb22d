"""The local OpenID provider (fake_idp.py), with Golden Thread's settings pointed at it."""
from __future__ import annotations

import pytest

from tests.accounts.fake_idp import FakeProvider, configure


@pytest.fixture(scope="session")
def _provider():
    provider = FakeProvider.start()
    yield provider
    provider.stop()


@pytest.fixture
def council_idp(_provider, settings, db):
    """Council sign-in on, through the local provider; its groups map to two roles."""
    from goldenthread.core import roles

    roles.ensure_roles()
    configure(settings, _provider)
    _provider.id_token_extra = {}
    _provider.person = {}
    return _provider
