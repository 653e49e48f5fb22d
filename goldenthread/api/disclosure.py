"""The one rule for what a shared API answer gives away: no count, list or difference below the limit.

Shared answers are those to tokens that may not see identifiable data. The limit is
``GOLDENTHREAD_SUPPRESS_BELOW`` people (default 5). Every answer is worked out inside the token's
**scope** first: a token limited to some services is only ever told about the reviews of those services
(people counted over their statements only, themes with no card from them left out, and with them those
themes' root causes, actions, votes and golden-thread entries). Then one rule, in two halves:

Counts of people
    A count of fewer than the limit (and more than none) is hidden (``null``), and so is at least one more
    count beside it wherever a shown total would otherwise give it back by subtraction (secondary
    suppression). The numbers are the shared report's own (``build_report`` over the token's services):
    a theme's people are the report's theme count (themes of one kind suppressed together), a theme
    narrowed to an area or a user group is the report's by-area or by-user-group cell (tables suppressed by
    row and by column, totals included), and a theme narrowed to an area *and* a user group is a cell of
    that theme's own areas × user groups table, whose row and column totals are the report's cells: a cell
    is hidden when it is small, when its row's or column's total is hidden (the cells would add up to it),
    or when it is the last shown cell but one of a line with a shown total (``suppress_inside``). So
    ``/themes?…`` with any filters, ``/report`` and ``/golden-thread`` show the same number for the same
    group of people, or hide it everywhere.

Lists of cards
    A card is listed only when the group of people that shares every detail an answer lists with it holds
    at least the limit: for ``/cards`` its kind, area and user group (within the token's services); for a
    theme's cards (``/themes``, ``/golden-thread``) its theme, area and user group, and only when that cell
    is shown by the counts above. Cards of a hidden cell are left out of every list, filtered or not. Every
    list is therefore made of whole shown cells: its length, the difference between two lists (all areas
    minus the other areas) and a card code seen in two answers all count only groups of the limit or more.
    A filter that narrows to fewer people than the limit returns an empty list (``withheld`` says cards
    were left out). Shared answers give no statement counts (``statements`` is ``null``), as the shared
    report, and a card's ``service`` only to a token limited to that one service (it would split the cell).

Tokens that may see identifiable data get the workshop team's numbers and every card within their services.
"""
from __future__ import annotations

from collections import defaultdict

from goldenthread.api import domain as d
from goldenthread.reviews.models import shown_card_text


def _key(name: str | None) -> str:
    return (name or "").lower()


