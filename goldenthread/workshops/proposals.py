"""The card-call assistant: the theme engine's suggestions for the card being called, and "place the
rest" proposals (where every card not yet on the main board would go), accepted or rejected card by card.
"""
from __future__ import annotations

from goldenthread.core import themes as suggest
from goldenthread.core.models import Kind
from goldenthread.reviews.models import shown_card_text
from goldenthread.workshops.board import main_board, place_called_card
from goldenthread.workshops.fields import OpError, find_one, read_flag, read_id
from goldenthread.workshops.history import log_change
from goldenthread.workshops.impact import plural
from goldenthread.workshops.last_year import last_year_themes
from goldenthread.workshops.models import (
    BOARD_KINDS, Board, Change, Cluster, Placement, ProposedPlace, RestProposal, Workshop, WorkshopCard,
)

#: Most cards one "place the rest" proposal takes (a proposal page lists every one).
MAX_REST_CARDS = 2000


def set_suggestions(w, actor, on):
    """Turn the theme engine's card-call suggestions on or off for everyone in this workshop (audit-logged)."""
    w.suggestions_on = read_flag(on)


def set_delegate_suggestions(w, actor, on):
    """Show the card-call suggestions on delegates' phones (in words only), or keep them for the facilitator."""
    w.suggestions_to_delegates = read_flag(on)


def board_history(w: Workshop, board: Board) -> list[tuple]:
    """The room's decisions on ``board``, in the order they were made, for the card-call assistant.

    Read from the workshop's one change log (each change keeps the board's layout before and after), leaving
    out changes that were undone: a card newly on the board is ``("add", text, cluster)``, a card that went to
    another cluster ``("move", text, cluster)`` (so it counts against the cluster it left), a card taken off
    ``("remove", text)``, and a cluster given a name ``("name", cluster, name)``. Replayed in this order (see
    :mod:`goldenthread.core.themes`), it rebuilds the same learning a live assistant would have. Card texts are
    the shown wording (unchecked words masked, :func:`~goldenthread.reviews.models.shown_card_text`). Anything on
    the board that the log does not explain is added at the end, so the assistant's wall is always the board.
    """
    texts = {pk: shown_card_text(*wording) for pk, *wording in w.cards.values_list(
        "pk", "statement__card_text", "statement__uncertain", "statement__checked_at")}
    history: list[tuple] = []
    where: dict[int, int] = {}
    for before, after in Change.objects.filter(workshop=w, board=board, undone=False).order_by("id").values_list(
            "before", "after"):
        if not after:
            continue
        old = {card: cluster for card, cluster, *_ in before.get("placements", [])}
        new = sorted(after.get("placements", []), key=lambda p: (p[1], p[2], p[0]))
        for card, cluster, *_ in new:
            if card not in texts:
                continue
            if where.get(card) is None:
                history.append(("add", texts[card], cluster))
            elif where[card] != cluster:
                history.append(("move", texts[card], cluster))
            where[card] = cluster
        gone = set(old) - {p[0] for p in new}
        for card in sorted(gone):
            if where.pop(card, None) is not None and card in texts:
                history.append(("remove", texts[card]))
        names_before = {c[0]: c[1] for c in before.get("clusters", [])}
        for pk, name, *_ in after.get("clusters", []):
            if name and names_before.get(pk) != name:
                history.append(("name", pk, name))
    now = dict(board.placements.values_list("card_id", "cluster_id"))
    for card in sorted(set(where) - set(now)):
        history.append(("remove", texts[card]))
    for card, cluster in sorted(now.items()):
        if where.get(card) != cluster:
            history.append(("add" if card not in where else "move", texts[card], cluster))
    return history


def cards_to_call(w: Workshop):
    """The cards not yet on any main board, in card-call order (the first is the one being called)."""
    called = Placement.objects.filter(board__workshop=w, board__is_main=True).values("card_id")
    return w.cards.exclude(pk__in=called).select_related("statement")


def card_call_suggestions(w: Workshop, card: WorkshopCard):
    """The learnt ranking for the card being called (:class:`goldenthread.core.themes.Suggestion`), or ``None``
    when the facilitator has turned suggestions off: then nothing is computed at all."""
    if not w.suggestions_on:
        return None
    board = main_board(w, card.kind)
    return suggest.learnt_suggestion(card.statement.shown_text, board_history(w, board), key=("board", board.pk),
                                     last_year=last_year_themes(w, card.kind))


