"""Report pages and downloads. Everyone signed in gets the shared version (small counts hidden);
people who run workshops can ask for the team version with ``?version=team``. Every download is logged."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goldenthread.core import roles
from goldenthread.core.access_log import record_access
from goldenthread.reporting.charts import charts_for, for_template
from goldenthread.reporting.data import build_report, pick_workshop
from goldenthread.reporting.golden_thread import action_thread, theme_thread
from goldenthread.reporting.matching import suggest_matches
from goldenthread.reporting.change import NOT_MATCHED, NOT_RAISED, year_on
from goldenthread.reporting.council_themes import council_themes
from goldenthread.reporting.council_themes import to_csv as council_to_csv
from goldenthread.reporting.council_themes import to_xlsx as council_to_xlsx
from goldenthread.reporting.models import ExportRecord, NoMatch, ThemeMatch
from goldenthread.reporting.market import market_of_theme, market_view
from goldenthread.reporting.market import to_pdf as market_pdf
from goldenthread.reporting.market import to_xlsx as market_xlsx
from goldenthread.reporting.outcomes import measures_of_action, outcome_page, outcomes_of_theme
from goldenthread.reporting.outputs import CONTENT_TYPES, OUTPUTS, make_output
from goldenthread.reporting.story import build_story
from goldenthread.reporting.you_said import easy_read_document, you_said_we_did
from goldenthread.programme.pdf import render as render_pdf
from goldenthread.programme.services import comment_invitation, themed_evaluations
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.models import Action, Cluster, Workshop

DOWNLOADS = [("full", "pdf", "Full report (PDF)"), ("full", "html", "Full report (web page file)"),
             ("easy_read", "pdf", "Easy-read summary (PDF)"), ("easy_read", "html", "Easy-read summary (web page file)"),
             ("wall_sheets", "pdf", "Wall sheets of the themes (PDF, A4 landscape)"),
             ("data", "xlsx", "Data (Excel)"), ("data", "csv", "Data (CSV)"), ("data", "json", "Data (JSON)")]


def _shared(request) -> bool:
    return not (roles.can_run_workshops(request.user) and request.GET.get("version") == "team")


def _workshop(request, cycle):
    try:
        wid = int(request.GET["workshop"]) if request.GET.get("workshop") else None
        return pick_workshop(cycle, wid)
    except (ValueError, Workshop.DoesNotExist):
        raise Http404("No such workshop in this cycle") from None


def report_page(request, slug):
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    workshop = _workshop(request, cycle)
    shared = _shared(request)
    data = build_report(cycle, workshop, shared=shared, made_by=request.user.get_username())
    if not shared:
        record_access(request.user, "view", cycle, detail="team version of the report (small counts shown)")
    charts = [for_template(c) for c in charts_for(data)]
    query = ("?" + "&".join(f"{k}={v}" for k, v in (("workshop", workshop.pk if workshop else ""),
                                                      ("version", "" if shared else "team")) if v)).rstrip("?")
    downloads = [{"url": reverse("reports:download", args=[slug, o, f]) + query, "label": label}
                 for o, f, label in DOWNLOADS]
    return render(request, "reporting/cycle_report.html", {
        "cycle": cycle, "data": data, "story": build_story(data), "charts": charts, "downloads": downloads,
        "council": council_themes(cycle, shared=shared, made_by=request.user.get_username()),
        "council_query": "" if shared else "?version=team",
        "workshops": list(cycle.workshops.all()), "is_team": roles.can_run_workshops(request.user),
        "questions": themed_evaluations(cycle)})


def you_said(request, slug):
    """"You said, we did": easy read, for everyone who took part. Always the shared version."""
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    return render(request, "reporting/you_said.html", {"cycle": cycle, "entries": you_said_we_did(cycle),
                                                     "comment_invitation": comment_invitation(cycle)})


def you_said_pdf(request, slug):
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    content = render_pdf(easy_read_document(cycle, you_said_we_did(cycle)), easy_read=True)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="you-said-we-did-{cycle.slug}.pdf"'
    return response


def download(request, slug, output, file_format):
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    if (output, file_format) not in OUTPUTS:
        raise Http404("No such report")
    shared = _shared(request)
    made = make_output(cycle, _workshop(request, cycle), output, file_format, shared=shared,
                       user=request.user, via="web")
    record_access(request.user, "export", cycle,
                  detail=f"{output}.{file_format} ({'shared' if shared else 'team'} version)")
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


def council_download(request, slug, file_format):
    """The whole council's confirmed themes as CSV or XLSX (the shared version unless the team asks)."""
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    if file_format not in ("csv", "xlsx"):
        raise Http404("No such download")
    shared = _shared(request)
    made = council_themes(cycle, shared=shared, made_by=request.user.get_username())
    if made is None:
        raise Http404("This cycle has no confirmed whole-council themes yet")
    content = council_to_csv(made) if file_format == "csv" else council_to_xlsx(made)
    ExportRecord.objects.create(cycle=cycle, output="council_themes", file_format=file_format, shared=shared,
                                threshold=made.threshold, made_by=request.user,
                                made_by_name=request.user.get_username(), via="web")
    record_access(request.user, "export", cycle,
                  detail=f"council-themes.{file_format} ({'shared' if shared else 'team'} version)")
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    version = "" if shared else "-team"
    response["Content-Disposition"] = f'attachment; filename="{cycle.slug}-council-themes{version}.{file_format}"'
    return response