class Disclosure:
    """What one token is told about the themes of one workshop: counts and cards under every filter."""

    def __init__(self, cycle, workshop, *, shared: bool, services: set[str] | None, made_by: str = "API",
                 years: bool = True):
        self.shared = shared
        self.threshold = d.threshold_setting()
        self.services = services
        self.report = d.build_report(cycle, workshop, shared=shared, services=services, made_by=made_by,
                                     years=years)
        self.themes = {t.id: t for k in self.report.kinds for t in k.themes}  # the themes this token may see
        self.areas: dict[int, list[str]] = {}
        self.groups: dict[int, list[str]] = {}
        self._by_area: dict[tuple[int, str], int | None] = {}
        self._by_group: dict[tuple[int, str], int | None] = {}
        self._inside: dict[tuple[int, str, str], int | None] = {}
        self._cards: dict[tuple[int, str, str], list[dict]] = defaultdict(list)
        self._order: dict[str, int] = {}
        if workshop is None:
            return
        for kind in self.report.kinds:
            for breakdowns, cells, names in ((self.report.by_area, self._by_area, self.areas),
                                             (self.report.by_group, self._by_group, self.groups)):
                b = next((b for b in breakdowns if b.kind == kind.kind), None)
                for theme, row in zip(kind.themes, b.cells if b else []):
                    names[theme.id] = list(b.groups)
                    cells.update({(theme.id, _key(g)): v for g, v in zip(b.groups, row)})
        people: dict[tuple[int, str, str], set[str]] = defaultdict(set)
        for tid, kind, number, text, uncertain, checked_at, area, group, person in self._placements(workshop):
            text = shown_card_text(text, uncertain, checked_at)  # unchecked words masked
            cell = (tid, _key(area), _key(group))
            people[cell].add(person)
            code = d.card_code(kind, number)
            self._cards[cell].append({"code": code, "card_text": text, "area": area, "user_group": group})
            self._order[code] = len(self._order)
        for tid, theme in self.themes.items():
            areas, groups = self.areas.get(tid, []), self.groups.get(tid, [])
            table = [[len(people[(tid, _key(a), _key(g))]) for g in groups] for a in areas]
            if shared and theme.people is None:
                table = [[None] * len(groups) for _ in areas]
            elif shared and areas and groups:
                table = d.suppress_inside(table, [self._by_area[(tid, _key(a))] is not None for a in areas],
                                          [self._by_group[(tid, _key(g))] is not None for g in groups],
                                          self.threshold)
            for a, row in zip(areas, table):
                self._inside.update({(tid, _key(a), _key(g)): v for g, v in zip(groups, row)})

    def _placements(self, workshop):
        rows = (d.Placement.objects.filter(board__workshop=workshop, board__is_main=True, cluster__name__gt="",
                                           card__statement__review__consent_given=True)
                .order_by("card__order", "id"))
        if self.services is not None:
            rows = rows.filter(card__statement__review__service__in=d.in_services(self.services))
        return rows.values_list("cluster_id", "card__statement__kind", "card__statement__card_number",
                                "card__statement__card_text", "card__statement__uncertain",
                                "card__statement__checked_at", "card__statement__review__area__name",
                                "card__statement__review__user_group__name", "card__statement__review__person_ref")

    def people(self, theme_id: int, area: str | None = None, user_group: str | None = None) -> int | None:
        """The people of a theme within the filters, as shown to this token (None when hidden)."""
        if area and user_group:
            return self._inside.get((theme_id, _key(area), _key(user_group)), 0)
        if area:
            return self._by_area.get((theme_id, _key(area)), 0)
        if user_group:
            return self._by_group.get((theme_id, _key(user_group)), 0)
        return self.themes[theme_id].people

    def cards(self, theme_id: int, area: str | None = None, user_group: str | None = None) -> list[dict]:
        """The theme's cards within the filters that this token may see: those of shown cells, in card order."""
        if self.people(theme_id, area, user_group) is None:
            return []
        cells = [(a, g) for a in self.areas.get(theme_id, []) for g in self.groups.get(theme_id, [])
                 if (not area or _key(a) == _key(area)) and (not user_group or _key(g) == _key(user_group))
                 and self._inside[(theme_id, _key(a), _key(g))] is not None]
        cards = [c for a, g in cells for c in self._cards[(theme_id, _key(a), _key(g))]]
        return sorted(cards, key=lambda c: self._order[c["code"]])

    def statements(self, theme_id: int, area: str | None = None, user_group: str | None = None) -> int | None:
        """Cards within the filters, for the team only: a shared answer gives no statement counts."""
        if self.shared:
            return None
        return sum(len(cards) for (tid, a, g), cards in self._cards.items() if tid == theme_id
                   and (not area or a == _key(area)) and (not user_group or g == _key(user_group)))


def listable_cells(statements, *, shared: bool, threshold: int) -> set[tuple[str, int, int]] | None:
    """The (kind, area id, user group id) cells whose cards ``/cards`` may list: those of at least
    ``threshold`` people (None: every cell, for the team). ``statements`` is every card statement in scope."""
    if not shared:
        return None
    people: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    for kind, area, group, person in statements.values_list("kind", "review__area_id", "review__user_group_id",
                                                            "review__person_ref"):
        people[(kind, area, group)].add(person)
    return {cell for cell, who in people.items() if not d.is_small(len(who), threshold)}
