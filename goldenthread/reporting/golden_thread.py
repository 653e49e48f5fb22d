"""The golden thread: from what people said, to what was decided, to what changed.

Read it both ways:

* :func:`action_thread` — for one commissioning action, the themes it answers,
  the root causes ("5 whys") it tackles, and the anonymised statements behind
  those themes.
* :func:`theme_thread` — for one theme, its root causes, the actions taken and
  their status, and a year on whether the theme was raised again, by more or
  fewer people (:func:`next_year`, from :func:`~goldenthread.reporting.change.year_on`).

Only the shown card wording (the anonymised card text, unchecked words masked) is ever used here.
When ``shared`` is true (people who may not see identifiable data) every count and card list follows the one
rule of :mod:`goldenthread.reporting.disclosure`, as the API does: a theme's people are the shared report's
number (small counts hidden, with secondary suppression), and a theme's cards are listed only from its
theme × area × user group cells that are shown, so no card seen here can be placed by area and user group
(through the API's ``/cards``) to count a group the report hides. The team version shows everything.
Pass one :class:`~goldenthread.reporting.disclosure.PageDisclosures` (``told``) for a whole page, so each
workshop's report is built once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from goldenthread.reporting.change import card_call_finished, later_workshop, year_on  # noqa: F401
from goldenthread.reporting.data import theme_people  # noqa: F401  (re-exported for callers)
from goldenthread.reporting.disclosure import PageDisclosures
from goldenthread.reporting.models import ThemeMatch
from goldenthread.workshops.models import Action, Cluster, RootCause, Workshop


@dataclass
class Card:
    code: str
    text: str


@dataclass
class NextYear:
    status: str  # one of goldenthread.reporting.change.VERDICTS
    later_theme: str = ""
    later_cycle: str = ""
    before: int | None = None
    now: int | None = None
    later_workshop: str = ""
    sentence: str = ""


@dataclass
class ThemeLink:
    id: int
    name: str
    kind: str
    people: int | None
    cards: list[Card]
    withheld: bool = False  # some cards left out: they come from an area or user group of too few people
    withheld_words: str = ""  # what the page says when they are


@dataclass
class ActionThread:
    id: int
    text: str
    owner: str
    measure: str
    due: dt.date
    status: str
    themes: list[ThemeLink]
    root_causes: list[list[str]]  # each from the first "why?" down to the cause the action tackles


@dataclass
class ActionLink:
    id: int
    text: str
    owner: str
    due: dt.date
    status: str


@dataclass
class ThemeThread:
    theme: ThemeLink
    root_causes: list[tuple[int, str]]  # (depth, text), in tree order
    actions: list[ActionLink]
    next_year: NextYear
    earlier: list[str] = field(default_factory=list)  # last year's themes confirmed as this one


def theme_cards(cluster: Cluster, told: PageDisclosures | None = None) -> list[Card]:
    """The anonymised cards behind a theme that the page may show, in card order. On a shared page (``told``
    shared) only the cards of the theme's shown theme × area × user group cells, and none when its count is
    hidden; without ``told``, the team's version: every card (withdrawn consent: none of that person's)."""
    told = told or PageDisclosures(shared=False)
    return [Card(c["code"], c["card_text"]) for c in told.cards(cluster)]


def _link(cluster: Cluster, told: PageDisclosures) -> ThemeLink:
    people = told.people(cluster)
    withheld = people is not None and told.withheld(cluster)
    return ThemeLink(cluster.pk, cluster.name, cluster.board.kind, people, theme_cards(cluster, told), withheld,
                     told.withheld_words if withheld else "")


def _chain(cause: RootCause) -> list[str]:
    chain = []
    while cause is not None:
        chain.append(cause.text)
        cause = cause.parent
    return chain[::-1]


def action_thread(action: Action, *, shared: bool = True, threshold: int | None = None,
                  told: PageDisclosures | None = None) -> ActionThread:
    """Follow one action back to its themes, root causes and the anonymised statements."""
    told = told or PageDisclosures(shared=shared, threshold=threshold)
    themes = [_link(c, told) for c in action.themes.select_related("board__workshop__cycle")]
    return ActionThread(action.pk, action.text, action.owner, action.measure, action.due, action.get_status_display(),
                        themes, [_chain(c) for c in action.root_causes.all()])


def _tree(cluster: Cluster) -> list[tuple[int, str]]:
    causes = list(cluster.root_causes.all())
    children: dict[int | None, list[RootCause]] = {}
    for c in causes:
        children.setdefault(c.parent_id, []).append(c)
    out: list[tuple[int, str]] = []

    def walk(parent_id, depth):
        for c in children.get(parent_id, []):
            out.append((depth, c.text))
            walk(c.pk, depth + 1)

    walk(None, 1)
    return out


def next_year(cluster: Cluster, *, shared: bool = True, threshold: int | None = None,
              later: Workshop | None = None, told: PageDisclosures | None = None, counts: bool = True) -> NextYear:
    """This theme a year on, compared with ``later`` (by default the workshop the next cycle's report shows):
    the one computation of change, :func:`~goldenthread.reporting.change.year_on`, whose numbers are each year's
    shared report's (hidden where the report hides them). ``counts=False`` leaves the numbers out, for a
    caller that only wants the verdict. (``told`` is accepted for callers that hold a page's disclosures.)"""
    later = later or later_workshop(cluster)
    [row] = year_on(cluster.board.workshop, later, shared=shared, threshold=threshold, clusters=[cluster])
    return NextYear(row.verdict, row.later_theme, later.cycle.name if later else "",
                    row.before if counts else None, row.now if counts else None, row.later_workshop, row.sentence)


def theme_thread(cluster: Cluster, *, shared: bool = True, threshold: int | None = None,
                 told: PageDisclosures | None = None) -> ThemeThread:
    """For one theme: its root causes, the actions taken and their status, and what happened next year."""
    told = told or PageDisclosures(shared=shared, threshold=threshold)
    actions = [ActionLink(a.pk, a.text, a.owner, a.due, a.get_status_display()) for a in cluster.actions.all()]
    earlier = list(ThemeMatch.objects.filter(cluster=cluster, status=ThemeMatch.Status.CONFIRMED)
                   .values_list("previous_cluster__name", flat=True))
    return ThemeThread(_link(cluster, told), _tree(cluster), actions,
                       next_year(cluster, shared=shared, threshold=threshold, told=told), earlier)
