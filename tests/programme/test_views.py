"""Every programme page through Django's test client, for each role that matters."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.programme import services
from goldenthread.programme.models import Comment, Evaluation, Invitee, PopulationCount
from goldenthread.workshops.access import remember_delegate


@pytest.fixture
def people(make_user, facilitator):
    return {"admin": make_user(roles.ADMINISTRATOR), "facilitator": facilitator,
            "commissioner": make_user(roles.COMMISSIONER), "viewer": make_user(roles.VIEWER)}


def cycle_url(name, cycle):
    return reverse(f"programme:{name}", args=[cycle.slug])


@pytest.mark.parametrize("who", ["admin", "facilitator", "commissioner", "viewer"])
@pytest.mark.parametrize("name", ["planner", "sample", "workshops", "evaluations", "follow_up"])
def test_every_signed_in_role_can_read_the_programme_pages(client, people, themed, who, name):
    client.force_login(people[who])
    r = client.get(cycle_url(name, themed[0].cycle))
    assert r.status_code == 200


def test_the_programme_pages_need_a_sign_in(client, themed):
    r = client.get(cycle_url("planner", themed[0].cycle))
    assert r.status_code == 302 and "login" in r.url


def test_the_planner_shows_the_task_list_with_statuses(client, people, reviewed):
    client.force_login(people["commissioner"])
    page = client.get(cycle_url("planner", reviewed)).content.decode()
    assert "Purpose and scope" in page and "Not started" in page and "22 of 12 people reviewed" in page


def plan_state():
    """Every cycle, plan and audit-log row, to show that a refused change wrote nothing."""
    from auditlog.models import LogEntry

    from goldenthread.programme.models import Plan
    from goldenthread.reviews.models import ProgrammeCycle

    return (list(ProgrammeCycle.objects.order_by("pk").values()), list(Plan.objects.order_by("pk").values()),
            LogEntry.objects.count())


# The same changes the commissioner's tests below make and see saved.
PLAN_CHANGES = {
    "purpose": {"purpose": "Shape the plan", "scope_type": "locality", "scope": "All of Ashdown"},
    "decisions": {"top_three": "on", "whose_reviews": "Everyone in Harford", "independent_facilitators": "on"},
    "next_cycle": {"name": "Test town, 2027", "slug": "test-2027", "year": "2027"},
}


@pytest.mark.parametrize("name", sorted(PLAN_CHANGES))
def test_a_viewer_cannot_change_the_plan(client, people, reviewed, name):
    client.force_login(people["viewer"])
    assert client.get(cycle_url(name, reviewed)).status_code == 403
    before = plan_state()
    assert client.post(cycle_url(name, reviewed), PLAN_CHANGES[name]).status_code == 403
    assert plan_state() == before


def test_the_purpose_form_saves_and_completes_the_task(client, people, reviewed):
    client.force_login(people["commissioner"])
    r = client.post(cycle_url("purpose", reviewed), {"purpose": "Shape the plan", "scope_type": "locality",
                                                     "scope": "All of Ashdown"})
    assert r.status_code == 302
    reviewed.refresh_from_db()
    assert services.task_list(reviewed)[0].status == "completed"


def test_the_purpose_form_lists_its_problems_in_an_error_summary(client, people, reviewed):
    client.force_login(people["commissioner"])
    page = client.post(cycle_url("purpose", reviewed), {"purpose": ""}).content.decode()
    assert "There is a problem" in page and 'href="#id_scope_type_0"' in page


def test_the_decisions_form_needs_what_to_gather(client, people, reviewed):
    client.force_login(people["commissioner"])
    page = client.post(cycle_url("decisions", reviewed), {"whose_reviews": "Everyone"}).content.decode()
    assert "Say what information to gather" in page
    r = client.post(cycle_url("decisions", reviewed), {"top_three": "on", "whose_reviews": "Everyone in Harford",
                                                       "independent_facilitators": "on"})
    assert r.status_code == 302 and services.plan_for(reviewed).how_gathered == ["independent facilitators"]


def test_the_sample_form_refuses_fewer_than_12(client, people, reviewed):
    client.force_login(people["commissioner"])
    page = client.post(cycle_url("sample", reviewed), {"form": "sample", "sample-sample_target": "8"}).content.decode()
    assert "Use at least 12 reviews." in page
    client.post(cycle_url("sample", reviewed), {"form": "sample", "sample-sample_target": "40"})
    assert services.plan_for(reviewed).sample_target == 40


def test_the_sample_page_flags_a_missing_group_and_hides_small_numbers_from_a_viewer(client, people, reviewed):
    for value, n in (("Northbrook", 140), ("Harford", 60), ("Kelsey Vale", 30)):
        PopulationCount.objects.create(cycle=reviewed, dimension="area", value=value, count=n)
    client.force_login(people["viewer"])
    page = client.get(cycle_url("sample", reviewed)).content.decode()
    assert "Nobody from this group has been reviewed yet." in page and "Under-represented" in page
    harford_row = page.split('scope="row">Harford</th>')[1].split("</tr>")[0]
    assert "fewer than 5" in harford_row and ">2<" not in harford_row
    client.force_login(people["admin"])
    harford_row = client.get(cycle_url("sample", reviewed)).content.decode().split(
        'scope="row">Harford</th>')[1].split("</tr>")[0]
    assert ">2<" in harford_row


def test_the_population_is_added_by_hand_or_imported(client, people, reviewed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["commissioner"])
    client.post(cycle_url("sample", reviewed), {"form": "population", "pop-dimension": "area",
                                                "pop-value": "Harford", "pop-count": "60"})
    assert reviewed.population.get().count == 60
    page = client.post(cycle_url("sample", reviewed), {
        "form": "file", "file-file": SimpleUploadedFile("p.csv", b"dimension,group,count\narea,Harford,x\n")}
    ).content.decode()
    assert "Row 2, count" in page and "There is a problem" in page
    client.post(cycle_url("sample", reviewed), {
        "form": "file", "file-file": SimpleUploadedFile("p.csv", b"dimension,group,count\narea,Northbrook,9\n")})
    assert list(reviewed.population.values_list("value", flat=True)) == ["Northbrook"]


def test_a_viewer_cannot_change_the_population(client, people, reviewed):
    client.force_login(people["viewer"])
    r = client.post(cycle_url("sample", reviewed), {"form": "population", "pop-dimension": "area",
                                                    "pop-value": "Harford", "pop-count": "60"})
    assert r.status_code == 403 and not reviewed.population.exists()


# --- delegate list and invitations ---------------------------------------------------------------------

def test_the_delegate_list_is_for_people_who_run_workshops(client, people, workshop):
    url = reverse("programme:delegates", args=[workshop.code])
    client.force_login(people["viewer"])
    assert client.get(url).status_code == 403
    client.force_login(people["facilitator"])
    page = client.get(url).content.decode()
    assert "0 people are on the list" in page and "Nobody is coming from commissioners" in page


def test_a_delegate_is_added_with_their_group_and_access_needs(client, people, workshop):
    client.force_login(people["facilitator"])
    url = reverse("programme:delegates", args=[workshop.code])
    r = client.post(url, {"form": "new", "new-name": "Ruth", "new-group": "commissioner", "new-reply": "coming",
                          "new-induction_loop": "on", "new-interpreter": "British Sign Language"})
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert "hearing loop; interpreter (British Sign Language)" in page
    assert "Nobody is coming from commissioners" not in page


def test_the_delegate_form_names_missing_fields(client, people, workshop):
    client.force_login(people["facilitator"])
    page = client.post(reverse("programme:delegates", args=[workshop.code]), {"form": "new"}).content.decode()
    assert "There is a problem" in page and 'href="#id_new-group_0"' in page


def test_a_delegate_is_changed_and_taken_off_the_list(client, people, workshop):
    ruth = Invitee.objects.create(workshop=workshop, name="Ruth", group="commissioner")
    client.force_login(people["facilitator"])
    url = reverse("programme:invitee_edit", args=[workshop.code, ruth.pk])
    client.post(url, {"name": "Ruth B", "group": "commissioner", "reply": "declined"})
    ruth.refresh_from_db()
    assert (ruth.name, ruth.reply) == ("Ruth B", "declined")
    client.post(url, {"remove": "1"})
    assert not Invitee.objects.exists()


def test_the_date_and_place_go_on_the_invitation(client, people, workshop):
    client.force_login(people["facilitator"])
    client.post(reverse("programme:delegates", args=[workshop.code]), {
        "form": "day", "day-date": "2026-06-10", "day-times": "10am to 3pm", "day-venue": "Harford Library"})
    page = client.get(reverse("programme:invitation", args=[workshop.code])).content.decode()
    assert "Wednesday 10 June 2026" in page and "Harford Library" in page and "What will happen on the day" in page
    easy = client.get(reverse("programme:invitation_easy", args=[workshop.code])).content.decode()
    assert "You are invited to a meeting" in easy and "easy-read" in easy


@pytest.mark.parametrize("name", ["invitation_pdf", "invitation_easy_pdf"])
def test_the_invitations_print_as_pdf(client, people, workshop, name):
    client.force_login(people["viewer"])
    r = client.get(reverse(f"programme:{name}", args=[workshop.code]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and r["Content-Type"] == "application/pdf"


def test_the_live_workshop_join_list_links_to_the_delegate_list(client, people, workshop):
    client.force_login(people["facilitator"])
    page = client.get(reverse("workshop:home", args=[workshop.code])).content.decode()
    assert reverse("programme:delegates", args=[workshop.code]) in page


# --- evaluation ----------------------------------------------------------------------------------------

def test_the_evaluation_flow_from_a_delegates_phone_to_the_themed_report(client, people, workshop):
    from goldenthread.workshops.services import join

    url = reverse("programme:evaluate", args=[workshop.code])
    assert client.get(url).status_code == 403  # not joined yet: told to join first
    client.post(reverse("workshop:join"), {"code": workshop.code, "name": "Sam", "group": "person"})
    page = client.get(url).content.decode()
    assert "Sam, please answer three short questions" in page
    client.post(url, {"worked": "Hearing people's own words", "not_so_well": "", "future": "More breaks"})
    other, _ = join(workshop.pk, "Lee", "provider")
    services.save_evaluation(workshop, worked="Hearing the cards read out", not_so_well="Too long", future="",
                             delegate=other)
    assert Evaluation.objects.get(delegate__name="Sam").group == "person"
    client.force_login(people["viewer"])
    report = client.get(reverse("reports:page", args=[workshop.cycle.slug])).content.decode()
    assert "What delegates said about the workshop" in report
    assert "2 answers in this theme" in report and "Hearing the cards read out" in report


def test_an_empty_evaluation_is_refused_with_an_error_summary(client, workshop):
    from goldenthread.workshops.services import join

    delegate, _ = join(workshop.pk, "Sam", "person")
    session = client.session
    remember_delegate(session, workshop, delegate)
    session.save()
    page = client.post(reverse("programme:evaluate", args=[workshop.code]), {"worked": " "}).content.decode()
    assert "There is a problem" in page and "Answer at least one question." in page
    assert not Evaluation.objects.exists()


def test_a_facilitator_types_in_an_evaluation_with_the_group(client, people, workshop):
    client.force_login(people["facilitator"])
    client.post(reverse("programme:evaluate", args=[workshop.code]),
                {"group": "family", "worked": "", "not_so_well": "The room was cold", "future": ""})
    e = Evaluation.objects.get()
    assert (e.group, e.entered_by, e.delegate) == ("family", people["facilitator"], None)


def test_an_evaluation_bigger_than_the_limit_is_refused_before_reading(client, workshop, people):
    client.force_login(people["facilitator"])
    r = client.post(reverse("programme:evaluate", args=[workshop.code]), {"worked": "x" * 20000})
    assert r.status_code == 413 and not Evaluation.objects.exists()


# --- actions and comments -----------------------------------------------------------------------------------

def test_an_owner_adds_a_progress_note_and_a_milestone(client, people, themed):
    _, _, action = themed
    client.force_login(people["facilitator"])
    url = reverse("programme:action", args=[action.pk])
    client.post(url, {"form": "update", "update-on": "2026-05-01", "update-status": "underway",
                      "update-note": "Minibus hired"})
    client.post(url, {"form": "milestone", "milestone-text": "First trip", "milestone-due": "2026-06-01"})
    client.post(url, {"form": "milestone_done", "milestone": action.milestones.get().pk})
    page = client.get(url).content.decode()
    assert "Minibus hired" in page and "First trip" in page and "done on" in page
    action.refresh_from_db()
    assert action.status == "underway"


def test_a_progress_note_dated_in_the_future_is_refused(client, people, themed):
    _, _, action = themed
    client.force_login(people["facilitator"])
    page = client.post(reverse("programme:action", args=[action.pk]), {
        "form": "update", "update-on": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
        "update-status": "underway", "update-note": "Soon"}).content.decode()
    assert "cannot be in the future" in page and not action.updates.exists()


def test_a_viewer_cannot_update_an_action_or_moderate(client, people, themed):
    _, _, action = themed
    comment = Comment.objects.create(action=action, text="Hello", came_from="other")
    client.force_login(people["viewer"])
    url = reverse("programme:action", args=[action.pk])
    assert client.post(url, {"form": "update", "update-on": "2026-05-01", "update-status": "done",
                             "update-note": "x"}).status_code == 403
    assert client.post(url, {"form": "moderate", "comment": comment.pk, "decision": "approve"}).status_code == 403
    assert "Hello" not in client.get(url).content.decode()


def test_the_follow_up_lists_overdue_actions_for_the_commissioner(client, people, themed):
    _, _, action = themed
    action.due = dt.date.today() - dt.timedelta(days=1)
    action.save()
    client.force_login(people["commissioner"])
    page = client.get(cycle_url("follow_up", action.workshop.cycle)).content.decode()
    assert "Overdue (1)" in page and services.plan_for(action.workshop.cycle).comment_code in page


def test_anyone_with_the_code_comments_and_sees_it_only_once_approved(client, people, themed):
    _, _, action = themed
    code = services.plan_for(action.workshop.cycle).comment_code
    r = client.post(reverse("programme:comment_start"), {"code": code.lower()})
    assert r.status_code == 302 and r.url == reverse("programme:comment", args=[code])
    url = reverse("programme:comment", args=[code])
    assert "Run an evening minibus" in client.get(url).content.decode()
    client.post(url, {"action": action.pk, "came_from": "reviewed", "text": "Please include Sundays"})
    assert "Please include Sundays" not in client.get(url).content.decode()
    client.force_login(people["commissioner"])
    client.post(reverse("programme:action", args=[action.pk]),
                {"form": "moderate", "comment": action.comments.get().pk, "decision": "approve"})
    client.logout()
    assert "Please include Sundays" in client.get(url).content.decode()


def test_a_wrong_comment_code_is_explained(client, db):
    page = client.post(reverse("programme:comment_start"), {"code": "WRONG"}).content.decode()
    assert "That code is not right" in page and "There is a problem" in page


def test_a_comment_without_who_you_are_shows_the_problem(client, themed):
    _, _, action = themed
    code = services.plan_for(action.workshop.cycle).comment_code
    page = client.post(reverse("programme:comment", args=[code]), {"action": action.pk, "text": "Hi"}).content.decode()
    assert "There is a problem" in page and not Comment.objects.exists()


def test_a_comment_too_big_is_refused_before_reading(client, themed):
    _, _, action = themed
    code = services.plan_for(action.workshop.cycle).comment_code
    r = client.post(reverse("programme:comment", args=[code]), {"action": action.pk, "came_from": "other",
                                                                "text": "x" * 20000})
    assert r.status_code == 413 and not Comment.objects.exists()


# --- you said, we did, and the next cycle --------------------------------------------------------------------

def test_you_said_we_did_shows_what_people_said_and_what_was_done_with_small_counts_hidden(client, people, themed):
    _, _, action = themed
    services.record_update(action, note="Two trips a week now", status="underway", on=dt.date(2026, 5, 1), by=None)
    client.force_login(people["viewer"])
    page = client.get(reverse("reports:you_said", args=[action.workshop.cycle.slug])).content.decode()
    assert "I can&#x27;t get home at night" in page and "Run an evening minibus" in page
    assert "Two trips a week now" in page and "A few people said this." in page
    assert services.plan_for(action.workshop.cycle).comment_code in page  # how to comment on what we did
    r = client.get(reverse("reports:you_said_pdf", args=[action.workshop.cycle.slug]))
    assert r.content.startswith(b"%PDF")


def test_the_next_cycle_form_starts_a_cycle_and_the_report_follows_last_years_themes(client, people, themed):
    workshop, theme, action = themed
    client.force_login(people["commissioner"])
    r = client.post(cycle_url("next_cycle", workshop.cycle), {"name": "Test town, 2027", "slug": "test-2027",
                                                              "year": "2027"})
    assert r.status_code == 302
    page = client.get(reverse("programme:planner", args=["test-2027"])).content.decode()
    assert "Run an evening minibus" in page  # carried forward
    report = client.get(reverse("reports:page", args=["test-2027"])).content.decode()
    assert "Last year's themes, a year on" in report and "no workshop to compare with yet" in report
    assert "I can&#x27;t get home at night" in report and "Run an evening minibus (Acorn): Not started" in report


def test_the_next_cycle_refuses_a_short_name_in_use(client, people, reviewed):
    client.force_login(people["commissioner"])
    page = client.post(cycle_url("next_cycle", reviewed), {"name": "X", "slug": reviewed.slug,
                                                           "year": "2027"}).content.decode()
    assert "Another cycle already uses this short name." in page
