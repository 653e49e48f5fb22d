"""The rules of the programme around the workshop. Views call these; nothing here knows about requests.

* :func:`task_list` — the preparation planner: each task and whether it is not
  started, in progress or completed.
* :func:`sample_progress` and :func:`representation` — how many people have
  been reviewed against the sample set, and which groups in the population are
  missing or under-represented (a group's share of the people reviewed is less
  than half its share of the population, or nobody from it was reviewed).
  People are counted, not statements. Small counts are hidden from anyone who
  may not see identifiable reviews.
* :func:`delegate_mix` — the delegate list checked against the guide: 15 to 25
  people, with commissioners, people who use services (or their
  representatives) and provider managers all present.
* :func:`save_evaluation` and :func:`themed_evaluations` — the delegates'
  evaluation, grouped into themes through the one engine adapter.
* :func:`record_update`, :func:`follow_up`, :func:`submit_comment`,
  :func:`moderate` — following actions through the year.
* :func:`start_next_cycle` — next year's cycle, copied from this one.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from goldenthread.core import roles
from goldenthread.core.themes import group_texts
from goldenthread.privacy.suppression import suppress_series
from goldenthread.programme.models import (
    DELEGATES_MAX, DELEGATES_MIN, MAX_TEXT, SAMPLE_ENOUGH, SAMPLE_MIN, ActionUpdate, CarriedAction, Comment,
    Evaluation, Invitee, Plan, PopulationCount, StakeholderGroup, TaskStatus,
)
from goldenthread.reviews.models import ProgrammeCycle, Review
from goldenthread.workshops.models import Action, Status, Workshop

#: Weeks without an update after which an open action counts as stalled.
STALLED_WEEKS = 8


def threshold() -> int:
    return int(getattr(settings, "GOLDENTHREAD_SUPPRESS_BELOW", 5))


def plan_for(cycle: ProgrammeCycle) -> Plan:
    plan, _ = Plan.objects.get_or_create(cycle=cycle)
    return plan


def people_reviewed(cycle: ProgrammeCycle):
    """The reviews that count towards the sample: finished ones (one person may have more than one)."""
    return cycle.reviews.filter(status=Review.Status.COMPLETE)


def people_count(cycle: ProgrammeCycle) -> int:
    return people_reviewed(cycle).values("person_ref").distinct().count()


# --- 1. The preparation planner -------------------------------------------------------------------

@dataclass
class Task:
    title: str
    status: str
    url_name: str
    hint: str = ""

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label


def _status(done: int, of: int) -> str:
    return TaskStatus.COMPLETED if done >= of else TaskStatus.IN_PROGRESS if done else TaskStatus.NOT_STARTED


def task_list(cycle: ProgrammeCycle) -> list[Task]:
    """The preparation planner, in the order the guide does things."""
    plan = plan_for(cycle)
    people = people_count(cycle)
    workshops = list(cycle.workshops.all())
    invitees = Invitee.objects.filter(workshop__in=workshops).count()
    evaluations = Evaluation.objects.filter(workshop__in=workshops).count()
    actions = Action.objects.filter(workshop__in=workshops)
    updated = actions.filter(updates__isnull=False).distinct().count()
    decisions = [bool(plan.information.strip() or plan.top_three), bool(plan.whose_reviews.strip()),
                 bool(plan.how_gathered)]
    target = plan.sample_target or SAMPLE_MIN
    flagged = sum(len(c.flagged) for c in representation(cycle, shared=True))
    return [
        Task("Purpose and scope", _status(sum([bool(cycle.purpose.strip()), bool(plan.scope_type),
                                                bool(cycle.scope.strip())]), 3), "programme:purpose",
             "Why the cycle is run and who it covers."),
        Task("Planning meeting decisions", _status(sum(decisions), 3), "programme:decisions",
             "What to gather, whose reviews, and who gathers them."),
        Task("Sample and who is represented",
             _status(sum([bool(plan.sample_target), cycle.population.exists()]), 2), "programme:sample",
             f"How many reviews, and the population they should reflect."
             f"{f' {flagged} group(s) missing or under-represented.' if flagged else ''}"),
        Task("Reviews gathered", _status(min(people, target), target) if people else TaskStatus.NOT_STARTED,
             "programme:sample", f"{people} of {target} people reviewed."),
        Task("Delegate list and invitations",
             TaskStatus.NOT_STARTED if not invitees else
             TaskStatus.COMPLETED if invitees >= DELEGATES_MIN else TaskStatus.IN_PROGRESS,
             "programme:workshops", "The right people in the room."),
        Task("Delegates' evaluation", TaskStatus.COMPLETED if evaluations else TaskStatus.NOT_STARTED,
             "programme:evaluations", "What worked, what didn't, what to consider next time."),
        Task("Following actions through the year", _status(updated, actions.count()) if actions.exists()
             else TaskStatus.NOT_STARTED, "programme:follow_up", "Progress notes, milestones and comments."),
    ]


# --- 2. The sample and the representation check ---------------------------------------------------

@dataclass
class SampleProgress:
    people: int
    target: int | None

    @property
    def advice(self) -> str:
        if self.target is None:
            return (f"Set how many reviews to use: at least {SAMPLE_MIN}. "
                    f"Past about {SAMPLE_ENOUGH} the themes only repeat.")
        if self.target < SAMPLE_MIN:
            return f"{self.target} is fewer than {SAMPLE_MIN}: the workshop will have too little to work with."
        if self.target > SAMPLE_ENOUGH:
            return f"{self.target} is more than about {SAMPLE_ENOUGH}: extra reviews will mostly confirm the themes."
        return f"{self.target} is within the guide's range of {SAMPLE_MIN} to about {SAMPLE_ENOUGH}."

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.people / self.target)) if self.target else 0


def sample_progress(cycle: ProgrammeCycle) -> SampleProgress:
    return SampleProgress(people_count(cycle), plan_for(cycle).sample_target)


#: Which review field answers each population dimension (None: reviews do not record it).
REVIEW_FIELDS = {"area": "area__name", "user_group": "user_group__name", "service": "service__name",
                 "age_band": None, "ethnicity": None, "gender": None}


@dataclass
class GroupRow:
    value: str
    population: int | None
    reviewed: int | None
    flag: str  # "", "missing", "under-represented"

    @property
    def flag_sentence(self) -> str:
        if self.flag == "missing":
            return "Nobody from this group has been reviewed yet."
        if self.flag == "under-represented":
            return "Fewer people from this group have been reviewed than its share of the population."
        return "Reviewed in about the right numbers."


@dataclass
class DimensionCheck:
    dimension: str
    label: str
    recorded: bool
    rows: list[GroupRow] = field(default_factory=list)

    @property
    def flagged(self) -> list[GroupRow]:
        return [r for r in self.rows if r.flag]


def can_see_small_numbers(user) -> bool:
    """Only roles that may see identifiable reviews see counts below the suppression threshold."""
    return roles.can_see_identifiable(user)


def representation(cycle: ProgrammeCycle, user=None, *, shared: bool | None = None) -> list[DimensionCheck]:
    """Compare the people reviewed with the population in scope, one dimension at a time.

    A group is **missing** when it has people in the population but nobody was
    reviewed, and **under-represented** when its share of the people reviewed is
    less than half its share of the population. Flags are worked out on the real
    numbers; the numbers shown are suppressed (small counts hidden, with
    secondary suppression) unless ``user`` may see identifiable reviews.
    """
    if shared is None:
        shared = not (user is not None and can_see_small_numbers(user))
    people = people_reviewed(cycle)
    checks = []
    for dim in PopulationCount.Dimension:
        counts = list(cycle.population.filter(dimension=dim.value))
        if not counts:
            continue
        path = REVIEW_FIELDS[dim.value]
        check = DimensionCheck(dim.value, dim.label, path is not None)
        reviewed: dict[str, int] = {}
        if path:
            for row in people.values(path).annotate(n=Count("person_ref", distinct=True)):
                reviewed[(row[path] or "").casefold()] = row["n"]
        pop_total = sum(c.count for c in counts) or 1
        rev_total = sum(reviewed.get(c.value.casefold(), 0) for c in counts)
        pops = [c.count for c in counts]
        revs = [reviewed.get(c.value.casefold(), 0) for c in counts]
        shown_pops = suppress_series(pops, threshold()) if shared else pops
        shown_revs = suppress_series(revs, threshold()) if shared else revs
        for c, pop, rev, spop, srev in zip(counts, pops, revs, shown_pops, shown_revs):
            flag = ""
            if path and pop:
                if rev == 0:
                    flag = "missing"
                elif rev_total and rev / rev_total < 0.5 * pop / pop_total:
                    flag = "under-represented"
            check.rows.append(GroupRow(c.value, spop, srev if path else None, flag))
        checks.append(check)
    return checks


class PopulationFileError(ValueError):
    """A population file that cannot be used; ``problems`` name the row and field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


