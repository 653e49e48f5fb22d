"""The batch pages: start a run for a cycle, watch it, check and confirm the proposed themes."""
from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.batch import services
from goldenthread.batch.bigdb import make_big_db
from goldenthread.batch.models import BatchRun, ProposedMembership, ProposedTheme
from goldenthread.core import roles
from goldenthread.reviews.models import ProgrammeCycle


@pytest.fixture
def small(db):
    make_big_db(300, 1, workshop=False)
    return ProgrammeCycle.objects.get()


def _finished_run(cycle, tmp_path, themes=3):
    run = services.start_run([cycle], work_dir=tmp_path / "run")
    made = [ProposedTheme.objects.create(run=run, number=i + 1, kind="working", name=f"I like thing {i} <b>",
                                         size=0) for i in range(themes)]
    ids = list(services.statements_for(run).values_list("pk", flat=True))
    ProposedMembership.objects.bulk_create([ProposedMembership(run=run, theme=made[i % themes], statement_id=s)
                                            for i, s in enumerate(ids)])
    for t in made:
        ProposedTheme.objects.filter(pk=t.pk).update(size=t.memberships.count())
    BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.DONE, statements=len(ids), written=len(ids))
    run.refresh_from_db()
    return run


@pytest.mark.parametrize("role, allowed", [(roles.VIEWER, False), (roles.REVIEW_FACILITATOR, False),
                                           (roles.FACILITATOR, True), (roles.COMMISSIONER, True),
                                           (roles.ADMINISTRATOR, True)])
def test_only_people_who_run_cycles_may_start_a_batch(client, make_user, small, role, allowed):
    client.force_login(make_user(role))
    r = client.get(reverse("batch:start", args=[small.slug]))
    assert r.status_code == (200 if allowed else 403)


def test_starting_a_batch_runs_it_in_the_background_and_shows_its_progress(client, make_user, small, monkeypatch,
                                                                          tmp_path):
    started = []
    monkeypatch.setattr(services, "start_in_background", started.append)
    monkeypatch.setenv("GOLDENTHREAD_BATCH_DIR", str(tmp_path))
    client.force_login(make_user(roles.FACILITATOR))
    r = client.post(reverse("batch:start", args=[small.slug]), {"per": "area"})
    run = BatchRun.objects.get()
    assert r.status_code == 302 and r["Location"] == run.get_absolute_url()
    assert started == [run] and run.per == "area" and run.work_dir.startswith(str(tmp_path))
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'data-refresh-seconds="5"' in page and "goldenthread/batch/refresh.js" in page
    assert "<script>" not in page  # the CSP allows no inline script
    # a second start for the same cycle while the first runs is refused, with a message
    r = client.post(reverse("batch:start", args=[small.slug]), {"per": "kind"}, follow=True)
    assert BatchRun.objects.count() == 1
    assert f"Batch run {run.pk} is still going" in r.content.decode()


def test_a_finished_run_lists_its_themes_a_page_at_a_time_and_can_be_confirmed(client, make_user, small, tmp_path,
                                                                              django_assert_max_num_queries):
    run = _finished_run(small, tmp_path, themes=60)
    user = make_user(roles.COMMISSIONER)
    client.force_login(user)
    # A fixed number for 60 themes (session, user, the person-account check, the run, the page); never one per theme.
    with django_assert_max_num_queries(14):
        page = client.get(run.get_absolute_url()).content.decode()
    assert "data-refresh-seconds" not in page
    assert "Page 1 of 2" in page and 'rel="next"' in page
    assert "I like thing 0 &lt;b&gt;" in page and "<b>" not in page  # names are escaped
    assert "Confirm these themes" in page
    client.post(reverse("batch:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == BatchRun.Status.CONFIRMED and run.confirmed_by == user
    assert "Confirm these themes" not in client.get(run.get_absolute_url()).content.decode()


def test_a_proposed_theme_can_be_renamed_and_lists_its_statements_in_pages(client, make_user, small, tmp_path,
                                                                           django_assert_max_num_queries):
    run = _finished_run(small, tmp_path, themes=2)
    theme = run.themes.order_by("number").first()
    client.force_login(make_user(roles.FACILITATOR))
    url = reverse("batch:theme", args=[run.pk, theme.pk])
    with django_assert_max_num_queries(13):  # one query for the themes a statement may move to, however many
        page = client.get(url).content.decode()
    assert theme.size > 50 and "Page 1 of" in page and "W-0" in page or "N-0" in page or "F-0" in page
    r = client.post(url, {"name": "I like my day"})
    assert r.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "I like my day"
    page = client.post(url, {"name": "  "}).content.decode()
    assert "There is a problem" in page
    # another run's theme is not found under this run
    assert client.get(reverse("batch:theme", args=[run.pk + 1, theme.pk])).status_code == 404
