"""The guided person-centred review, profiles and indicators pages, and who may see them."""
from __future__ import annotations

import io

import pytest
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.core.models import Service, StaffProfile
from goldenthread.reviews.models import OnePageProfile, Review
from tests.conftest import as_choices


def start(client, cycle, **overrides):
    data = {"reference": "PCR-1", "person_ref": "P-50", "person_name": "Nell Ward", "review_date": "2026-03-01",
            "facilitator": "", "location": "Home", "area": "Harford", "service": "Acorn House",
            "user_group": "Older people", "attendees": "Jo Ward (daughter)"} | overrides
    return client.post(reverse("pcr_start", args=[cycle.slug]), as_choices(data))


@pytest.fixture
def rita(client, make_user):
    user = make_user(roles.REVIEW_FACILITATOR, "rita")
    client.force_login(user)
    return user


def step(client, review, slug, data, later=False):
    return client.post(reverse("pcr_step", args=[review.pk, slug]), data | ({"later": "1"} if later else {}))


def fill_review(client, review):
    step(client, review, "appreciate", {"items": "Nell makes everyone laugh\nGreat at the crossword"})
    step(client, review, "important-now", {"items": "Seeing Jo on Sundays"})
    step(client, review, "future", {"items": "A trip to the sea"})
    step(client, review, "support", {"items": "Speak slowly and face me"})
    step(client, review, "working-person", {"working": "Jo visits on Sundays\nLunch club", "not_working": "Nell is lonely in the week"})
    step(client, review, "working-family", {"working": "Mum eats well", "not_working": ""})


def test_a_review_is_saved_as_a_draft_and_resumed(client, cycle, rita):
    response = start(client, cycle)
    review = Review.objects.get(reference="PCR-1")
    assert response.url == reverse("pcr_step", args=[review.pk, "appreciate"])
    assert review.status == Review.Status.IN_PROGRESS and review.facilitated_by == rita
    assert [a.name for a in review.attendees.all()] == ["Jo Ward"]

    response = step(client, review, "appreciate", {"items": "Nell makes everyone laugh\n\n- Kind"}, later=True)
    assert response.url == reverse("pcr_tasks", args=[review.pk])
    tasks = client.get(response.url).content.decode()
    assert "Your answers have been saved" in tasks
    assert "Nell makes everyone laugh" in tasks and "In progress" in tasks
    # Coming back shows what was saved.
    again = client.get(reverse("pcr_step", args=[review.pk, "appreciate"])).content.decode()
    assert "Nell makes everyone laugh\nKind</textarea>" in again
    # A review in progress makes no cards.
    assert cycle.card_statements().count() == 0


def test_the_person_centred_review_start_refuses_an_nhs_number_as_person_id(client, cycle, rita):
    page = start(client, cycle, person_ref="9434765919").content.decode()
    assert "There is a problem" in page and not Review.objects.exists()
    assert 'href="#id_person_ref"' in page and "Person ID: this looks like an NHS number." in page


def test_validation_messages_name_the_field_and_link_to_it(client, cycle, rita):
    page = start(client, cycle, person_ref="", review_date="2999-01-01").content.decode()
    assert "There is a problem" in page and not Review.objects.exists()
    assert 'href="#id_person_ref"' in page and "Enter the person ID." in page
    assert '<a href="#id_review_date_0">The review date must be today or in the past.</a>' in page

    start(client, cycle)
    review = Review.objects.get()
    page = step(client, review, "support", {"items": "x" * 501}).content.decode()
    assert 'href="#id_items"' in page and "Line 1 is too long" in page
    assert not review.items.exists()

    page = step(client, review, "actions", {
        "action-TOTAL_FORMS": "2", "action-INITIAL_FORMS": "0",
        "action-0-text": "Find a lunch club", "action-0-owner": "", "action-0-due_date": "31/02/2026",
        "action-0-status": "not_started", "action-1-text": "", "action-1-owner": "Jo", "action-1-status": "not_started",
    }).content.decode()
    assert 'href="#id_action-0-owner"' in page and "Action 1, Who will do it: Write who will do this action." in page
    assert "Action 1, When by: Enter a real date, for example 30 6 2026." in page
    assert "Action 2, Write what will happen, or clear who will do it." in page
    assert not review.actions.exists()

    page = step(client, review, "top-choices", {}).content.decode()
    assert 'href="#id_consent_0"' in page and "Say whether the person agrees" in page


