"""Matching staff: who should support whom, explained in plain words. No Django.

The person says what they want from the people who support them: skills
(some marked *must have*), languages their supporters must speak,
personality characteristics they want and do not want, interests they would
like to share, and the times they need support (for example "after 11 pm").
Each staff member says the same about themselves, plus how many hours a week
they can give. Skills, times and languages are picked from lists
(:mod:`goldenthread.providers.vocabulary`), and every word is compared in one
normalised form, so "after 11pm" is "After 11 pm". Words are shown as they
were written, capitals kept.

:func:`rank_staff` scores every staff member for one person and says why, e.g.
"shares 3 interests: cooking, dancing, football; available after 11 pm". A
staff member without a must-have skill or language is never ranked as a match;
:func:`nobody_meets` names the must-haves no one on the staff has, for the
"no one fits" summary that leads to recruiting.

:func:`assign_team` proposes a whole team for several people at once. It is a
mixed-integer programme solved with SciPy's HiGHS (:func:`scipy.optimize.milp`),
in two stages:

* ``hours[p, s]`` — quarter hours a week staff member *s* gives person *p*;
  ``on[p, s]`` — 1 if *s* is on *p*'s team; ``served[p]`` — 1 if *p* gets a team;
* a served person gets exactly the hours they need from at least ``min_team``
  supporters; no staff member gives more than their available hours; someone on
  a team gives at least the *minimum useful hours* (2 a week unless the person
  needs less), never a quarter-hour slot; ``on[p, s]`` is fixed at 0 when *s*
  lacks one of *p*'s must-haves, so the solver can never break a must-have;
* stage 1 serves as many people as possible; stage 2 keeps that number and
  maximises the match score of the hours given (each quarter hour from a
  supporter counts their score), with a small cost for each extra team member.

So one must-have nobody has leaves that one person without a team, named with
the reason in :attr:`Assignment.unmatched`; everyone else still gets theirs.

Scores (stated so a person can check them): +3 for each shared interest, +2
for each wanted characteristic, −3 for each characteristic the person does not
want, +2 for each wanted (not must-have) skill, +2 for each time needed that
the staff member is available.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from goldenthread.providers.vocabulary import key, tidy

SCORE_INTEREST = 3
SCORE_WANTED = 2
SCORE_UNWANTED = -3
SCORE_SKILL = 2
SCORE_TIME = 2


#: The fewest hours a week a supporter gives one person in a proposal (less if the person needs less in all).
MIN_USEFUL_HOURS = 2.0


def _norm(items) -> tuple[str, ...]:
    """The words, tidied (one of each however typed), in the person's own spelling."""
    return tuple(tidy(items))


def _keyed(words) -> dict[str, str]:
    return {key(w): w for w in words}


def _common(mine, theirs) -> list[str]:
    """The words in both lists, compared by their normalised form, shown in ``mine``'s spelling."""
    theirs_keys = {key(w) for w in theirs}
    return [w for k, w in _keyed(mine).items() if k in theirs_keys]


def _without(mine, theirs) -> list[str]:
    theirs_keys = {key(w) for w in theirs}
    return [w for k, w in _keyed(mine).items() if k not in theirs_keys]


@dataclass(frozen=True)
class Wishes:
    """What one person wants from the people who support them."""

    person: str
    must_have_skills: tuple[str, ...] = ()
    wanted_skills: tuple[str, ...] = ()
    wanted_characteristics: tuple[str, ...] = ()
    unwanted_characteristics: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    times_needed: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    hours_needed: float = 0.0
    min_team: int = 1

    @classmethod
    def make(cls, person: str, **kw) -> Wishes:
        sets = {k: _norm(v) for k, v in kw.items() if k not in {"hours_needed", "min_team"}}
        rest = {k: v for k, v in kw.items() if k in {"hours_needed", "min_team"}}
        return cls(person, **sets, **rest)


