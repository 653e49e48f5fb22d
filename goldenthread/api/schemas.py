"""The shapes of what goes in and comes out, as pydantic models (they make the OpenAPI schema).

Reviews come in exactly in the shape of the JSON import (``docs/import-format.md``):
``{"reviews": [{review columns…, "statements": [{kind, perspective, priority, text}]}]}``.
The models here check the *types* (a consent is ``true``/``false`` or a word
like ``"yes"``; a priority a number or ``"1"``); the import's own parser then
checks the *values* (a real date not in the future, a known kind, each
priority once per kind) so both ways in say the same thing about the same data.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

Text = Annotated[str, Field(max_length=5000)]
Short = Annotated[str, Field(max_length=200)]


#: Characters no field may hold: NUL (PostgreSQL cannot store it) and the controls that reverse or isolate the
#: direction of text (they make a name or an ID display as something else).
FORBIDDEN_CHARACTERS = {"\x00": "a NUL character", **{chr(c): "a text-direction control character"
                                                        for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}}


class StrictIn(BaseModel):
    model_config = ConfigDict(strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_forbidden_characters(cls, value):
        if isinstance(value, str):
            for ch, name in FORBIDDEN_CHARACTERS.items():
                if ch in value:
                    raise ValueError(f"must not contain {name} (U+{ord(ch):04X})")
        return value


# --- In ------------------------------------------------------------------------------------------

class AttendeeIn(StrictIn):
    name: Short
    relationship: Short = ""


class StatementIn(StrictIn):
    kind: Annotated[str, Field(max_length=40, description="working, not working, future or important now",
                               examples=["not working"])]
    perspective: Annotated[str, Field(max_length=40, description="person (default), family, staff or professional",
                                      examples=["person"])] = ""
    priority: Union[Annotated[int, Field(ge=1, le=3)], Annotated[str, Field(max_length=3)], None] = Field(
        default=None, description="1, 2 or 3 when the person picked this as a top choice for its kind")
    text: Annotated[Text, Field(description="What was said, in the words used", examples=["The bus stops at six"])]


class ReviewIn(StrictIn):
    review_id: Annotated[str, Field(max_length=64, description="The review's ID in your own records",
                                    examples=["ASH-2026-014"])]
    person_id: Annotated[str, Field(max_length=64, examples=["P-0042"],
                                    description="A pseudonymous ID, the same every year; never a name or an NHS "
                                                "number (refused)")]
    person_name: Short = ""
    review_date: Annotated[str, Field(max_length=40, description="2026-03-14 or 14/03/2026; from 2000-01-01 to today",
                                      examples=["2026-03-14"])]
    facilitator: Short = ""
    attendees: Union[Annotated[str, Field(max_length=2000)], Annotated[list[Union[AttendeeIn, Short]],
                                                                       Field(max_length=50)]] = ""
    location: Short = ""
    area: Annotated[str, Field(max_length=120, examples=["Northbrook"])]
    service: Annotated[str, Field(max_length=120)] = ""
    user_group: Annotated[str, Field(max_length=120, examples=["Older people"])]
    consent: Union[bool, Annotated[str, Field(max_length=20)]] = Field(
        description="May the anonymised statements be used in this cycle? true/false or yes/no")
    statements: Annotated[list[StatementIn], Field(min_length=1, max_length=200)]


class ReviewBatchIn(StrictIn):
    """One request: up to 500 reviews, saved all together or not at all."""

    reviews: Annotated[list[ReviewIn], Field(min_length=1, max_length=500)]


# --- Out -----------------------------------------------------------------------------------------

class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut] = []


class FieldErrorOut(BaseModel):
    detail: str
    pointer: str = ""
    row: str = ""
    field: str = ""


Problem.model_rebuild()


class ReviewWritten(BaseModel):
    review_id: str
    id: int
    status: Literal["created", "unchanged"]


class WriteResult(BaseModel):
    created: int
    unchanged: int
    statements_created: int
    reviews: list[ReviewWritten]


class CycleOut(BaseModel):
    slug: str
    name: str
    year: int
    previous: Optional[str] = Field(description="Last year's cycle (its slug), if linked")
    purpose: str
    scope: str
    reviews: Optional[int] = Field(description="Reviews with consent; hidden below the threshold when shared")
    people: Optional[int] = Field(description="Distinct people with a card; hidden below the threshold when shared")


class CardOut(BaseModel):
    code: str = Field(examples=["N-007"])
    kind: str
    kind_label: str
    perspective: str
    priority: Optional[int]
    card_text: str = Field(description="The anonymised wording (words nobody has checked yet shown as [name?])")
    area: str
    user_group: str
    service: str = Field(description="Empty for a token not allowed identifiable data, unless it is limited to "
                                     "this one service")
    review_id: Optional[str] = Field(default=None, description="Only for tokens allowed identifiable data")
    person_id: Optional[str] = Field(default=None, description="Only for tokens allowed identifiable data")
    text: Optional[str] = Field(default=None, description="Words as recorded; only for identifiable tokens")


class ThemeCard(BaseModel):
    code: str
    card_text: str
    area: str
    user_group: str


class RootCauseOut(BaseModel):
    id: int
    theme_id: int
    parent_id: Optional[int]
    depth: int
    text: str


class ThemeOut(BaseModel):
    id: int
    name: str
    kind: str
    kind_label: str
    people: Optional[int] = Field(description="Distinct people within the filters; null when hidden by "
                                                "small-number suppression")
    statements: Optional[int] = Field(description="Cards within the filters; only for tokens allowed identifiable "
                                                    "data (null when shared, as in the shared report)")
    dots: int
    voters: int
    actions: list[int] = Field(description="Ids of the actions that answer this theme")
    root_causes: list[RootCauseOut]
    cards: list[ThemeCard]


class VoteOut(BaseModel):
    theme_id: int
    theme: str
    kind: str
    dots: int
    voters: int
    by_group: dict[str, int] = Field(description="Dots by delegate group (person, family, provider, …)")


class ActionOut(BaseModel):
    id: int
    text: str
    stakeholder: str
    owner: str
    measure: str
    due: dt.date
    status: str = Field(description="not_started, underway or done")
    status_label: str
    themes: list[int]
    root_causes: list[int]


YEAR_ON_VERDICTS = (
    '"raised again by more people", "raised again by fewer people", "raised again by about as many people" '
    '(a person confirmed the match and both counts are shown), "raised again" (confirmed, but a count is '
    'hidden), "not matched yet" (nobody has confirmed a match or said there is none), "not raised again" '
    '(a person said no theme matches), "not finished yet" (the later workshop is still sorting its cards) or '
    '"no workshop to compare with yet". Earlier versions said grew, shrank, stayed the same, vanished, '
    'not checked yet or no later cycle yet.')


class ThreadTheme(BaseModel):
    id: int
    name: str
    kind: str
    people: Optional[int]
    cards: list[str] = Field(description="Card codes of the anonymised statements behind the theme")
    next_year: str = Field(description=(
        "This theme a year on, compared with the workshop the next cycle's report shows: " + YEAR_ON_VERDICTS))
    outcomes: list[str] = Field(default_factory=list, description=(
        "Codes of the outcome areas a person confirmed this theme speaks to (see /outcomes)"))


class ThreadOut(BaseModel):
    action_id: int
    action: str
    status: str
    due: dt.date
    themes: list[ThreadTheme]
    root_causes: list[list[str]] = Field(description="Each chain from the first 'why?' to the cause tackled")
    outcomes: list[str] = Field(default_factory=list, description=(
        "Codes of the outcome areas the action works towards (confirmed for any of its themes); their activity "
        "and results figures are at /measures?outcome=CODE"))


class ReportTheme(BaseModel):
    id: int
    name: str
    people: Optional[int]
    statements: Optional[int] = Field(description="Cards; only in the team version (identifiable tokens)")
    dots: int
    voters: int
    actions: int


class ReportKind(BaseModel):
    kind: str
    label: str
    people: Optional[int]
    themes: list[ReportTheme]


class ReportBreakdown(BaseModel):
    kind: str
    by: str
    groups: list[str]
    themes: list[str]
    cells: list[list[Optional[int]]]
    totals: list[Optional[int]]


class ReportYear(BaseModel):
    theme: str
    kind: str
    previous_name: str
    before: Optional[int]
    now: Optional[int]
    change: str = Field(description="One of the raised-again verdicts of year_on")


class ReportYearOnAction(BaseModel):
    text: str
    owner: str
    status: str
    note: str


class ReportYearOn(BaseModel):
    previous_theme: str = Field(description="Last year's theme")
    kind: str
    earlier_workshop: str
    compared_with: str = Field(description="The workshop it was compared with: the one asked for")
    verdict: str = Field(description=YEAR_ON_VERDICTS)
    theme: Optional[str] = Field(description="This year's theme a person confirmed as the same; null when none")
    before: Optional[int]
    now: Optional[int]
    sentence: str
    actions: list[ReportYearOnAction] = Field(description="Last year's actions for the theme, who, and their status")


class ReportOut(BaseModel):
    cycle: str
    workshop: Optional[int]
    shared: bool = Field(description="True when small counts are hidden (every token not allowed identifiable data)")
    threshold: int
    privacy_note: str
    reviews: Optional[int] = Field(description="Reviews with consent; null when hidden (shared)")
    people: Optional[int] = Field(description="Distinct people with a card; null when hidden (shared)")
    kinds: list[ReportKind]
    by_area: list[ReportBreakdown]
    by_user_group: list[ReportBreakdown]
    years: list[ReportYear] = Field(description="Last year's themes raised again (from year_on)")
    gone: list[str] = Field(description="Last year's themes a person said were not raised again (from year_on)")
    year_on: list[ReportYearOn] = Field(description="Each of last year's themes a year on, compared with this workshop")


def page_of(item: type[BaseModel], name: str, **extra) -> type[BaseModel]:
    """A page of results: ``count`` in all, this page's ``results``, and ``next`` (an offset) if there is more."""
    return create_model(
        name,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        next_offset=(Optional[int], Field(description="Pass as offset for the next page; null on the last page")),
        results=(list[item], ...),
        **extra,
    )


