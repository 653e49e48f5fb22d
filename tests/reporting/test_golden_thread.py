"""The golden thread, both ways: action -> themes -> causes -> statements, and theme -> actions -> next year."""
from __future__ import annotations

from django.utils import timezone

from goldenthread.reporting.golden_thread import action_thread, theme_thread
from tests.reporting.conftest import BUS, STAFF, build_world


def test_from_an_action_back_to_what_people_said(world):
    thread = action_thread(world["action"], shared=False)
    assert thread.text == "Pay for a later bus" and thread.status == "Under way"
    assert [t.name for t in thread.themes] == [BUS]
    bus = thread.themes[0]
    assert bus.people == 8 and len(bus.cards) == 9
    assert all(c.text.startswith(BUS + ", card") for c in bus.cards)  # the anonymised card text only
    assert not any("said by" in c.text for c in bus.cards)  # never the identifiable wording
    assert thread.root_causes == [["The last bus leaves at six", "The council's bus contract ends at six"]]


def test_shared_thread_hides_small_counts(world):
    from goldenthread.workshops.models import Action

    action = Action.objects.create(workshop=world["workshop"], stakeholder="providers", text="Keep the same staff",
                                   owner="Providers", measure="Fewer new faces", due=timezone.now().date())
    action.themes.add(world["clusters"][STAFF])
    assert action_thread(action, shared=True, threshold=5).themes[0].people is None
    assert action_thread(action, shared=False).themes[0].people == 3


def test_a_theme_whose_count_is_hidden_shows_none_of_its_cards_where_it_is_shared(world):
    """3 people said STAFF, under the limit of 5: the shared thread, theme page and "you said, we did" say
    "a few people" and quote none of their cards; the team version shows all three."""
    from goldenthread.reporting.you_said import you_said_we_did

    staff = world["clusters"][STAFF]
    shared, team = theme_thread(staff, shared=True, threshold=5), theme_thread(staff, shared=False)
    assert shared.theme.people is None and shared.theme.cards == []
    assert team.theme.people == 3 and len(team.theme.cards) == 3
    said = {e.theme: e for e in you_said_we_did(world["workshop"].cycle, shared=True, threshold=5)}
    if STAFF in said:
        assert said[STAFF].people is None and said[STAFF].said == []


def test_from_a_theme_to_its_actions_and_no_later_cycle(world):
    thread = theme_thread(world["clusters"][BUS], shared=False)
    assert [(a.text, a.status) for a in thread.actions] == [("Pay for a later bus", "Under way")]
    assert thread.root_causes == [(1, "The last bus leaves at six"), (2, "The council's bus contract ends at six")]
    assert thread.next_year.status == "no workshop to compare with yet"
    assert theme_thread(world["clusters"][STAFF]).actions == []


def _next_cycle(world, bus_people):
    from goldenthread.reviews.models import ProgrammeCycle

    later = ProgrammeCycle.objects.create(name="Test town, 2027", slug="test-2027", year=2027,
                                          previous=world["cycle"])

    # New reviews in the next cycle need new references but may reuse person_refs: same people next year.
    workshop, clusters, _ = build_world(later, world["workshop"].created_by, year_offset=1, bus_people=bus_people,
                                        name_suffix=" 2027")
    return later, clusters


def test_next_year_the_theme_shrank_after_its_action(world, commissioner):
    from goldenthread.reporting.models import ThemeMatch

    _later, clusters = _next_cycle(world, bus_people=range(1, 4))  # only P1-P3 still cannot get a bus
    match = ThemeMatch.objects.create(previous_cluster=world["clusters"][BUS], cluster=clusters[BUS], score=0.9)
    assert theme_thread(world["clusters"][BUS]).next_year.status == "not matched yet"
    match.status, match.confirmed_by, match.confirmed_at = "confirmed", commissioner, timezone.now()
    match.save()
    nxt = theme_thread(world["clusters"][BUS], shared=False).next_year
    assert (nxt.status, nxt.before, nxt.now) == ("raised again by fewer people", 8, 3)
    assert "fewer" in nxt.sentence and nxt.later_workshop == "Workshop 2027"
    assert theme_thread(world["clusters"][BUS], shared=True, threshold=5).next_year.now is None
    assert theme_thread(clusters[BUS]).earlier == [BUS]
    # Nobody has matched the staff theme yet: it is not matched yet, never "vanished".
    assert theme_thread(world["clusters"][STAFF]).next_year.status == "not matched yet"


def test_next_year_grew(world, commissioner):
    from goldenthread.reporting.models import ThemeMatch

    _later, clusters = _next_cycle(world, bus_people=range(1, 11))
    ThemeMatch.objects.create(previous_cluster=world["clusters"][BUS], cluster=clusters[BUS], status="confirmed",
                              confirmed_by=commissioner, confirmed_at=timezone.now())
    nxt = theme_thread(world["clusters"][BUS], shared=False).next_year
    assert (nxt.status, nxt.before, nxt.now) == ("raised again by more people", 8, 10)


def test_a_year_on_is_not_said_until_next_years_card_call_is_finished(world):
    from goldenthread.core.models import Kind
    from goldenthread.reviews.models import Statement
    from goldenthread.workshops.models import WorkshopCard

    later, _clusters = _next_cycle(world, bus_people=range(1, 4))
    workshop = later.workshops.get()
    assert theme_thread(world["clusters"][STAFF]).next_year.status == "not matched yet"
    # One more card that nobody has placed yet: the card call is not finished.
    statement = Statement.objects.filter(review__cycle=later).first()
    extra = Statement.objects.create(review=statement.review, kind=Kind.NOT_WORKING, text="The bus is late",
                                     card_text="The bus is late", priority=None)
    WorkshopCard.objects.create(workshop=workshop, statement=extra, kind=Kind.NOT_WORKING, order=999)
    nxt = theme_thread(world["clusters"][STAFF]).next_year
    assert nxt.status == "not finished yet"
    assert "nobody raised" not in nxt.sentence and "has not finished sorting its cards" in nxt.sentence
