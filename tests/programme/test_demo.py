"""The demo shows the programme: a plan, one under-represented group, a delegate list, evaluations and a year of notes."""
from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.programme import services


@pytest.fixture
def demo(db, demo_data):
    from goldenthread.reviews.models import ProgrammeCycle

    return ProgrammeCycle.objects.get(slug="ashdown-2025")


def test_the_demo_has_a_plan_one_under_represented_group_delegates_evaluations_and_notes(demo, client):
    from django.contrib.auth.models import User

    assert services.plan_for(demo).sample_target == 40
    flagged = [(c.dimension, r.value) for c in services.representation(demo, shared=False) for r in c.flagged]
    assert flagged == [("area", "Harford")]
    workshop = demo.workshops.order_by("created_at").first()
    assert workshop.invitees.coming().count() == 16 and services.delegate_mix(workshop.invitees.coming()) == []
    assert workshop.evaluations.count() == 6
    updated = [a for a in workshop.actions.all() if a.updates.exists()]
    assert len(updated) == 3
    later = demo.next_cycles.get()
    assert services.cycle_actions(later).count() == 3  # the three not done
    client.force_login(User.objects.get(username="commissioner"))
    assert client.get(reverse("programme:follow_up", args=[demo.slug])).status_code == 200


def test_loading_the_demo_twice_adds_nothing(demo):
    from goldenthread.demo import load_demo
    from goldenthread.programme.models import ActionUpdate, Invitee

    before = (Invitee.objects.count(), ActionUpdate.objects.count())
    load_demo()
    assert (Invitee.objects.count(), ActionUpdate.objects.count()) == before
