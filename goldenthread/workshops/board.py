"""The board and everything on it: the helpers that read and tidy a board, making a workshop, joining it,
and the operations on cards, clusters, votes, reasons, success statements, actions and the sharing plan.

Each operation takes ``(workshop, actor, **fields)`` and returns the
:class:`~goldenthread.workshops.models.Change` it logged, or ``None``; :func:`goldenthread.workshops.services.run`
checks the message, calls it and counts the new version.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from goldenthread.core import themes as suggest
from goldenthread.core.models import Kind
from goldenthread.reviews.models import shown_card_text
from goldenthread.workshops.fields import (
    Applied, OpError, check_base, find_one, read_choice, read_date, read_flag, read_id, read_text, stamp,
)
from goldenthread.workshops.history import layout as history_layout, log_change
from goldenthread.workshops.last_year import last_year_theme
from goldenthread.workshops.models import (
    BOARD_KINDS, Action, Board, Change, Cluster, Decision, Delegate, DelegateGroup, Placement, RootCause,
    ShareItem, Stage, Status, SuccessStatement, Vote, Workshop, WorkshopCard, join_code_expiry,
)

MAX_WHY_DEPTH = 5


def clusters_of(w):
    return Cluster.objects.filter(board__workshop=w)


def main_board(w: Workshop, kind: str) -> Board:
    return w.boards.get(kind=kind, is_main=True)


def _tidy(board: Board) -> None:
    """Remove clusters left with no cards, and number the rest 0, 1, 2...

    A cluster with a name, votes, reasons, success statements or actions is kept even when empty:
    tidying never loses anything people wrote.
    """
    board.clusters.filter(placements__isnull=True, name="", votes__isnull=True, root_causes__isnull=True,
                          success__isnull=True, actions__isnull=True).delete()
    for i, cluster in enumerate(board.clusters.order_by("position", "id")):
        if cluster.position != i:
            Cluster.objects.filter(pk=cluster.pk).update(position=i)


def new_cluster(board: Board, name: str = "") -> Cluster:
    last = board.clusters.aggregate(m=Max("position"))["m"]
    return Cluster.objects.create(board=board, name=name, position=0 if last is None else last + 1)


def _place(board: Board, card: WorkshopCard, cluster: Cluster, disputed: bool = False) -> int | None:
    """Put ``card`` at the end of ``cluster`` on ``board``; returns the cluster it was in (None if it was not on
    the board).

    A card already on the board is moved with one UPDATE. The move is recorded in the workshop's own change log
    (:class:`~goldenthread.workshops.models.Change`: who, when, and the board before and after, which undo uses),
    so it does not also go through the row-by-row audit log, which would read the row back and write a second
    entry for each of a room's hundreds of moves. Placing a card on a board for the first time is a new row and
    is audited as usual.
    """
    last = cluster.placements.aggregate(m=Max("position"))["m"]
    position = 0 if last is None else last + 1
    old = Placement.objects.filter(board=board, card=card).values_list("pk", "cluster_id").first()
    if old is None:
        Placement.objects.create(board=board, card=card, cluster=cluster, position=position, disputed=disputed)
        return None
    Placement.objects.filter(pk=old[0]).update(cluster=cluster, position=position, disputed=disputed)
    return old[1]


@transaction.atomic
def create_workshop(cycle, name: str, cards_used: str, user) -> Workshop:
    """A new workshop with its chosen cards (in card-call order) and one main board per kind."""
    w = Workshop.objects.create(cycle=cycle, name=name, cards_used=cards_used, created_by=user)
    WorkshopCard.objects.bulk_create(
        WorkshopCard(workshop=w, statement=s, kind=s.kind, order=i) for i, s in enumerate(
            sorted(w.chosen_statements(), key=lambda s: (BOARD_KINDS.index(s.kind), s.card_number))))
    for kind in BOARD_KINDS:
        Board.objects.create(workshop=w, kind=kind, name=f"{Kind(kind).label}: main board", is_main=True)
    return w


def join(workshop_id: int, name: str, group: str) -> tuple[Delegate, Applied]:
    """A delegate joins from their own device. Returns the delegate and the change, for every screen to hear of."""
    with transaction.atomic():
        w = Workshop.objects.select_for_update().get(pk=workshop_id)
        closed = w.joining_refusal()
        if closed:
            raise OpError(closed)
        delegate = Delegate.objects.create(workshop=w, name=read_text(name, limit=60),
                                           group=read_choice(group, DelegateGroup))
        w.version += 1
        w.save(update_fields=["version"])
    return delegate, Applied(workshop_id=workshop_id, op="join", version=w.version, stage=w.stage)


def returning_delegate(workshop, name: str, group: str) -> Delegate | None:
    """Someone already here with this name and group, joined from a phone: asked "Are you Sam from the
    self-advocacy group?", they carry on as that person, with their dots, instead of joining twice."""
    wanted = " ".join(str(name or "").split()).casefold()
    for d in workshop.delegates.filter(group=group, has_device=True).order_by("joined_at", "id"):
        if " ".join(d.name.split()).casefold() == wanted:
            return d
    return None


