"""Pages for tenders (the commissioner's) and for the people's panel (a member's own device, no account).

Everyone signed in reads tenders and "how we decided"; commissioners and administrators set them up. A panel
member opens their personal link once on their phone; the session then remembers them, and they score only the
bids of the tender whose panel they are on, only while the panel is scoring. The tender pack (PDF and Word) is
a shared output and lives with the reports: goldenthread/reporting/tender_pack.py.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from goldenthread.core.forms import form_errors
from goldenthread.pdf.pictograms import pictogram_for
from goldenthread.tenders import forms as f
from goldenthread.tenders import services
from goldenthread.tenders.models import SCORE_WORDS, Tender
from goldenthread.workshops.models import SuccessStatement

FORMS = {"success": f.SuccessForm, "criterion": f.CriterionForm, "bid": f.BidForm, "member": f.MemberForm,
         "decide": f.DecideForm}


def _tender(pk) -> Tender:
    return get_object_or_404(Tender.objects.select_related("service_type", "area", "user_group", "chosen_bid"), pk=pk)


def _need_runner(request) -> None:
    if not services.can_run_tenders(request.user):
        raise PermissionDenied


def index(request):
    return render(request, "tenders/index.html", {
        "tenders": Tender.objects.select_related("service_type", "area"),
        "can_run": services.can_run_tenders(request.user)})


@require_http_methods(["GET", "POST"])
def new(request):
    _need_runner(request)
    form = f.TenderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tender = form.save(commit=False)
        tender.created_by = request.user
        tender.save()
        messages.success(request, "The tender has been made. Now choose the themes it should answer.")
        return redirect(reverse("tenders:themes", args=[tender.pk]) + "?suggest=1")
    return render(request, "tenders/new.html", {"form": form, "errors": form_errors(form)})


def _page(request, tender, bound=None, status=200, **extra):
    """The tender's page, with the form that was just sent (and its errors) in place of its blank one."""
    can_run = services.can_run_tenders(request.user)
    blank = {name: (cls(tender=tender) if name in ("criterion", "decide") else cls()) for name, cls in FORMS.items()}
    which, form = bound or (None, None)
    if which:
        blank[which] = form
    return render(request, "tenders/tender.html", {
        "tender": tender, "can_run": can_run, "forms": blank, "errors": form_errors(form) if form else [],
        "themes": tender.themes.select_related("board__workshop"), "success": tender.success.all(),
        "workshop_success": services.workshop_success(tender) if can_run else [],
        "criteria": tender.criteria.select_related("theme"), "bids": tender.bids.all(),
        "panel": tender.panel.all() if can_run else [], "combined": services.combine(tender) if can_run else None,
        "statuses": Tender.Status.choices, **extra}, status=status)


@require_http_methods(["GET", "POST"])
def tender(request, pk):
    tender = _tender(pk)
    if request.method == "GET":
        return _page(request, tender)
    _need_runner(request)
    which = request.POST.get("form", "")
    try:
        if which == "status":
            services.set_status(tender, request.POST.get("status", ""))
            messages.success(request, f"The tender is now: {tender.get_status_display().lower()}.")
        elif which == "workshop_success":
            source = get_object_or_404(SuccessStatement, pk=_number(request.POST.get("source")))
            services.add_success(tender, "", source)
            messages.success(request, "Added to what success looks like.")
        elif which == "new_link":
            member = get_object_or_404(tender.panel, pk=_number(request.POST.get("member")))
            return _page(request, tender, link=(member, request.build_absolute_uri(
                _join_url(services.new_link(member)))))
        elif which in FORMS:
            kwargs = {"tender": tender} if which in ("criterion", "decide") else {}
            form = FORMS[which](request.POST, **kwargs)
            if not form.is_valid():
                return _page(request, tender, (which, form), status=400)
            return _save(request, tender, which, form)
        else:
            raise PermissionDenied("Nothing to do by that name.")
    except services.TenderError as exc:
        messages.error(request, str(exc))
    return redirect("tenders:tender", tender.pk)


def _number(text) -> int:
    """A row's number as sent in a form (0, which matches nothing, for anything else)."""
    text = text or ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 0


def _join_url(token: str) -> str:
    return reverse("tenders:panel_join", args=[token])


def _save(request, tender, which, form):
    d = form.cleaned_data
    if which == "success":
        services.add_success(tender, d["text"])
    elif which == "criterion":
        services.add_criterion(tender, d["theme"], d["text"], d["weight"])
    elif which == "bid":
        bid = services.add_bid(tender, d["bidder"], d["summary"])
        messages.success(request, f"The bid is {bid.label} to the panel.")
    elif which == "member":
        member, token = services.add_member(tender, d["name"], d["role"])
        return _page(request, tender, link=(member, request.build_absolute_uri(_join_url(token))))
    elif which == "decide":
        services.decide(tender, d["bid"], d["why"])
    if which != "bid":
        messages.success(request, "Saved.")
    return redirect("tenders:tender", tender.pk)