def thread(request, slug):
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    workshop = _workshop(request, cycle)
    themes = Cluster.objects.in_workshop(workshop).themes().select_related("board") if workshop else []
    actions = workshop.actions.all() if workshop else []
    return render(request, "reporting/thread.html", {"cycle": cycle, "workshop": workshop, "themes": themes,
                                                   "actions": actions})


def action_page(request, pk):
    action = get_object_or_404(Action.objects.select_related("workshop__cycle"), pk=pk)
    return render(request, "reporting/action_thread.html", {
        "cycle": action.workshop.cycle, "t": action_thread(action, shared=_shared(request)),
        "outcome_measures": measures_of_action(action)})


def theme_page(request, pk):
    cluster = get_object_or_404(Cluster.objects.filter(name__gt="").select_related("board__workshop__cycle"), pk=pk)
    return render(request, "reporting/theme_thread.html", {
        "cycle": cluster.board.workshop.cycle, "t": theme_thread(cluster, shared=_shared(request)),
        "outcomes": outcomes_of_theme(cluster), "market": market_of_theme(cluster, shared=_shared(request)),
        "tenders": cluster.tenders.order_by("-created_at", "-pk")})


def tender_pack(request, pk, file_format):
    """The tender pack, PDF or Word: always the shared version, since it goes to bidders."""
    from goldenthread.reporting.tender_pack import CONTENT_TYPES, RENDERERS, build_pack
    from goldenthread.tenders.models import Tender

    tender = get_object_or_404(Tender.objects.select_related("service_type", "area", "user_group"), pk=pk)
    if file_format not in RENDERERS:
        raise Http404("No such file")
    content = RENDERERS[file_format](build_pack(tender, made_by=request.user.get_username()))
    record_access(request.user, "export", tender, detail=f"tender pack .{file_format} (shared version)")
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="tender-pack-{tender.pk}.{file_format}"'
    return response


