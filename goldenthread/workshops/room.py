"""The room view: what the projector shows at each stage of the day.

One function, :func:`room_view`, reads a workshop and returns what its shared screen shows now, as plain
data for ``screen.html``. The screen has no controls; it follows the workshop live (``live.js`` fetches it
again after every change), so whatever the facilitator does shows here straight away.

* **Joining**: the join code, and how many people have joined.
* **Card call**: the card being called, large, next to the whole wall of its kind in miniature, each
  cluster numbered as the facilitator's keys number it (1 to 9, the wall's order), so "which cluster?" can
  be answered by number. Once every card is called: every wall.
* **Boards and naming**: every main wall in overview, each cluster by its name or stable label.
* **Analysis and voting**: the not-working themes with their dots once the facilitator has shown the votes
  (no dots before); or, once the facilitator puts a theme on the screen, that theme's 5 whys and what
  success would look like.
* **Action plans** and **sharing**: the chosen theme (the one put on the screen, else the most voted once
  the votes are shown, else the first) with its actions; in sharing, the sharing plan too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.text import Truncator

from goldenthread.core.models import Kind
from goldenthread.workshops.models import BOARD_KINDS, Cluster, Stage, Workshop, WorkshopCard
from goldenthread.workshops.proposals import cards_to_call

#: The card call's number keys cover the first nine clusters on the wall.
KEYS = 9
#: How many words of a card the miniature wall shows.
MINI_WORDS = 12


@dataclass
class MiniCard:
    code: str
    text: str


@dataclass
class Column:
    """One cluster on the miniature wall."""

    pk: int
    number: int  # its place on the wall, 1, 2, 3...: the card call's key while it is 1 to 9
    tag: str  # its stable label, "Cluster C"
    name: str  # "" until named
    cards: list[MiniCard]

    @property
    def key(self) -> int | None:
        return self.number if self.number <= KEYS else None

    @property
    def title(self) -> str:
        return self.name or self.tag


@dataclass
class Wall:
    kind: str
    kind_label: str
    columns: list[Column]

    @property
    def n_cards(self) -> int:
        return sum(len(c.cards) for c in self.columns)

    @property
    def n_named(self) -> int:
        return sum(1 for c in self.columns if c.name)


@dataclass
class VoteRow:
    name: str
    dots: int | None  # None while the votes are hidden


@dataclass
class Why:
    text: str
    children: list["Why"] = field(default_factory=list)


@dataclass
class RoomView:
    """What the projector shows. ``show`` says which part: "join", "call", "walls", "votes", "theme"."""

    stage: str
    stage_label: str
    show: str
    code: str
    joined: int = 0
    card: WorkshopCard | None = None
    remaining: int = 0
    total: int = 0
    walls: list[Wall] = field(default_factory=list)
    votes: list[VoteRow] = field(default_factory=list)
    votes_revealed: bool = False
    voters: int = 0
    theme: Cluster | None = None
    theme_dots: int | None = None
    whys: list[Why] = field(default_factory=list)
    success: list[tuple[str, list[str]]] = field(default_factory=list)
    actions: list = field(default_factory=list)
    sharing: list = field(default_factory=list)


def wall(w: Workshop, kind: str) -> Wall:
    """The main wall of one kind, in its order, each cluster with its number and stable label."""
    board = w.boards.get(kind=kind, is_main=True)
    columns = []
    for number, c in enumerate(board.clusters.prefetch_related("placements__card__statement"), start=1):
        cards = [MiniCard(p.card.statement.card_code,
                          Truncator(p.card.statement.shown_text).words(MINI_WORDS, truncate="…"))
                 for p in c.placements.all()]
        columns.append(Column(pk=c.pk, number=number, tag=c.tag, name=c.name, cards=cards))
    return Wall(kind=kind, kind_label=Kind(kind).label, columns=columns)


def _votes(w: Workshop) -> tuple[list[VoteRow], int]:
    themes = Cluster.objects.themes().filter(board__workshop=w, board__kind=Kind.NOT_WORKING).annotate(
        n=Sum("votes__dots")).order_by("position", "id")  # the wall's order (an aggregate drops the default)
    rows = [VoteRow(c.name, (c.n or 0) if w.votes_revealed else None) for c in themes]
    if w.votes_revealed:
        rows.sort(key=lambda r: -r.dots)
    voters = w.delegates.annotate(v=Count("votes")).filter(v__gt=0).count()
    return rows, voters


def chosen_theme(w: Workshop) -> Cluster | None:
    """The theme the screen shows: the one the facilitator put on it, else the most voted not-working theme
    once the votes are shown, else the first not-working theme (then any theme)."""
    themes = Cluster.objects.themes().filter(board__workshop=w)
    if w.screen_theme_id:
        chosen = themes.filter(pk=w.screen_theme_id).first()
        if chosen:
            return chosen
    not_working = themes.filter(board__kind=Kind.NOT_WORKING)
    if w.votes_revealed:
        top = not_working.annotate(n=Sum("votes__dots")).filter(n__gt=0).order_by("-n", "position", "id").first()
        if top:
            return top
    return not_working.first() or themes.order_by("board__kind", "position", "id").first()


def _whys(theme: Cluster) -> list[Why]:
    children: dict = {}
    for cause in theme.root_causes.all():
        children.setdefault(cause.parent_id, []).append(cause)

    def tree(parent=None) -> list[Why]:
        return [Why(c.text, tree(c.pk)) for c in children.get(parent, [])]

    return tree()


def room_view(w: Workshop) -> RoomView:
    """What the projector shows for ``w`` at its stage now (see the module's notes)."""
    view = RoomView(stage=w.stage, stage_label=Stage(w.stage).label, show="join", code=w.code,
                    joined=w.delegates.count(), votes_revealed=w.votes_revealed)
    if w.stage == Stage.JOIN:
        return view
    if w.stage == Stage.CARD_CALL:
        remaining = cards_to_call(w)
        view.card = remaining.first()
        view.remaining, view.total = remaining.count(), w.cards.count()
        view.show = "call"
        kinds = [view.card.kind] if view.card else list(BOARD_KINDS)
        view.walls = [wall(w, k) for k in kinds]
        return view
    if w.stage in (Stage.BOARDS, Stage.NAMING):
        view.show = "walls"
        view.walls = [wall(w, k) for k in BOARD_KINDS]
        return view
    if w.stage == Stage.ANALYSIS and not w.screen_theme_id:
        view.show = "votes"
        view.votes, view.voters = _votes(w)
        return view
    theme = chosen_theme(w)
    view.show = "theme"
    if theme is None:
        view.show = "votes" if w.stage == Stage.ANALYSIS else "theme"
        view.votes, view.voters = _votes(w)
        view.actions = list(w.actions.all())
    else:
        view.theme = theme
        if w.votes_revealed:
            view.theme_dots = theme.votes.aggregate(n=Sum("dots"))["n"] or 0
        view.whys = _whys(theme)
        by_perspective: dict = {}
        for s in theme.success.all():
            by_perspective.setdefault(s.get_perspective_display(), []).append(s.text)
        view.success = list(by_perspective.items())
        view.actions = list(theme.actions.all())
    if w.stage == Stage.SHARING:
        view.sharing = list(w.sharing.all())
    return view