def test_picking_the_same_thing_twice_is_refused(client, cycle, rita):
    start(client, cycle)
    review = Review.objects.get()
    fill_review(client, review)
    sundays = review.items.get(text="Jo visits on Sundays")
    page = step(client, review, "top-choices", {"consent": "yes", "working_1": sundays.pk,
                                                "working_2": sundays.pk}).content.decode()
    assert 'href="#id_working_2"' in page
    assert "What is working, 2nd choice: This is already picked as a higher choice." in page
    page = step(client, review, "top-choices", {"consent": "yes", "working_2": sundays.pk}).content.decode()
    assert "Pick the 1st choice before the 2nd choice." in page


def test_finishing_a_review_sends_only_top_choices_forward_and_offers_a_profile(client, cycle, rita):
    start(client, cycle)
    review = Review.objects.get()
    # Finishing too early says what is missing.
    response = client.post(reverse("pcr_finish", args=[review.pk]), follow=True)
    assert "Write at least one thing that is working or not working for the person." in response.content.decode()
    fill_review(client, review)
    step(client, review, "actions", {
        "action-TOTAL_FORMS": "2", "action-INITIAL_FORMS": "0",
        "action-0-text": "Find a weekday lunch club", "action-0-owner": "Sam", "action-0-due_date": "2026-06-30",
        "action-0-status": "not_started", "action-1-text": "", "action-1-owner": "", "action-1-status": "not_started",
    })
    sundays = review.items.get(text="Jo visits on Sundays")
    lonely = review.items.get(text="Nell is lonely in the week")
    step(client, review, "top-choices", {"consent": "yes", "working_1": sundays.pk, "not_working_1": lonely.pk})

    response = client.post(reverse("pcr_finish", args=[review.pk]))
    assert response.url == reverse("pcr_profile", args=[review.pk])
    review.refresh_from_db()
    assert review.status == Review.Status.COMPLETE
    assert sorted(s.card_text for s in cycle.card_statements()) == ["[name] is lonely in the week",
                                                                    "[name] visits on Sundays"]
    assert [a.owner for a in review.actions.all()] == ["Sam"]

    offer = client.get(response.url).content.decode()
    assert "Make a one-page profile?" in offer and "Speak slowly and face me" in offer
    # The profile's own consent is a question of its own, and must be answered.
    page = client.post(reverse("pcr_profile", args=[review.pk]), {"update": "1"}).content.decode()
    assert "Select whether the service that supports the person can see this profile" in page
    assert not OnePageProfile.objects.exists()
    response = client.post(reverse("pcr_profile", args=[review.pk]), {"update": "1", "shared_with_supporters": "yes"})
    profile = OnePageProfile.objects.get(person_ref="P-50")
    assert response.url == profile.get_absolute_url()
    assert profile.lines(profile.important) == ["Seeing Jo on Sundays", "A trip to the sea"]
    assert profile.service.name == "Acorn House" and profile.versions.count() == 1

    # Once finished, only the actions can change.
    assert client.get(reverse("pcr_step", args=[review.pk, "support"])).status_code == 302
    step(client, review, "actions", {
        "action-TOTAL_FORMS": "1", "action-INITIAL_FORMS": "0", "action-0-text": "Find a weekday lunch club",
        "action-0-owner": "Sam", "action-0-due_date": "2026-06-30", "action-0-status": "done"})
    assert review.actions.get().status == "done"