MAX_POPULATION_ROWS = 2000


#: The population dimensions that are the council's fixed lists: a group must be a name on the list.
LISTED_DIMENSIONS = {"area": "area", "user_group": "user_group", "service": "service"}
SEPARATOR_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _population_text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PopulationFileError(["The file is not UTF-8 text. Save it as CSV UTF-8 and try again."]) from None


def population_separator(content: bytes) -> str:
    """A sentence for a file whose columns are not separated by commas ("" for a comma file, or an unreadable one).

    Spreadsheets set to some languages save "CSV" with semicolons; a tab-separated file comes from copying cells.
    Both are read, and the person is told how the file was read, so a wrong guess is noticed.
    """
    from goldenthread.privacy.spreadsheets import choose_delimiter

    try:
        separator = choose_delimiter(_population_text(content))
    except PopulationFileError:
        return ""
    if separator == ",":
        return ""
    return (f"The file has {SEPARATOR_NAMES[separator]} between its columns, not commas, and was read that way. "
            "If the numbers look wrong, save it as CSV (comma separated) and import it again.")


def check_population_group(dimension: str, value: str, lookups=None) -> str:
    """The group's name as the council's list spells it (for areas, user groups and services), else the value.

    A name not on the list raises :class:`goldenthread.core.lookups.NotOnTheList`, with the closest name on the
    list when one is close ("'Northbrok' is not one of the council's areas. Did you mean 'Northbrook'?"): the
    same check and wording as a review file.
    """
    from goldenthread.core.lookups import Lookups

    if dimension not in LISTED_DIMENSIONS:
        return value
    return (lookups or Lookups()).find(LISTED_DIMENSIONS[dimension], value).name


