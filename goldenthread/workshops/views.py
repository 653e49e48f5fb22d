"""Workshop pages. Each works as plain forms; the websocket only makes them live (see static/.../workshop/live.js)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.db.models import Count, Sum
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from goldenthread.core.models import Kind
from goldenthread.core import themes
from goldenthread.engine.cardcall_calib import ACCEPT_ABOVE, ACCEPT_ABOVE_RIGHT
from goldenthread.workshops import broadcast, room, rules, services
from goldenthread.workshops.models import (
    BOARD_KINDS, Action, Cluster, DelegateGroup, RootCause, ShareItem, Stage, SuccessStatement, Status, Vote, Workshop,
)
from goldenthread.workshops.ratelimit import guard_workshop_codes
from goldenthread.workshops.access import actor_for, remember_delegate
from goldenthread.workshops.templatetags.workshop_words import cluster_title, suggestion_words
from goldenthread.workshops.forms import AcceptAboveForm, ActionForm, JoinForm, MoveToForm, ShareForm, WorkshopForm


def _apply(workshop, actor, op: str, data: dict, confirm: bool = False) -> services.Applied:
    """Make one change through the workshop's services, then tell every screen (once it is committed)."""
    return broadcast.announce_after_commit(services.run(workshop.pk, actor, op, data, confirm=confirm))


def _open(request, code):
    """The workshop and who is looking, or a redirect to the join page."""
    workshop = get_object_or_404(Workshop.objects.select_related("cycle"), code=code.upper())
    actor = actor_for(request.user, request.session, workshop)
    return workshop, actor


#: The page each stage happens on, so a delegate's screen can offer to follow the group.
STAGE_PAGES = {"card_call": "workshop:call", "analysis": "workshop:votes", "actions": "workshop:actions",
               "sharing": "workshop:sharing"}


def _page(request, template, workshop, actor, status=200, **context):
    stage_links = [(value, label, reverse(STAGE_PAGES.get(value, "workshop:home"), args=[workshop.code]))
                   for value, label in Stage.choices]
    now = {}
    if actor is not None and not actor.is_facilitator:  # the "what to do now" panel on a delegate's pages
        now["main_boards"] = workshop.boards.filter(is_main=True)
        now["dots_left"] = None
        if actor.delegate_id:
            used = Vote.objects.filter(delegate_id=actor.delegate_id).aggregate(n=Sum("dots"))["n"] or 0
            now["dots_left"] = max(0, workshop.vote_budget - used)
    # What is not offered says why: {{ cannot.add_action }} ("Adding an action happens during Action plans...").
    cannot = {op: rules.refusal(actor, op, workshop.stage) for op in rules.TABLE}
    return render(request, template, {
        "workshop": workshop, "actor": actor, "stages": Stage.choices, "statuses": Status.choices,
        "stage_links": stage_links, "can": rules.allowed_ops(actor, workshop), "cannot": cannot,
        "page_path": request.get_full_path(), **now, **context}, status=status)