def test_profile_edit_print_and_pdf(client, cycle, rita):
    from pypdf import PdfReader

    start(client, cycle)
    review = Review.objects.get()
    fill_review(client, review)
    # Best support is empty in this draft, so making the profile goes to the edit page first.
    step(client, review, "support", {"items": ""})
    response = client.post(reverse("pcr_profile", args=[review.pk]), {"update": "1", "shared_with_supporters": "yes"})
    assert response.url == reverse("profile_edit", args=["P-50"]) and not OnePageProfile.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Seeing Jo on Sundays" in page
    page = client.post(response.url, {"name": "Nell", "appreciate": "Kind", "important": "Jo",
                                      "support": "", "shared_with_supporters": "yes"}).content.decode()
    assert 'href="#id_support"' in page and "How best to support me: Write at least one thing." in page
    client.post(response.url, {"name": "Nell", "appreciate": "Kind", "important": "Jo\n\nThe sea",
                               "support": "Speak slowly", "shared_with_supporters": "yes"})
    profile = OnePageProfile.objects.get()
    assert profile.important == "Jo\nThe sea" and profile.source_review == review

    printed = client.get(reverse("profile_print", args=["P-50"])).content.decode()
    assert 'aria-label="A heart"' in printed and "How best to support me" in printed and "The sea" in printed
    pdf = client.get(reverse("profile_pdf", args=["P-50"]))
    reader = PdfReader(io.BytesIO(pdf.content))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1 and "Speak slowly" in text and "A helping hand" in text


def test_a_new_review_offers_to_update_the_profile_and_can_keep_it(client, cycle, rita):
    OnePageProfile.objects.create(person_ref="P-50", name="Nell", appreciate="Kind", important="Jo",
                                  support="Speak slowly", service=Service.objects.get_or_create(name="Acorn House")[0])
    start(client, cycle)
    review = Review.objects.get()
    fill_review(client, review)
    offer = client.get(reverse("pcr_profile", args=[review.pk])).content.decode()
    assert "Update the one-page profile from this review?" in offer and "Keep the profile as it is" in offer
    client.post(reverse("pcr_profile", args=[review.pk]), {"keep": "1"})
    assert OnePageProfile.objects.get().support == "Speak slowly"
    client.post(reverse("pcr_profile", args=[review.pk]), {"update": "1", "shared_with_supporters": "yes"})
    profile = OnePageProfile.objects.get()
    # "Speak slowly" was written by hand, not taken from a review: it is kept beside the review's new line.
    assert profile.support == "Speak slowly and face me\nSpeak slowly" and profile.name == "Nell"
    assert profile.versions.get().review == review and profile.shared_with_supporters is True


@pytest.fixture
def someone_elses(cycle, make_user, client):
    """A finished review and profile facilitated by another user, at a service the test users don't manage."""
    other = make_user(roles.REVIEW_FACILITATOR, "other-facilitator")
    client.force_login(other)
    start(client, cycle)
    review = Review.objects.get()
    fill_review(client, review)
    client.post(reverse("pcr_profile", args=[review.pk]), {"update": "1", "shared_with_supporters": "yes"})
    client.logout()
    return review


def refused_urls(review):
    return [reverse("pcr_tasks", args=[review.pk]), reverse("pcr_step", args=[review.pk, "appreciate"]),
            reverse("pcr_profile", args=[review.pk]), reverse("profile", args=[review.person_ref]),
            reverse("profile_edit", args=[review.person_ref]), reverse("profile_print", args=[review.person_ref]),
            reverse("profile_pdf", args=[review.person_ref])]


@pytest.mark.parametrize("role", [roles.REVIEW_FACILITATOR, roles.PROVIDER_MANAGER, roles.COMMISSIONER,
                                  roles.FACILITATOR, roles.VIEWER])
def test_without_the_right_role_another_persons_review_export_and_api_are_refused(client, make_user,
                                                                                  someone_elses, role):
    client.force_login(make_user(role))
    for url in refused_urls(someone_elses):
        response = client.get(url)
        assert response.status_code == 403, url
        if not url.endswith(".pdf"):
            assert "You cannot see this page" in response.content.decode()
    api = client.get(reverse("review_api", args=[someone_elses.pk]))
    assert api.status_code == 403 and api.json() == {"error": "You are not allowed to see this review."}
    assert "Nell" not in api.content.decode()
    # The anonymised review page is still there for them, without names.
    page = client.get(someone_elses.get_absolute_url()).content.decode()
    assert "Nell Ward" not in page and "[name] visits on Sundays" not in page  # not picked: no card at all
    assert client.post(reverse("pcr_finish", args=[someone_elses.pk])).status_code == 403