def import_population(cycle: ProgrammeCycle, content: bytes) -> int:
    """Replace the cycle's population from a CSV with columns dimension, group, count. All rows or none.

    Areas, user groups and services must be names on the council's lists (with the closest name suggested);
    comma, semicolon and tab separated files are all read (see :func:`population_separator`).
    """
    from goldenthread.core.lookups import Lookups, NotOnTheList
    from goldenthread.privacy.spreadsheets import choose_delimiter

    text = _population_text(content)
    separator = choose_delimiter(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator)
    needed = {"dimension", "group", "count"}
    try:
        headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    except csv.Error:
        headers = set()
    if not needed <= headers:
        first = text.splitlines()[0] if text.strip() else ""
        hint = ""
        if ";" in first or "\t" in first or "|" in first:
            hint = " Separate the columns with commas, semicolons or tabs, the same on every row."
        raise PopulationFileError([f"The first row must name the columns: dimension, group, count "
                                   f"(missing: {', '.join(sorted(needed - headers))}).{hint}"])
    dims = {d.value: d.value for d in PopulationCount.Dimension}
    dims.update({d.label.lower(): d.value for d in PopulationCount.Dimension})
    lookups = Lookups()
    problems, rows, seen = [], [], set()
    for n, raw in enumerate(reader, start=2):
        if n > MAX_POPULATION_ROWS + 1:
            problems.append(f"The file has more than {MAX_POPULATION_ROWS} rows.")
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(k, str) and k
               and isinstance(v, (str, type(None)))}
        dim = dims.get(row.get("dimension", "").lower().replace(" ", "_")) or dims.get(row.get("dimension", "").lower())
        if not dim:
            problems.append(f"Row {n}, dimension: \"{row.get('dimension', '')[:40]}\" is not one of "
                            + ", ".join(d.label.lower() for d in PopulationCount.Dimension) + ".")
        value = row.get("group", "")
        if not value or len(value) > 120:
            problems.append(f"Row {n}, group: write the group's name (up to 120 characters).")
        elif dim:
            try:
                value = check_population_group(dim, value, lookups)
            except NotOnTheList as err:
                problems.append(f"Row {n}, group: {err} Names must be on the council's {err.fixed.plural} list.")
        try:
            count = int(row.get("count", ""))
            if count < 0:
                raise ValueError
        except ValueError:
            problems.append(f"Row {n}, count: \"{row.get('count', '')[:20]}\" is not a whole number of people.")
            count = 0
        if dim and value and (dim, value.casefold()) in seen:
            problems.append(f"Row {n}, group: \"{value}\" appears twice for {dim.replace('_', ' ')}.")
        seen.add((dim, value.casefold()))
        rows.append((dim, value, count))
    if not rows and not problems:
        problems.append("The file has no rows of counts.")
    if problems:
        raise PopulationFileError(problems)
    with transaction.atomic():
        cycle.population.all().delete()
        PopulationCount.objects.bulk_create([PopulationCount(cycle=cycle, dimension=d, value=v, count=c)
                                             for d, v, c in rows])
    return len(rows)