# --- the operations ------------------------------------------------------------------------------

def set_stage(w, actor, stage):
    w.stage = read_choice(stage, Stage)


def show_on_screen(w, actor, cluster=None):
    """Choose the theme the projector shows in analysis, action plans and sharing ("" or none: the votes,
    or the most voted theme once the votes are shown)."""
    w.screen_theme = None if cluster in (None, "") else find_one(
        clusters_of(w).themes(), cluster, "theme")


def set_timer(w, actor, minutes):
    minutes = read_id(minutes)
    if not 0 <= minutes <= 180:
        raise OpError("The timer can be set from 0 to 180 minutes.")
    w.timer_ends_at = timezone.now() + dt.timedelta(minutes=minutes) if minutes else None


def add_delegate(w, actor, name, group):
    Delegate.objects.create(workshop=w, name=read_text(name, limit=60), group=read_choice(group, DelegateGroup),
                            has_device=False)


def call_card(w, actor, card, cluster=None, last_year=None) -> Change:
    """The room's decision for the card being called: ``cluster`` on the board, or a new one (``"new"``); with
    ``last_year`` (one of last year's themes of the card's kind) a new cluster named as last year's theme."""
    card = find_one(w.cards, card, "card")
    board = main_board(w, card.kind)
    if board.placements.filter(card=card).exists():
        raise OpError(f"Card {card.statement.card_code} has already been called.")
    name = ""
    if last_year not in (None, ""):
        if cluster not in (None, "", "new"):
            raise OpError("Choose either a cluster on the board or last year's theme, not both.")
        name = last_year_theme(w, card.kind, last_year).name
        where, action = f"a new cluster “{name}” (like last year's)", Decision.Action.NEW
    elif cluster in (None, "", "new"):
        where, action = "a new cluster", Decision.Action.NEW
    else:
        target = find_one(board.clusters, cluster, "cluster")
        where, action = f"“{target.label}”", Decision.Action.JOIN
    change = log_change(w, actor, "call_card", f"Card call: {card.statement.card_code} to {where}", board)
    decision = place_called_card(w, actor, board, card, None if action == Decision.Action.NEW else target, name=name)
    change.before["decision"] = decision.pk
    change.save(update_fields=["before"])
    return change


def place_called_card(w, actor, board: Board, card: WorkshopCard, target: Cluster | None,
                      name: str = "") -> Decision:
    """Place a card that was not on the main board yet, in ``target`` or (``None``) a new cluster (called
    ``name``), and record the room's decision. A card call and an accepted "place the rest" proposal both come
    through here."""
    action = Decision.Action.JOIN if target is not None else Decision.Action.NEW
    if target is None:
        target = new_cluster(board, name=name)
    _place(board, card, target)
    return Decision.objects.create(workshop=w, card=card, cluster=target, action=action, by=actor.label)