def test_the_manager_of_the_service_and_an_administrator_may_see_it(client, make_user, someone_elses):
    manager = make_user(roles.PROVIDER_MANAGER)
    StaffProfile.objects.create(user=manager).services.add(someone_elses.service)
    for user in (manager, make_user(roles.ADMINISTRATOR)):
        client.force_login(user)
        for url in refused_urls(someone_elses):
            assert client.get(url).status_code == 200, url
        record = client.get(reverse("review_api", args=[someone_elses.pk])).json()
        assert record["person_name"] == "Nell Ward" and record["service"] == "Acorn House"
        assert {"section": "working", "perspective": "family", "text": "Mum eats well", "priority": None,
                "goes_forward": False} in record["items"]


def test_the_people_page_lists_only_what_the_user_may_see(client, make_user, someone_elses):
    client.force_login(make_user(roles.REVIEW_FACILITATOR))
    page = client.get(reverse("people")).content.decode()
    assert "Nell" not in page and "You cannot see any one-page profiles yet." in page


def test_indicators_page_counts_people(client, make_user, cycle, rita):
    start(client, cycle)
    review = Review.objects.get()
    fill_review(client, review)
    sundays = review.items.get(text="Jo visits on Sundays")
    step(client, review, "top-choices", {"consent": "yes", "working_1": sundays.pk})
    client.post(reverse("pcr_finish", args=[review.pk]))
    client.force_login(make_user(roles.COMMISSIONER))
    page = client.get(reverse("indicators"), {"provider": ""}).content.decode()
    assert "The whole council: 1 person" in page
    assert 'had their top choices go forward to commissioning</th><td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in page
    assert "Nell" not in page


def test_changes_to_reviews_and_profiles_are_logged_with_who_made_them(client, cycle, rita):
    from auditlog.models import LogEntry

    start(client, cycle)
    review = Review.objects.get()
    fill_review(client, review)
    client.post(reverse("pcr_profile", args=[review.pk]), {"update": "1", "shared_with_supporters": "yes"})
    item = review.items.get(text="Lunch club")
    assert LogEntry.objects.get_for_object(item).get().actor == rita
    profile_log = LogEntry.objects.get_for_object(OnePageProfile.objects.get()).get()
    assert profile_log.actor == rita and "Speak slowly" not in str(profile_log.changes)  # masked in the log


def finish(client, review, *, consent="yes", actions=()):
    rows = {"action-TOTAL_FORMS": str(len(actions) or 1), "action-INITIAL_FORMS": "0"}
    for i, (text, status) in enumerate(actions):
        rows |= {f"action-{i}-text": text, f"action-{i}-owner": "Sam", f"action-{i}-due_date": "2026-06-30",
                 f"action-{i}-status": status}
    if not actions:
        rows |= {"action-0-text": "", "action-0-owner": "", "action-0-status": "not_started"}
    step(client, review, "actions", rows)
    working = review.items.filter(section="working", perspective="person").first()
    step(client, review, "top-choices", {"consent": consent, "working_1": working.pk})
    client.post(reverse("pcr_finish", args=[review.pk]))


def test_a_new_review_opens_with_last_years_answers_actions_and_profile_beside_it(client, cycle, rita):
    start(client, cycle, reference="PCR-2025", review_date="2025-03-01")
    last = Review.objects.get()
    fill_review(client, last)
    finish(client, last, actions=[("Find a weekday lunch club", "in_progress"), ("Book the sea trip", "done")])
    client.post(reverse("pcr_profile", args=[last.pk]), {"update": "1", "shared_with_supporters": "yes"})

    start(client, cycle, reference="PCR-2026", review_date="2026-03-01")
    new = Review.objects.get(reference="PCR-2026")
    page = client.get(reverse("pcr_step", args=[new.pk, "working-person"])).content.decode()
    aside = page[page.index('<aside class="last-year"'):page.index("</aside>")]
    assert "Last year" in aside and "Read only. From review PCR-2025 on 1 March 2025." in aside
    assert "Jo visits on Sundays" in aside and "Nell is lonely in the week" in aside and "A trip to the sea" in aside
    assert "In progress</strong><br>Find a weekday lunch club" in aside and "Done</strong><br>Book the sea trip" in aside
    assert "One-page profile now" in aside and "Speak slowly and face me" in aside
    assert "<textarea" not in aside  # read only
    # This year's form itself starts empty: last year is beside it, not in it.
    assert 'name="working"' in page and "Jo visits on Sundays</textarea>" not in page

    # Actions: last year's unfinished ones are carried in with their progress; the done one is not.
    actions = client.get(reverse("pcr_step", args=[new.pk, "actions"])).content.decode()
    form = actions[actions.index('<form method="post" novalidate>'):actions.rindex("</form>")]
    assert "Find a weekday lunch club" in form and "Book the sea trip" not in form
    assert 'value="in_progress" selected' in form or 'value="in_progress" checked' in form


