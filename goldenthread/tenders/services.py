"""Every rule about tenders and the people's panel: the views and the API call these, never the models directly.

* :func:`suggest_themes` -- the workshop themes most like the tender's service type (the engine's similarity
  of the theme's name and cards to the service type's name and description); a person chooses.
* :func:`record_score` -- the server's checks on a panel member's score: only a member of this tender's panel,
  only while the panel is scoring, only a bid and criterion of this tender, one score per member, bid and
  criterion (a second answer replaces the first, and the change is logged).
* :func:`combine` -- the scores combined openly: per bid, each criterion's mean over the members who scored it,
  then the mean of those weighted by the criteria's weights. Every member's scores stay beside the result.
"""
from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass, field

from django.db import transaction

from goldenthread.core import roles
from goldenthread.core.themes import similarity
from goldenthread.tenders.models import SCORE_WORDS, TOP_SCORE, Bid, Criterion, PanelMember, Score, SuccessLine, Tender
from goldenthread.workshops.models import Cluster, SuccessStatement

#: Where a panel member's session remembers which panels they joined (tender id -> member id).
SESSION_KEY = "goldenthread_panel"


class TenderError(Exception):
    """A rule was broken; the message says which, in plain words."""


def can_run_tenders(user) -> bool:
    """Commissioners and administrators set up tenders, their bids and their panel."""
    return roles.can_run_tenders(user)


# --- themes and success ---------------------------------------------------------------------------------------

def theme_choices():
    """Every workshop theme a tender may draw on, newest cycle first."""
    return (Cluster.objects.themes().select_related("board__workshop__cycle")
            .order_by("-board__workshop__cycle__year", "board__workshop__name", "board__kind", "position", "pk"))


def suggest_themes(tender: Tender, limit: int = 6, at_least: float = 0.05) -> list[tuple[Cluster, float]]:
    """The themes most like the tender's service type, best first, with how alike (0 to 1). Only a suggestion."""
    themes = list(theme_choices().prefetch_related("placements__card__statement"))
    if not themes:
        return []
    wanted = f"{tender.service_type.name}. {tender.service_type.description}".strip()
    texts = [". ".join([c.name, *[p.card.statement.card_text for p in c.placements.all()][:6]]) for c in themes]
    scores = [row[0] if row else 0.0 for row in similarity(texts, [wanted])]
    ranked = sorted(zip(themes, scores), key=lambda pair: (-pair[1], pair[0].pk))
    return [(c, round(s, 2)) for c, s in ranked if s >= at_least][:limit]


def workshop_success(tender: Tender):
    """The workshops' "what success looks like" statements for the tender's chosen themes, not taken yet."""
    taken = tender.success.exclude(source=None).values_list("source_id", flat=True)
    return (SuccessStatement.objects.filter(cluster__in=tender.themes.all()).exclude(pk__in=taken)
            .select_related("cluster"))


def add_success(tender: Tender, text: str, source: SuccessStatement | None = None) -> SuccessLine:
    if source is not None and not tender.themes.filter(pk=source.cluster_id).exists():
        raise TenderError("That statement is not about one of this tender's themes.")
    last = tender.success.order_by("-position").first()
    return SuccessLine.objects.create(tender=tender, text=(text or source.text)[:300], source=source,
                                      position=(last.position + 1) if last else 1)


def add_criterion(tender: Tender, theme: Cluster, text: str, weight: int = 1) -> Criterion:
    if not tender.themes.filter(pk=theme.pk).exists():
        raise TenderError("Choose one of this tender's themes for the criterion.")
    if tender.status in (Tender.Status.SCORING, Tender.Status.DECIDED):
        raise TenderError("The criteria cannot change once the panel has started scoring.")
    last = tender.criteria.order_by("-position").first()
    return Criterion.objects.create(tender=tender, theme=theme, text=text, weight=weight,
                                    position=(last.position + 1) if last else 1)


# --- bids and the panel ---------------------------------------------------------------------------------------

def next_label(tender: Tender) -> str:
    """The next free blind label: "Bid A", "Bid B", ... "Bid Z", then "Bid 27"."""
    used = set(tender.bids.values_list("label", flat=True))
    for n, letter in enumerate(string.ascii_uppercase + "".join(str(i) for i in range(10)), 1):
        label = f"Bid {letter}" if n <= 26 else f"Bid {n}"
        if label not in used:
            return label
    return f"Bid {len(used) + 1}"


def add_bid(tender: Tender, bidder: str, summary: str) -> Bid:
    if tender.status in (Tender.Status.SCORING, Tender.Status.DECIDED):
        raise TenderError("Bids cannot be added once the panel has started scoring.")
    return Bid.objects.create(tender=tender, label=next_label(tender), bidder=bidder, summary=summary)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_member(tender: Tender, name: str, role: str) -> tuple[PanelMember, str]:
    """Add a panel member; returns them and their personal link's token (shown once, only its hash is kept)."""
    token = secrets.token_urlsafe(24)
    return PanelMember.objects.create(tender=tender, name=name, role=role, token_hash=_hash(token)), token


def new_link(member: PanelMember) -> str:
    """A new personal link for a member who lost theirs: the old one stops working."""
    token = secrets.token_urlsafe(24)
    member.token_hash = _hash(token)
    member.save(update_fields=["token_hash"])
    return token


def member_for_token(token: str) -> PanelMember | None:
    if not token or len(token) > 100:
        return None
    return PanelMember.objects.select_related("tender").filter(token_hash=_hash(token)).first()


