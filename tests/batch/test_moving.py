"""A person moves a statement between proposed themes of the same kind; never across kinds, never once confirmed."""
from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from goldenthread.batch import services
from goldenthread.batch.bigdb import make_big_db
from goldenthread.batch.models import BatchRun, ProposedMembership, ProposedTheme
from goldenthread.core import roles
from goldenthread.reviews.models import ProgrammeCycle


@pytest.fixture
def small(db):
    make_big_db(120, 1, workshop=False)
    return ProgrammeCycle.objects.get()


def finished_run_by_kind(cycle, tmp_path, per_kind=2):
    """A finished run: ``per_kind`` themes of each kind, every statement in a theme of its own kind."""
    run = services.start_run([cycle], work_dir=tmp_path / "run")
    rows = list(services.statements_for(run).values_list("pk", "kind"))
    themes: dict[str, list[ProposedTheme]] = {}
    number = 0
    for kind in sorted({k for _, k in rows}):
        for i in range(per_kind):
            number += 1
            themes.setdefault(kind, []).append(ProposedTheme.objects.create(
                run=run, number=number, kind=kind, name=f"{kind} theme {i}", size=0))
    ProposedMembership.objects.bulk_create([
        ProposedMembership(run=run, theme=themes[k][i % per_kind], statement_id=pk) for i, (pk, k) in enumerate(rows)])
    for t in ProposedTheme.objects.filter(run=run):
        ProposedTheme.objects.filter(pk=t.pk).update(size=t.memberships.count())
    BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.DONE, statements=len(rows), written=len(rows))
    run.refresh_from_db()
    return run


def _sizes_match_memberships(run):
    for t in ProposedTheme.objects.filter(run=run):
        assert t.size == t.memberships.count(), t


def test_a_statement_moves_to_another_theme_of_its_kind_and_both_sizes_follow(small, tmp_path, make_user):
    run = finished_run_by_kind(small, tmp_path)
    source, target = run.themes.filter(kind="working").order_by("number")[:2]
    member = source.memberships.first()
    user = make_user(roles.FACILITATOR)
    services.move_statement(run, member.statement_id, target.pk, user)
    member.refresh_from_db()
    assert member.theme_id == target.pk
    _sizes_match_memberships(run)
    # the change log says who moved which statement from which theme to which (keys only)
    entry = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ProposedMembership),
                                    object_pk=str(member.pk)).latest("timestamp")
    assert entry.actor == user and entry.changes_dict["theme"] == [str(source.pk), str(target.pk)]


def test_a_statement_is_never_moved_to_a_theme_of_another_kind(small, tmp_path):
    run = finished_run_by_kind(small, tmp_path)
    working = run.themes.filter(kind="working").first()
    not_working = run.themes.filter(kind="not_working").first()
    member = working.memberships.first()
    with pytest.raises(services.CannotMove, match="working statement can only move to another working theme"):
        services.move_statement(run, member.statement_id, not_working.pk)
    member.refresh_from_db()
    assert member.theme_id == working.pk
    assert not_working not in services.move_targets(working)
    assert {t.kind for t in services.move_targets(working)} == {"working"}


def test_nothing_moves_once_the_themes_are_confirmed(small, tmp_path, make_user):
    run = finished_run_by_kind(small, tmp_path)
    source, target = run.themes.filter(kind="working").order_by("number")[:2]
    member = source.memberships.first()
    services.confirm(run, make_user(roles.COMMISSIONER))
    with pytest.raises(services.CannotMove, match="confirmed"):
        services.move_statement(run, member.statement_id, target.pk)
    member.refresh_from_db()
    assert member.theme_id == source.pk


def test_a_statement_of_another_run_or_a_theme_of_another_run_cannot_be_moved(small, tmp_path):
    run = finished_run_by_kind(small, tmp_path)
    BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.CONFIRMED)
    other = finished_run_by_kind(small, tmp_path / "b")
    theirs = run.themes.filter(kind="working").first()
    mine = other.themes.filter(kind="working").order_by("number")[1]
    member = other.themes.filter(kind="working").order_by("number")[0].memberships.first()
    with pytest.raises(services.CannotMove, match="this run's themes"):
        services.move_statement(other, member.statement_id, theirs.pk)
    with pytest.raises(services.CannotMove, match="not in this run"):
        services.move_statement(other, 10 ** 9, mine.pk)


