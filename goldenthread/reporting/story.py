"""The story of a report, told first: what people said, what was decided, what changed since last year.

A councillor should get it in two minutes, on a phone. :func:`build_story` draws it from the report's own
numbers (:class:`~goldenthread.reporting.data.ReportData`), so it never counts anything again:

* what people said: the biggest themes of each kind, counted in **people** (a theme's distinct people, never
  its cards), with the count hidden wherever the report hides it (shared outputs, small counts and the
  counts that would give them back, :mod:`goldenthread.privacy.suppression`);
* what was decided: the themes delegates gave most priority dots, and the actions with who does each and
  how far they have got;
* what changed since last year: the report's ``year_on`` rows, which come from the one computation of
  change (:func:`goldenthread.reporting.change.year_on`), tied to the report's workshop, and saying which.

The report page, the full report's HTML file and page 1 of its PDF all show the same :class:`Story`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from goldenthread.core.models import Kind
from goldenthread.reporting.change import NOT_FINISHED, NOT_RAISED, RAISED, RAISED_AGAIN
from goldenthread.reporting.data import ReportData

#: The order kinds are told in: what needs to change first.
KINDS = (Kind.NOT_WORKING, Kind.WORKING, Kind.FUTURE)
TOP_THEMES = 3
TOP_VOTED = 3
MAX_ACTIONS = 4
MAX_YEAR_ON = 4
HIDDEN = "number hidden"


def people_words(n: int | None) -> str:
    """A count of people in words; a hidden count says so, and nothing else."""
    if n is None:
        return HIDDEN
    return f"{n} {'person' if n == 1 else 'people'}"


@dataclass
class StoryTheme:
    name: str
    people: int | None  # distinct people, None where the report hides it
    dots: int = 0

    @property
    def people_words(self) -> str:
        return people_words(self.people)


@dataclass
class StoryKind:
    kind: str
    people: int | None  # distinct people with a card of this kind on a theme (None: hidden)
    themes: list[StoryTheme]  # the biggest few, biggest first
    more: int = 0  # themes of this kind not listed here

    @property
    def label(self) -> str:
        return Kind(self.kind).label

    @property
    def people_words(self) -> str:
        return people_words(self.people)


@dataclass
class StoryAction:
    text: str
    owner: str
    status: str
    due: object
    themes: list[str]


@dataclass
class StoryChange:
    theme: str  # last year's theme
    kind: str
    verdict: str
    later_theme: str = ""  # this year's name for it, where it differs from last year's
    before: int | None = None  # people last year, None where hidden
    now: int | None = None  # people this year, None where hidden (or not raised again)

    @property
    def counts(self) -> str:
        """Both years' people where the theme was raised again and at least one count may be shown."""
        if self.verdict not in RAISED_AGAIN or (self.before is None and self.now is None):
            return ""
        return f"last year {people_words(self.before)}, this year {people_words(self.now)}"

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


