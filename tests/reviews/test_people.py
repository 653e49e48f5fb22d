"""Person-centred reviews, one-page profiles and success indicators, below the web pages."""
from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.reviews.indicators import success_indicators
from goldenthread.core.models import Area, Perspective, Service, UserGroup
from goldenthread.reviews.models import IndividualAction, OnePageProfile, Review, ReviewItem, Section
from goldenthread.reviews.person_reviews import (
    complete_review,
    completion_problems,
    profile_from_review,
    save_items,
    save_profile,
    save_top_choices,
    start_review,
)

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def lookups(db):
    acorn = Service.objects.update_or_create(name="Acorn House", defaults={"provider": "Acorn Support"})[0]
    birch = Service.objects.create(name="Birch Day Centre", provider="Birch Care")
    return {"area": Area.objects.get_or_create(name="Harford")[0], "group": UserGroup.objects.get_or_create(name="Older people")[0],
            "acorn": acorn, "birch": birch}


def a_review(cycle, lookups, ref, person, date, *, service="acorn", name="Nell Ward"):
    return start_review(cycle, reference=ref, person_ref=person, person_name=name, review_date=date,
                        area=lookups["area"], user_group=lookups["group"], service=lookups[service])


def test_only_the_persons_top_choices_go_forward_as_anonymised_cards(cycle, lookups):
    review = a_review(cycle, lookups, "R1", "P1", dt.date(2026, 3, 1))
    save_items(review, Section.APPRECIATE, Perspective.PERSON, ["Nell makes everyone laugh"], step="appreciate")
    save_items(review, Section.WORKING, Perspective.PERSON, ["Nell walks to the shop", "Lunch club"], step="w")
    save_items(review, Section.WORKING, Perspective.FAMILY, ["She phones us every day"], step="f")
    save_items(review, Section.NOT_WORKING, Perspective.PERSON, ["The bus is late"], step="w")
    shop, lunch = review.items.filter(section=Section.WORKING, perspective=Perspective.PERSON).order_by("position")
    late = review.items.get(section=Section.NOT_WORKING)
    assert completion_problems(review)  # no top choices or consent yet
    save_top_choices(review, {Section.WORKING: [lunch.pk, shop.pk, None], Section.NOT_WORKING: [late.pk]}, True)
    assert completion_problems(review) == []

    statements = complete_review(review)

    review.refresh_from_db()
    assert review.status == Review.Status.COMPLETE and review.consent_given and review.completed_at
    assert sorted((s.kind, s.priority, s.card_text) for s in statements) == [
        ("not_working", 1, "The bus is late"), ("working", 1, "Lunch club"), ("working", 2, "[name] walks to the shop"),
    ]
    assert list(cycle.card_statements()) and cycle.card_statements().count() == 3
    assert ReviewItem.objects.get(text="Lunch club").statement.priority == 1
    assert not ReviewItem.objects.get(text="She phones us every day").goes_forward


def test_a_review_in_progress_gives_no_cards_and_no_consent_means_no_cards(cycle, lookups):
    review = a_review(cycle, lookups, "R1", "P1", dt.date(2026, 3, 1))
    save_items(review, Section.WORKING, Perspective.PERSON, ["Lunch club"], step="w")
    item = review.items.get()
    save_top_choices(review, {Section.WORKING: [item.pk]}, consent=False)
    assert cycle.card_statements().count() == 0
    complete_review(review)
    assert review.statements.count() == 1 and cycle.card_statements().count() == 0


def test_top_choices_can_only_be_the_persons_own_words(cycle, lookups):
    review = a_review(cycle, lookups, "R1", "P1", dt.date(2026, 3, 1))
    save_items(review, Section.WORKING, Perspective.STAFF, ["Staff rota is steady"], step="s")
    staff_item = review.items.get()
    save_top_choices(review, {Section.WORKING: [staff_item.pk]}, consent=True)
    staff_item.refresh_from_db()
    assert staff_item.priority is None


def test_editing_a_section_keeps_unchanged_items_and_their_choice(cycle, lookups):
    review = a_review(cycle, lookups, "R1", "P1", dt.date(2026, 3, 1))
    save_items(review, Section.WORKING, Perspective.PERSON, ["Lunch club", "Garden"], step="w")
    lunch = review.items.get(text="Lunch club")
    save_top_choices(review, {Section.WORKING: [lunch.pk]}, consent=True)
    save_items(review, Section.WORKING, Perspective.PERSON, ["Garden", "Lunch club", "Radio"], step="w")
    assert [i.text for i in review.items.order_by("position")] == ["Garden", "Lunch club", "Radio"]
    assert review.items.get(text="Lunch club").priority == 1
    assert review.steps_done == ["w", "top-choices"]


def test_profile_is_generated_from_the_review_and_keeps_history(cycle, lookups, django_user_model):
    user = django_user_model.objects.create_user("sam")
    review = a_review(cycle, lookups, "R1", "P1", dt.date(2026, 3, 1))
    save_items(review, Section.APPRECIATE, Perspective.PERSON, ["Kind", "Funny"], step="a")
    save_items(review, Section.IMPORTANT_NOW, Perspective.PERSON, ["My cat"], step="n")
    save_items(review, Section.FUTURE, Perspective.PERSON, ["See the sea"], step="f")
    save_items(review, Section.SUPPORT, Perspective.PERSON, ["Speak slowly"], step="s")
    proposed = profile_from_review(review)
    assert proposed["appreciate"] == "Kind\nFunny"
    assert proposed["important"] == "My cat\nSee the sea"
    assert proposed["support"] == "Speak slowly" and proposed["name"] == "Nell Ward"

    profile = save_profile("P1", proposed, user=user, review=review)
    assert profile.service == lookups["acorn"] and profile.source_review == review
    save_profile("P1", proposed | {"support": "Speak slowly\nFace me"}, user=user)
    profile.refresh_from_db()
    assert profile.lines(profile.support) == ["Speak slowly", "Face me"]
    assert [v.support for v in profile.versions.all()] == ["Speak slowly\nFace me", "Speak slowly"]
    assert profile.updated_by == user and OnePageProfile.objects.count() == 1