@require_http_methods(["GET", "POST"])
def matches(request, slug):
    """Suggested matches between this year's and last year's themes; a person confirms or rejects each."""
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    if not roles.can_run_workshops(request.user):
        raise PermissionDenied
    workshop = _workshop(request, cycle)
    if request.method == "POST":
        if "no_match" in request.POST:
            _say_no_match(request, cycle, workshop)
        elif "suggest" in request.POST:
            n = suggest_matches(cycle)
            messages.success(request, f"{n} new suggested matches.")
        else:
            match_id = request.POST.get("match", "")
            if not (match_id.isascii() and match_id.isdigit() and len(match_id) <= 18):
                raise BadRequest("The match to confirm or reject must be given by its number.")
            match = get_object_or_404(ThemeMatch, pk=int(match_id), cluster__board__workshop__cycle=cycle)
            match.decide(request.user, same=request.POST.get("decision") == "confirm")
            messages.success(request, f"Saved: {match.get_status_display().lower()}.")
        return redirect(reverse("reports:matches", args=[slug]) + (f"?workshop={workshop.pk}" if workshop else ""))
    found = ThemeMatch.objects.filter(cluster__board__workshop__cycle=cycle).select_related(
        "cluster", "previous_cluster", "confirmed_by")
    earlier = pick_workshop(cycle.previous) if cycle.previous else None
    unmatched = [r for r in year_on(earlier, workshop, shared=False) if r.verdict in (NOT_MATCHED, NOT_RAISED)]
    return render(request, "reporting/matches.html", {"cycle": cycle, "matches": found, "workshop": workshop,
                                                      "unmatched": unmatched})


def _say_no_match(request, cycle, workshop) -> None:
    """A person says no theme of ``workshop`` is last year's theme: it is then "not raised again"."""
    theme_id = request.POST.get("no_match", "")
    if workshop is None or not (theme_id.isascii() and theme_id.isdigit() and len(theme_id) <= 18):
        raise BadRequest("Last year's theme must be given by its number.")
    earlier = get_object_or_404(Cluster.objects.filter(name__gt=""), pk=int(theme_id),
                                board__workshop__cycle=cycle.previous)
    NoMatch.objects.get_or_create(previous_cluster=earlier, workshop=workshop,
                                  defaults={"decided_by": request.user})
    messages.success(request, f"Saved: no theme of {workshop.name} matches {earlier.name}.")


def outcome(request, pk):
    """One outcome area: activity, results, experience and actions side by side over the cycles."""
    from goldenthread.core.models import Area, UserGroup
    from goldenthread.outcomes.models import OutcomeArea

    chosen = get_object_or_404(OutcomeArea, pk=pk)
    area = _named(Area, request.GET.get("area"))
    user_group = _named(UserGroup, request.GET.get("user_group"))
    shared = _shared(request)
    if not shared:
        record_access(request.user, "view", chosen, detail="team version of the outcomes page (small counts shown)")
    return render(request, "reporting/outcome.html", {
        "page": outcome_page(chosen, shared=shared, area=area, user_group=user_group),
        "areas": Area.objects.order_by("name"), "user_groups": UserGroup.objects.order_by("name"),
        "outcomes": OutcomeArea.objects.all(), "is_team": roles.can_run_workshops(request.user)})


def _named(model, name):
    """The area or user group of that name (any case), None for none; an unknown name is a 404."""
    if not name:
        return None
    found = model.objects.filter(name__iexact=name[:200]).first()
    if found is None:
        raise Http404("No such area or user group")
    return found


def market(request, slug):
    """The market view of a cycle: demand from future themes against the directory, with the gaps. The shared
    version unless the workshop team asks for theirs."""
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    shared = _shared(request)
    if not shared:
        record_access(request.user, "view", cycle, detail="team version of the market view (small counts shown)")
    return render(request, "reporting/market.html", {
        "view": market_view(cycle, shared=shared, made_by=request.user.get_username()),
        "is_team": roles.can_run_workshops(request.user), "summary": False})


def market_summary(request, slug, file_format=None):
    """The market position summary a council can publish: always the shared version (page, PDF or XLSX)."""
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    view = market_view(cycle, shared=True, made_by=request.user.get_username())
    if file_format is None:
        return render(request, "reporting/market.html", {"view": view, "summary": True})
    if file_format not in ("pdf", "xlsx"):
        raise Http404("No such download")
    ExportRecord.objects.create(cycle=cycle, output="market_summary", file_format=file_format, shared=True,
                                threshold=view.threshold, made_by=request.user,
                                made_by_name=request.user.get_username(), via="web")
    record_access(request.user, "export", cycle, detail=f"market-position.{file_format} (shared version)")
    content = market_pdf(view) if file_format == "pdf" else market_xlsx(view)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{cycle.slug}-market-position.{file_format}"'
    return response