def set_joining(w, actor, open):
    """Close joining (the code stops working) or open it again (for another day if it had run out)."""
    w.joining_open = read_flag(open)
    if w.joining_open and w.join_code_expired():
        w.expires_at = join_code_expiry()


#: The most hours a join code can be kept working from now in one go.
MAX_EXTEND_HOURS = 72


def extend_joining(w, actor, hours):
    """Keep the join code working for ``hours`` more (from now, or from when it would run out, if later), and
    open joining if it was closed: for a workshop that runs late or over two days."""
    hours = read_id(hours)
    if not 1 <= hours <= MAX_EXTEND_HOURS:
        raise OpError(f"The code can be kept working for 1 to {MAX_EXTEND_HOURS} hours more.")
    start = max(timezone.now(), w.expires_at or timezone.now())
    w.expires_at = start + dt.timedelta(hours=hours)
    w.joining_open = True


def remove_delegate(w, actor, delegate):
    """Take someone off the list of who is here (a second copy of a person, or someone who left); their dots
    go with them (the change is confirmed first: see ``impact.DESTRUCTIVE``)."""
    person = find_one(w.delegates, delegate, "person")
    person.delete()


def merge_delegates(w, actor, delegate, into):
    """One person joined twice (their phone lost its cookie): ``delegate``'s dots move to ``into``, who keeps
    their name and group, and ``delegate`` goes. Refused when the dots together are more than one person has."""
    person = find_one(w.delegates, delegate, "person")
    keep = find_one(w.delegates, into, "person")
    if person.pk == keep.pk:
        raise OpError("Choose two different people to put together.")
    dots = {v.cluster_id: v.dots for v in keep.votes.all()}
    for v in person.votes.all():
        dots[v.cluster_id] = dots.get(v.cluster_id, 0) + v.dots
    total = sum(dots.values())
    if total > w.vote_budget or any(n > w.vote_cap for n in dots.values()):
        raise OpError(f"Together {person.name} and {keep.name} have {total} dots, more than one person may "
                      f"have ({w.vote_budget}, at most {w.vote_cap} on one theme). Take some of {person.name}'s "
                      "dots off first.")
    for cluster_id, n in dots.items():
        Vote.objects.update_or_create(cluster_id=cluster_id, delegate=keep, defaults={"dots": n})
    person.delete()


def move_card(w, actor, card, cluster, board=None) -> Change:
    """Put a card in a cluster, or in a new cluster (``cluster="new"``) on ``board``."""
    card = find_one(w.cards.select_related("statement"), card, "card")
    if cluster == "new":
        if board in (None, ""):
            raise OpError("Say which board the new cluster is on.")
        board = find_one(w.boards, board, "board")
    else:
        target = find_one(clusters_of(w).select_related("board"), cluster, "cluster")
        board = target.board
    if board.kind != card.kind:
        raise OpError("A card can only go on a board of its own kind.")
    where = "a new cluster" if cluster == "new" else f"“{target.label}”"
    change = log_change(w, actor, "move_card", f"Card {card.statement.card_code} moved to {where}", board)
    if cluster == "new":
        target = new_cluster(board)
    left = _place(target.board, card, target)
    if left is not None and left != target.pk and not Placement.objects.filter(cluster_id=left).exists():
        _tidy(target.board)  # the card left a cluster empty: it goes, unless people wrote something on it
    return change