@dataclass(frozen=True)
class Staff:
    """What one staff member offers."""

    name: str
    skills: tuple[str, ...] = ()
    characteristics: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    times_available: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    hours_available: float = 0.0

    @classmethod
    def make(cls, name: str, **kw) -> Staff:
        sets = {k: _norm(v) for k, v in kw.items() if k != "hours_available"}
        return cls(name, **sets, hours_available=kw.get("hours_available", 0.0))


@dataclass
class Match:
    """One staff member scored for one person, with the reasons in words."""

    staff: str
    score: int
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    missing_must_haves: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        if not self.eligible:
            skills = [m for m in self.missing_must_haves if not m.startswith("speaks ")]
            langs = [m.removeprefix("speaks ") for m in self.missing_must_haves if m.startswith("speaks ")]
            parts = ([f"does not have {_join(skills)}"] if skills else []) + (
                [f"does not speak {_join(langs)}"] if langs else [])
            n = len(self.missing_must_haves)
            return "cannot be matched: " + " and ".join(parts) + (" (must-haves)" if n > 1 else " (a must-have)")
        return "; ".join(self.reasons) if self.reasons else "nothing in common yet"


def _join(words) -> str:
    words = sorted(words, key=key)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _list(words) -> str:
    return ", ".join(sorted(words, key=key))


def must_haves(wishes: Wishes) -> list[str]:
    """Every must-have of the person: their must-have skills and the languages their supporters must speak."""
    return [*wishes.must_have_skills, *(f"speaks {lang}" for lang in wishes.languages)]


def missing_for(wishes: Wishes, staff: Staff) -> list[str]:
    """The person's must-haves this staff member does not have."""
    return [*_without(wishes.must_have_skills, staff.skills),
            *(f"speaks {lang}" for lang in _without(wishes.languages, staff.languages))]


def score(wishes: Wishes, staff: Staff) -> Match:
    """Score one staff member for one person and explain every point."""
    missing = missing_for(wishes, staff)
    reasons: list[str] = []
    total = 0
    if must_haves(wishes) and not missing:
        reasons.append("has every must-have: " + _list(must_haves(wishes)))
    shared = _common(wishes.interests, staff.interests)
    if shared:
        total += SCORE_INTEREST * len(shared)
        n = len(shared)
        reasons.append(f"shares {n} interest{'s' if n > 1 else ''}: {_list(shared)}")
    wanted = _common(wishes.wanted_characteristics, staff.characteristics)
    if wanted:
        total += SCORE_WANTED * len(wanted)
        reasons.append("is " + _join(wanted))
    unwanted = _common(wishes.unwanted_characteristics, staff.characteristics)
    if unwanted:
        total += SCORE_UNWANTED * len(unwanted)
        reasons.append("but is " + _join(unwanted) + ", which the person does not want")
    skills = _common(wishes.wanted_skills, staff.skills)
    if skills:
        total += SCORE_SKILL * len(skills)
        reasons.append("can do " + _join(skills))
    times = _common(wishes.times_needed, staff.times_available)
    if times:
        total += SCORE_TIME * len(times)
        reasons.append("available " + _join(times))
    not_times = _without(wishes.times_needed, staff.times_available)
    if not_times:
        reasons.append("not available " + _join(not_times))
    return Match(staff.name, total, not missing, reasons, sorted(missing, key=key))


def nobody_meets(wishes: Wishes, staff: list[Staff]) -> list[str]:
    """The person's must-haves that no one on the staff has: what to recruit for when no one fits."""
    return [m for m in must_haves(wishes) if all(m in missing_for(wishes, s) for s in staff)]


def rank_staff(wishes: Wishes, staff: list[Staff]) -> list[Match]:
    """Every staff member scored for the person: matches first by score (then name), then those who cannot match,
    closest first (fewest must-haves missing)."""
    matches = [score(wishes, s) for s in staff]
    return sorted(matches, key=lambda m: (not m.eligible, len(m.missing_must_haves), -m.score, m.staff))