def remember_member(session, member: PanelMember) -> None:
    joined = dict(session.get(SESSION_KEY, {}))
    joined[str(member.tender_id)] = member.pk
    session[SESSION_KEY] = joined


def members_in_session(session) -> list[PanelMember]:
    ids = [v for v in (session or {}).get(SESSION_KEY, {}).values() if isinstance(v, int)]
    return list(PanelMember.objects.filter(pk__in=ids).select_related("tender"))


def member_in_session(session, tender: Tender) -> PanelMember | None:
    member_id = (session or {}).get(SESSION_KEY, {}).get(str(tender.pk))
    return tender.panel.filter(pk=member_id).first() if isinstance(member_id, int) else None


def set_status(tender: Tender, status: str) -> None:
    if status not in Tender.Status.values:
        raise TenderError("Choose a stage the tender can be at.")
    if status == Tender.Status.SCORING and not (tender.criteria.exists() and tender.bids.exists()
                                                and tender.panel.exists()):
        raise TenderError("The panel can start scoring once the tender has criteria, bids and panel members.")
    tender.status = status
    tender.save(update_fields=["status"])


def decide(tender: Tender, bid: Bid, why: str) -> None:
    if bid.tender_id != tender.pk:
        raise TenderError("Choose one of this tender's bids.")
    if tender.status not in (Tender.Status.SCORING, Tender.Status.DECIDED):
        raise TenderError("A bid can be chosen once the panel has scored the bids.")
    with transaction.atomic():
        tender.chosen_bid, tender.decision, tender.status = bid, why, Tender.Status.DECIDED
        tender.save(update_fields=["chosen_bid", "decision", "status"])


# --- scoring --------------------------------------------------------------------------------------------------

def record_score(member: PanelMember, bid: Bid, criterion: Criterion, value: int) -> Score:
    """Keep one panel member's score, after the server's checks (see the module's docstring)."""
    tender = member.tender
    if bid.tender_id != tender.pk or criterion.tender_id != tender.pk:
        raise TenderError("You can only score the bids of the panel you are on.")
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= TOP_SCORE:
        raise TenderError(f"Choose a score from 0 to {TOP_SCORE}.")
    with transaction.atomic():
        # The tender's row is locked so that closing the panel and a last score cannot cross.
        status = Tender.objects.select_for_update().values_list("status", flat=True).get(pk=tender.pk)
        if status != Tender.Status.SCORING:
            raise TenderError("Scoring is closed for this tender, so your score was not saved.")
        score = Score.objects.filter(member=member, bid=bid, criterion=criterion).first()
        if score is None:
            return Score.objects.create(member=member, bid=bid, criterion=criterion, value=value)
        if score.value != value:
            score.value = value
            score.save(update_fields=["value", "scored_at"])  # django-auditlog keeps the old value
        return score


def scores_of(member: PanelMember, bid: Bid) -> dict[int, int]:
    """Criterion id -> the member's score for this bid."""
    return dict(member.scores.filter(bid=bid).values_list("criterion_id", "value"))


@dataclass
class CriterionResult:
    criterion: Criterion
    scores: list[int | None]  # one per panel member, in panel order (None: not scored)

    @property
    def mean(self) -> float | None:
        given = [s for s in self.scores if s is not None]
        return sum(given) / len(given) if given else None


@dataclass
class BidResult:
    bid: Bid
    criteria: list[CriterionResult] = field(default_factory=list)

    @property
    def weighted(self) -> float | None:
        """The weighted mean of the criteria's means, 0 to 4 (criteria no one scored left out)."""
        pairs = [(r.criterion.weight, r.mean) for r in self.criteria if r.mean is not None]
        total = sum(w for w, _ in pairs)
        return sum(w * m for w, m in pairs) / total if total else None

    @property
    def percent(self) -> int | None:
        return None if self.weighted is None else round(100 * self.weighted / TOP_SCORE)

    @property
    def scored(self) -> int:
        return sum(s is not None for r in self.criteria for s in r.scores)


@dataclass
class Combined:
    tender: Tender
    members: list[PanelMember]
    criteria: list[Criterion]
    bids: list[BidResult]

    @property
    def ranked(self) -> list[BidResult]:
        """Highest weighted score first; bids with no score last, in label order."""
        return sorted(self.bids, key=lambda b: (b.weighted is None, -(b.weighted or 0), b.bid.label))

    @property
    def possible(self) -> int:
        """How many answers each bid can have: one per member per criterion."""
        return len(self.members) * len(self.criteria)

    @property
    def weights(self) -> int:
        return sum(c.weight for c in self.criteria)


def combine(tender: Tender) -> Combined:
    """Every member's scores, per bid and criterion, and each bid's weighted mean (see the module's docstring)."""
    members = list(tender.panel.all())
    criteria = list(tender.criteria.select_related("theme"))
    bids = list(tender.bids.all())
    given = {(s.member_id, s.bid_id, s.criterion_id): s.value
             for s in Score.objects.filter(bid__tender=tender)}
    results = [BidResult(bid, [CriterionResult(c, [given.get((m.pk, bid.pk, c.pk)) for m in members])
                               for c in criteria]) for bid in bids]
    return Combined(tender, members, criteria, results)


def score_words(value: int | float | None) -> str:
    """A score in the panel's words ("Mostly"), or "-" for none."""
    return "-" if value is None else SCORE_WORDS.get(round(value), "-")