CyclePage = page_of(CycleOut, "CyclePage")
CardPage = page_of(CardOut, "CardPage", withheld=(bool, Field(
    False, description="True when cards matching the filters were left out because they belong to a group "
                       "(kind, area, user group) of fewer people than the small-number limit; only for tokens "
                       "not allowed identifiable data. count is the number listed.")))
ThemePage = page_of(ThemeOut, "ThemePage")
VotePage = page_of(VoteOut, "VotePage")
RootCausePage = page_of(RootCauseOut, "RootCausePage")
ActionPage = page_of(ActionOut, "ActionPage")
ThreadPage = page_of(ThreadOut, "ThreadPage")


# --- Outcomes ------------------------------------------------------------------------------------

class OutcomeIn(StrictIn):
    code: Annotated[str, Field(max_length=20, examples=["O1"], description="The outcome's short reference")]
    statement: Annotated[str, Field(max_length=300, examples=["I have people I can count on"])]
    description: Annotated[str, Field(max_length=2000)] = ""


class OutcomeBatchIn(StrictIn):
    """The council's outcome framework (or part of it): known codes are updated, new ones added, none removed."""

    outcomes: Annotated[list[OutcomeIn], Field(min_length=1, max_length=200)]


class MeasureIn(StrictIn):
    outcome: Annotated[str, Field(max_length=20, description="The outcome area's code", examples=["O1"])]
    name: Annotated[str, Field(max_length=200, examples=["Hours of home care delivered"])]
    kind: Annotated[str, Field(max_length=20, description="activity or results", examples=["activity"])]
    unit: Annotated[str, Field(max_length=40, examples=["hours"])] = ""
    value: Union[float, int, Annotated[str, Field(max_length=30)]] = Field(description="A number", examples=[412000])
    period: Annotated[str, Field(max_length=40, examples=["2025-26"])]
    cycle: Annotated[str, Field(max_length=80, description="The short name of the cycle the period belongs to",
                                examples=["ashdown-2026"])]
    area: Annotated[str, Field(max_length=120, description="Empty for the whole council")] = ""
    user_group: Annotated[str, Field(max_length=120, description="Empty for every user group")] = ""