@dataclass
class Infeasible(Exception):
    """Kept for callers that want an exception: ``problems`` says, in plain words, what cannot be met."""

    problems: list[str]

    def __str__(self) -> str:
        return " ".join(self.problems)


@dataclass
class Assignment:
    """A proposed team: for each person who could be matched, the staff on their team and the hours each gives.

    ``unmatched`` names each person who could not be given a team, with why, in plain words.
    """

    teams: dict[str, list[tuple[str, float]]]
    total_score: int
    explanations: dict[tuple[str, str], str]
    unmatched: dict[str, str] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        return list(self.unmatched.values())


def _why_alone(w: Wishes, staff: list[Staff], eligible_row) -> str | None:
    """Why this one person cannot have a team even with the whole staff to themselves, or None if they could."""
    if w.hours_needed <= 0:
        return f"{w.person}: no hours of support a week are written down yet."
    names = [staff[j] for j in range(len(staff)) if eligible_row[j]]
    needs = _join(must_haves(w)) or "none"
    if not names:
        missing = nobody_meets(w, staff)
        if missing:
            which = "is a must-have" if len(missing) == 1 else "are must-haves"
            skills = [m for m in missing if not m.startswith("speaks ")]
            langs = [m.removeprefix("speaks ") for m in missing if m.startswith("speaks ")]
            parts = ([f"has {_join(skills)}"] if skills else []) + ([f"speaks {_join(langs)}"] if langs else [])
            return f"{w.person}: no staff member {' or '.join(parts)}, which {which}."
        if not any(missing_for(w, s) == [] for s in staff):
            return f"{w.person}: no one staff member has every must-have ({needs})."
        return f"{w.person}: the staff with every must-have ({needs}) have no hours available."
    if len(names) < w.min_team:
        return (f"{w.person}: needs a team of {w.min_team} but only {len(names)} staff have every must-have "
                f"({needs}).")
    hours_there = sum(s.hours_available for s in names)
    if hours_there < w.hours_needed:
        return (f"{w.person}: needs {w.hours_needed:g} hours a week but the staff with every must-have ({needs}) "
                f"have only {hours_there:g} hours between them.")
    return None


def _quarters(hours: float) -> int:
    return int(round(hours * 4))