def move_cards(w, moves: list[tuple]) -> list:
    """Several card moves to clusters already on the board, worked out in memory and written together.

    The same as :func:`move_card` for each ``(actor, data)`` in turn (a move's ``before`` is the board as the
    move before left it, its position is the end of its new cluster, its answer is the :class:`Change` it logged
    or the :class:`OpError` that refused it), but the board is read once and the moves are written in two
    statements at the end, instead of a dozen round trips to the database for each: the difference between
    keeping up and falling behind when a room moves cards many times a second. The caller has checked who may
    make each move and holds the workshop's lock.

    Returns the answers for the moves it made, in order. It stops before the first move it cannot work out
    in memory (a card not on that board yet, or a move that empties a cluster, which tidying may remove): the
    caller makes that one the ordinary way.
    """
    from goldenthread.reviews.cards import card_code
    from goldenthread.workshops.history import _copy, last_layout

    card_ids, cluster_ids = set(), set()
    for _actor, data in moves:
        for name, into in (("card", card_ids), ("cluster", cluster_ids)):
            try:
                into.add(read_id(data.get(name)))
            except OpError:
                pass
    cards = {pk: (kind, card_code(statement_kind, number)) for pk, kind, statement_kind, number in
             w.cards.filter(pk__in=card_ids).values_list("pk", "kind", "statement__kind", "statement__card_number")}
    clusters = {c.pk: c for c in clusters_of(w).filter(pk__in=cluster_ids).select_related("board")}
    boards: dict[int, dict] = {}  # board id -> its layout as it stands, and its placements by card
    answers, written = [], []
    for actor, data in moves:
        try:
            card = read_id(data.get("card"))
            if card not in cards:
                raise OpError("That card is not in this workshop.")
            cluster = read_id(data.get("cluster"))
            if cluster not in clusters:
                raise OpError("That cluster is not in this workshop.")
            target = clusters[cluster]
            if target.board.kind != cards[card][0]:
                raise OpError("A card can only go on a board of its own kind.")
        except OpError as exc:
            answers.append(exc)
            continue
        board = boards.get(target.board_id)
        if board is None:
            last = last_layout.get()
            now = _copy(last[1]) if last is not None and last[0] == target.board_id and not written \
                else history_layout(target.board, hanging=False)
            board = boards[target.board_id] = {"layout": now, "by_card": {p[0]: p for p in now["placements"]}}
        place = board["by_card"].get(card)
        if place is None:
            break  # not on this board yet: a new placement, made the ordinary way
        left = place[1]
        if left != cluster and not any(p[1] == left and p is not place for p in board["layout"]["placements"]):
            break  # it would leave its cluster empty: tidying that is done the ordinary way
        before = _copy(board["layout"])
        positions = [p[2] for p in board["layout"]["placements"] if p[1] == cluster]
        place[1], place[2], place[3] = cluster, (max(positions) + 1 if positions else 0), False
        change = Change(workshop=w, board_id=target.board_id, op="move_card", by=actor.label, before=before,
                        after=_copy(board["layout"]),
                        summary=f"Card {cards[card][1]} moved to “{target.label}”"[:400])
        written.append((change, target.board_id, card))
        answers.append(change)
    if written:
        Change.objects.bulk_create([c for c, _b, _card in written])
        final = {(b, card): boards[b]["by_card"][card] for _c, b, card in written}
        rows = Placement.objects.filter(board_id__in={b for b, _card in final},
                                        card_id__in={card for _b, card in final})
        Placement.objects.bulk_update(
            [Placement(pk=pk, cluster_id=final[b, card][1], position=final[b, card][2], disputed=final[b, card][3])
             for pk, b, card in rows.values_list("pk", "board_id", "card_id") if (b, card) in final],
            ["cluster", "position", "disputed"])
        last_change = written[-1][0]
        last_layout.set((last_change.board_id, last_change.after))
    return answers


def move_cluster(w, actor, cluster, position) -> Change:
    cluster = find_one(clusters_of(w), cluster, "cluster")
    siblings = list(cluster.board.clusters.exclude(pk=cluster.pk).order_by("position", "id"))
    position = max(0, min(read_id(position), len(siblings)))
    change = log_change(w, actor, "move_cluster", f"“{cluster.label}” moved to place {position + 1}", cluster.board)
    siblings.insert(position, cluster)
    for i, c in enumerate(siblings):
        Cluster.objects.filter(pk=c.pk).update(position=i)
    return change


