"""Join codes run out at the end of the workshop day plus GOLDENTHREAD_JOIN_CODE_HOURS, and the facilitator can
close joining; a refused code gets a plain message and nobody joins."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from goldenthread.workshops import services as ops
from goldenthread.workshops.models import Workshop, join_code_expiry


def test_a_new_code_runs_out_at_the_end_of_the_day_plus_the_set_hours(settings):
    settings.TIME_ZONE = "Europe/London"
    settings.GOLDENTHREAD_JOIN_CODE_HOURS = 6
    morning = timezone.make_aware(dt.datetime(2026, 5, 12, 9, 30))
    assert timezone.localtime(join_code_expiry(morning)) == timezone.make_aware(dt.datetime(2026, 5, 13, 6, 0))


def test_the_hours_can_come_from_the_environment(monkeypatch, settings):
    monkeypatch.setenv("GOLDENTHREAD_JOIN_CODE_HOURS", "2")
    morning = timezone.now()
    end = timezone.localtime(morning).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    assert join_code_expiry(morning) == end + dt.timedelta(hours=2)


def test_an_expired_code_is_refused_in_plain_words(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.post(reverse("workshop:join"), {"code": workshop.code, "name": "Sam", "group": "person"})
    assert page.status_code == 200 and "This workshop code has run out" in page.content.decode()
    with pytest.raises(ops.OpError, match="run out"):
        ops.join(workshop.pk, "Sam", "person")
    assert not workshop.delegates.exists()


def test_the_facilitator_can_close_joining_and_open_it_again(client, workshop, fac_actor):
    ops.run(workshop.pk, fac_actor, "set_joining", {"open": False})
    page = client.post(reverse("workshop:join"), {"code": workshop.code, "name": "Sam", "group": "person"})
    assert "Joining this workshop has been closed" in page.content.decode()
    assert not workshop.delegates.exists()
    Workshop.objects.filter(pk=workshop.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    ops.run(workshop.pk, fac_actor, "set_joining", {"open": True})  # reopening gives the code another day
    assert not Workshop.objects.get(pk=workshop.pk).join_code_expired()
    client.post(reverse("workshop:join"), {"code": workshop.code, "name": "Sam", "group": "person"})
    assert workshop.delegates.get().name == "Sam"


def test_a_delegate_cannot_close_joining(workshop):
    sam = workshop.delegates.create(name="Sam", group="person")
    with pytest.raises(ops.OpError, match="Only the facilitator"):
        ops.run(workshop.pk, ops.Actor("Sam", delegate_id=sam.pk), "set_joining", {"open": False})