class MeasureBatchIn(StrictIn):
    """Activity and results measures: a figure already held (same outcome, cycle, name, period, area and user
    group) gets the new value; the rest are added. All or nothing."""

    measures: Annotated[list[MeasureIn], Field(min_length=1, max_length=2000)]


class OutcomeWriteResult(BaseModel):
    created: int
    updated: int


class OutcomeOut(BaseModel):
    code: str
    statement: str
    description: str
    themes: list[int] = Field(description="Ids of the themes a person confirmed as speaking to this outcome, in the "
                                          "cycles this token may use (see /cycles/{slug}/themes for their counts)")


class OutcomePage(BaseModel):
    count: int
    limit: int
    offset: int
    next_offset: Optional[int]
    results: list[OutcomeOut]


class MeasureOut(BaseModel):
    outcome: str
    name: str
    kind: Literal["activity", "results"]
    unit: str
    value: float
    period: str
    cycle: str
    area: str
    user_group: str


class MeasurePage(BaseModel):
    count: int
    limit: int
    offset: int
    next_offset: Optional[int]
    results: list[MeasureOut]


# --- Market --------------------------------------------------------------------------------------

class ServiceTypeIn(StrictIn):
    name: Annotated[str, Field(max_length=120, examples=["Day opportunities"])]
    description: Annotated[str, Field(max_length=2000)] = ""


