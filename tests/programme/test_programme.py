"""The rules of the programme around the workshop: planner, sample, representation, delegate mix,
evaluation, following actions, comments and the next cycle."""
from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.core import roles
from goldenthread.programme import services
from goldenthread.programme.models import Comment, Invitee, PopulationCount, TaskStatus


def population(cycle, **counts):
    for value, n in counts.items():
        PopulationCount.objects.create(cycle=cycle, dimension="area", value=value, count=n)


# --- planner --------------------------------------------------------------------------------------

def test_a_new_cycle_has_every_preparation_task_not_started(cycle):
    tasks = services.task_list(cycle)
    assert [t.title for t in tasks][:2] == ["Purpose and scope", "Planning meeting decisions"]
    assert {t.status for t in tasks} == {TaskStatus.NOT_STARTED}


def test_purpose_and_scope_is_in_progress_until_all_three_parts_are_written(cycle):
    cycle.purpose = "Shape next year's plan"
    cycle.save()
    assert services.task_list(cycle)[0].status == TaskStatus.IN_PROGRESS
    cycle.scope = "Harford"
    cycle.save()
    plan = services.plan_for(cycle)
    plan.scope_type = "area"
    plan.save()
    assert services.task_list(cycle)[0].status == TaskStatus.COMPLETED


# --- sample and representation -----------------------------------------------------------------------

@pytest.mark.parametrize("target, words", [(None, "at least 12"), (10, "fewer than 12"), (30, "within"),
                                           (80, "more than about 60")])
def test_the_sample_advice_follows_the_guide(cycle, target, words):
    plan = services.plan_for(cycle)
    plan.sample_target = target
    plan.save()
    assert words in services.sample_progress(cycle).advice


def test_the_sample_counts_people_not_statements_or_reviews(reviewed):
    from goldenthread.reviews.models import Review

    first = Review.objects.get(reference="R-0")
    first.statements.create(cycle=reviewed, kind="working", text="I like my garden", card_text="I like my garden")
    assert services.people_count(reviewed) == 22


def test_a_group_nobody_was_reviewed_from_is_flagged_missing(reviewed, make_user):
    population(reviewed, Northbrook=100, Harford=60, Kelsey=40)
    admin = make_user(roles.ADMINISTRATOR)
    rows = {r.value: r for r in services.representation(reviewed, admin)[0].rows}
    assert rows["Kelsey"].flag == "missing" and rows["Kelsey"].reviewed == 0
    assert "2 group(s) missing or under-represented" in services.task_list(reviewed)[2].hint


def test_a_group_with_less_than_half_its_share_is_under_represented(reviewed, make_user):
    # Harford: 60/200 = 30 % of the population, 2/22 = 9 % of the people reviewed.
    population(reviewed, Northbrook=140, Harford=60)
    rows = {r.value: r for r in services.representation(reviewed, make_user(roles.ADMINISTRATOR))[0].rows}
    assert rows["Harford"].flag == "under-represented" and rows["Harford"].reviewed == 2
    assert rows["Northbrook"].flag == ""


def test_a_viewer_never_sees_small_numbers_but_still_sees_the_warning(reviewed, make_user):
    population(reviewed, Northbrook=140, Harford=60, Kelsey=3)
    rows = {r.value: r for r in services.representation(reviewed, make_user(roles.VIEWER))[0].rows}
    assert rows["Harford"].reviewed is None  # 2 people: hidden
    assert rows["Kelsey"].population is None  # 3 people in scope: hidden too
    assert rows["Harford"].flag == "under-represented"
    shown = [v for r in rows.values() for v in (r.population, r.reviewed) if v is not None]
    assert all(v == 0 or v >= 5 for v in shown)


def test_age_bands_are_listed_but_not_checked_because_reviews_do_not_record_them(reviewed, make_user):
    PopulationCount.objects.create(cycle=reviewed, dimension="age_band", value="65 to 74", count=50)
    check = services.representation(reviewed, make_user(roles.ADMINISTRATOR))[0]
    assert not check.recorded and check.rows[0].flag == ""