@require_http_methods(["GET", "POST"])
def themes(request, pk):
    """Choose the themes the tender should answer; asked, the engine puts first those most like the kind of
    support (only when asked: it reads every theme's cards)."""
    tender = _tender(pk)
    _need_runner(request)
    asked = request.GET.get("suggest") == "1"
    suggested = services.suggest_themes(tender) if asked else []
    form = f.ThemesForm(request.POST or None, suggested=suggested,
                        initial={"themes": list(tender.themes.values_list("pk", flat=True))})
    if request.method == "POST" and form.is_valid():
        tender.themes.set(form.cleaned_data["themes"])
        messages.success(request, f"{len(form.cleaned_data['themes'])} themes chosen.")
        return redirect("tenders:tender", tender.pk)
    return render(request, "tenders/themes.html", {"tender": tender, "form": form, "errors": form_errors(form),
                                                   "suggested": suggested, "asked": asked})


def decided(request, pk):
    """How we decided: every panel member's scores, how they were combined, and the result. Names no one."""
    tender = _tender(pk)
    return render(request, "tenders/decided.html", {"tender": tender, "combined": services.combine(tender),
                                                    "words": SCORE_WORDS})


# --- the people's panel: no account, a personal link -------------------------------------------------------------

@login_not_required
def panel_join(request, token):
    member = services.member_for_token(token)
    if member is None:
        return render(request, "tenders/panel_no_link.html", status=404)
    request.session.cycle_key()  # a new session key: the link's owner starts a session of their own
    services.remember_member(request.session, member)
    return redirect("tenders:panel_home")


@login_not_required
def panel_home(request):
    joined = services.members_in_session(request.session)
    if not joined:
        return render(request, "tenders/panel_no_link.html", status=403)
    panels = [{"member": m, "tender": m.tender, "bids": [
        {"bid": b, "done": len(services.scores_of(m, b)), "of": m.tender.criteria.count()}
        for b in m.tender.bids.all()]} for m in joined]
    return render(request, "tenders/panel_home.html", {"panels": panels})


@login_not_required
@require_http_methods(["GET", "POST"])
def panel_bid(request, pk, bid_pk):
    tender = get_object_or_404(Tender, pk=pk)
    member = services.member_in_session(request.session, tender)
    if member is None:
        return render(request, "tenders/panel_no_link.html", status=403)
    bid = get_object_or_404(tender.bids, pk=bid_pk)
    criteria = list(tender.criteria.select_related("theme"))
    form = f.ScoreForm(request.POST or None, criteria=criteria,
                       initial={f"c{k}": v for k, v in services.scores_of(member, bid).items()})
    if request.method == "POST":
        if not tender.scoring_open:
            messages.error(request, "Scoring is closed, so your answers were not saved.")
            return redirect("tenders:panel_home")
        if form.is_valid():
            try:
                for c in criteria:
                    services.record_score(member, bid, c, form.cleaned_data[f"c{c.pk}"])
            except services.TenderError as exc:
                messages.error(request, str(exc))
                return redirect("tenders:panel_home")
            bids = list(tender.bids.all())
            later = bids[bids.index(bid) + 1:]
            messages.success(request, f"Thank you. Your answers for {bid.label} are saved.")
            return redirect("tenders:panel_bid", tender.pk, later[0].pk) if later else redirect("tenders:panel_home")
    questions = [{"criterion": c, "field": form[f"c{c.pk}"], "picture": pictogram_for(f"{c.text} {c.theme.name}")}
                 for c in criteria]
    bids = list(tender.bids.all())
    return render(request, "tenders/panel_bid.html", {
        "tender": tender, "bid": bid, "questions": questions, "errors": form_errors(form), "member": member,
        "number": bids.index(bid) + 1, "of": len(bids)}, status=400 if form.errors else 200)


@require_POST
def remove(request, pk, what, item):
    """Remove a success line, criterion or bid while the tender is being drafted."""
    tender = _tender(pk)
    _need_runner(request)
    rows = {"success": tender.success, "criterion": tender.criteria, "bid": tender.bids}.get(what)
    if rows is None:
        raise PermissionDenied("Nothing to remove by that name.")
    if what != "success" and tender.status in (Tender.Status.SCORING, Tender.Status.DECIDED):
        messages.error(request, "Criteria and bids cannot be removed once the panel has started scoring.")
    else:
        get_object_or_404(rows, pk=item).delete()
        messages.success(request, "Removed.")
    return redirect("tenders:tender", tender.pk)
