"""The golden thread: from what people said, to what was decided, to what changed.

Read it both ways:

* :func:`action_thread` — for one commissioning action, the themes it answers,
  the root causes ("5 whys") it tackles, and the anonymised statements behind
  those themes.
* :func:`theme_thread` — for one theme, its root causes, the actions taken and
  their status, and a year on whether the theme was raised again, by more or
  fewer people (:func:`next_year`, from :func:`~goldenthread.reporting.change.year_on`).

Only ``Statement.shown_text`` (the anonymised card wording, unchecked words masked) is ever used here.
People counts are hidden below the threshold when ``shared`` is true.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from goldenthread.privacy.suppression import suppress_value
from goldenthread.reporting.change import card_call_finished, later_workshop, year_on  # noqa: F401
from goldenthread.reporting.data import theme_people, threshold_setting
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


def hide_small(n: int, shared: bool, threshold: int | None) -> int | None:
    return suppress_value(n, threshold_setting() if threshold is None else threshold) if shared else n


def theme_cards(cluster: Cluster, people_shown: int | None = 0) -> list[Card]:
    """The anonymised cards behind a theme, or none when its count of people is hidden (``people_shown`` is
    None): a hidden count is not given back as a list of cards to count."""
    if people_shown is None:
        return []
    placements = cluster.placements.filter(board__is_main=True, card__statement__review__consent_given=True) \
        .select_related("card__statement").order_by("card__order")  # withdrawn consent: not in reports
    return [Card(p.card.statement.card_code, p.card.statement.shown_text) for p in placements]


def _link(cluster: Cluster, shared: bool, threshold: int | None) -> ThemeLink:
    people = hide_small(len(theme_people(cluster.board.workshop).get(cluster.pk, set())), shared, threshold)
    return ThemeLink(cluster.pk, cluster.name, cluster.board.kind, people, theme_cards(cluster, people))


def _chain(cause: RootCause) -> list[str]:
    chain = []
    while cause is not None:
        chain.append(cause.text)
        cause = cause.parent
    return chain[::-1]


def action_thread(action: Action, *, shared: bool = True, threshold: int | None = None) -> ActionThread:
    """Follow one action back to its themes, root causes and the anonymised statements."""
    themes = [_link(c, shared, threshold) for c in action.themes.select_related("board__workshop")]
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
              later: Workshop | None = None) -> NextYear:
    """This theme a year on, compared with ``later`` (by default the workshop the next cycle's report shows):
    the one computation of change, :func:`~goldenthread.reporting.change.year_on`."""
    later = later or later_workshop(cluster)
    [row] = year_on(cluster.board.workshop, later, shared=shared, threshold=threshold, clusters=[cluster])
    return NextYear(row.verdict, row.later_theme, later.cycle.name if later else "", row.before, row.now,
                    row.later_workshop, row.sentence)


def theme_thread(cluster: Cluster, *, shared: bool = True, threshold: int | None = None) -> ThemeThread:
    """For one theme: its root causes, the actions taken and their status, and what happened next year."""
    actions = [ActionLink(a.pk, a.text, a.owner, a.due, a.get_status_display()) for a in cluster.actions.all()]
    earlier = list(ThemeMatch.objects.filter(cluster=cluster, status=ThemeMatch.Status.CONFIRMED)
                   .values_list("previous_cluster__name", flat=True))
    return ThemeThread(_link(cluster, shared, threshold), _tree(cluster), actions,
                       next_year(cluster, shared=shared, threshold=threshold), earlier)