def place_rest(w, actor, kind):
    """Ask the engine where every card of ``kind`` not yet on the main board would go: a new proposal.

    Nothing on the board changes. An older open proposal for the same kind is closed (it is stale now).
    """
    if kind not in BOARD_KINDS:
        raise OpError("Choose working, not working or future: those are the kinds with boards.")
    board = main_board(w, kind)
    cards = list(w.cards.filter(kind=kind).exclude(pk__in=board.placements.values("card_id"))
                 .select_related("statement").order_by("order"))
    if not cards:
        raise OpError(f"Every {Kind(kind).label.lower()} card is already on the board: there is nothing to place.")
    if len(cards) > MAX_REST_CARDS:
        raise OpError(f"There are {len(cards)} cards left; place the rest takes at most {MAX_REST_CARDS} at once.")
    places = suggest.place_rest(board_history(w, board), [(c.pk, c.statement.shown_text) for c in cards],
                                key=("board", board.pk), last_year=last_year_themes(w, kind))
    on_board = set(board.clusters.values_list("pk", flat=True))
    w.rest_proposals.filter(kind=kind, open=True).update(open=False)
    in_kind = w.cards.filter(kind=kind).count()
    proposal = RestProposal.objects.create(workshop=w, kind=kind, made_by=actor.label, version=w.version + 1,
                                           cards_on_board=in_kind - len(cards), cards_in_kind=in_kind)
    by_card = {c.pk: c for c in cards}
    rows, group = [], 0
    groups: dict[int, int] = {}
    for p in places:
        cluster = p.cluster if p.cluster in on_board else None
        new_group = None
        if cluster is None:  # a new theme group (numbered 1, 2, ... in the order they first appear)
            key = p.new_group if p.new_group is not None else -len(rows) - 1
            if key not in groups:
                group += 1
                groups[key] = group
                if p.last_year is not None:  # it starts last year's theme again, with last year's name
                    proposal.group_last_year[str(group)] = p.last_year[0]
                    proposal.group_names[str(group)] = p.last_year[1]
            new_group = groups[key]
        rows.append(ProposedPlace(proposal=proposal, card=by_card[p.card], cluster_id=cluster, new_group=new_group,
                                  confidence=max(0.0, min(1.0, float(p.confidence))),
                                  like=[[text[:300], round(float(sim), 4)] for text, sim in p.like[:3]]))
    ProposedPlace.objects.bulk_create(rows)
    if proposal.group_last_year:
        proposal.save(update_fields=["group_last_year", "group_names"])


def propose_from_themes(w: Workshop, made_by: str, kind: str, places: list[tuple[WorkshopCard, str, float]]) -> RestProposal | None:
    """A "place the rest" proposal for ``kind`` made from themes found elsewhere (the whole council's confirmed
    batch themes): ``places`` is each card with the name of the theme it was put in, and how close it was.

    A card whose theme has the name of a cluster already on the main board (the same words, any case) is
    proposed for that cluster; the others are proposed as new theme groups, one per theme, each group
    remembering its theme's name (``group_names``). Cards already on the board are left out. Nothing on the
    board changes: the facilitator accepts, moves or rejects each card as for any proposal. An older open
    proposal for the same kind is closed. Returns ``None`` when no card is left to propose.
    """
    if kind not in BOARD_KINDS:
        raise OpError("Choose working, not working or future: those are the kinds with boards.")
    board = main_board(w, kind)
    placed = set(board.placements.values_list("card_id", flat=True))
    places = [(card, name, sim) for card, name, sim in places if card.pk not in placed and card.kind == kind]
    if not places:
        return None
    if len(places) > MAX_REST_CARDS:
        raise OpError(f"There are {len(places)} {Kind(kind).label.lower()} cards left; a proposal takes at most "
                      f"{MAX_REST_CARDS} at once.")
    on_board = {c.name.strip().lower(): c.pk for c in board.clusters.exclude(name="").order_by("-pk")}
    w.rest_proposals.filter(kind=kind, open=True).update(open=False)
    proposal = RestProposal.objects.create(workshop=w, kind=kind, made_by=made_by, version=w.version + 1)
    groups: dict[str, int] = {}
    rows = []
    for card, name, sim in sorted(places, key=lambda p: (p[1].lower(), -p[2], p[0].order)):
        cluster = on_board.get(name.strip().lower())
        new_group = None
        if cluster is None:
            new_group = groups.setdefault(name, len(groups) + 1)
        rows.append(ProposedPlace(proposal=proposal, card=card, cluster_id=cluster, new_group=new_group,
                                  confidence=max(0.0, min(1.0, float(sim))), like=[]))
    ProposedPlace.objects.bulk_create(rows)
    proposal.group_names = {str(n): name for name, n in groups.items()}
    proposal.save(update_fields=["group_names"])
    return proposal


def _open_proposal(w, proposal) -> RestProposal:
    found = find_one(w.rest_proposals.all(), proposal, "proposal")
    if not found.open:
        raise OpError("That proposal is out of date: a newer “place the rest” has replaced it. "
                      "Use the newest proposal.")
    return found


def _proposed(proposal: RestProposal, card) -> ProposedPlace:
    place = proposal.places.select_related("card__statement").filter(card_id=read_id(card)).first()
    if place is None:
        raise OpError("That card is not in this proposal.")
    return place


def _still_open(board: Board, place: ProposedPlace) -> None:
    code = place.card.statement.card_code
    if place.rejected:
        raise OpError(f"The place proposed for card {code} was rejected. Choose a cluster with “Move to…”.")
    if board.placements.filter(card_id=place.card_id).exists():
        raise OpError(f"Card {code} has already been placed since this proposal was made.")


