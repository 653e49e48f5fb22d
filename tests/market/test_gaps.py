"""The gap calculation on a small example worked by hand (plain Python, no database)."""
from __future__ import annotations

from goldenthread.market.gaps import NOTHING_OFFERED, OUTSTRIPS, Offer, Want, gap_table, shared

#: Five people want a job, one (p1) said so twice; one person wants a home.
WANTS = [Want("p1", "North", "Older", "Jobs"), Want("p1", "North", "Older", "Jobs"),
         Want("p2", "North", "Older", "Jobs"), Want("p3", "North", "LD", "Jobs"),
         Want("p4", "South", "LD", "Jobs"), Want("p5", "South", "LD", "Jobs"),
         Want("p6", "South", "Older", "Homes")]
#: A job club in North for everyone, 2 places; work trials in South for LD, capacity not known; no homes at all.
OFFERS = [Offer("Job club", "Jobs", frozenset({"North"}), frozenset(), 2),
          Offer("Work trials", "Jobs", frozenset({"South"}), frozenset({"LD"}), None)]


def _lines(tg):
    return [(g.area, g.user_group, g.people, g.provisions, g.capacity, g.capacity_unknown, g.flags) for g in tg.gaps]


def test_a_gap_is_counted_in_people_against_what_serves_each_area_and_group_worked_by_hand():
    """Jobs, by hand:

    * whole council: p1-p5 = 5 people (p1's second statement is the same person); both provisions serve
      somewhere: 2, capacity 2 known and 1 not known, so whether 5 > capacity cannot be told: no flag.
    * North: p1, p2, p3 = 3 people; the job club (2 places): 3 > 2, demand outstrips capacity.
    * South: p4, p5 = 2; work trials, capacity not known: no flag.
    * LD: p3, p4, p5 = 3; the job club is for everyone and the trials for LD: 2 provisions, 2 + 1 not known.
    * Older: p1, p2 = 2; only the job club (the trials are for LD): 2 > 2 is false: no flag.
    * North and LD: p3 = 1; job club, 2 places. North and Older: p1, p2 = 2; job club, 2 places: 2 > 2 false.
      South and LD: 2; the trials, not known. South and Older: nobody wants a job there: not listed.

    Homes: p6 only, in South and Older, and nothing at all is offered: "nothing offered" on every line.
    """
    jobs, homes = gap_table(WANTS, OFFERS, ["Jobs", "Homes"])
    assert _lines(jobs) == [
        (None, None, 5, 2, 2, 1, []),
        ("North", None, 3, 1, 2, 0, [OUTSTRIPS]),
        ("South", None, 2, 1, None, 1, []),
        (None, "LD", 3, 2, 2, 1, []),
        (None, "Older", 2, 1, 2, 0, []),
        ("North", "LD", 1, 1, 2, 0, []),
        ("North", "Older", 2, 1, 2, 0, []),
        ("South", "LD", 2, 1, None, 1, []),
    ]
    assert _lines(homes) == [
        (None, None, 1, 0, None, 0, [NOTHING_OFFERED]),
        ("South", None, 1, 0, None, 0, [NOTHING_OFFERED]),
        (None, "Older", 1, 0, None, 0, [NOTHING_OFFERED]),
        ("South", "Older", 1, 0, None, 0, [NOTHING_OFFERED]),
    ]


def test_the_shared_table_hides_small_counts_and_enough_others_and_never_narrows_a_hidden_one():
    """With a limit of 3, Jobs' areas × groups with totals is
    North [1, 2 | 3], South [2, 0 | 2], all [3, 2 | 5]. The small cells go (1, 2, 2, the South total 2 and the
    Older total 2); then the LD total 3 (the last shown cell but one of the bottom row) and the North total 3
    (the right-hand column) go too, so only the whole-council 5 is left. North's "demand outstrips capacity"
    would say its hidden count is more than 2, so it is not said. Homes' one person is hidden, but "nothing
    offered" stays: it says only that there is no provision, which the directory shows anyway."""
    jobs, homes = shared(gap_table(WANTS, OFFERS, ["Jobs", "Homes"]), 3)
    assert [g.people for g in jobs.gaps] == [5, None, None, None, None, None, None, None]
    assert not jobs.flagged
    assert [(g.people, g.flags) for g in homes.gaps] == [(None, [NOTHING_OFFERED])] * 4


def test_a_provision_with_no_user_groups_serves_everyone_and_one_in_two_areas_serves_both():
    offer = Offer("Bus", "Transport", frozenset({"North", "South"}))
    assert offer.serves("North", "Anyone") and offer.serves("South", None) and not offer.serves("East", None)
    only = Offer("Trials", "Jobs", frozenset({"South"}), frozenset({"LD"}))
    assert only.serves(None, "LD") and not only.serves(None, "Older")


def test_a_line_another_output_hides_is_hidden_here_too_and_protected_like_a_small_one():
    """With a limit of 1 nothing is small: Jobs' grid North [1, 2 | 3], South [2, 0 | 2], all [3, 2 | 5] is shown
    whole. If the report hid South and LD (it may, to protect another of its cells), showing it here would undo
    the report: it is hidden, and so is enough else that it cannot be worked out by subtraction from the South
    total or the LD total."""
    plain = shared(gap_table(WANTS, OFFERS, ["Jobs"]), 1)[0]
    assert None not in _people(plain).values()
    [jobs] = shared(gap_table(WANTS, OFFERS, ["Jobs"]), 1, {"Jobs": {("South", "LD")}})
    people = _people(jobs)
    assert people[("South", "LD")] is None
    south = [people[("South", None)], people.get(("South", "Older"), 0)]
    ld = [people[(None, "LD")], people[("North", "LD")]]
    assert None in south and None in ld  # neither South's nor LD's line gives the hidden 2 away


def _people(tg):
    return {(g.area, g.user_group): g.people for g in tg.gaps}