def merge_clusters(w, actor, cluster, into) -> Change:
    cluster = find_one(clusters_of(w), cluster, "cluster")
    into = find_one(clusters_of(w), into, "cluster")
    if cluster.board_id != into.board_id or cluster.pk == into.pk:
        raise OpError("Choose a different cluster on the same board.")
    change = log_change(w, actor, "merge_clusters", f"“{cluster.label}” merged into “{into.label}”", into.board)
    start = into.placements.aggregate(m=Max("position"))["m"] or 0
    for i, p in enumerate(cluster.placements.all(), start=start + 1):
        Placement.objects.filter(pk=p.pk).update(cluster=into, position=i)
    if not into.name and cluster.name:
        into.name = cluster.name
        into.save(update_fields=["name"])
    cluster.delete()
    _tidy(into.board)
    return change


def split_cluster(w, actor, cluster, cards) -> Change:
    cluster = find_one(clusters_of(w), cluster, "cluster")
    if not isinstance(cards, list) or not cards:
        raise OpError("Choose the cards to move to a new cluster.")
    placements = [find_one(cluster.placements, _placement_for(cluster, c), "card") for c in cards]
    change = log_change(w, actor, "split_cluster", f"{len(placements)} cards split off “{cluster.label}”",
                        cluster.board)
    new = new_cluster(cluster.board)
    Cluster.objects.filter(board=cluster.board, position__gt=cluster.position).exclude(pk=new.pk).update(
        position=F("position") + 1)
    new.position = cluster.position + 1
    new.save(update_fields=["position"])
    for i, p in enumerate(placements):
        Placement.objects.filter(pk=p.pk).update(cluster=new, position=i)
    _tidy(cluster.board)
    return change


def _placement_for(cluster, card_id):
    p = cluster.placements.filter(card_id=read_id(card_id)).first()
    return p.pk if p else 0


# --- the versions an edit starts from ----------------------------------------------------------------
# A form or screen editing text already saved sends ``base``, the version it started from; a save whose base is
# not the version saved now is refused with a Conflict (both texts, nothing changed) instead of silently
# overwriting someone else's. Pages put these in the form (see the ``*_base`` template filters).

def name_suggestions(cluster: Cluster, limit: int = 3) -> list[str]:
    """The engine's names for ``cluster``, read against the other clusters on its board: each says what is
    particular to this one, and none is a name the room gave another (:func:`goldenthread.core.themes.suggest_names`)."""
    texts: dict[int, list[str]] = {}
    for cluster_id, card_text, uncertain, checked_at in Placement.objects.filter(board=cluster.board).values_list(
            "cluster_id", "card__statement__card_text", "card__statement__uncertain", "card__statement__checked_at"):
        texts.setdefault(cluster_id, []).append(shown_card_text(card_text, uncertain, checked_at))
    taken = cluster.board.clusters.exclude(pk=cluster.pk).exclude(name="").values_list("name", flat=True)
    return suggest.suggest_names(texts.get(cluster.pk, []), kind=cluster.board.kind, limit=limit,
                                 others=[t for pk, t in texts.items() if pk != cluster.pk], taken=list(taken))


def name_base(cluster) -> str:
    return stamp(cluster.name)


def notes_base(cluster) -> str:
    return stamp(cluster.what_works, cluster.stories)


ACTION_TEXT = ("stakeholder", "text", "owner", "measure", "due")
ACTION_LABELS = {"stakeholder": "who will do it", "text": "what will be done", "owner": "who is in charge",
                 "measure": "how we will know", "due": "by when"}


def _action_now(action) -> dict:
    return {f: str(getattr(action, f)) for f in ACTION_TEXT}


def action_base(action) -> str:
    return stamp(*_action_now(action).values())


def _last_by(w, op: str, test) -> str:
    """Who made the latest ``op`` change (not undone) that ``test`` picks out of the log, else ""."""
    for change in w.changes.filter(op=op, undone=False)[:30]:
        if test(change):
            return change.by
    return ""