# --- 3. The right people in the room --------------------------------------------------------------

#: The bare minimum the guide says must be in the room.
MUST_HAVE = [
    (StakeholderGroup.COMMISSIONER, "commissioners"),
    (StakeholderGroup.PERSON, "people who use services or their representatives"),
]


def delegate_mix(invitees) -> list[str]:
    """Plain-words warnings about a delegate list (everyone not declined counts)."""
    people = list(invitees)
    warnings = []
    n = len(people)
    if n < DELEGATES_MIN:
        warnings.append(f"{n} {'person is' if n == 1 else 'people are'} on the list. The guide suggests "
                        f"{DELEGATES_MIN} to {DELEGATES_MAX}: invite {DELEGATES_MIN - n} more.")
    elif n > DELEGATES_MAX:
        warnings.append(f"{n} people are on the list. The guide suggests {DELEGATES_MIN} to {DELEGATES_MAX}: "
                        f"with more, not everyone can take part in the discussion.")
    groups = {p.group for p in people}
    for group, words in MUST_HAVE:
        if group not in groups:
            warnings.append(f"Nobody is coming from {words}. They are part of the bare minimum for the workshop.")
    if not any(p.group == StakeholderGroup.PROVIDER and p.provider_manager for p in people):
        warnings.append("No provider managers are coming. They are part of the bare minimum for the workshop.")
    return warnings


def access_summary(invitees) -> list[tuple[str, int]]:
    """How many people need each kind of support on the day (for booking the room)."""
    people = list(invitees)
    return [(label, n) for label, n in (
        ("Hearing loop", sum(p.induction_loop for p in people)), ("Easy-read papers", sum(p.easy_read for p in people)),
        ("Interpreter", sum(bool(p.interpreter) for p in people)),
        ("Step-free access", sum(p.step_free for p in people)),
        ("Other needs", sum(bool(p.other_needs) for p in people))) if n]


# --- 4. The delegates' evaluation -----------------------------------------------------------------

def save_evaluation(workshop: Workshop, *, worked: str, not_so_well: str, future: str, delegate=None,
                    group: str = "", entered_by=None) -> Evaluation:
    """Save (or replace) one delegate's answers. A delegate who joined with the code has one evaluation."""
    values = {"worked": worked.strip()[:MAX_TEXT], "not_so_well": not_so_well.strip()[:MAX_TEXT],
              "future": future.strip()[:MAX_TEXT], "entered_by": entered_by,
              "group": group or (delegate.group if delegate else "")}
    if delegate is not None:
        evaluation, _ = Evaluation.objects.update_or_create(workshop=workshop, delegate=delegate, defaults=values)
        return evaluation
    return Evaluation.objects.create(workshop=workshop, **values)


@dataclass
class EvaluationTheme:
    texts: list[str]

    @property
    def title(self) -> str:
        return self.texts[0]


@dataclass
class EvaluationQuestion:
    field: str
    question: str
    themes: list[EvaluationTheme]
    answers: int
    engine_used: bool


def themed_evaluations(cycle: ProgrammeCycle) -> list[EvaluationQuestion]:
    """Each evaluation question's answers, grouped into themes by the theme engine (largest first)."""
    evaluations = list(Evaluation.objects.filter(workshop__cycle=cycle))
    out = []
    for name, question in Evaluation.QUESTIONS:
        texts = [getattr(e, name) for e in evaluations if getattr(e, name).strip()]
        groups, used = group_texts(texts)
        out.append(EvaluationQuestion(name, question, [EvaluationTheme([texts[i] for i in g]) for g in groups],
                                      len(texts), used))
    return out


# --- 5. Following actions through the year --------------------------------------------------------

def cycle_actions(cycle: ProgrammeCycle):
    """The cycle's own actions and those carried in from last year."""
    from django.db.models import Q

    return Action.objects.filter(Q(workshop__cycle=cycle) | Q(carried_into__cycle=cycle)).distinct() \
        .select_related("workshop")