def test_the_theme_page_offers_a_move_control_with_only_same_kind_themes(client, make_user, small, tmp_path):
    run = finished_run_by_kind(small, tmp_path, per_kind=3)
    working = run.themes.filter(kind="working").order_by("number")
    client.force_login(make_user(roles.FACILITATOR))
    page = client.get(reverse("batch:theme", args=[run.pk, working[0].pk])).content.decode()
    assert page.count('class="batch-move"') == working[0].size
    assert "working theme 1" in page and "working theme 2" in page
    assert "not_working theme" not in page and "future theme" not in page
    member = working[0].memberships.first()
    assert f'for="move-{member.statement_id}-to"' in page and f'id="move-{member.statement_id}-to"' in page
    # the move itself, by keyboard or click: a plain form post
    r = client.post(reverse("batch:move", args=[run.pk, working[0].pk]),
                    {"statement": member.statement_id, "to": working[2].pk, "page": "1"}, follow=True)
    assert r.redirect_chain[0][0].endswith("?page=1")
    assert "moved to “working theme 2”" in r.content.decode()
    member.refresh_from_db()
    assert member.theme_id == working[2].pk


def test_a_posted_move_to_another_kind_is_refused_and_changes_nothing(client, make_user, small, tmp_path):
    run = finished_run_by_kind(small, tmp_path)
    working = run.themes.filter(kind="working").first()
    future = run.themes.filter(kind="future").first()
    member = working.memberships.first()
    client.force_login(make_user(roles.FACILITATOR))
    r = client.post(reverse("batch:move", args=[run.pk, working.pk]),
                    {"statement": member.statement_id, "to": future.pk}, follow=True)
    assert "Choose one of the other working themes" in r.content.decode()
    member.refresh_from_db()
    assert member.theme_id == working.pk
    _sizes_match_memberships(run)


def test_a_confirmed_run_shows_no_move_control_and_refuses_a_posted_move(client, make_user, small, tmp_path):
    run = finished_run_by_kind(small, tmp_path)
    source, target = run.themes.filter(kind="working").order_by("number")[:2]
    member = source.memberships.first()
    user = make_user(roles.COMMISSIONER)
    services.confirm(run, user)
    client.force_login(user)
    page = client.get(reverse("batch:theme", args=[run.pk, source.pk])).content.decode()
    assert 'class="batch-move"' not in page and "can no longer be moved" in page
    r = client.post(reverse("batch:move", args=[run.pk, source.pk]),
                    {"statement": member.statement_id, "to": target.pk}, follow=True)
    assert "confirmed, so statements can no longer be moved" in r.content.decode()
    member.refresh_from_db()
    assert member.theme_id == source.pk


def test_people_who_do_not_run_cycles_cannot_move_statements(client, make_user, small, tmp_path):
    run = finished_run_by_kind(small, tmp_path)
    source, target = run.themes.filter(kind="working").order_by("number")[:2]
    member = source.memberships.first()
    client.force_login(make_user(roles.VIEWER))
    r = client.post(reverse("batch:move", args=[run.pk, source.pk]), {"statement": member.statement_id, "to": target.pk})
    assert r.status_code == 403
    member.refresh_from_db()
    assert member.theme_id == source.pk


def test_the_start_page_shows_gov_uk_radios_with_labels_in_a_fieldset(client, make_user, small):
    client.force_login(make_user(roles.FACILITATOR))
    page = client.get(reverse("batch:start", args=[small.slug])).content.decode()
    assert '<fieldset class="govuk-fieldset"' in page and "govuk-fieldset__legend" in page
    assert page.count('class="govuk-radios__item"') == 3
    assert page.count('class="govuk-radios__input"') == 3
    for i, words in enumerate(["Each kind of statement", "Each kind, in each area", "Each kind, in each user group"]):
        assert f'<label class="govuk-label govuk-radios__label" for="id_per_{i}">{words}</label>' in page
    assert 'value="kind"' in page and "checked" in page


def test_any_posted_move_or_workshop_choice_is_answered_without_a_server_error(client, make_user, small, tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    run = finished_run_by_kind(small, tmp_path)
    theme = run.themes.filter(kind="working").first()
    before = dict(ProposedMembership.objects.filter(run=run).values_list("pk", "theme_id"))
    client.force_login(make_user(roles.FACILITATOR))
    value = st.one_of(st.text(max_size=20), st.sampled_from(["", "0", "-1", "99999999999999999999", "\x00", "1e309"]),
                      st.integers(-2 ** 40, 2 ** 40).map(str))

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(statement=value, to=value, page=value, workshop=value)
    def post(statement, to, page, workshop):
        r = client.post(reverse("batch:move", args=[run.pk, theme.pk]), {"statement": statement, "to": to, "page": page})
        assert r.status_code == 302
        r = client.post(reverse("batch:start_workshop", args=[run.pk]), {"workshop": workshop})
        assert r.status_code == 302

    post()
    # arbitrary posts never moved a statement across kinds
    for m in ProposedMembership.objects.filter(run=run).select_related("theme", "statement"):
        assert m.theme.kind == m.statement.kind
    assert set(before) == set(ProposedMembership.objects.filter(run=run).values_list("pk", flat=True))