def _need_actor(view):
    def wrapped(request, code, *args, **kwargs):
        workshop, actor = _open(request, code)
        if actor is None:
            return redirect(f"{reverse('workshop:join')}?code={workshop.code}")
        return view(request, workshop, actor, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_not_required(wrapped)


def workshop_list(request):
    return render(request, "workshops/list.html", {"workshops": Workshop.objects.select_related("cycle")})


@permission_required("workshops.add_workshop", raise_exception=True)
@require_http_methods(["GET", "POST"])
def workshop_new(request):
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        workshop = services.create_workshop(d["cycle"], d["name"], d["cards_used"], request.user)
        messages.success(request, f"{workshop.name} is ready with {workshop.cards.count()} cards. "
                                  f"People join with the code {workshop.code}.")
        return redirect(workshop)
    return render(request, "workshops/new.html", {"form": form})


@guard_workshop_codes
@login_not_required
@require_http_methods(["GET", "POST"])
def join(request, code=""):
    form = JoinForm(request.POST or None, initial={"code": code or request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        workshop, d = form.cleaned_data["workshop"], form.cleaned_data
        same = services.returning_delegate(workshop, d["name"], d["group"])
        answer = request.POST.get("same")
        if same is not None and answer not in ("yes", "no"):  # ask first: "Are you Sam from ...?"
            return render(request, "workshops/join.html", {"form": form, "same": same})
        if same is not None and answer == "yes":
            remember_delegate(request.session, workshop, same)
            messages.success(request, f"Welcome back, {same.name}. Your dots are as you left them.")
            return redirect(workshop)
        delegate, applied = services.join(workshop.pk, d["name"], d["group"])
        broadcast.announce_after_commit(applied)
        remember_delegate(request.session, workshop, delegate)
        messages.success(request, f"Welcome, {delegate.name}. You have joined {workshop.name}.")
        return redirect(workshop)
    return render(request, "workshops/join.html", {"form": form})


@guard_workshop_codes
@_need_actor
def home(request, workshop, actor):
    boards = workshop.boards.annotate(n_clusters=Count("clusters", distinct=True),
                                      n_cards=Count("placements", distinct=True))
    join_url = request.build_absolute_uri(reverse("workshop:join_code", args=[workshop.code]))
    return _page(request, "workshops/home.html", workshop, actor, boards=boards, join_url=join_url,
                 delegates=workshop.delegates.all(), groups=DelegateGroup.choices,
                 code_expired=workshop.join_code_expired(),
                 board_kinds=[(k, Kind(k).label) for k in (Kind.WORKING, Kind.NOT_WORKING, Kind.FUTURE)],
                 screen_themes=Cluster.objects.themes().in_workshop(workshop).select_related("board").order_by(
                     "board__kind", "position", "id"))


@_need_actor
def card_call(request, workshop, actor):
    remaining = services.cards_to_call(workshop)
    card = remaining.first()
    clusters, suggestion = [], None
    if card:
        board = services.main_board(workshop, card.kind)
        clusters = list(board.clusters.prefetch_related("placements__card__statement"))
        # None when suggestions are off; delegates see them in words only, and only if the facilitator lets them
        shown = actor.is_facilitator or workshop.suggestions_to_delegates
        learnt = services.card_call_suggestions(workshop, card) if shown else None
        if learnt is not None:
            suggestion = suggestion_words(learnt, clusters, numbers=actor.is_facilitator)
    left = dict(remaining.order_by().values_list("kind").annotate(n=Count("pk")))
    proposals = {p.kind: p for p in workshop.rest_proposals.filter(open=True)}
    rest = [(k, Kind(k).label, left[k], proposals.get(k)) for k in BOARD_KINDS if left.get(k)]
    return _page(request, "workshops/call.html", workshop, actor, card=card, clusters=clusters,
                 suggestion=suggestion, remaining=remaining.count(), total=workshop.cards.count(), rest=rest,
                 decisions=workshop.decisions.select_related("card__statement", "cluster")[:8])


@_need_actor
def place_rest(request, workshop, actor, kind):
    """The "place the rest" proposal board for one kind: the facilitator's alone (delegates get 403).

    Every card not yet on the main board, with the cluster the engine proposes (or a new theme group), how
    sure it is, and the placed cards it is most like. Nothing here is applied until the facilitator accepts
    it (all above a confidence, or card by card, or into another cluster with "Move to…"); each form posts
    to the ordinary ``do`` view, so the stage rules, the log, the broadcast and undo are the usual ones.
    """
    if kind not in BOARD_KINDS:
        raise Http404("No board of that kind")
    if not actor.is_facilitator:
        raise PermissionDenied("Only the facilitator can see and accept the theme engine's proposals.")
    board = services.main_board(workshop, kind)
    clusters = list(board.clusters.prefetch_related("placements__card__statement"))
    proposal = workshop.rest_proposals.filter(kind=kind, open=True).first()
    waiting, new_groups, done = [], {}, []
    placed = dict(board.placements.values_list("card_id", "cluster_id"))
    by_id = {c.pk: c for c in clusters}
    if proposal:
        for place in proposal.places.select_related("card__statement", "cluster"):
            if place.card_id in placed:
                done.append((place, by_id.get(placed[place.card_id])))
            elif place.rejected:
                done.append((place, None))
            elif place.cluster_id is not None or place.new_group is None:
                place.where = cluster_title(by_id[place.cluster_id]) if place.cluster_id in by_id else ""
                waiting.append(place)
            else:
                new_groups.setdefault(place.new_group, []).append(place)
    try:
        above = max(0, min(100, int(request.GET.get("above", REST_DEFAULT_ABOVE))))
    except ValueError:
        above = REST_DEFAULT_ABOVE
    n_above = sum(1 for p in waiting if p.cluster_id in by_id and round(p.confidence * 100) >= above)
    choices = [(str(c.pk), cluster_title(c)) for c in clusters] + [("new", "A new cluster")]
    def move_to(place):  # "Move to…" offers the other clusters (accepting is the proposed one)
        return MoveToForm([c for c in choices if c[0] != str(place.cluster_id)], place)

    waiting = [(p, move_to(p)) for p in waiting]
    named = proposal.group_names if proposal else {}
    new_groups = {(g, named.get(str(g), "")): [(p, move_to(p)) for p in places] for g, places in new_groups.items()}
    return _page(request, "workshops/place_rest.html", workshop, actor, kind=kind, kind_label=Kind(kind).label,
                 board=board, clusters=clusters, proposal=proposal, waiting=waiting,
                 above_form=AcceptAboveForm(REST_THRESHOLDS, above),
                 new_groups=sorted(new_groups.items()), done=done, above=above, n_above=n_above,
                 again={int(g) for g in proposal.group_last_year} if proposal else set(),
                 thresholds=REST_THRESHOLDS, default_above=REST_DEFAULT_ABOVE, right_above=REST_DEFAULT_RIGHT,
                 left=services.cards_to_call(workshop).filter(kind=kind).count(),
                 last_change=workshop.changes.filter(undone=False).first())


#: "Accept all at least this sure": the choices offered, and the one chosen at first: the level the engine's
#: calibration chose (:data:`goldenthread.engine.cardcall_calib.ACCEPT_ABOVE`), with how often its proposals at
#: that level were right on labelled card calls (shown beside it, so the room knows what the number means).
REST_THRESHOLDS = (90, 80, 70, 60, 50, 40, 30, 20, 10, 0)
REST_DEFAULT_ABOVE = round(ACCEPT_ABOVE * 100)
REST_DEFAULT_RIGHT = round(ACCEPT_ABOVE_RIGHT * 100)


@_need_actor
def screen(request, workshop, actor):
    """The projector: what the room looks at, for the stage it is on (:func:`room.room_view`), in large type,
    with no controls. It follows the workshop live."""
    join_url = request.build_absolute_uri(reverse("workshop:join")).split("://", 1)[-1]  # easier to read out
    return render(request, "workshops/screen.html", {"workshop": workshop, "room": room.room_view(workshop),
                                                    "join_url": join_url})


@_need_actor
def board(request, workshop, actor, board_id):
    board = get_object_or_404(workshop.boards, pk=board_id)
    clusters = board.clusters.prefetch_related("placements__card__statement")
    placed = board.placements.values_list("card_id", flat=True)
    loose = workshop.cards.filter(kind=board.kind).exclude(pk__in=placed).select_related("statement")
    changes = workshop.changes.select_related("board")
    clusters = list(clusters)
    return _page(request, "workshops/board.html", workshop, actor, board=board, clusters=clusters, loose=loose,
                 boards=workshop.boards.all(), last_change=changes.filter(undone=False).first(),
                 changes=changes[:6], redo=services.next_redo(workshop), n_placed=len(placed), moved=_moved(request, board, clusters))


def _moved(request, board, clusters) -> str:
    """After a "Move to…" form (``?moved=<card>``): where that card is now, in words, for the status line."""
    card_id = request.GET.get("moved", "")
    if not card_id.isdigit():
        return ""
    for cluster in clusters:
        for p in cluster.placements.all():
            if p.card_id == int(card_id):
                return f"Card {p.card.statement.card_code} is now in “{cluster_title(cluster)}”."
    return ""


@_need_actor
def theme(request, workshop, actor, cluster_id):
    return _theme(request, workshop, actor, cluster_id)


def _conflict(op: str, exc: services.Conflict, labels=None) -> dict:
    """A conflict for a page: who saved, both texts field by field, and the base that keeps mine."""
    return {"op": op, "message": str(exc), "by": exc.by, "theirs": exc.theirs, "mine": exc.mine, "base": exc.base,
            "rows": [((labels or exc.labels).get(f, f), exc.theirs[f], exc.mine.get(f, "")) for f in exc.differ]}


def _theme(request, workshop, actor, cluster_id, conflict=None):
    """The theme page; after a save from an old version (``conflict``) the form keeps what was typed, with both
    texts and the choice of which to keep (status 409)."""
    cluster = get_object_or_404(Cluster.objects.filter(board__workshop=workshop).select_related("board"),
                                pk=cluster_id)
    texts = [p.card.statement.shown_text for p in cluster.placements.select_related("card__statement")]
    causes = list(cluster.root_causes.all())
    children: dict = {}
    for c in causes:
        children.setdefault(c.parent_id, []).append(c)

    def tree(parent_id=None):
        return [{"cause": c, "children": tree(c.pk)} for c in children.get(parent_id, [])]

    page_path = reverse("workshop:theme", args=[workshop.code, cluster.pk])
    mine = conflict["mine"] if conflict else {}
    return _page(request, "workshops/theme.html", workshop, actor, status=409 if conflict else 200,
                 cluster=cluster, texts=texts,
                 names=services.name_suggestions(cluster), warnings=themes.name_warnings(cluster.name),
                 tree=tree(), perspectives=SuccessStatement.Perspective.choices,
                 success=cluster.success.all(), max_depth=services.MAX_WHY_DEPTH, page_path=page_path,
                 conflict=conflict, name_conflict=conflict if conflict and conflict["op"] == "rename_cluster" else None,
                 notes_conflict=conflict if conflict and conflict["op"] == "set_notes" else None,
                 name_value=mine.get("name", cluster.name) if conflict and conflict["op"] == "rename_cluster"
                 else cluster.name,
                 name_base=conflict["base"] if conflict and conflict["op"] == "rename_cluster"
                 else services.name_base(cluster),
                 notes_value={"what_works": mine.get("what_works", cluster.what_works),
                              "stories": mine.get("stories", cluster.stories)}
                 if conflict and conflict["op"] == "set_notes" else
                 {"what_works": cluster.what_works, "stories": cluster.stories},
                 notes_base=conflict["base"] if conflict and conflict["op"] == "set_notes"
                 else services.notes_base(cluster))


def vote_results(workshop):
    """Dots and people per not-working theme, overall and by delegate group (people, not statements)."""
    board = services.main_board(workshop, Kind.NOT_WORKING)
    groups = DelegateGroup.choices
    rows = []
    for cluster in board.clusters.filter(name__gt=""):  # votes go on named themes only
        votes = list(cluster.votes.select_related("delegate"))
        by_group = {g: sum(v.dots for v in votes if v.delegate.group == g) for g, _ in groups}
        rows.append({"cluster": cluster, "dots": sum(v.dots for v in votes), "people": len(votes),
                     "by_group": [by_group[g] for g, _ in groups],
                     "groups": [(label, by_group[g]) for g, label in groups if by_group[g]]})
    rows.sort(key=lambda r: (-r["dots"], r["cluster"].position))
    return rows, [label for _, label in groups]


@_need_actor
def votes(request, workshop, actor):
    board = services.main_board(workshop, Kind.NOT_WORKING)
    # Votes go on themes: named clusters only (the stage rules refuse a dot on an unnamed one).
    themes = list(board.clusters.filter(name__gt="").prefetch_related("placements__card__statement"))
    mine = {}
    used = 0
    if actor.delegate_id:
        mine = dict(workshop.delegates.get(pk=actor.delegate_id).votes.values_list("cluster_id", "dots"))
        used = sum(mine.values())
    rows, group_labels = vote_results(workshop) if workshop.votes_revealed else ([], [])
    voters = workshop.delegates.filter(votes__isnull=False).distinct().count()
    dots_used = Vote.objects.filter(cluster__board=board).aggregate(n=Sum("dots"))["n"] or 0
    left = max(0, workshop.vote_budget - used)
    voting_open = "vote" in rules.allowed_ops(actor, workshop)
    stage_order = list(Stage.values)
    voting_closed = stage_order.index(workshop.stage) > stage_order.index(Stage.ANALYSIS)
    cards = [{"cluster": c, "mine": mine.get(c.pk, 0), "dots": range(mine.get(c.pk, 0)),
              "can_add": voting_open and left > 0 and mine.get(c.pk, 0) < workshop.vote_cap} for c in themes]
    return _page(request, "workshops/votes.html", workshop, actor, themes=cards, used=used, left=left,
                 dot_choices=range(workshop.vote_cap + 1), rows=rows, group_labels=group_labels, voters=voters,
                 dots_used=dots_used, delegates=workshop.delegates.all(), voting_open=voting_open,
                 voting_closed=voting_closed, most_dots=max([r["dots"] for r in rows], default=0) or 1)


@_need_actor
@require_http_methods(["GET", "POST"])
def actions(request, workshop, actor):
    form = ActionForm(workshop, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _apply(workshop, actor, "add_action", _action_data(d))
        except services.OpError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The action has been added.")
            return redirect("workshop:actions", workshop.code)
    groups = [{"label": label, "actions": workshop.actions.filter(stakeholder=value).prefetch_related("themes",
                                                                                                      "root_causes")}
              for value, label in Action.Stakeholder.choices]
    return _page(request, "workshops/actions.html", workshop, actor, form=form, groups=groups)


def _action_data(d):
    return {"stakeholder": d["stakeholder"], "text": d["text"], "owner": d["owner"], "measure": d["measure"],
            "due": d["due"].isoformat(), "themes": [t.pk for t in d["themes"]],
            "root_causes": [c.pk for c in d["root_causes"]]}


@_need_actor
@require_http_methods(["GET", "POST"])
def action_edit(request, workshop, actor, action_id):
    action = get_object_or_404(workshop.actions, pk=action_id)
    initial = {"stakeholder": action.stakeholder, "text": action.text, "owner": action.owner,
               "measure": action.measure, "due": action.due, "themes": action.themes.all(),
               "root_causes": action.root_causes.all()}
    form = ActionForm(workshop, request.POST or None, initial=initial)
    # The version the form started from travels with it, so a save over someone else's change is caught.
    base = request.POST.get("base", "") if request.method == "POST" else services.action_base(action)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            _apply(workshop, actor, "edit_action",
                   {"action": action.pk, **_action_data(form.cleaned_data), "base": base})
        except services.Conflict as exc:
            conflict, base = _conflict("edit_action", exc), exc.base
        except services.OpError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The action has been changed.")
            return redirect("workshop:actions", workshop.code)
    return _page(request, "workshops/action_edit.html", workshop, actor, status=409 if conflict else 200,
                 form=form, action=action, base=base, conflict=conflict,
                 page_path=reverse("workshop:action_edit", args=[workshop.code, action.pk]))


#: What can be removed: the model rows it may be, the operation's field, and how to name it.
REMOVABLE = {
    "cause": (lambda w: RootCause.objects.filter(cluster__board__workshop=w), "remove_cause", "cause", "reason"),
    "success": (lambda w: SuccessStatement.objects.filter(cluster__board__workshop=w), "remove_success", "success",
                "success statement"),
    "action": (lambda w: w.actions.all(), "remove_action", "action", "action"),
    "share": (lambda w: ShareItem.objects.filter(workshop=w), "remove_share", "item", "sharing plan line"),
}


@_need_actor
def remove(request, workshop, actor, what, pk):
    """Ask "are you sure?" before removing something. The answer is posted to the ``remove_...`` operation."""
    if what not in REMOVABLE:
        raise Http404("Nothing like that can be removed")
    rows, op, field, noun = REMOVABLE[what]
    obj = get_object_or_404(rows(workshop), pk=pk)
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = workshop.get_absolute_url()
    extra = obj.children.count() if what == "cause" else 0
    try:
        summary = services.impact(workshop.pk, actor, op, {field: obj.pk})
    except services.OpError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return _page(request, "workshops/remove.html", workshop, actor, obj=obj, op=op, field=field, noun=noun,
                 back=back, extra=extra, summary=summary)


@_need_actor
@require_http_methods(["GET", "POST"])
def sharing(request, workshop, actor):
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _apply(workshop, actor, "add_share", {**d, "due": d["due"].isoformat()})
        except services.OpError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The line has been added to the sharing plan.")
            return redirect("workshop:sharing", workshop.code)
    return _page(request, "workshops/sharing.html", workshop, actor, form=form, items=workshop.sharing.all())


LIST_FIELDS = {"cards", "themes", "root_causes"}


@_need_actor
@require_POST
def do(request, workshop, actor, op):
    """Apply one change sent by a plain form, then go back to the page it came from."""
    if op not in services.OPS:
        raise Http404("No such change")
    fields = services.OPS[op][1]
    data = {k: (request.POST.getlist(k) if k in LIST_FIELDS else request.POST[k]) for k in fields if k in request.POST}
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = workshop.get_absolute_url()
    try:
        _apply(workshop, actor, op, data, confirm=request.POST.get("confirm") == "yes")
    except services.NeedsConfirmation as exc:
        # "Are you sure?": say what would be lost, and post the same change again with confirm=yes.
        hidden = [(k, v) for k in fields if k in request.POST for v in request.POST.getlist(k)]
        return _page(request, "workshops/confirm.html", workshop, actor, op=op, summary=exc.summary,
                     hidden=hidden, back=back, what=rules.TABLE[op][2])
    except services.Conflict as exc:
        # Someone saved this text after the form was opened: show the form again with what was typed, both
        # texts, and the choice of which to keep (nothing typed is thrown away).
        cluster = data.get("cluster")
        if op in ("rename_cluster", "set_notes") and str(cluster).isdigit():
            return _theme(request, workshop, actor, int(cluster), conflict=_conflict(op, exc))
        messages.error(request, str(exc))
    except services.OpError as exc:
        # A refused change never silently throws away what was typed: say it back.
        typed = " / ".join(data[k] for k in TYPED_FIELDS if isinstance(data.get(k), str) and data[k].strip())
        messages.error(request, f"{exc} Not saved: “{typed[:300]}”." if typed else str(exc))
    return redirect(back)


#: The fields of a plain form that hold text someone wrote (said back if the change is refused).
TYPED_FIELDS = ("name", "what_works", "stories", "text", "audience", "what", "how", "owner", "measure")