def _named_it(cluster):
    def test(change):
        return any(c[0] == cluster.pk and c[1] == cluster.name for c in change.after.get("clusters", []))
    return test


def rename_cluster(w, actor, cluster, name, base=None) -> Change:
    cluster = find_one(clusters_of(w), cluster, "cluster")
    name = read_text(name, blank=True, limit=200)
    check_base(base, {"name": cluster.name}, {"name": name},
               lambda: _last_by(w, "rename_cluster", _named_it(cluster)))
    summary = (f"“{cluster.label}” renamed “{name}”" if name
               else f"“{cluster.label}” no longer named: it is “{cluster.tag}” again")
    change = log_change(w, actor, "rename_cluster", summary, cluster.board)
    cluster.name = name
    cluster.save(update_fields=["name"])
    return change


def add_board(w, actor, kind):
    kind = read_choice(kind, Kind)
    n = w.boards.filter(kind=kind, is_main=False).count() + 1
    Board.objects.create(workshop=w, kind=kind, name=f"{Kind(kind).label}: pre-cluster board {n}")


def auto_cluster(w, actor, kind):
    """Offer the theme engine's full clustering as a new pre-cluster board: a proposal, never applied to the main
    one."""
    kind = read_choice(kind, Kind)
    cards = list(w.cards.filter(kind=kind).select_related("statement"))
    if not cards:
        raise OpError("There are no cards of this kind.")
    labels = suggest.cluster_texts([c.statement.shown_text for c in cards])
    board = Board.objects.create(workshop=w, kind=kind, name=f"{Kind(kind).label}: suggested by the theme engine")
    clusters: dict[int, Cluster] = {}
    for card, label in zip(cards, labels):
        if label not in clusters:
            clusters[label] = new_cluster(board)
        _place(board, card, clusters[label])


def merge_boards(w, actor, kind) -> Change:
    """Merge the pre-cluster boards of one kind into the main board, marking the cards the boards disagree about.

    The first pre-cluster board is the base. Each cluster on another board is
    matched with the base cluster it shares most cards with; a card goes where
    most boards put it. Cards the boards put in different places are marked.
    """
    kind = read_choice(kind, Kind)
    boards = list(w.boards.filter(kind=kind, is_main=False).order_by("id"))
    if len(boards) < 2:
        raise OpError("Merging needs at least two pre-cluster boards of this kind.")
    where = [{p.card_id: p.cluster_id for p in b.placements.all()} for b in boards]
    base = where[0]
    base_members: dict[int, set[int]] = {}
    for card_id, cid in base.items():
        base_members.setdefault(cid, set()).add(card_id)
    new_base = iter(range(-1, -10_000, -1))  # clusters only other boards have
    votes: dict[int, list[int]] = {}
    for i, board_map in enumerate(where):
        members: dict[int, set[int]] = {}
        for card_id, cid in board_map.items():
            members.setdefault(cid, set()).add(card_id)
        for cid, cards in members.items():
            if i == 0:
                target = cid
            else:
                best = max(base_members, key=lambda b: len(base_members[b] & cards), default=None)
                target = best if best is not None and base_members[best] & cards else next(new_base)
            for card_id in cards:
                votes.setdefault(card_id, []).append(target)
    main = main_board(w, kind)
    change = log_change(w, actor, "merge_boards", f"{len(boards)} pre-cluster boards merged into {main.name}", main)
    main.placements.all().delete()
    main.clusters.filter(name="").delete()
    clusters: dict[int, Cluster] = {}
    cards = {c.pk: c for c in w.cards.filter(pk__in=votes)}
    for card_id in sorted(votes, key=lambda c: cards[c].order):
        targets = votes[card_id]
        winner = max(dict.fromkeys(targets), key=targets.count)
        disputed = len(set(targets)) > 1 or len(targets) < len(boards)
        if winner not in clusters:
            clusters[winner] = new_cluster(main)
        _place(main, cards[card_id], clusters[winner], disputed=disputed)
    _tidy(main)
    return change


