"""Matching staff: explained rankings, and team proposals that never break a must-have or anyone's hours."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldenthread.providers.matching import Staff, Wishes, assign_team, nobody_meets, rank_staff

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


def test_one_unmeetable_must_have_leaves_only_that_person_without_a_team():
    bsl = Wishes.make("Dev", must_have_skills=["British Sign Language"], hours_needed=10)
    result = assign_team([SALLY, bsl], [AMIRA, BEN, CY])
    assert sum(h for _, h in result.teams["Sally"]) == 24  # Sally still gets her whole team
    assert "Dev" not in result.teams
    assert result.unmatched == {"Dev": "Dev: no staff member has British Sign Language, which is a must-have."}


def test_people_competing_for_the_same_must_have_staff_get_as_many_teams_as_fit():
    a = Wishes.make("Ann", must_have_skills=["driving"], hours_needed=20)
    b = Wishes.make("Bob", must_have_skills=["driving"], hours_needed=20)
    driver = Staff.make("Dee", skills=["driving"], hours_available=30)
    result = assign_team([a, b], [driver, CY])
    assert len(result.teams) == 1 and len(result.unmatched) == 1
    (left_out, why), = result.unmatched.items()
    assert why == (f"{left_out}: the staff with every must-have (driving) are needed for the other teams; 10 of "
                   f"their hours are free, and {left_out} needs 20 from at least 1 person.")


def test_no_supporter_is_given_a_sliver_of_hours():
    # 10 hours from a team of at least 2: without a floor the solver could give the weaker match 0.25 hours.
    ann = Wishes.make("Ann", interests=["chess"], hours_needed=10, min_team=2)
    keen = Staff.make("Keen", interests=["chess"], hours_available=40)
    other = Staff.make("Other", hours_available=40)
    team = dict(assign_team([ann], [keen, other]).teams["Ann"])
    assert team == {"Keen": 8.0, "Other": 2.0}
    assert min(dict(assign_team([ann], [keen, other], min_hours=4).teams["Ann"]).values()) == 4.0


def test_times_and_skills_match_however_they_are_typed():
    late = Wishes.make("Sal", must_have_skills=["First Aid "], times_needed=["after 11pm"], hours_needed=4)
    eve = Staff.make("Eve Tran", skills=["first aid"], times_available=["After 11 p.m."], hours_available=10)
    match = rank_staff(late, [eve])[0]
    assert match.eligible and match.score == 2
    assert match.explanation == "has every must-have: first aid; available after 11 pm"


def test_a_language_is_a_must_have_and_names_keep_their_capitals():
    ola = Wishes.make("Ola", languages=["polish"], hours_needed=4)
    staff = [Staff.make("Amira Khan", languages=["English"], hours_available=10),
             Staff.make("Jan Nowak", languages=["English", "Polish"], hours_available=10)]
    ranking = rank_staff(ola, staff)
    assert [m.staff for m in ranking] == ["Jan Nowak", "Amira Khan"]
    assert ranking[1].explanation == "cannot be matched: does not speak Polish (a must-have)"
    assert nobody_meets(ola, staff[:1]) == ["speaks Polish"]
    assert nobody_meets(ola, staff) == []
    assert assign_team([ola], staff[:1]).unmatched == {"Ola": "Ola: no staff member speaks Polish, which is a must-have."}


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
    result = assign_team(people, staff)
    assert set(result.teams) | set(result.unmatched) == {w.person for w in people}
    assert all(result.unmatched.values())  # always says why
    given_hours = {s.name: 0.0 for s in staff}
    for w in people:
        if w.person not in result.teams:
            continue
        team = result.teams[w.person]
        assert len(team) >= w.min_team
        assert sum(h for _, h in team) == pytest.approx(w.hours_needed)
        for name, h in team:
            assert set(w.must_have_skills) <= set(by_name[name].skills)
            assert h >= min(2, w.hours_needed / w.min_team) - 0.25
            given_hours[name] += h
    for name, h in given_hours.items():
        assert h <= by_name[name].hours_available + 1e-9
