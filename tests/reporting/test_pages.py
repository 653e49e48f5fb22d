"""Report pages and downloads: viewers get the shared version; the team can see every count; matches are confirmed."""
from __future__ import annotations

from django.urls import reverse

import json

from goldenthread.core import roles
from tests.reporting.conftest import BUS, STAFF, build_world


def test_viewer_gets_the_shared_report_and_downloads(client, world, make_user):
    from goldenthread.reporting.models import ExportRecord

    client.force_login(make_user(roles.VIEWER, "vic"))
    page = client.get(reverse("reports:page", args=[world["cycle"].slug]) + "?version=team").content.decode()
    assert "<svg" in page and "Counts of fewer than 5 people are hidden" in page
    r = client.get(reverse("reports:download", args=[world["cycle"].slug, "data", "json"]) + "?version=team")
    doc = json.loads(r.content)
    assert doc["metadata"]["shared"] is True and doc["metadata"]["made_by"] == "vic"
    assert next(t for t in doc["themes"] if t["name"] == STAFF)["people"] is None
    assert ExportRecord.objects.get().made_by.username == "vic"
    for output, fmt in [("full", "pdf"), ("easy_read", "html"), ("wall_sheets", "pdf"), ("data", "xlsx")]:
        assert client.get(reverse("reports:download", args=[world["cycle"].slug, output, fmt])).status_code == 200
    assert client.get(reverse("reports:download", args=[world["cycle"].slug, "data", "pdf"])).status_code == 404


def test_team_version_for_commissioners(client, world, commissioner):
    client.force_login(commissioner)
    r = client.get(reverse("reports:download", args=[world["cycle"].slug, "data", "json"]) + "?version=team")
    assert next(t for t in json.loads(r.content)["themes"] if t["name"] == STAFF)["people"] == 3


def test_golden_thread_pages(client, world, commissioner):
    client.force_login(commissioner)
    assert "Pay for a later bus" in client.get(reverse("reports:thread", args=[world["cycle"].slug])).content.decode()
    team = client.get(reverse("reports:action_thread", args=[world["action"].pk]) + "?version=team").content.decode()
    assert "council&#x27;s bus contract ends at six" in team and "card 1" in team and "said by" not in team
    # Shared: the bus theme's 8 is hidden as in the shared report (beside the staff theme's 3), so no card either.
    action = client.get(reverse("reports:action_thread", args=[world["action"].pk])).content.decode()
    assert "council&#x27;s bus contract ends at six" in action and "number hidden" in action and "card 1" not in action
    theme = client.get(reverse("reports:theme_thread", args=[world["clusters"][BUS].pk])).content.decode()
    assert "Under way" in theme and "no workshop to compare with" in theme


def test_matches_suggested_then_confirmed_feed_the_year_comparison(client, world, commissioner, make_user,
                                                                   monkeypatch):
    from goldenthread.reporting import matching
    from goldenthread.reporting.data import build_report
    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.reporting.models import ThemeMatch

    later = ProgrammeCycle.objects.create(name="Test town, 2027", slug="test-2027", year=2027, previous=world["cycle"])
    workshop, clusters, _ = build_world(later, commissioner, year_offset=1, bus_people=range(1, 12))
    monkeypatch.setattr(matching, "similarity", lambda a, b: [[1.0 if x == y else 0.0 for y in b] for x in a])
    client.force_login(make_user(roles.VIEWER, "vic"))
    assert client.get(reverse("reports:matches", args=["test-2027"])).status_code == 403
    client.force_login(commissioner)
    client.post(reverse("reports:matches", args=["test-2027"]), {"suggest": "1"})
    assert ThemeMatch.objects.filter(status="suggested").count() == 4
    bus = ThemeMatch.objects.get(cluster=clusters[BUS])
    client.post(reverse("reports:matches", args=["test-2027"]), {"match": bus.pk, "decision": "confirm"})
    staff = ThemeMatch.objects.get(cluster=clusters[STAFF])
    client.post(reverse("reports:matches", args=["test-2027"]), {"match": staff.pk, "decision": "reject"})
    bus.refresh_from_db()
    assert bus.status == "confirmed" and bus.confirmed_by == commissioner and bus.confirmed_at
    data = build_report(later, workshop, shared=False)
    assert [(y.theme, y.before, y.now, y.change) for y in data.years] == [(BUS, 8, 11, "raised again by more people")]
    # Rejecting a suggestion is not saying that nothing matches: the staff theme is not matched yet.
    assert STAFF not in data.gone
    assert {r.theme: r.verdict for r in data.year_on}[STAFF] == "not matched yet"
    assert "Same theme" in client.get(reverse("reports:matches", args=["test-2027"])).content.decode()
