"""Team and organisation planning: each team's say, themed together for the provider's strategic plan."""
from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.core import roles, themes
from goldenthread.planning import services as planning
from goldenthread.planning.models import TeamPlan, TeamPlanItem


def test_team_planning_is_themed_with_the_engine(db, monkeypatch):
    for team, proud in (("Finance", "We pay staff on time"), ("HR", "Staff are paid on time every month"),
                        ("Maple House", "People choose their own staff")):
        planning.save_plan(provider="Acorn Support", team=team, group_type="team", year=2026, items=[
            {"kind": TeamPlanItem.Kind.PROUD, "text": proud, "how": ""},
            {"kind": TeamPlanItem.Kind.QUESTION, "text": f"{team} question", "how": ""},
        ])
    planning.save_plan(provider="Acorn Support", team="Family forum", group_type="family", year=2026, items=[
        {"kind": TeamPlanItem.Kind.PLEASED, "text": "Staff know my son well", "how": ""}])
    planning.save_plan(provider="Other Org", team="Finance", group_type="team", year=2026, items=[
        {"kind": TeamPlanItem.Kind.PROUD, "text": "Not ours", "how": ""}])

    seen = []

    def fake_engine(texts):
        seen.append(list(texts))
        return [0 if "paid" in t or "pay" in t else i + 1 for i, t in enumerate(texts)]

    monkeypatch.setattr(themes, "_engine_groups", fake_engine)
    view = planning.strategic_view("acorn support")
    assert view["engine_used"] and len(view["plans"]) == 4
    pleased = view["sections"][0]
    assert pleased["count"] == 4  # proud and pleased together; nothing from Other Org
    assert "Not ours" not in [t for texts in seen for t in texts]
    pay = pleased["themes"][0]
    assert pay.name == "We pay staff on time" and pay.teams == ["Finance", "HR"]
    assert [len(t.items) for t in pleased["themes"]] == [2, 1, 1]
    assert view["sections"][2]["count"] == 3


@pytest.mark.parametrize("failure", [ImportError("no engine"), RuntimeError("the model failed to load")])
def test_without_the_engine_every_statement_stays_on_its_own(db, monkeypatch, failure):
    def broken(texts):
        raise failure

    monkeypatch.setattr(themes, "_engine_groups", broken)
    assert themes.group_texts(["a", "b"]) == ([[0], [1]], False)


def test_a_failing_engine_never_breaks_the_strategic_page(client, make_user, monkeypatch):
    """One error policy for every use of the engine: a model failure is logged and the page still answers."""
    def broken(texts):
        raise RuntimeError("the model failed to load")

    monkeypatch.setattr(themes, "_engine_groups", broken)
    planning.save_plan(provider="Acorn Support", team="Finance", group_type="team", year=2026,
                       items=[{"kind": "proud", "text": "We pay staff on time", "how": ""}])
    client.force_login(make_user(roles.PROVIDER_MANAGER))
    page = client.get(reverse("planning_strategic"), {"provider": "Acorn Support"})
    assert page.status_code == 200 and "We pay staff on time" in page.content.decode()


def test_saving_a_teams_plan_again_replaces_it(db):
    planning.save_plan(provider="Acorn Support", team="Finance", group_type="team", year=2026,
                       items=[{"kind": "proud", "text": "One", "how": ""}])
    plan = planning.save_plan(provider="Acorn Support", team="Finance", group_type="team", year=2026,
                              items=[{"kind": "change", "text": "Two", "how": "By May"}])
    assert [(i.kind, i.text, i.how) for i in plan.items.all()] == [("change", "Two", "By May")]


def test_teams_record_their_planning_and_the_provider_sees_it_together(client, make_user, monkeypatch):
    monkeypatch.setattr(themes, "_engine_groups", lambda texts: list(range(len(texts))))
    client.force_login(make_user(roles.PROVIDER_MANAGER))
    url = reverse("planning_new", args=["team"])
    page = client.post(url, {"provider": "Acorn Support", "team": "Finance", "year": "2026",
                             "change_1": "Pay invoices faster", "change_1_how": "",
                             "question_2_how": "x"}).content.decode()
    assert 'href="#id_change_1_how"' in page and "Write how the team will make this change." in page
    assert not TeamPlan.objects.exists()
    page = client.post(url, {"provider": "Acorn Support", "team": "Finance", "year": "2026"}).content.decode()
    assert "Write at least one thing the team or group said." in page
    response = client.post(url, {"provider": "Acorn Support", "team": "Finance", "year": "2026",
                                 "proud_1": "Staff are paid on time", "change_1": "Pay invoices faster",
                                 "change_1_how": "Use one system", "question_1": "How do we grow?"})
    assert response.status_code == 302
    client.post(reverse("planning_new", args=["self_advocacy"]), {
        "provider": "Acorn Support", "team": "Speak Up group", "year": "2026",
        "pleased_1": "We chose the new staff", "want_changed_1": "Easy-read letters"})
    page = client.get(reverse("planning_strategic"), {"provider": "Acorn Support"}).content.decode()
    assert "Strategic planning: Acorn Support" in page
    assert "We chose the new staff" in page and "Staff are paid on time" in page
    assert "How: Use one system" in page and "Questions for the strategic plan (1)" in page
    assert client.get(reverse("planning_strategic"), {"provider": "Nobody"}).status_code == 404
    client.force_login(make_user(roles.VIEWER))
    assert client.get(url).status_code == 403