@pytest.fixture
def known_people(cycle, lookups):
    """Four people at Acorn House and one at Birch, with known profiles, actions and choices.

    P1: two reviews (old one and a recent one) - counts once; recent review with 2 actions, both done;
        top choice went forward with consent; has a profile.
    P2: recent review, 1 action not done, top choice but NO consent; no profile.
    P3: review 14 months ago (overdue), no actions, has a profile.
    P4: review in progress only - not counted.
    P5 (Birch): recent review, nothing else.
    """
    def finished(ref, person, date, *, service="acorn", consent=True, pick=True):
        review = a_review(cycle, lookups, ref, person, date, service=service)
        save_items(review, Section.WORKING, Perspective.PERSON, ["Lunch club"], step="w")
        item = review.items.get()
        save_top_choices(review, {Section.WORKING: [item.pk if pick else None]}, consent=consent)
        complete_review(review)
        return review

    finished("R1-old", "P1", dt.date(2024, 1, 5), pick=False)
    r1 = finished("R1", "P1", dt.date(2026, 2, 1))
    for n in range(2):
        IndividualAction.objects.create(review=r1, text=f"Action {n}", owner="Sam", due_date=TODAY,
                                        status=IndividualAction.Status.DONE)
    r2 = finished("R2", "P2", dt.date(2026, 1, 10), consent=False)
    IndividualAction.objects.create(review=r2, text="Find a bus pass", owner="Jo", due_date=TODAY)
    finished("R3", "P3", dt.date(2025, 4, 1), pick=False)
    a_review(cycle, lookups, "R4", "P4", dt.date(2026, 5, 1))
    finished("R5", "P5", dt.date(2026, 5, 20), service="birch", pick=False)
    for ref in ("P1", "P3"):
        OnePageProfile.objects.create(person_ref=ref, name="X", appreciate="a", important="b", support="c")


def test_indicators_count_people_for_a_provider(known_people):
    result = success_indicators(provider="Acorn Support", today=TODAY)
    assert result.people == 3  # P1 (two reviews, once), P2, P3; P4 is in progress; P5 is another provider
    got = {i.key: (i.people, i.out_of) for i in result.indicators}
    assert got == {
        "profile": (2, 3),          # P1, P3
        "recent_review": (2, 3),    # P1, P2
        "actions": (2, 3),          # P1, P2
        "actions_done": (1, 2),     # P1 of the two with actions
        "forward": (1, 3),          # P1; P2 picked but did not consent; P3 picked nothing
    }
    assert result.get("profile").percent == 67
    assert [(o.person_ref, o.last_review, o.days_late) for o in result.overdue] == [
        ("P3", dt.date(2025, 4, 1), (TODAY - dt.date(2025, 4, 1)).days - 365)]


def test_indicators_for_a_service_and_the_whole_council(known_people, lookups):
    birch = success_indicators(service=lookups["birch"], today=TODAY)
    assert birch.people == 1 and birch.get("recent_review").people == 1 and birch.get("profile").people == 0
    assert birch.get("actions_done").out_of == 0 and birch.get("actions_done").percent is None
    council = success_indicators(today=TODAY)
    assert council.people == 4 and council.get("recent_review").people == 3


def test_the_latest_review_decides_when_a_person_has_two(known_people):
    # P1's old 2024 review alone would be overdue; the 2026 one is not.
    assert "P1" not in [o.person_ref for o in success_indicators(today=TODAY).overdue]


def test_people_demo_content_is_safe_to_load_twice(cycle, review_csv, make_user):
    from goldenthread.core import roles
    from goldenthread.reviews.importing import import_reviews
    from goldenthread.core.models import StaffProfile
    from goldenthread.planning.models import TeamPlan
    from goldenthread.demo.people import load_people_demo

    import_reviews(cycle, review_csv, "reviews.csv")
    manager = make_user(roles.PROVIDER_MANAGER, "provider")
    make_user(roles.REVIEW_FACILITATOR, "reviewer")
    load_people_demo()
    load_people_demo()
    assert OnePageProfile.objects.count() == 1  # P1 is the only person at a service
    assert list(StaffProfile.objects.get(user=manager).services.values_list("name", flat=True)) == ["Acorn Support"]
    assert TeamPlan.objects.count() == 5 and Review.objects.filter(facilitated_by__username="reviewer").count() == 2
    assert OnePageProfile.objects.get().is_visible_to(manager)


def test_imported_reviews_without_actions_do_not_count_as_ending_without_actions(known_people, cycle, lookups):
    from goldenthread.reviews.models import Review

    # A file holds no actions: a person whose latest review was imported is left out of the actions row, not "0 of".
    Review.objects.filter(person_ref="P3").update(source=Review.Source.IMPORT)
    result = success_indicators(provider="Acorn Support", today=TODAY)
    assert (result.get("actions").people, result.get("actions").out_of) == (2, 2)
    assert result.without_action_record == 1 and result.get("profile").out_of == 3