@dataclass
class Story:
    cycle: str
    workshop: str  # "" when the cycle has no workshop yet
    reviews: int
    people: int
    shared: bool
    privacy_note: str
    said: list[StoryKind] = field(default_factory=list)
    voted: list[StoryTheme] = field(default_factory=list)
    actions: list[StoryAction] = field(default_factory=list)
    more_actions: int = 0
    # What changed since last year, from change.year_on (compared with ``workshop``).
    previous_cycle: str = ""
    earlier_workshop: str = ""
    changes: list[StoryChange] = field(default_factory=list)
    verdicts: list[tuple[str, int]] = field(default_factory=list)  # (verdict, how many of last year's themes)
    last_year_actions: list[tuple[str, int]] = field(default_factory=list)  # (status, how many)
    last_year_themes: int = 0

    @property
    def intro(self) -> str:
        said = (f"What {self.people} {'person' if self.people == 1 else 'people'} said in {self.reviews} "
                f"review{'' if self.reviews == 1 else 's'}")
        if not self.workshop:
            return f"{said}. There is no workshop for this cycle yet, so there are no themes to show."
        return f"{said}, the themes the workshop \u201c{self.workshop}\u201d found, and what will be done."

    @property
    def verdict_summary(self) -> str:
        """Last year's themes by verdict, in one sentence ("" when there were none)."""
        if not self.last_year_themes:
            return ""
        if [v for v, _ in self.verdicts] == [NOT_FINISHED]:
            return (f"This year's workshop has not finished sorting its cards into themes yet, so none of last "
                    f"year's {self.last_year_themes} themes can be compared yet ({NOT_FINISHED}).")
        counted = dict(self.verdicts)
        raised = sum(counted.get(v, 0) for v in RAISED_AGAIN)
        parts = []
        if raised:
            # "raised again by more people" -> "by more people": the how, inside the raised-again count.
            how = [f"{counted[v]} {v.removeprefix(RAISED + ' ')}" for v in RAISED_AGAIN if v != RAISED and v in counted]
            parts.append(f"{raised} {RAISED}" + (f" ({', '.join(how)})" if how else ""))
        parts += [f"{n} {verdict}" for verdict, n in self.verdicts if verdict not in RAISED_AGAIN]
        return (f"Of last year's {self.last_year_themes} theme{'' if self.last_year_themes == 1 else 's'}: "
                + "; ".join(parts) + ".")

    @property
    def actions_summary(self) -> str:
        """Last year's actions by status, in one sentence ("" when there were none)."""
        total = sum(n for _, n in self.last_year_actions)
        if not total:
            return ""
        parts = [f"{n} {status.lower()}" for status, n in self.last_year_actions]
        return f"Last year's {total} action{'' if total == 1 else 's'}: " + ", ".join(parts) + "."

    @property
    def compared_with(self) -> str:
        if not self.earlier_workshop:
            return ""
        previous = f" ({self.previous_cycle})" if self.previous_cycle else ""
        last = f"last year's workshop \u201c{self.earlier_workshop}\u201d{previous}"
        if not self.workshop:
            return f"The themes of {last}. There is no workshop in this cycle to compare them with yet."
        return f"The themes of {last}, compared with this year's workshop \u201c{self.workshop}\u201d."


def _change_order(row) -> tuple:
    """Raised again first (most people now first), then not raised again."""
    return (0, -(row.now or 0)) if row.verdict in RAISED_AGAIN else (1, 0)


def build_story(data: ReportData) -> Story:
    """The story of one report: drawn from its numbers, hidden where it hides them."""
    story = Story(cycle=data.cycle.name, workshop=data.workshop.name if data.workshop else "", reviews=data.reviews,
                  people=data.people, shared=data.shared, privacy_note=data.privacy_note)
    for kind in KINDS:
        summary = data.kind(kind)
        if summary is None or not summary.themes:
            continue
        # The report lists themes biggest first (by true count); a hidden count keeps its place, so the
        # order gives nothing away that the report's own order does not.
        themes = [StoryTheme(t.name, t.people, t.dots) for t in summary.themes[:TOP_THEMES]]
        story.said.append(StoryKind(kind, summary.people, themes, more=len(summary.themes) - len(themes)))
    every = [t for k in data.kinds for t in k.themes if t.dots]
    story.voted = [StoryTheme(t.name, t.people, t.dots)
                   for t in sorted(every, key=lambda t: (-t.dots, t.name.lower()))[:TOP_VOTED]]
    story.actions = [StoryAction(a.text, a.owner, a.status, a.due, a.themes) for a in data.actions[:MAX_ACTIONS]]
    story.more_actions = max(0, len(data.actions) - MAX_ACTIONS)
    rows = list(data.year_on)
    if rows:
        story.previous_cycle = data.previous_cycle.name if data.previous_cycle else ""
        story.earlier_workshop = rows[0].earlier_workshop
        story.last_year_themes = len(rows)
        # Only what a person found out is listed: raised again, or not raised again. The rest (not matched
        # yet, not finished yet) is told in the sentence that counts every verdict.
        told = [r for r in rows if r.verdict in RAISED_AGAIN or r.verdict == NOT_RAISED]
        picked = sorted(told, key=_change_order)[:MAX_YEAR_ON]
        story.changes = [StoryChange(r.theme, r.kind, r.verdict, r.later_theme if r.later_theme != r.theme else "",
                                     r.before, r.now) for r in picked]
        counted = Counter(r.verdict for r in rows)
        story.verdicts = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
        # An action tied to two of last year's themes is one action.
        actions = {(a.text, a.owner, a.status) for r in rows for a in r.actions}
        statuses = Counter(status for _text, _owner, status in actions)
        story.last_year_actions = sorted(statuses.items(), key=lambda item: (-item[1], item[0]))
    return story
