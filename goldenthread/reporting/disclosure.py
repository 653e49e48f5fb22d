"""The one rule for what a shared output gives away: no count, list or difference below the limit.

It holds for the API's answers and for the web pages alike (the golden thread pages, "you said, we did",
the report page's "last year" table): both ask a :class:`Disclosure` what to show.

Shared outputs are those for people (or API tokens) who may not see identifiable data. The limit is
``GOLDENTHREAD_SUPPRESS_BELOW`` people (default 5). Every answer is worked out inside the **scope** first: an
API token limited to some services is only ever told about the reviews of those services (people counted
over their statements only, themes with no card from them left out, and with them those themes' root
causes, actions, votes and golden-thread entries); a web page is about every service. Then one rule, in
two halves:

Counts of people
    A count of fewer than the limit (and more than none) is hidden (``null`` in the API, "a few people" or
    "number hidden" on a page), and so is at least one more count beside it wherever a shown total would
    otherwise give it back by subtraction (secondary suppression). The numbers are the shared report's own
    (``build_report`` over the scope): a theme's people are the report's theme count (themes of one kind
    suppressed together), a theme narrowed to an area or a user group is the report's by-area or
    by-user-group cell (tables suppressed by row and by column, totals included), and a theme narrowed to
    an area *and* a user group is a cell of that theme's own areas × user groups table, whose row and
    column totals are the report's cells: a cell is hidden when it is small, when its row's or column's
    total is hidden (the cells would add up to it), or when it is the last shown cell but one of a line
    with a shown total (``suppress_inside``). So ``/themes?…`` with any filters, ``/report``,
    ``/golden-thread``, the report page, the golden thread pages and "you said, we did" show the same
    number for the same group of people, or hide it everywhere.

Lists of cards
    A card is listed only when the group of people that shares every detail an output lists with it holds
    at least the limit: for ``/cards`` its kind, area and user group (within the token's services); for a
    theme's cards (``/themes``, ``/golden-thread``, the golden thread pages, the quotes of "you said, we
    did") its theme, area and user group, and only when that cell is shown by the counts above. Cards of a
    hidden cell are left out of every list, filtered or not, on every page. Every list is therefore made of
    whole shown cells: its length, the difference between two lists (all areas minus the other areas) and
    a card code or wording seen in two outputs (a page and ``/cards``, which gives a card's area and user
    group) all count only groups of the limit or more. A filter that narrows to fewer people than the limit
    returns an empty list (``withheld`` says cards were left out; a page says "Some cards are not shown
    because they come from fewer than 5 people in an area or group"). Shared answers give no statement
    counts (``statements`` is ``null``), as the shared report, and a card's ``service`` only to a token
    limited to that one service (it would split the cell).

People (and tokens) who may see identifiable data get the workshop team's numbers and every card within
their services.
"""
from __future__ import annotations

from collections import defaultdict

from goldenthread.privacy.suppression import is_small, suppress_inside
from goldenthread.reporting.data import build_report, in_services, threshold_setting
from goldenthread.reviews.cards import card_code
from goldenthread.reviews.models import shown_card_text
from goldenthread.workshops.models import Placement


def _key(name: str | None) -> str:
    return (name or "").lower()


class Disclosure:
    """What one reader (an API token, or a person on a web page) is told about the themes of one workshop:
    counts and cards under every filter. Build one per workshop per answer or page: it builds the report."""

    def __init__(self, cycle, workshop, *, shared: bool, services: set[str] | None = None, made_by: str = "API",
                 years: bool = True, threshold: int | None = None):
        self.shared = shared
        self.threshold = threshold_setting() if threshold is None else threshold
        self.services = services
        self.report = build_report(cycle, workshop, shared=shared, services=services, made_by=made_by,
                                   years=years, threshold=self.threshold)
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
            code = card_code(kind, number)
            self._cards[cell].append({"code": code, "card_text": text, "area": area, "user_group": group})
            self._order[code] = len(self._order)
        for tid, theme in self.themes.items():
            areas, groups = self.areas.get(tid, []), self.groups.get(tid, [])
            table = [[len(people[(tid, _key(a), _key(g))]) for g in groups] for a in areas]
            if shared and theme.people is None:
                table = [[None] * len(groups) for _ in areas]
            elif shared and areas and groups:
                table = suppress_inside(table, [self._by_area[(tid, _key(a))] is not None for a in areas],
                                          [self._by_group[(tid, _key(g))] is not None for g in groups],
                                          self.threshold)
            for a, row in zip(areas, table):
                self._inside.update({(tid, _key(a), _key(g)): v for g, v in zip(groups, row)})

    def _placements(self, workshop):
        rows = (Placement.objects.filter(board__workshop=workshop, board__is_main=True, cluster__name__gt="",
                                           card__statement__review__consent_given=True)
                .order_by("card__order", "id"))
        if self.services is not None:
            rows = rows.filter(card__statement__review__service__in=in_services(self.services))
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

    def withheld(self, theme_id: int, area: str | None = None, user_group: str | None = None) -> bool:
        """Whether any of the theme's cards within the filters is left out of :meth:`cards`."""
        found = sum(len(cards) for (tid, a, g), cards in self._cards.items() if tid == theme_id
                    and (not area or a == _key(area)) and (not user_group or g == _key(user_group)))
        return found > len(self.cards(theme_id, area, user_group))

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
    return {cell for cell, who in people.items() if not is_small(len(who), threshold)}


def withheld_words(threshold: int | None = None) -> str:
    """What a page says where some of a theme's cards are held back, in plain words."""
    n = threshold_setting() if threshold is None else threshold
    return f"Some cards are not shown because they come from fewer than {n} people in an area or group."


class PageDisclosures:
    """The rule for one web page: one :class:`Disclosure` per workshop (over every service), built the first
    time the page asks about one of its themes, so a page about many themes or actions builds each report once.

    ``shared`` is false only for people who may see identifiable data (the team version): then every count is
    the true one and every card is listed."""

    def __init__(self, *, shared: bool, threshold: int | None = None, made_by: str = "web page"):
        self.shared, self.threshold, self.made_by = shared, threshold, made_by
        self._built: dict[int, Disclosure] = {}

    @property
    def withheld_words(self) -> str:
        return withheld_words(self.threshold)

    def of(self, workshop) -> Disclosure:
        if workshop.pk not in self._built:
            self._built[workshop.pk] = Disclosure(workshop.cycle, workshop, shared=self.shared, years=False,
                                                  threshold=self.threshold, made_by=self.made_by)
        return self._built[workshop.pk]

    def people(self, cluster) -> int | None:
        """The theme's people as the shared report shows them (0 for a cluster that is not a theme)."""
        told = self.of(cluster.board.workshop)
        return told.people(cluster.pk) if cluster.pk in told.themes else 0

    def cards(self, cluster) -> list[dict]:
        """The theme's cards of shown theme × area × user group cells, in card order."""
        told = self.of(cluster.board.workshop)
        return told.cards(cluster.pk) if cluster.pk in told.themes else []

    def withheld(self, cluster) -> bool:
        """Whether some of the theme's cards are left out (its count shown, but some of its cells hidden)."""
        told = self.of(cluster.board.workshop)
        return cluster.pk in told.themes and told.withheld(cluster.pk)