def test_a_population_file_with_a_bad_row_imports_nothing_and_names_the_row(cycle):
    population(cycle, Northbrook=10)
    bad = b"dimension,group,count\narea,Harford,60\nplanet,Mars,3\narea,Kelsey,lots\n"
    with pytest.raises(services.PopulationFileError) as e:
        services.import_population(cycle, bad)
    assert any(p.startswith("Row 3, dimension") for p in e.value.problems)
    assert any(p.startswith("Row 4, count") for p in e.value.problems)
    assert list(cycle.population.values_list("value", flat=True)) == ["Northbrook"]


def test_a_good_population_file_replaces_the_numbers(cycle):
    population(cycle, Northbrook=10)
    n = services.import_population(cycle, b"dimension,group,count\narea,Harford,60\nUser group,Older people,90\n")
    assert n == 2 and set(cycle.population.values_list("dimension", "value")) == {
        ("area", "Harford"), ("user_group", "Older people")}


# --- delegate mix -----------------------------------------------------------------------------------------

def invite(workshop, n, *, groups=("commissioner", "person", "provider", "family")):
    for i in range(n):
        group = groups[i % len(groups)]
        Invitee.objects.create(workshop=workshop, name=f"Person {i}", group=group,
                               provider_manager=group == "provider")


@pytest.mark.parametrize("n, warned", [(14, True), (15, False), (25, False), (26, True)])
def test_the_delegate_mix_warns_outside_15_to_25_people(workshop, n, warned):
    invite(workshop, n)
    warnings = services.delegate_mix(workshop.invitees.coming())
    assert bool(warnings) == warned
    if warned:
        assert f"{n} people are on the list" in warnings[0] and "15 to 25" in warnings[0]


def test_a_missing_stakeholder_group_is_named_in_plain_words(workshop):
    invite(workshop, 20, groups=("person", "provider", "family"))
    assert services.delegate_mix(workshop.invitees.coming()) == [
        "Nobody is coming from commissioners. They are part of the bare minimum for the workshop."]


def test_providers_without_a_manager_do_not_meet_the_bare_minimum(workshop):
    invite(workshop, 20)
    workshop.invitees.filter(group="provider").update(provider_manager=False)
    assert "No provider managers are coming" in services.delegate_mix(workshop.invitees.coming())[0]


def test_people_who_said_no_do_not_count(workshop):
    invite(workshop, 16)
    workshop.invitees.filter(name__in=["Person 0", "Person 4"]).update(reply=Invitee.Reply.DECLINED)
    assert "14 people are on the list" in services.delegate_mix(workshop.invitees.coming())[0]


# --- evaluation ----------------------------------------------------------------------------------------

def test_evaluation_answers_are_themed_through_the_engine_adapter(workshop):
    services.save_evaluation(workshop, worked="Hearing people's own words", not_so_well="Too long", future="")
    services.save_evaluation(workshop, worked="Hearing the cards read out", not_so_well="", future="More breaks")
    worked = services.themed_evaluations(workshop.cycle)[0]
    assert worked.answers == 2 and len(worked.themes) == 1 and worked.engine_used
    assert worked.themes[0].texts == ["Hearing people's own words", "Hearing the cards read out"]


def test_a_delegate_evaluating_twice_replaces_their_answers(workshop):
    from goldenthread.workshops.services import join

    delegate, _ = join(workshop.pk, "Sam", "person")
    services.save_evaluation(workshop, worked="The cards", not_so_well="", future="", delegate=delegate)
    services.save_evaluation(workshop, worked="The voting", not_so_well="", future="", delegate=delegate)
    assert [e.worked for e in workshop.evaluations.all()] == ["The voting"]
    assert workshop.evaluations.get().group == "person"


# --- following actions -------------------------------------------------------------------------------------

def test_an_update_records_a_dated_note_and_moves_the_action_on(themed, facilitator):
    _, _, action = themed
    services.record_update(action, note="Minibus hired", status="underway", on=dt.date(2026, 5, 1), by=facilitator)
    action.refresh_from_db()
    assert action.status == "underway" and action.updates.get().note == "Minibus hired"


def test_an_older_update_typed_in_late_does_not_undo_the_newest_status(themed, facilitator):
    _, _, action = themed
    services.record_update(action, note="Running", status="done", on=dt.date(2026, 6, 1), by=facilitator)
    services.record_update(action, note="Hired", status="underway", on=dt.date(2026, 5, 1), by=facilitator)
    action.refresh_from_db()
    assert action.status == "done"