def latest_update(action: Action) -> ActionUpdate | None:
    return action.updates.first()


@transaction.atomic
def record_update(action: Action, *, note: str, status: str, on: dt.date, by) -> ActionUpdate:
    """A dated progress note. The action's status follows the newest update."""
    if status not in Status.values:
        raise ValueError(f"unknown status {status!r}")
    update = ActionUpdate.objects.create(action=action, note=note.strip()[:MAX_TEXT], status=status, on=on, by=by)
    newest = action.updates.first()
    if newest is not None and newest.status != action.status:
        Action.objects.filter(pk=action.pk).update(status=newest.status)
        action.status = newest.status
    return update


@dataclass
class FollowUpRow:
    action: Action
    last_update: ActionUpdate | None
    overdue: bool
    stalled: bool
    weeks_quiet: int


def follow_up(cycle: ProgrammeCycle, today: dt.date | None = None, stalled_weeks: int = STALLED_WEEKS) \
        -> list[FollowUpRow]:
    """Every open action with whether it is overdue (past its date) or stalled (no update for N weeks)."""
    today = today or dt.date.today()
    rows = []
    for action in cycle_actions(cycle).prefetch_related("updates"):
        last = latest_update(action)
        since = last.on if last else action.workshop.created_at.date()
        quiet = (today - since).days // 7
        open_ = action.status != Status.DONE
        rows.append(FollowUpRow(action, last, open_ and action.due < today, open_ and quiet >= stalled_weeks, quiet))
    return rows


def comment_cycle(code: str) -> ProgrammeCycle | None:
    plan = Plan.objects.filter(comment_code=code.strip().upper(), comments_open=True).select_related("cycle").first()
    return plan.cycle if plan else None


#: How many comments one comment code takes in an hour, from everyone together. It is counted per code, not per
#: address: a shared tablet at a day centre, or one council's network, is many people behind one address. Every
#: comment waits for someone to check it, so a flood costs checking time and never reaches the page.
COMMENTS_PER_HOUR = 30


def comments_per_hour() -> int:
    return int(getattr(settings, "GOLDENTHREAD_COMMENTS_PER_HOUR", COMMENTS_PER_HOUR))


class TooManyComments(Exception):
    pass


def submit_comment(cycle: ProgrammeCycle, action: Action, *, text: str, came_from: str, visitor: str = "") -> Comment:
    """A comment from someone with the comment code. It waits for approval before anyone else sees it.

    ``visitor`` is no longer used for the limit (see :data:`COMMENTS_PER_HOUR`); it is kept for old callers.
    """
    from django.core.cache import cache

    if not cycle_actions(cycle).filter(pk=action.pk).exists():
        raise ValueError("That action is not part of this cycle.")
    key = f"gt-comments:{cycle.pk}:{plan_for(cycle).comment_code}"
    sent = cache.get(key, 0)
    if sent >= comments_per_hour():
        raise TooManyComments
    cache.set(key, sent + 1, 3600)
    return Comment.objects.create(action=action, text=text.strip()[:MAX_TEXT], came_from=came_from)


def moderate(comment: Comment, *, approve: bool, by) -> Comment:
    comment.state = Comment.State.APPROVED if approve else Comment.State.REJECTED
    comment.moderated_by, comment.moderated_at = by, timezone.now()
    comment.save(update_fields=["state", "moderated_by", "moderated_at"])
    return comment


def can_moderate(user) -> bool:
    return roles.can_run_cycles(user)


def can_update_actions(user) -> bool:
    return roles.can_run_workshops(user) or roles.can_plan(user)


# --- What reporting shows --------------------------------------------------------------------------

@dataclass
class Progress:
    status: str
    note: str
    on: dt.date | None


def action_progress(action: Action) -> Progress:
    """An action's latest progress, for the report and "you said, we did"."""
    last = latest_update(action)
    return Progress(action.get_status_display(), last.note if last else "", last.on if last else None)


def comment_invitation(cycle: ProgrammeCycle) -> str:
    """The sentence that tells people how to comment on the actions ("" when comments are closed)."""
    plan = plan_for(cycle)
    if not plan.comments_open:
        return ""
    return (f"Tell us what you think of what we are doing. Go to the comment page of this website and "
            f"type the code {plan.comment_code}. You do not need an account.")


# --- 7. The next cycle ------------------------------------------------------------------------------

