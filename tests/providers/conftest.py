"""Fixtures for the providers' tests: a service, its manager, and Sally, Paul and Brian's funds."""
import datetime as dt
from decimal import Decimal as D

import pytest

from goldenthread.core import roles


@pytest.fixture
def service(db):
    from goldenthread.core.models import Service

    return Service.objects.create(name="Brookside Support")


@pytest.fixture
def manager(make_user, service):
    from goldenthread.core.models import StaffProfile

    user = make_user(roles.PROVIDER_MANAGER, "manager")
    StaffProfile.objects.create(user=user).services.add(service)
    return user


@pytest.fixture
def people(service):
    from goldenthread.providers.models import SupportedPerson

    return {n: SupportedPerson.objects.create(ref=f"P-{i}", name=n, service=service)
            for i, n in enumerate(["Sally", "Paul", "Brian", "Ade", "Colin", "Dev"])}


@pytest.fixture
def make_fund(service):
    from goldenthread.providers.models import Fund

    def make(person=None, **kw):
        kw.setdefault("name", f"{person.name}'s fund" if person else "Shared")
        kw.setdefault("starts_on", dt.date(2026, 10, 1))
        kw.setdefault("hourly_rate", D("20.00"))
        return Fund.objects.create(service=service, person=person, **kw)

    return make


@pytest.fixture
def second_manager(make_user, service):
    """Another provider manager of the same service: the second person an overspend needs."""
    from goldenthread.core.models import StaffProfile

    user = make_user(roles.PROVIDER_MANAGER, "second-manager")
    StaffProfile.objects.create(user=user).services.add(service)
    return user