def _proposed_target(board: Board, place: ProposedPlace) -> Cluster | None:
    """The cluster a proposed place puts its card in now: its cluster, or for a new theme group the cluster
    the group started when one of its cards was accepted as proposed, while that cluster is on the board
    (``None``: start it). A card of the group that the room put somewhere else ("Move to…", or moved on the
    board later) is never followed. Refuses a place whose cluster has gone."""
    if place.cluster_id is not None:
        target = board.clusters.filter(pk=place.cluster_id).first()
        if target is None:
            raise OpError(f"The cluster proposed for card {place.card.statement.card_code} is no longer on the "
                          "board. Choose another with “Move to…”.")
        return target
    if place.new_group is None:  # its cluster was deleted since (the link was cleared)
        raise OpError(f"The cluster proposed for card {place.card.statement.card_code} is no longer on the "
                      "board. Choose another with “Move to…”.")
    started = place.proposal.group_clusters.get(str(place.new_group))
    return board.clusters.filter(pk=started).first() if started is not None else None


def _accept(w, actor, proposal: RestProposal, chosen: list[tuple[ProposedPlace, object]], summary: str) -> Change:
    """Place each chosen card as a card call would, as one change of the main board (one undo step)."""
    board = main_board(w, proposal.kind)
    change = log_change(w, actor, "accept_rest", summary, board)
    decisions = []
    for place, target in chosen:
        as_proposed = target == "proposed"
        if as_proposed:
            place.proposal = proposal  # one object, so a group started in this change is seen by the next card
            target = _proposed_target(board, place)
        # A group that starts last year's theme again starts it with last year's name (other groups' names
        # are only a hint for the room).
        again = as_proposed and target is None and str(place.new_group) in proposal.group_last_year
        name = proposal.group_names.get(str(place.new_group), "") if again else ""
        decision = place_called_card(w, actor, board, place.card, target, name=name)
        if as_proposed and place.cluster_id is None and target is None:
            proposal.group_clusters[str(place.new_group)] = decision.cluster_id
            proposal.save(update_fields=["group_clusters"])
        decisions.append(decision.pk)
    change.before["decisions"] = decisions
    change.save(update_fields=["before"])
    return change


def accept_rest(w, actor, proposal, above) -> Change:
    """Accept every proposed place in a cluster on the board that is at least ``above`` per cent sure.

    Cards proposed for new theme groups are accepted one by one (:func:`accept_place`). Cards placed since
    the proposal was made, and places whose cluster has gone, are left out.
    """
    proposal = _open_proposal(w, proposal)
    if proposal.early:
        raise OpError(f"Only {proposal.cards_on_board} of the {proposal.cards_in_kind} cards were on the board when "
                      "the engine was asked: too few for its percentages to be trusted in bulk. Accept cards one by "
                      f"one, or call at least {proposal.cards_needed} more and ask again.")
    above = read_id(above)
    if not 0 <= above <= 100:
        raise OpError("“above” must be a percentage from 0 to 100.")
    board = main_board(w, proposal.kind)
    placed = set(board.placements.values_list("card_id", flat=True))
    here = set(board.clusters.values_list("pk", flat=True))
    chosen = [(p, "proposed") for p in proposal.places.select_related("card__statement").order_by("card__order")
              if not p.rejected and p.card_id not in placed and p.cluster_id in here
              and round(p.confidence * 100) >= above]
    if not chosen:
        raise OpError(f"No proposed place in a cluster is at least {above}% sure. Choose a lower confidence, "
                      "or accept cards one by one.")
    codes = ", ".join(p.card.statement.card_code for p, _ in chosen[:20]) + (" and more" if len(chosen) > 20 else "")
    return _accept(w, actor, proposal, chosen,
                   f"Place the rest: {plural(len(chosen), 'card')} placed as proposed (at least {above}% sure): "
                   f"{codes}")


def accept_place(w, actor, proposal, card, cluster=None) -> Change:
    """Accept one card's proposed place, or put it in another ``cluster`` on the board (``"new"``: a new one)."""
    proposal = _open_proposal(w, proposal)
    place = _proposed(proposal, card)
    board = main_board(w, proposal.kind)
    if cluster in (None, ""):
        _still_open(board, place)
        target = "proposed"
        where = "as proposed"
    else:
        if board.placements.filter(card_id=place.card_id).exists():
            raise OpError(f"Card {place.card.statement.card_code} has already been placed since this proposal "
                          "was made.")
        target = None if cluster == "new" else find_one(board.clusters, cluster, "cluster")
        where = "to a new cluster" if target is None else f"to “{target.label}” (not as proposed)"
    return _accept(w, actor, proposal, [(place, target)],
                   f"Place the rest: card {place.card.statement.card_code} placed {where}")


def reject_place(w, actor, proposal, card):
    """Reject one card's proposed place: the card stays where it is (not on the board) for the room to call."""
    proposal = _open_proposal(w, proposal)
    place = _proposed(proposal, card)
    board = main_board(w, proposal.kind)
    _still_open(board, place)
    place.rejected = True
    place.save(update_fields=["rejected"])