def assign_team(wishes: list[Wishes], staff: list[Staff], *, min_hours: float = MIN_USEFUL_HOURS) -> Assignment:
    """The best teams for as many people as possible, and for the rest, why not (:attr:`Assignment.unmatched`).

    A proposal never gives a person a supporter without all their must-haves,
    never gives a staff member more than their available hours, gives each
    person it serves exactly the hours they need, and gives no supporter less
    than ``min_hours`` a week with one person (or the person's hours shared by
    their smallest team, if that is less).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    P, S = len(wishes), len(staff)
    if P == 0:
        return Assignment({}, 0, {})
    matches = {(i, j): score(wishes[i], staff[j]) for i in range(P) for j in range(S)}
    explanations = {(wishes[i].person, staff[j].name): matches[i, j].explanation for i in range(P) for j in range(S)}
    eligible = np.array([[matches[i, j].eligible and staff[j].hours_available > 0 for j in range(S)]
                         for i in range(P)], dtype=bool).reshape(P, S)
    unmatched: dict[str, str] = {}
    for i, w in enumerate(wishes):
        why = _why_alone(w, staff, eligible[i])
        if why:
            unmatched[w.person] = why
    candidates = [i for i, w in enumerate(wishes) if w.person not in unmatched]
    teams: dict[str, list[tuple[str, float]]] = {}
    if not candidates or S == 0:
        return Assignment(teams, 0, explanations, unmatched)

    need = [_quarters(w.hours_needed) for w in wishes]
    avail = [int(s.hours_available * 4) for s in staff]
    least = [max(1, min(_quarters(min_hours), need[i] // max(1, w.min_team))) for i, w in enumerate(wishes)]
    n = P * S  # variables: quarter hours[p, s], then on[p, s], then served[p]
    size = 2 * n + P

    def h(i, j):
        return i * S + j

    def o(i, j):
        return n + i * S + j

    def sv(i):
        return 2 * n + i

    rows, lo, hi = [], [], []

    def add(coeffs: dict[int, float], low: float, high: float):
        row = np.zeros(size)
        for k, v in coeffs.items():
            row[k] = v
        rows.append(row)
        lo.append(low)
        hi.append(high)

    for i, w in enumerate(wishes):
        add({**{h(i, j): 1 for j in range(S)}, sv(i): -need[i]}, 0, 0)  # a served person gets exactly their hours
        add({**{o(i, j): 1 for j in range(S)}, sv(i): -w.min_team}, 0, np.inf)  # from at least min_team supporters
    for j in range(S):
        add({h(i, j): 1 for i in range(P)}, 0, avail[j])  # nobody works more than they can
    for i in range(P):
        for j in range(S):
            add({h(i, j): 1, o(i, j): -avail[j]}, -np.inf, 0)  # hours only if on the team
            add({h(i, j): 1, o(i, j): -least[i]}, 0, np.inf)  # on the team -> at least the useful minimum
            add({o(i, j): 1, sv(i): -1}, -np.inf, 0)  # only on the team of someone who is served
    upper = np.concatenate([
        np.array([[avail[j] if eligible[i, j] else 0 for j in range(S)] for i in range(P)], dtype=float).ravel(),
        eligible.astype(float).ravel(),  # a must-have broken -> never on the team
        np.array([1.0 if i in candidates else 0.0 for i in range(P)]),
    ])
    bounds = Bounds(np.zeros(size), upper)
    integrality = np.ones(size)

    # Stage 1: serve as many people as possible.
    c1 = np.zeros(size)
    c1[2 * n:] = -1
    first = milp(c1, constraints=LinearConstraint(np.array(rows), lo, hi), integrality=integrality, bounds=bounds)
    served = int(round(-first.fun)) if first.success and first.x is not None else 0
    # Stage 2: keep that many served, and maximise the match score of the hours given (milp minimises, so negate),
    # with a small cost for each extra team member so that teams stay small unless hours or ``min_team`` need more.
    x = None
    if served:
        add({sv(i): 1 for i in range(P)}, served, np.inf)
        base = min(0, min(m.score for m in matches.values()))
        c = np.zeros(size)
        for (i, j), m in matches.items():
            c[h(i, j)] = -(m.score - base)
            c[o(i, j)] = 0.5
        second = milp(c, constraints=LinearConstraint(np.array(rows), lo, hi), integrality=integrality,
                      bounds=bounds)
        x = second.x if second.success and second.x is not None else first.x
    total = 0
    used = [0.0] * S
    for i, w in enumerate(wishes):
        if x is None or x[sv(i)] < 0.5:
            continue
        team = []
        for j, s in enumerate(staff):
            if x[o(i, j)] > 0.5:
                given = round(float(x[h(i, j)])) / 4
                team.append((s.name, given))
                used[j] += given
                total += matches[i, j].score
        teams[w.person] = sorted(team, key=lambda t: (-t[1], t[0]))
    for i in candidates:
        w = wishes[i]
        if w.person in teams:
            continue
        free = sum(staff[j].hours_available - used[j] for j in range(S) if eligible[i, j])
        unmatched[w.person] = (
            f"{w.person}: the staff with every must-have ({_join(must_haves(w)) or 'none'}) are needed for the other "
            f"teams; {free:g} of their hours are free, and {w.person} needs {w.hours_needed:g} from at least "
            f"{w.min_team} {'person' if w.min_team == 1 else 'people'}.")
    return Assignment(teams, total, explanations, unmatched)
