"""The numbers behind each chart, on known data (see conftest.py): people, not statements."""
from __future__ import annotations

from goldenthread.reporting.data import build_report, pick_workshop
from tests.reporting.conftest import ALLOTMENT, BUS, HOME, STAFF


def _themes(data, kind):
    return {t.name: t for t in data.kind(kind).themes}


def test_themes_per_kind_count_people_not_statements(world):
    data = build_report(world["cycle"], world["workshop"], shared=False)
    nw = _themes(data, "not_working")
    assert nw[BUS].people == 8 and nw[BUS].statements == 9
    assert nw[STAFF].people == 3
    assert _themes(data, "working")[ALLOTMENT].people == 6
    assert _themes(data, "future")[HOME].people == 6
    assert data.people == 16 and data.reviews == 16
    assert data.kind("not_working").people == 10  # P1-P10, P1 counted once
    assert [t.name for t in data.kind("not_working").themes] == [BUS, STAFF]  # biggest first


def test_not_working_themes_against_priority_votes(world):
    data = build_report(world["cycle"], world["workshop"], shared=False)
    assert [(t.name, t.people, t.dots, t.voters) for t in data.not_working] == [(BUS, 8, 7, 4), (STAFF, 3, 3, 2)]


def test_comparison_across_areas_and_user_groups(world):
    data = build_report(world["cycle"], world["workshop"], shared=False)
    areas = next(b for b in data.by_area if b.kind == "not_working")
    assert areas.groups == ["Harford", "Northbrook"]
    assert areas.cells == [[3, 5], [2, 1]]  # bus: P6-P8 / P1-P5; staff: P9,P10 / P1
    assert areas.totals == [5, 5]
    groups = next(b for b in data.by_group if b.kind == "not_working")
    assert groups.groups == ["Learning disability", "Older people"]
    assert groups.cells == [[2, 6], [2, 1]]


def test_shared_version_hides_small_counts_with_secondary_suppression(world):
    data = build_report(world["cycle"], world["workshop"], shared=True, threshold=5)
    nw = _themes(data, "not_working")
    assert nw[STAFF].people is None  # 3 people: hidden
    assert nw[BUS].people is None  # the only other bar in the row: hidden too (secondary)
    assert nw[BUS].dots == 7  # votes are not people: shown
    areas = next(b for b in data.by_area if b.kind == "not_working")
    # [[3, 5], [2, 1]] + totals [5, 5]: 3, 2 and 1 are small; the bus row then has one hidden cell, so its 5 goes.
    assert areas.cells == [[None, None], [None, None]] and areas.totals == [5, 5]
    assert data.kind("working").themes[0].people == 6


def test_a_report_narrowed_to_some_services_counts_only_their_people_and_leaves_out_themes_without_them(world):
    """P2-P7 use Acorn Support: they said BUS (P1-P8) and ALLOTMENT (P2-P7), not STAFF or HOME."""
    from goldenthread.core.models import Service
    from goldenthread.reviews.models import Review

    acorn = Service.objects.get_or_create(name="Acorn Support")[0]
    Review.objects.filter(cycle=world["cycle"]).exclude(service=acorn).update(service=None)
    Review.objects.filter(cycle=world["cycle"], person_ref__in=[f"P{i}" for i in range(2, 8)]).update(service=acorn)
    data = build_report(world["cycle"], world["workshop"], shared=False, services={"acorn support"})
    assert data.people == 6 and data.reviews == 6
    assert {t.name: t.people for k in data.kinds for t in k.themes} == {BUS: 6, ALLOTMENT: 6}
    areas = next(b for b in data.by_area if b.kind == "not_working")
    assert areas.themes == [BUS] and areas.cells == [[2, 4]]  # P6, P7 in Harford; P2-P5 in Northbrook


def test_threshold_comes_from_settings(world, settings):
    settings.GOLDENTHREAD_SUPPRESS_BELOW = 3
    data = build_report(world["cycle"], world["workshop"])
    assert [t.people for t in data.not_working] == [8, 3]


def test_the_report_picks_the_workshop_with_themes(world):
    from goldenthread.workshops.models import Workshop

    Workshop.objects.create(cycle=world["cycle"], name="Empty later one")
    assert pick_workshop(world["cycle"]) == world["workshop"]
    assert build_report(world["cycle"], None).kinds == []