def test_updating_the_profile_shows_before_and_after_and_keeps_lines_written_by_hand(client, cycle, rita):
    start(client, cycle, reference="PCR-2025", review_date="2025-03-01")
    last = Review.objects.get()
    fill_review(client, last)
    finish(client, last)
    client.post(reverse("pcr_profile", args=[last.pk]), {"update": "1", "shared_with_supporters": "yes"})
    profile = OnePageProfile.objects.get()
    client.post(reverse("profile_edit", args=["P-50"]), {
        "name": "Nell", "appreciate": profile.appreciate, "important": profile.important,
        "support": "Speak slowly and face me\nPlay jazz on Sunday mornings", "shared_with_supporters": "yes"})

    start(client, cycle, reference="PCR-2026", review_date="2026-03-01")
    new = Review.objects.get(reference="PCR-2026")
    fill_review(client, new)
    step(client, new, "support", {"items": "Give me time to answer"})
    finish(client, new)
    offer = client.get(reverse("pcr_profile", args=[new.pk])).content.decode()
    support = offer[offer.index("How best to support me"):]
    assert "Before" in support and "After" in support
    assert 'Give me time to answer <strong class="govuk-tag govuk-tag--green">New from this review</strong>' in support
    assert "Play jazz on Sunday mornings <strong" in support and "Kept: written by hand" in support
    assert "<del>Speak slowly and face me</del>" in support  # from last year's review, not said this time
    client.post(reverse("pcr_profile", args=[new.pk]), {"update": "1", "shared_with_supporters": "yes"})
    profile.refresh_from_db()
    assert profile.lines(profile.support) == ["Give me time to answer", "Play jazz on Sunday mornings"]

    # Every version can be opened: when, by whom, and its words.
    page = client.get(profile.get_absolute_url()).content.decode()
    versions = list(profile.versions.all())
    assert len(versions) == 3
    for v in versions:
        assert v.get_absolute_url() in page
    oldest = client.get(versions[-1].get_absolute_url()).content.decode()
    assert "An earlier version, read only" in oldest and "by rita" in oldest and "from review PCR-2025" in oldest
    assert "Speak slowly and face me" in oldest and "Give me time to answer" not in oldest


def test_the_supporting_service_sees_the_profile_whatever_was_said_about_council_use(client, cycle, rita, make_user):
    start(client, cycle)
    review = Review.objects.get()
    fill_review(client, review)
    finish(client, review, consent="no")  # the person said no to the council using their top choices
    client.post(reverse("pcr_profile", args=[review.pk]), {"update": "1", "shared_with_supporters": "yes"})
    profile = OnePageProfile.objects.get()
    manager = make_user(roles.PROVIDER_MANAGER, "manager-of-acorn")
    StaffProfile.objects.create(user=manager).services.add(profile.service)
    client.force_login(manager)
    assert client.get(profile.get_absolute_url()).status_code == 200
    assert client.get(reverse("pcr_tasks", args=[review.pk])).status_code == 403  # the review itself stays private
    # Said no to the profile: the service does not see it, though the review facilitator still does.
    OnePageProfile.objects.filter(pk=profile.pk).update(shared_with_supporters=False)
    assert client.get(profile.get_absolute_url()).status_code == 403
    client.force_login(rita)
    assert client.get(profile.get_absolute_url()).status_code == 200
    # Not asked yet (profiles from before the question): the earlier rule, so a refusal of council use hides it.
    OnePageProfile.objects.filter(pk=profile.pk).update(shared_with_supporters=None)
    client.force_login(manager)
    assert client.get(profile.get_absolute_url()).status_code == 403
