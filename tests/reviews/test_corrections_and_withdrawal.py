"""Issue 22, part 6: a review can be corrected and consent withdrawn, by those who may see it, with a reason.

Names and statements are invented.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.core.models import AccessRecord, Area, Service, StaffProfile, UserGroup
from goldenthread.reviews import corrections
from goldenthread.reviews.models import Attendee, Review, ReviewCorrection, Statement

PERSON = "Wilhelmina Quartermaine"


@pytest.fixture
def people(make_user):
    service = Service.objects.get_or_create(name="Acorn House")[0]
    manager = make_user(roles.PROVIDER_MANAGER, "mani")
    StaffProfile.objects.create(user=manager).services.add(service)
    return {"admin": make_user(roles.ADMINISTRATOR, "ada"), "rita": make_user(roles.REVIEW_FACILITATOR, "rita"),
            "otto": make_user(roles.REVIEW_FACILITATOR, "otto"), "manager": manager,
            "viewer": make_user(roles.VIEWER, "vic"), "commissioner": make_user(roles.COMMISSIONER, "cora"),
            "service": service}


@pytest.fixture
def review(cycle, people):
    review = Review.objects.create(
        cycle=cycle, reference="R-1", person_ref="P-1", person_name=PERSON, review_date=dt.date(2026, 2, 1),
        area=Area.objects.get_or_create(name="Harford")[0], user_group=UserGroup.objects.get_or_create(name="Older")[0],
        service=people["service"], consent_given=True, facilitated_by=people["rita"])
    Attendee.objects.create(review=review, name="Bartholomew Quartermaine", relationship="son")
    Statement.objects.create(review=review, kind="working", text="Wilhelmina likes the garden",
                             card_text="[name] likes the garden")
    Statement.objects.create(review=review, kind="not_working", text="The bus is always late",
                             card_text="The bus is always late", priority=1)
    return review


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- correcting ------------------------------------------------------------------------------------------------

def test_a_corrected_statement_is_anonymised_again_and_the_change_is_kept_with_who_and_why(review, people):
    statement = review.statements.get(kind="working")
    corrections.correct_statement(statement, by=people["rita"], reason="The person said it was her son",
                                  text="Bartholomew takes me to the garden", kind="working",
                                  perspective="person", priority=None)
    statement.refresh_from_db()
    assert statement.text == "Bartholomew takes me to the garden"
    assert statement.card_text == "[name] takes me to the garden"
    correction = ReviewCorrection.objects.get(review=review)
    assert (correction.what, correction.fields, correction.made_by, correction.reason) == (
        "statement", ["text"], people["rita"], "The person said it was her son")


def test_a_statement_moved_to_another_kind_gets_that_kinds_next_card_number(review, people):
    statement = review.statements.get(kind="working")
    corrections.correct_statement(statement, by=people["admin"], reason="It was said as something not working",
                                  text=statement.text, kind="not_working", perspective="person", priority=None)
    statement.refresh_from_db()
    assert statement.kind == "not_working" and statement.card_number == 2
    assert "→" in ReviewCorrection.objects.get(review=review).card


def test_a_top_choice_already_taken_in_that_kind_is_refused(review, people):
    statement = review.statements.get(kind="working")
    with pytest.raises(corrections.CorrectionError, match="already that top choice") as err:
        corrections.correct_statement(statement, by=people["rita"], reason="x", text=statement.text,
                                      kind="not_working", perspective="person", priority=1)
    assert err.value.field == "priority"


def test_correcting_the_persons_name_anonymises_every_statement_again(review, people):
    Statement.objects.filter(review=review, kind="not_working").update(text="Gwendolyn says the bus is late")
    corrections.correct_details(review, by=people["rita"], reason="Her name was misspelt",
                                person_name="Gwendolyn Quartermaine")
    assert review.statements.get(kind="not_working").card_text == "[name] says the bus is late"
    assert ReviewCorrection.objects.get(review=review).fields == ["person_name"]


@pytest.mark.parametrize("who", ["viewer", "commissioner", "otto"])
def test_someone_who_may_not_see_the_review_with_names_cannot_correct_it(review, people, who):
    with pytest.raises(corrections.CorrectionError, match="Only someone who may see"):
        corrections.correct_details(review, by=people[who], reason="x", location="Elsewhere")
    with pytest.raises(corrections.CorrectionError):
        corrections.withdraw_consent(review, by=people[who], reason="x")
    client = _client(people[who])
    for url in (reverse("review_correct", args=[review.pk]), reverse("consent_withdraw", args=[review.pk]),
                reverse("statement_correct", args=[review.pk, review.statements.first().pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x"}).status_code == 403
    review.refresh_from_db()
    assert review.consent_given and review.location == ""


def test_a_correction_without_a_reason_is_refused_on_the_page_with_the_field_named(review, people):
    statement = review.statements.get(kind="working")
    response = _client(people["rita"]).post(reverse("statement_correct", args=[review.pk, statement.pk]), {
        "text": "Wilhelmina likes the park", "kind": "working", "perspective": "person", "priority": "",
        "reason": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert 'href="#id_reason"' in page and "Enter the reason for the change." in page
    statement.refresh_from_db()
    assert statement.text == "Wilhelmina likes the garden"


def test_the_details_page_corrects_the_review_and_the_review_page_lists_the_change(review, people):
    client = _client(people["manager"])
    url = reverse("review_correct", args=[review.pk])
    page = client.get(url).content.decode()
    assert "Reason for the change" in page
    form = {"reference": "R-1", "person_ref": "P-1", "person_name": PERSON, "review_date_0": "3",
            "review_date_1": "2", "review_date_2": "2026", "facilitator": "", "location": "Acorn House",
            "area": review.area_id, "service": review.service_id, "user_group": review.user_group_id,
            "reason": "The date was typed wrongly"}
    assert client.post(url, form).status_code == 302
    review.refresh_from_db()
    assert review.review_date == dt.date(2026, 2, 3) and review.location == "Acorn House"
    detail = client.get(reverse("review", args=[review.pk])).content.decode()
    assert "The date was typed wrongly" in detail and "mani" in detail



def test_a_correction_cannot_change_the_person_id_to_an_nhs_number(review, people):
    client = _client(people["manager"])
    form = {"reference": "R-1", "person_ref": "943 476 5919", "person_name": PERSON, "review_date_0": "3",
            "review_date_1": "2", "review_date_2": "2026", "facilitator": "", "location": "Acorn House",
            "area": review.area_id, "service": review.service_id, "user_group": review.user_group_id,
            "reason": "Typed in the wrong box"}
    page = client.post(reverse("review_correct", args=[review.pk]), form).content.decode()
    assert 'href="#id_person_ref"' in page and "Person ID: this looks like an NHS number." in page
    review.refresh_from_db()
    assert review.person_ref == "P-1"

# --- withdrawing consent ---------------------------------------------------------------------------------------

def _workshop_with_one_card_placed(review):
    from goldenthread.workshops.models import Board, Cluster, Placement, Workshop, WorkshopCard

    workshop = Workshop.objects.create(cycle=review.cycle, name="Spring workshop")
    statements = list(review.statements.order_by("pk"))
    cards = [WorkshopCard.objects.create(workshop=workshop, statement=s, kind=s.kind, order=i)
             for i, s in enumerate(statements)]
    board = Board.objects.create(workshop=workshop, kind=cards[0].kind, name="main", is_main=True)
    cluster = Cluster.objects.create(board=board, name="Gardens")
    Placement.objects.create(board=board, cluster=cluster, card=cards[0])
    return workshop, cards


def test_withdrawn_consent_takes_the_cards_out_of_card_lists_and_future_workshops(review, people):
    from goldenthread.workshops.models import Workshop

    assert review.cycle.card_statements().count() == 2
    corrections.withdraw_consent(review, by=people["rita"], reason="The person rang to say no")
    review.refresh_from_db()
    assert not review.consent_given
    assert review.cycle.card_statements().count() == 0
    assert not Workshop(cycle=review.cycle).chosen_statements().exists()
    assert set(review.statements.values_list("card_text", flat=True)) == {corrections.WITHDRAWN_CARD_TEXT}
    correction = ReviewCorrection.objects.get(review=review)
    assert (correction.what, correction.made_by_name, correction.reason) == (
        "consent_withdrawn", "rita", "The person rang to say no")


def test_withdrawn_cards_leave_a_workshop_under_way_or_show_as_withdrawn_where_already_placed(review, people):
    from goldenthread.workshops.models import Change, WorkshopCard

    workshop, cards = _workshop_with_one_card_placed(review)
    version = workshop.version
    corrections.withdraw_consent(review, by=people["admin"], reason="Withdrawn at the person's request")
    left = list(WorkshopCard.objects.filter(workshop=workshop))
    assert left == [cards[0]]  # the card not yet called is gone; the placed one keeps its place
    assert left[0].statement.card_text == corrections.WITHDRAWN_CARD_TEXT
    workshop.refresh_from_db()
    assert workshop.version == version + 1
    assert Change.objects.filter(workshop=workshop, op="cards_withdrawn").exists()


def test_the_withdrawal_page_lists_the_outputs_already_made_with_the_cards(review, people):
    from goldenthread.reporting.models import ExportRecord

    _workshop_with_one_card_placed(review)
    ExportRecord.objects.create(cycle=review.cycle, output="full", file_format="pdf", made_by_name="fay")
    AccessRecord.objects.create(actor="user:fay", action="export", object_type="reviews.programmecycle",
                                object_id=str(review.cycle_id), detail="Card PDF, 40 cards")
    client = _client(people["rita"])
    page = client.get(reverse("consent_withdraw", args=[review.pk])).content.decode()
    assert "Report “full” (pdf, shared)" in page
    assert "Card PDF, 40 cards" in page
    assert "Workshop “Spring workshop”" in page
    response = client.post(reverse("consent_withdraw", args=[review.pk]), {"reason": "The person said no"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert not review.consent_given


def test_the_card_pdf_is_recorded_so_a_later_withdrawal_can_list_it(review, people):
    client = _client(people["admin"])
    response = client.get(reverse("cards_pdf", args=[review.cycle.slug]))
    assert response.status_code == 200
    outputs = corrections.outputs_that_used(review)
    assert [o.what for o in outputs] == ["Card PDF, 2 cards"] and outputs[0].made_by == "ada"


def test_withdrawing_consent_twice_is_refused(review, people):
    corrections.withdraw_consent(review, by=people["rita"], reason="no")
    with pytest.raises(corrections.CorrectionError, match="already recorded as No"):
        corrections.withdraw_consent(review, by=people["rita"], reason="no")


def test_a_withdrawn_card_on_a_board_is_neither_counted_nor_quoted_in_reports(review, people):
    from goldenthread.reporting.data import theme_people
    from goldenthread.reporting.golden_thread import theme_cards

    workshop, cards = _workshop_with_one_card_placed(review)
    cluster = cards[0].placements.get().cluster
    assert theme_people(workshop)[cluster.pk] == {"P-1"} and len(theme_cards(cluster)) == 1
    corrections.withdraw_consent(review, by=people["rita"], reason="The person said no")
    assert cluster.pk not in theme_people(workshop)
    assert theme_cards(cluster) == []


# --- giving consent, correcting who came, telling screens -------------------------------------------------------

def test_consent_recorded_as_no_can_be_given_later_and_the_statements_become_cards_again(review, people):
    corrections.withdraw_consent(review, by=people["rita"], reason="The person rang to say no")
    client = _client(people["rita"])
    url = reverse("consent_give", args=[review.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "Enter how consent was given." in refused.content.decode()
    assert client.post(url, {"reason": "Signed the form at the March review"}).status_code == 302
    review.refresh_from_db()
    assert review.consent_given
    assert review.cycle.card_statements().count() == 2
    assert set(review.statements.values_list("card_text", flat=True)) == {"[name] likes the garden",
                                                                           "The bus is always late"}
    latest = ReviewCorrection.objects.filter(review=review).first()
    assert (latest.what, latest.made_by_name) == ("consent_given", "rita")
    with pytest.raises(corrections.CorrectionError, match="already recorded as Yes"):
        corrections.give_consent(review, by=people["rita"], reason="again")


def test_a_viewer_cannot_record_consent(review, people):
    corrections.withdraw_consent(review, by=people["rita"], reason="The person rang to say no")
    response = _client(people["viewer"]).post(reverse("consent_give", args=[review.pk]), {"reason": "I say so"})
    review.refresh_from_db()
    assert response.status_code == 403 and not review.consent_given


def test_correcting_who_came_hides_the_added_name_on_every_card(review, people):
    Statement.objects.create(review=review, kind="future", text="Ottoline will drive me to the coast",
                             card_text="Ottoline will drive me to the coast")
    client = _client(people["admin"])
    url = reverse("review_correct", args=[review.pk])
    assert "Bartholomew Quartermaine (son)" in client.get(url).content.decode()
    form = {"reference": "R-1", "person_ref": "P-1", "person_name": PERSON, "review_date_0": "1",
            "review_date_1": "2", "review_date_2": "2026", "facilitator": "", "location": "",
            "area": review.area_id, "service": review.service_id, "user_group": review.user_group_id,
            "attendees": "Bartholomew Quartermaine (son)\nOttoline Pemberton (neighbour)",
            "reason": "The neighbour came too"}
    assert client.post(url, form).status_code == 302
    assert list(review.attendees.values_list("name", "relationship")) == [
        ("Bartholomew Quartermaine", "son"), ("Ottoline Pemberton", "neighbour")]
    assert review.statements.get(kind="future").card_text == "[name] will drive me to the coast"
    assert ReviewCorrection.objects.filter(review=review).first().fields == ["attendees"]


def test_withdrawn_consent_is_announced_to_every_screen_of_a_workshop_using_the_cards(review, people,
                                                                                     monkeypatch,
                                                                                     django_capture_on_commit_callbacks):
    from goldenthread.workshops import broadcast

    sent = []
    monkeypatch.setattr(broadcast, "announce", sent.append)
    workshop, _ = _workshop_with_one_card_placed(review)
    with django_capture_on_commit_callbacks(execute=True):
        corrections.withdraw_consent(review, by=people["admin"], reason="Withdrawn at the person's request")
    workshop.refresh_from_db()
    assert [(a.workshop_id, a.op, a.version) for a in sent] == [(workshop.pk, "cards_withdrawn", workshop.version)]
