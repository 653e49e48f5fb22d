"""Matching staff: who should support whom, explained in plain words. No Django.

The person says what they want from the people who support them: skills
(some marked *must have*), personality characteristics they want and do not
want, interests they would like to share, and the times they need support
(for example "after 11 pm"). Each staff member says the same about
themselves, plus how many hours a week they can give.

:func:`rank_staff` scores every staff member for one person and says why, e.g.
"shares 3 interests: cooking, dancing, football; available after 11 pm". A
staff member without a must-have skill is never ranked as a match.

:func:`assign_team` proposes a whole team for several people at once. It is a
mixed-integer programme solved with SciPy's HiGHS (:func:`scipy.optimize.milp`):

* ``hours[p, s]`` — quarter hours a week staff member *s* gives person *p*
  (whole numbers, so every answer is in quarter hours);
* ``on[p, s]`` — 1 if *s* is on *p*'s team (binary);
* each person gets exactly the hours they need; no staff member gives more
  than their available hours; ``hours[p, s] <= on[p, s] × available[s]``;
  someone on a team gives at least a quarter hour; each person has at least
  ``min_team`` supporters;
* ``on[p, s]`` is fixed at 0 when *s* lacks one of *p*'s must-haves, so the
  solver can never break a must-have;
* it maximises the match score of the hours given (each quarter hour from a
  supporter counts their score), with a small cost for each extra team member.

When no team meets every must-have and everyone's hours, nothing is half
assigned: :class:`Infeasible` says which person and which must-have (or
which hours) cannot be met.

Scores (stated so a person can check them): +3 for each shared interest, +2
for each wanted characteristic, −3 for each characteristic the person does not
want, +2 for each wanted (not must-have) skill, +2 for each time needed that
the staff member is available.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SCORE_INTEREST = 3
SCORE_WANTED = 2
SCORE_UNWANTED = -3
SCORE_SKILL = 2
SCORE_TIME = 2


def _norm(items) -> frozenset[str]:
    return frozenset(i.strip().lower() for i in items if i and i.strip())


@dataclass(frozen=True)
class Wishes:
    """What one person wants from the people who support them."""

    person: str
    must_have_skills: frozenset[str] = frozenset()
    wanted_skills: frozenset[str] = frozenset()
    wanted_characteristics: frozenset[str] = frozenset()
    unwanted_characteristics: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    times_needed: frozenset[str] = frozenset()
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
    skills: frozenset[str] = frozenset()
    characteristics: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    times_available: frozenset[str] = frozenset()
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
            return "cannot be matched: does not have " + _join(self.missing_must_haves) + " (a must-have)"
        return "; ".join(self.reasons) if self.reasons else "nothing in common yet"


def _join(words) -> str:
    words = sorted(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _list(words) -> str:
    return ", ".join(sorted(words))


def score(wishes: Wishes, staff: Staff) -> Match:
    """Score one staff member for one person and explain every point."""
    missing = sorted(wishes.must_have_skills - staff.skills)
    reasons: list[str] = []
    total = 0
    if wishes.must_have_skills and not missing:
        reasons.append("has every must-have: " + _list(wishes.must_have_skills))
    shared = wishes.interests & staff.interests
    if shared:
        total += SCORE_INTEREST * len(shared)
        n = len(shared)
        reasons.append(f"shares {n} interest{'s' if n > 1 else ''}: {_list(shared)}")
    wanted = wishes.wanted_characteristics & staff.characteristics
    if wanted:
        total += SCORE_WANTED * len(wanted)
        reasons.append("is " + _join(wanted))
    unwanted = wishes.unwanted_characteristics & staff.characteristics
    if unwanted:
        total += SCORE_UNWANTED * len(unwanted)
        reasons.append("but is " + _join(unwanted) + ", which the person does not want")
    skills = wishes.wanted_skills & staff.skills
    if skills:
        total += SCORE_SKILL * len(skills)
        reasons.append("can do " + _join(skills))
    times = wishes.times_needed & staff.times_available
    if times:
        total += SCORE_TIME * len(times)
        reasons.append("available " + _join(times))
    not_times = wishes.times_needed - staff.times_available
    if not_times:
        reasons.append("not available " + _join(not_times))
    return Match(staff.name, total, not missing, reasons, missing)


def rank_staff(wishes: Wishes, staff: list[Staff]) -> list[Match]:
    """Every staff member scored for the person: matches first by score (then name), then those who cannot match."""
    matches = [score(wishes, s) for s in staff]
    return sorted(matches, key=lambda m: (not m.eligible, -m.score, m.staff))


@dataclass
class Infeasible(Exception):
    """No team meets every must-have and everyone's hours. ``problems`` says which, in plain words."""

    problems: list[str]

    def __str__(self) -> str:
        return " ".join(self.problems)


@dataclass
class Assignment:
    """A proposed team: for each person, the staff on their team and the hours each gives."""

    teams: dict[str, list[tuple[str, float]]]
    total_score: int
    explanations: dict[tuple[str, str], str]


