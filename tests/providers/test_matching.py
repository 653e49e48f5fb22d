"""Matching staff: explained rankings, and team proposals that never break a must-have or anyone's hours."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldenthread.providers.matching import Infeasible, Staff, Wishes, assign_team, rank_staff

SALLY = Wishes.make("Sally", must_have_skills=["first aid"], interests=["dancing", "football", "cooking"],
                    wanted_characteristics=["chatty"], unwanted_characteristics=["loud"],
                    times_needed=["after 11 pm"], hours_needed=24, min_team=2)
AMIRA = Staff.make("Amira", skills=["first aid"], interests=["dancing", "football", "cooking"],
                   characteristics=["chatty"], times_available=["after 11 pm"], hours_available=20)
BEN = Staff.make("Ben", skills=["first aid"], characteristics=["loud"], interests=["football"], hours_available=30)
CY = Staff.make("Cy", interests=["dancing", "cooking"], times_available=["after 11 pm"], hours_available=30)


def test_the_ranking_says_why_in_plain_words():
    ranking = rank_staff(SALLY, [BEN, CY, AMIRA])
    assert [m.staff for m in ranking] == ["Amira", "Ben", "Cy"]
    assert ranking[0].explanation == ("has every must-have: first aid; shares 3 interests: cooking, dancing, football; "
                                      "is chatty; available after 11 pm")
    assert "but is loud, which the person does not want" in ranking[1].explanation
    assert ranking[2].explanation == "cannot be matched: does not have first aid (a must-have)"
    assert not ranking[2].eligible


def test_a_team_gets_exactly_its_hours_from_staff_with_every_must_have():
    result = assign_team([SALLY], [AMIRA, BEN, CY])
    team = dict(result.teams["Sally"])
    assert set(team) == {"Amira", "Ben"} and sum(team.values()) == 24
    assert team["Amira"] == 20  # the best match gives as many hours as she can


def test_an_impossible_must_have_is_named_and_nothing_is_assigned():
    bsl = Wishes.make("Dev", must_have_skills=["british sign language"], hours_needed=10)
    with pytest.raises(Infeasible) as err:
        assign_team([SALLY, bsl], [AMIRA, BEN, CY])
    assert err.value.problems == ["Dev: no staff member has british sign language, which is a must-have."]


def test_people_competing_for_the_same_must_have_staff_are_reported_together():
    a = Wishes.make("Ann", must_have_skills=["driving"], hours_needed=20)
    b = Wishes.make("Bob", must_have_skills=["driving"], hours_needed=20)
    driver = Staff.make("Dee", skills=["driving"], hours_available=30)
    with pytest.raises(Infeasible) as err:
        assign_team([a, b], [driver, CY])
    assert "Ann and Bob together need 40 hours a week from staff with driving (a must-have), but those staff " \
           "have only 30 hours." in err.value.problems


SKILLS = ["first aid", "driving", "bsl"]


@st.composite
def teams(draw):
    staff = [Staff.make(f"S{i}", skills=draw(st.sets(st.sampled_from(SKILLS))),
                        interests=draw(st.sets(st.sampled_from(["a", "b", "c"]))),
                        hours_available=draw(st.integers(0, 40)) / 2) for i in range(draw(st.integers(1, 5)))]
    people = [Wishes.make(f"P{i}", must_have_skills=draw(st.sets(st.sampled_from(SKILLS), max_size=1)),
                          interests=draw(st.sets(st.sampled_from(["a", "b", "c"]))),
                          hours_needed=draw(st.integers(1, 40)) / 2, min_team=draw(st.integers(1, 2)))
              for i in range(draw(st.integers(1, 4)))]
    return people, staff


@settings(max_examples=60, deadline=None)
@given(teams())
def test_an_assignment_never_breaks_a_must_have_or_anyones_hours(case):
    people, staff = case
    by_name = {s.name: s for s in staff}
    try:
        result = assign_team(people, staff)
    except Infeasible as err:
        assert err.problems  # always says why
        return
    given_hours = {s.name: 0.0 for s in staff}
    for w in people:
        team = result.teams[w.person]
        assert len(team) >= w.min_team
        assert sum(h for _, h in team) == pytest.approx(w.hours_needed)
        for name, h in team:
            assert w.must_have_skills <= by_name[name].skills
            assert h > 0
            given_hours[name] += h
    for name, h in given_hours.items():
        assert h <= by_name[name].hours_available + 1e-9
