"""The gap calculation: what people want for the future set against what is present. Plain Python, no database.

For one kind of support (a service type), for the whole council, each area, each user group and each area ×
user group:

* **demand** is the number of distinct *people* (never statements) with an *Important for the future* statement
  in a theme a person confirmed as asking for that kind of support, counted where their review places them;
* **supply** is the provisions of that type that serve the area (any area, for the whole council or a user
  group on its own) and the user group (a provision with no user groups is for everyone), with their summed
  capacity where it is known. A provision serving several areas counts with its whole capacity in each: the
  directory does not say how its places are split.

Two flags: **nothing offered** (demand, and no provision at all) and **demand outstrips capacity** (more people
want it than the known capacity; only when every provision's capacity is known, else it cannot be told).

:func:`gap_table` gives the true numbers; :func:`shared` hides small counts for anything shared, with the
project's one suppression rule (:mod:`goldenthread.privacy.suppression`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from goldenthread.privacy.suppression import suppress_table

NOTHING_OFFERED = "Nothing offered"
OUTSTRIPS = "Demand outstrips capacity"


@dataclass(frozen=True)
class Want:
    """One person wants one kind of support (from one or more future statements)."""

    person: str
    area: str
    user_group: str
    service_type: str


@dataclass(frozen=True)
class Offer:
    """One provision: its type, the areas it serves, its user groups (empty: everyone) and capacity if known."""

    name: str
    service_type: str
    areas: frozenset[str]
    user_groups: frozenset[str] = frozenset()
    capacity: int | None = None

    def serves(self, area: str | None, user_group: str | None) -> bool:
        return ((area is None or area in self.areas)
                and (user_group is None or not self.user_groups or user_group in self.user_groups))


@dataclass
class Gap:
    """One line of the table: ``area`` and ``user_group`` None mean every area / every group."""

    service_type: str
    area: str | None
    user_group: str | None
    people: int | None  # None: hidden in a shared version
    provisions: int
    capacity: int | None  # summed capacity of the provisions whose capacity is known; None if none is known
    capacity_unknown: int  # provisions whose capacity is not known
    nothing_offered: bool
    outstrips: bool

    @property
    def flags(self) -> list[str]:
        return [f for f, on in ((NOTHING_OFFERED, self.nothing_offered), (OUTSTRIPS, self.outstrips)) if on]

    @property
    def level(self) -> str:
        if self.area and self.user_group:
            return "area and user group"
        return "area" if self.area else "user group" if self.user_group else "whole council"


@dataclass
class TypeGaps:
    service_type: str
    gaps: list[Gap] = field(default_factory=list)

    @property
    def council(self) -> Gap:
        return self.gaps[0]

    @property
    def flagged(self) -> list[Gap]:
        return [g for g in self.gaps if g.flags]


def _gap(service_type: str, area, group, people: int, offers: list[Offer]) -> Gap:
    serving = [o for o in offers if o.serves(area, group)]
    known = [o.capacity for o in serving if o.capacity is not None]
    unknown = len(serving) - len(known)
    capacity = sum(known) if known else None
    return Gap(service_type, area, group, people, len(serving), capacity, unknown,
               nothing_offered=people > 0 and not serving,
               outstrips=bool(serving) and not unknown and people > (capacity or 0))


def gap_table(wants: list[Want], offers: list[Offer], service_types: list[str]) -> list[TypeGaps]:
    """For each service type (in the order given): the whole council first, then each area, each user group,
    and each area × user group where someone wants it. Areas and groups are those where someone wants it or
    something is offered."""
    out = []
    for st in service_types:
        mine = [w for w in wants if w.service_type == st]
        offered = [o for o in offers if o.service_type == st]
        people: dict[tuple, set[str]] = defaultdict(set)
        for w in mine:
            for key in ((None, None), (w.area, None), (None, w.user_group), (w.area, w.user_group)):
                people[key].add(w.person)
        areas = sorted({w.area for w in mine} | {a for o in offered for a in o.areas})
        groups = sorted({w.user_group for w in mine} | {g for o in offered for g in o.user_groups})
        keys = ([(None, None)] + [(a, None) for a in areas] + [(None, g) for g in groups]
                + [(a, g) for a in areas for g in groups if people[(a, g)]])
        out.append(TypeGaps(st, [_gap(st, a, g, len(people[(a, g)]), offered) for a, g in keys]))
    return out


def shared(table: list[TypeGaps], threshold: int,
           also_hide: "dict[str, set[tuple[str | None, str | None]]] | None" = None) -> list[TypeGaps]:
    """The table as anything shared shows it: each type's areas × user groups, with its area totals, user group
    totals and whole-council total, suppressed together (small counts hidden, and enough others that none can
    be worked out). A hidden line keeps "nothing offered" only as "no provision" (which is public) and never
    says "demand outstrips capacity", which would narrow the hidden number.

    ``also_hide`` maps a service type to the (area, user group) lines to hide whatever their count: those where
    the shared report hides one of the type's themes. A type asked for by one theme counts that theme's
    people, so showing a line the report hid (to protect another) would undo the report's suppression."""
    also_hide = also_hide or {}
    out = []
    for tg in table:
        by_key = {(g.area, g.user_group): g for g in tg.gaps}
        areas = [g.area for g in tg.gaps if g.area and g.user_group is None]
        groups = [g.user_group for g in tg.gaps if g.user_group and g.area is None]

        def count(a, g):
            found = by_key.get((a, g))
            return found.people if found else 0

        grid = [[count(a, g) for g in groups] + [count(a, None)] for a in areas]
        grid.append([count(None, g) for g in groups] + [count(None, None)])
        rows = areas + [None]
        cols = groups + [None]
        forced = also_hide.get(tg.service_type, set())
        hidden = suppress_table(grid, threshold, hide=[(r, c) for r, a in enumerate(rows) for c, g in enumerate(cols)
                                                       if (a, g) in forced])
        shown = {(rows[r], cols[c]): v for r, line in enumerate(hidden) for c, v in enumerate(line)}
        gaps = []
        for g in tg.gaps:
            people = shown[(g.area, g.user_group)]
            if people is None:
                g = replace(g, people=None, nothing_offered=g.provisions == 0, outstrips=False)
            gaps.append(g)
        out.append(TypeGaps(tg.service_type, gaps))
    return out