def adopt_board(w, actor, board) -> Change:
    """Make a proposal (a pre-cluster board, such as the theme engine's) the main board's layout, in one step.

    Named clusters on the main board stay (with their votes and links); the proposal's clusters replace
    the rest. Undo puts the main board back.
    """
    proposal = find_one(w.boards.filter(is_main=False), board, "proposal")
    main = main_board(w, proposal.kind)
    change = log_change(w, actor, "adopt_board", f"“{proposal.name}” adopted as {main.name}", main)
    main.placements.all().delete()
    _tidy(main)
    for cluster in proposal.clusters.prefetch_related("placements__card"):
        target = new_cluster(main, cluster.name)
        for p in cluster.placements.all():
            _place(main, p.card, target)
    _tidy(main)
    return change


def set_notes(w, actor, cluster, what_works="", stories="", base=None):
    cluster = find_one(clusters_of(w), cluster, "theme")
    mine = {"what_works": read_text(what_works, blank=True, limit=2000),
            "stories": read_text(stories, blank=True, limit=2000)}
    check_base(base, {"what_works": cluster.what_works, "stories": cluster.stories}, mine, lambda: "",
               {"what_works": "what works", "stories": "success stories"})
    cluster.what_works, cluster.stories = mine["what_works"], mine["stories"]
    cluster.save(update_fields=["what_works", "stories"])


def vote(w, actor, cluster, dots, delegate=None):
    """Set how many dots a delegate puts on a not-working theme (0 takes them off)."""
    if delegate not in (None, "") and not actor.is_facilitator:
        raise OpError("Only the facilitator can vote for someone else.")
    if delegate in (None, ""):
        if actor.delegate_id is None:
            raise OpError("Join the workshop to vote.")
        delegate = actor.delegate_id
    person = find_one(w.delegates, delegate, "person")
    theme = find_one(clusters_of(w).filter(board__is_main=True, board__kind=Kind.NOT_WORKING), cluster, "theme")
    if not theme.name:
        raise OpError("Votes go on named themes only. Give this cluster a name first.")
    dots = read_id(dots)
    if not 0 <= dots <= w.vote_cap:
        raise OpError(f"You can put from 0 to {w.vote_cap} dots on one theme.")
    used = person.votes.exclude(cluster=theme).aggregate(n=Sum("dots"))["n"] or 0
    if used + dots > w.vote_budget:
        left = max(0, w.vote_budget - used)
        raise OpError(f"That is too many dots. Each person has {w.vote_budget} dots and "
                      f"{left} {'is' if left == 1 else 'are'} left.")
    if dots:
        Vote.objects.update_or_create(cluster=theme, delegate=person, defaults={"dots": dots})
    else:
        Vote.objects.filter(cluster=theme, delegate=person).delete()


def vote_settings(w, actor, budget, cap):
    budget, cap = read_id(budget), read_id(cap)
    if not (1 <= budget <= 20 and 1 <= cap <= budget):
        raise OpError("Each person needs 1 to 20 dots, and the most on one theme must not be more than that.")
    w.vote_budget, w.vote_cap = budget, cap


def reveal_votes(w, actor, revealed):
    w.votes_revealed = read_flag(revealed)


def add_cause(w, actor, cluster, text, parent=None):
    cluster = find_one(clusters_of(w), cluster, "theme")
    depth = 1
    if parent not in (None, ""):
        parent = find_one(cluster.root_causes, parent, "reason")
        depth = parent.depth + 1
        if depth > MAX_WHY_DEPTH:
            raise OpError("Five whys is enough: this reason is already five steps deep.")
    else:
        parent = None
    RootCause.objects.create(cluster=cluster, parent=parent, text=read_text(text), depth=depth)


def add_success(w, actor, cluster, perspective, text):
    cluster = find_one(clusters_of(w), cluster, "theme")
    SuccessStatement.objects.create(cluster=cluster, perspective=read_choice(perspective, SuccessStatement.Perspective),
                                    text=read_text(text))