def _diagnose(wishes: list[Wishes], staff: list[Staff], eligible) -> list[str]:
    """Name what cannot be met: a person nobody can support, a must-have nobody has, or hours that do not fit."""
    problems = []
    for i, w in enumerate(wishes):
        names = [staff[j] for j in range(len(staff)) if eligible[i, j]]
        if not names:
            missing = sorted(w.must_have_skills - set().union(*(s.skills for s in staff))) if staff else []
            if missing:
                problems.append(f"{w.person}: no staff member has {_join(missing)}, which is a must-have.")
            else:
                problems.append(f"{w.person}: no one staff member has every must-have ({_join(w.must_have_skills)}).")
            continue
        if len(names) < w.min_team:
            problems.append(f"{w.person}: needs a team of {w.min_team} but only {len(names)} staff have every "
                            f"must-have ({_join(w.must_have_skills)}).")
        hours_there = sum(s.hours_available for s in names)
        if hours_there < w.hours_needed:
            problems.append(f"{w.person}: needs {w.hours_needed:g} hours a week but the staff with every must-have "
                            f"({_join(w.must_have_skills) or 'none'}) have only {hours_there:g} hours between them.")
    if problems:
        return problems
    # Groups of people who depend on the same staff: check each must-have skill's hours together.
    skills = set().union(*(w.must_have_skills for w in wishes)) if wishes else set()
    for skill in sorted(skills):
        needing = [w for w in wishes if skill in w.must_have_skills]
        need = sum(w.hours_needed for w in needing)
        have = sum(s.hours_available for s in staff if skill in s.skills)
        if need > have:
            problems.append(f"{_join(w.person for w in needing)} together need {need:g} hours a week from staff "
                            f"with {skill} (a must-have), but those staff have only {have:g} hours.")
    total_need = sum(w.hours_needed for w in wishes)
    total_have = sum(s.hours_available for s in staff)
    if not problems and total_need > total_have:
        problems.append(f"Everyone together needs {total_need:g} hours a week but the staff have only "
                        f"{total_have:g} hours.")
    if not problems:
        problems.append("No team meets every must-have and everyone's hours at once "
                        "(" + _join(w.person for w in wishes) + " compete for the same staff).")
    return problems


def assign_team(wishes: list[Wishes], staff: list[Staff]) -> Assignment:
    """The best team for every person at once, or :class:`Infeasible` naming what cannot be met.

    Hours are whole or fractional hours a week; the solution never gives a
    person a supporter without all their must-haves, never gives a staff member
    more than their available hours, and gives each person exactly the hours
    they need.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    P, S = len(wishes), len(staff)
    if P == 0:
        return Assignment({}, 0, {})
    matches = {(i, j): score(wishes[i], staff[j]) for i in range(P) for j in range(S)}
    eligible = np.array([[matches[i, j].eligible and staff[j].hours_available > 0 for j in range(S)]
                         for i in range(P)], dtype=bool).reshape(P, S)
    if S == 0 or not eligible.any(axis=1).all():
        raise Infeasible(_diagnose(wishes, staff, eligible))

    n = P * S  # variables: quarter hours[p, s] then on[p, s]
    need = [round(w.hours_needed * 4) for w in wishes]
    avail = [int(s.hours_available * 4) for s in staff]

    def h(i, j):
        return i * S + j

    def o(i, j):
        return n + i * S + j

    rows, lo, hi = [], [], []

    def add(coeffs: dict[int, float], low: float, high: float):
        row = np.zeros(2 * n)
        for k, v in coeffs.items():
            row[k] = v
        rows.append(row)
        lo.append(low)
        hi.append(high)

    for i, w in enumerate(wishes):
        add({h(i, j): 1 for j in range(S)}, need[i], need[i])  # exactly the hours needed
        add({o(i, j): 1 for j in range(S)}, w.min_team, np.inf)  # at least min_team supporters
    for j, s in enumerate(staff):
        add({h(i, j): 1 for i in range(P)}, 0, avail[j])  # nobody works more than they can
    for i in range(P):
        for j in range(S):
            add({h(i, j): 1, o(i, j): -avail[j]}, -np.inf, 0)  # hours only if on the team
            add({h(i, j): 1, o(i, j): -1}, 0, np.inf)  # on the team -> at least a quarter hour
    upper = np.concatenate([
        np.array([[avail[j] if eligible[i, j] else 0 for j in range(S)] for i in range(P)], dtype=float).ravel(),
        eligible.astype(float).ravel(),  # a must-have broken -> never on the team
    ])
    # Maximise the match score of the hours given (milp minimises, so negate), with a small cost for each extra
    # team member so that teams stay small unless the hours or ``min_team`` need more people.
    base = min(0, min(m.score for m in matches.values()))
    c = np.zeros(2 * n)
    for (i, j), m in matches.items():
        c[h(i, j)] = -(m.score - base)
        c[o(i, j)] = 0.5
    result = milp(c, constraints=LinearConstraint(np.array(rows), lo, hi),
                  integrality=np.ones(2 * n),
                  bounds=Bounds(np.zeros(2 * n), upper))
    if not result.success or result.x is None:
        raise Infeasible(_diagnose(wishes, staff, eligible))
    x = result.x
    teams: dict[str, list[tuple[str, float]]] = {}
    total = 0
    for i, w in enumerate(wishes):
        team = []
        for j, s in enumerate(staff):
            if x[o(i, j)] > 0.5:
                team.append((s.name, round(float(x[h(i, j)])) / 4))
                total += matches[i, j].score
        teams[w.person] = sorted(team, key=lambda t: (-t[1], t[0]))
    return Assignment(teams, total, {(wishes[i].person, staff[j].name): matches[i, j].explanation
                                     for i in range(P) for j in range(S)})