class ServiceTypeBatchIn(StrictIn):
    """Kinds of support: a name already held (any case) gets the new description; the rest are added."""

    service_types: Annotated[list[ServiceTypeIn], Field(min_length=1, max_length=500)]


class ProvisionIn(StrictIn):
    name: Annotated[str, Field(max_length=200, examples=["Harford Day Centre"])]
    kind: Annotated[str, Field(max_length=20, description="service, provider or community")] = "service"
    service_type: Annotated[str, Field(max_length=120, description="A service type's name")]
    organisation: Annotated[str, Field(max_length=200)] = ""
    areas: Annotated[list[Annotated[str, Field(max_length=120)]], Field(min_length=1, max_length=100,
                                                                        description="Names on the council's list")]
    user_groups: Annotated[list[Annotated[str, Field(max_length=120)]], Field(
        max_length=100, description="Names on the council's list; empty: everyone")] = []
    capacity: Optional[Annotated[int, Field(ge=0, le=999_999_999)]] = None
    capacity_unit: Annotated[str, Field(max_length=40)] = "people"
    notes: Annotated[str, Field(max_length=2000)] = ""


class ProvisionBatchIn(StrictIn):
    """Provisions: one already held (same name and service type) is updated; the rest are added. All or nothing."""

    provisions: Annotated[list[ProvisionIn], Field(min_length=1, max_length=2000)]


class ServiceTypeOut(BaseModel):
    name: str
    description: str
    themes: list[int] = Field(description="Ids of the future themes a person confirmed as asking for it, in the "
                                          "cycles this token may use")


class ProvisionOut(BaseModel):
    name: str
    kind: Literal["service", "provider", "community"]
    service_type: str
    organisation: str
    areas: list[str]
    user_groups: list[str]
    capacity: Optional[int]
    capacity_unit: str


class GapOut(BaseModel):
    service_type: str
    area: Optional[str] = Field(description="null: every area")
    user_group: Optional[str] = Field(description="null: every user group")
    people: Optional[int] = Field(description="Distinct people who want it; null when hidden (small numbers)")
    provisions: int
    capacity: Optional[int] = Field(description="Summed capacity of the provisions whose capacity is known")
    capacity_unknown: int
    nothing_offered: bool
    outstrips_capacity: bool


class MarketGapsOut(BaseModel):
    cycle: str
    workshop: Optional[int]
    shared: bool
    suppress_below: int
    results: list[GapOut]


ServiceTypePage = page_of(ServiceTypeOut, "ServiceTypePage")
ProvisionPage = page_of(ProvisionOut, "ProvisionPage")


# --- Tenders -------------------------------------------------------------------------------------

class CriterionOut(BaseModel):
    id: int
    text: str = Field(description="The question the panel answers for each bid, in plain words")
    theme: Optional[int] = Field(description="The id of the theme it comes from (null: a theme outside the cycles "
                                             "this token may use)")
    weight: int = Field(ge=1, le=5)


class BidCriterionOut(BaseModel):
    criterion: int
    scores: list[Optional[int]] = Field(description="Each panel member's answer, 0 (Not at all) to 4 (Fully), in "
                                                    "the same member order for every bid and criterion; null: not "
                                                    "answered. Members are not named.")
    mean: Optional[float]


class BidOut(BaseModel):
    label: str = Field(description='The blind label the panel scored it by, for example "Bid A"')
    weighted: Optional[float] = Field(description="The weighted mean of the criteria's means, 0 to 4")
    chosen: bool
    criteria: list[BidCriterionOut]


class TenderOut(BaseModel):
    id: int
    name: str
    service_type: str
    area: str
    user_group: str
    status: Literal["drafting", "open", "scoring", "decided"]
    themes: list[int] = Field(description="Ids of the themes it answers, in the cycles this token may use")
    success: list[str] = Field(description='"What success looks like"')
    criteria: list[CriterionOut]
    panel_size: int
    bids: list[BidOut] = Field(description="Bids by label, with every panel member's scores combined openly")
    decision: str


class TenderPage(BaseModel):
    count: int
    limit: int
    offset: int
    next_offset: Optional[int]
    results: list[TenderOut]