@transaction.atomic
def start_next_cycle(previous: ProgrammeCycle, *, name: str, slug: str, year: int, user=None) -> ProgrammeCycle:
    """Next year's cycle: purpose, scope and the planned delegate groups copied, open actions carried in."""
    cycle = ProgrammeCycle.objects.create(
        name=name, slug=slug, year=year, purpose=previous.purpose, scope=previous.scope,
        people_involved=previous.people_involved, previous=previous, created_by=user)
    cycle.team.set(previous.team.all())
    old = plan_for(previous)
    groups = dict(old.delegate_groups)
    counted = (Invitee.objects.coming().filter(workshop__cycle=previous).values("group")
               .annotate(n=Count("id")))
    if counted:
        groups = {row["group"]: row["n"] for row in counted}
    Plan.objects.create(cycle=cycle, scope_type=old.scope_type, information=old.information, top_three=old.top_three,
                        whose_reviews=old.whose_reviews, existing_facilitators=old.existing_facilitators,
                        train_facilitators=old.train_facilitators,
                        independent_facilitators=old.independent_facilitators,
                        sample_target=old.sample_target, delegate_groups=groups)
    for action in cycle_actions(previous).exclude(status=Status.DONE):
        CarriedAction.objects.get_or_create(cycle=cycle, action=action)
    return cycle


def planned_groups(plan: Plan) -> list[tuple[str, int]]:
    return [(StakeholderGroup(g).label, n) for g, n in plan.delegate_groups.items() if g in StakeholderGroup.values]


# --- Invitations -----------------------------------------------------------------------------------

def workshop_day(workshop: Workshop):
    from goldenthread.programme.models import WorkshopDay

    day, _ = WorkshopDay.objects.get_or_create(workshop=workshop)
    return day


def invitation(workshop: Workshop, *, easy_read: bool = False):
    """What the invitation says: what people are coming to, when and where, and how to tell us their needs."""
    from goldenthread.programme.pdf import Document, Section

    day = workshop_day(workshop)
    when = [f"Date: {day.date:%A %-d %B %Y}" if day.date else "Date: to be confirmed",
            f"Time: {day.times or 'to be confirmed'}", f"Place: {day.venue or 'to be confirmed'}"]
    contact = day.contact or "the person who sent you this invitation"
    cycle = workshop.cycle
    if easy_read:
        return Document(
            title=f"You are invited to a meeting: {workshop.name}",
            intro="We want to hear what is working and what is not working in people's lives.",
            sections=[
                Section("When and where", when),
                Section("What happens at the meeting", bullets=[
                    "We read out what people said at their reviews. We do not say their names.",
                    "We put the things people said into groups.",
                    "We talk about why things are not working.",
                    "We agree what we will do to make things better.",
                ]),
                Section("Who will be there", bullets=[
                    "People who use services, and people who speak up for them.",
                    "Families and carers.",
                    "People who run services.",
                    "People from the council who decide what services to buy.",
                ]),
                Section("Tell us what you need", [
                    "For example a hearing loop, easy-read papers, an interpreter or a room with no steps.",
                    f"Please tell {contact}."]),
                Section("After the meeting", ["We will ask you what worked and what did not work so well."]),
            ])
    return Document(
        title=f"Invitation: {workshop.name}",
        intro=(f"You are invited to a Working together for change workshop for {cycle.name}. "
               "It turns what people said in their person-centred reviews into decisions about services."),
        sections=[
            Section("When and where", when),
            Section("What the workshop is for", [cycle.purpose or "To hear what is working and not working for "
                                                 "people, and agree what to change."]),
            Section("What will happen on the day", bullets=[
                "We read out anonymised statements from people's reviews: what is working, what is not working "
                "and what matters for the future.",
                "Together we group them into themes and name each theme.",
                "We vote on the themes that matter most and ask \"why?\" until we reach the root causes.",
                "We agree actions for commissioners, providers and community groups, and how we will share them.",
            ]),
            Section("Who is invited", [
                "People who use services or their representatives, families and carers, provider managers and "
                "staff, commissioners and strategic decision makers, and others such as health and advocacy "
                "services. Between 15 and 25 people take part."]),
            Section("Access needs", [
                "Please tell us if you need a hearing loop, easy-read papers, an interpreter, step-free access or "
                f"anything else, so we can arrange it. Contact {contact}."]),
        ],
        footer="At the end of the day we will ask what worked, what did not work so well, and what needs to be "
               "considered for the future.")