def test_overdue_and_stalled_actions_are_listed(themed, facilitator):
    _, _, action = themed
    services.record_update(action, note="Hired", status="underway", on=dt.date(2026, 5, 1), by=facilitator)
    row = services.follow_up(action.workshop.cycle, today=dt.date(2026, 10, 1))[0]
    assert row.overdue and row.stalled and row.weeks_quiet == 21
    row = services.follow_up(action.workshop.cycle, today=dt.date(2026, 5, 20))[0]
    assert not row.overdue and not row.stalled


def test_a_done_action_is_never_overdue(themed, facilitator):
    _, _, action = themed
    services.record_update(action, note="Running", status="done", on=dt.date(2026, 5, 1), by=facilitator)
    row = services.follow_up(action.workshop.cycle, today=dt.date(2027, 1, 1))[0]
    assert not row.overdue and not row.stalled


def test_a_comment_waits_for_approval_before_it_is_shown(themed, make_user):
    _, _, action = themed
    comment = services.submit_comment(action.workshop.cycle, action, text="Please run it on Sundays too",
                                      came_from="reviewed", visitor="1.2.3.4")
    assert not action.comments.approved().exists()
    services.moderate(comment, approve=True, by=make_user(roles.COMMISSIONER))
    assert list(action.comments.approved()) == [comment]


def test_comments_are_limited_per_comment_code_not_per_address(themed):
    from django.core.cache import cache

    cache.clear()
    _, _, action = themed
    for n in range(services.comments_per_hour()):
        services.submit_comment(action.workshop.cycle, action, text="Yes", came_from="other", visitor=f"10.0.0.{n}")
    with pytest.raises(services.TooManyComments):
        services.submit_comment(action.workshop.cycle, action, text="Yes", came_from="other", visitor="10.9.9.9")
    assert Comment.objects.count() == services.comments_per_hour()


def test_a_comment_code_opens_only_its_own_cycle(themed):
    cycle = themed[0].cycle
    code = services.plan_for(cycle).comment_code
    assert services.comment_cycle(code.lower()) == cycle
    assert services.comment_cycle("NOTACODE") is None


# --- next cycle ----------------------------------------------------------------------------------------------

def test_the_next_cycle_copies_purpose_scope_groups_and_open_actions(themed, facilitator):
    workshop, _, action = themed
    cycle = workshop.cycle
    cycle.purpose, cycle.scope = "Shape the plan", "Harford"
    cycle.save()
    plan = services.plan_for(cycle)
    plan.scope_type, plan.sample_target = "area", 30
    plan.save()
    invite(workshop, 4)
    nxt = services.start_next_cycle(cycle, name="Test town, 2027", slug="test-2027", year=2027)
    assert (nxt.previous, nxt.purpose, nxt.scope) == (cycle, "Shape the plan", "Harford")
    assert (nxt.plan.scope_type, nxt.plan.sample_target) == ("area", 30)
    assert nxt.plan.delegate_groups == {"commissioner": 1, "person": 1, "provider": 1, "family": 1}
    assert list(services.cycle_actions(nxt)) == [action]
    assert nxt.plan.comment_code != plan.comment_code


def test_done_actions_are_not_carried_into_the_next_cycle(themed, facilitator):
    workshop, _, action = themed
    services.record_update(action, note="Running", status="done", on=dt.date(2026, 5, 1), by=facilitator)
    nxt = services.start_next_cycle(workshop.cycle, name="Next", slug="next", year=2027)
    assert not services.cycle_actions(nxt).exists()


def test_last_years_theme_nobody_has_matched_yet_is_shown_as_not_matched_yet_with_its_actions(themed, facilitator):
    from goldenthread.reporting.you_said import last_year
    from goldenthread.workshops import services as ws

    workshop, _, action = themed
    services.record_update(action, note="Minibus running", status="done", on=dt.date(2026, 5, 1), by=facilitator)
    nxt = services.start_next_cycle(workshop.cycle, name="Next", slug="next", year=2027)
    later = ws.create_workshop(nxt, "Next workshop", "all", facilitator)
    board = ws.main_board(later, "working")
    board.clusters.create(name="We like the allotment")
    [row] = last_year(nxt)
    assert (row.theme, row.change) == ("I can't get home at night", "not matched yet")
    assert [(a.text, a.status, a.note) for a in row.actions] == [("Run an evening minibus", "Done", "Minibus running")]