def add_action(w, actor, stakeholder, text, themes, owner, measure, due, root_causes=()):
    if not isinstance(themes, list) or not themes:
        raise OpError("Link the action to at least one theme.")
    linked = [find_one(clusters_of(w).filter(board__is_main=True), t, "theme") for t in themes]
    causes = [find_one(RootCause.objects.filter(cluster__board__workshop=w), c, "reason") for c in (root_causes or [])]
    action = Action.objects.create(
        workshop=w, stakeholder=read_choice(stakeholder, Action.Stakeholder), text=read_text(text),
        owner=read_text(owner, limit=120), measure=read_text(measure), due=read_date(due))
    action.themes.set(linked)
    action.root_causes.set(causes)


def set_action_status(w, actor, action, status):
    action = find_one(w.actions, action, "action")
    action.status = read_choice(status, Status)
    action.save(update_fields=["status"])


def add_share(w, actor, audience, what, how, due, easy_read=False):
    ShareItem.objects.create(workshop=w, audience=read_text(audience, limit=200), what=read_text(what),
                             how=read_text(how, limit=200), due=read_date(due),
                             easy_read=str(easy_read).lower() in {"1", "true", "yes", "on"})


def set_share_status(w, actor, item, status):
    item = find_one(w.sharing, item, "sharing plan line")
    item.status = read_choice(status, Status)
    item.save(update_fields=["status"])


def _subtree(cause) -> list[int]:
    ids, level = [cause.pk], [cause.pk]
    while level:
        level = list(RootCause.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        ids += level
    return ids


def remove_cause(w, actor, cause) -> Change:
    cause = find_one(RootCause.objects.filter(cluster__board__workshop=w), cause, "reason")
    under = _subtree(cause)
    change = log_change(w, actor, "remove_cause", f"Removed the reason “{cause.text}”"
                  + (" and the reasons under it" if len(under) > 1 else ""), scope={"causes": under})
    cause.delete()
    return change


def remove_success(w, actor, success) -> Change:
    success = find_one(SuccessStatement.objects.filter(cluster__board__workshop=w), success, "success statement")
    change = log_change(w, actor, "remove_success", f"Removed “{success.text}” from what success looks like",
                  scope={"success": [success.pk]})
    success.delete()
    return change


def remove_action(w, actor, action) -> Change:
    action = find_one(w.actions, action, "action")
    change = log_change(w, actor, "remove_action", f"Removed the action “{action.text}”",
                        scope={"actions": [action.pk]})
    action.delete()
    return change


def remove_share(w, actor, item) -> Change:
    item = find_one(w.sharing, item, "sharing plan line")
    change = log_change(w, actor, "remove_share", f"Removed telling {item.audience} from the sharing plan",
                  scope={"shares": [item.pk]})
    item.delete()
    return change


def edit_action(w, actor, action, stakeholder, text, themes, owner, measure, due, root_causes=(),
                base=None) -> Change:
    action = find_one(w.actions, action, "action")
    if not isinstance(themes, list) or not themes:
        raise OpError("Link the action to at least one theme.")
    linked = [find_one(clusters_of(w).filter(board__is_main=True), t, "theme") for t in themes]
    causes = [find_one(RootCause.objects.filter(cluster__board__workshop=w), c, "reason") for c in (root_causes or [])]
    fields = {"stakeholder": read_choice(stakeholder, Action.Stakeholder), "text": read_text(text),
              "owner": read_text(owner, limit=120), "measure": read_text(measure), "due": read_date(due)}
    check_base(base, _action_now(action), {f: str(fields[f]) for f in ACTION_TEXT},
               lambda: _last_by(w, "edit_action", lambda c: c.before.get("scope", {}).get("actions") == [action.pk]),
               ACTION_LABELS)
    change = log_change(w, actor, "edit_action", f"Changed the action “{fields['text']}”",
                        scope={"actions": [action.pk]})
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    action.themes.set(linked)
    action.root_causes.set(causes)
    return change
