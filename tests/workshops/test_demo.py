"""The workshop runs on the invented demo data."""
from __future__ import annotations

from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops import services as ops


def test_a_workshop_on_the_demo_data(db, demo_data, facilitator):
    cycle = ProgrammeCycle.objects.get(slug="ashdown-2026")
    everything = ops.create_workshop(cycle, "All cards", "all", facilitator)
    top = ops.create_workshop(cycle, "Top choices", "top1", facilitator)
    assert 0 < top.cards.count() < everything.cards.count()
    actor = ops.Actor("fran", True)
    for card in top.cards.filter(kind="not_working")[:5]:
        ops.run(top.pk, actor, "call_card", {"card": card.pk, "cluster": "new"})
    ops.run(top.pk, actor, "auto_cluster", {"kind": "not_working"})
    assert top.boards.filter(is_main=False).get().placements.count() == top.cards.filter(kind="not_working").count()
