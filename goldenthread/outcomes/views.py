"""Pages for the outcome framework: the outcome areas, importing the framework and its measures, and checking
which themes speak to which outcome. The outcomes page itself (measures beside what people said) is a report:
goldenthread/reporting/outcomes.py."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goldenthread.core import roles
from goldenthread.outcomes.models import OutcomeArea, ThemeOutcome
from goldenthread.outcomes.services import OutcomeFileError, import_measures, import_outcomes, suggest_links
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.reviews.table_views import import_table_page
from goldenthread.workshops.theme_links import decide_posted

IMPORTS = {"framework": ("the outcome framework", import_outcomes, "code, statement, description"),
           "measures": ("activity and results measures", import_measures,
                        "outcome, name, kind, unit, value, period, cycle, area, user_group")}


def index(request):
    return render(request, "outcomes/index.html", {
        "outcomes": OutcomeArea.objects.all(), "cycles": ProgrammeCycle.objects.order_by("-year", "name"),
        "can_keep": roles.can_keep_outcomes(request.user)})


@require_http_methods(["GET", "POST"])
def import_file(request, what):
    if what not in IMPORTS:
        raise Http404("Nothing to import by that name")
    if not roles.can_keep_outcomes(request.user):
        raise PermissionDenied
    title, do_import, columns = IMPORTS[what]
    return import_table_page(request, title=title, columns=columns, do_import=do_import, error=OutcomeFileError,
                             back=(reverse("outcomes:index"), "Outcomes"))


@require_http_methods(["GET", "POST"])
def links(request, slug):
    """The engine's suggested links between this cycle's themes and the outcome areas; a person decides each."""
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    if not roles.can_keep_outcomes(request.user):
        raise PermissionDenied
    if request.method == "POST":
        if "suggest" in request.POST:
            made = sum(suggest_links(w) for w in cycle.workshops.all())
            messages.success(request, f"{made} new suggested link{'s' if made != 1 else ''}.")
        else:
            link = decide_posted(ThemeOutcome.objects.in_cycle(cycle), request.POST.get("link", ""),
                                 request.POST.get("decision", ""), request.user)
            messages.success(request, f"Saved: {link.get_status_display().lower()}.")
        return redirect(reverse("outcomes:links", args=[slug]))
    found = (ThemeOutcome.objects.in_cycle(cycle).select_related("cluster__board__workshop", "outcome", "decided_by")
             .order_by("outcome__position", "outcome__code", "-score", "id"))
    return render(request, "outcomes/links.html", {"cycle": cycle, "links": found,
                                                   "has_outcomes": OutcomeArea.objects.exists()})
