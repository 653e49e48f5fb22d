"""Pages for the market directory: what is present (list, add, change, remove, import) and which future themes
ask for which kind of service. The market view and its summary are reports: goldenthread/reporting/market.py."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goldenthread.core import roles
from goldenthread.core.forms import form_errors
from goldenthread.core.models import Kind
from goldenthread.market.forms import ProvisionForm, ServiceTypeForm
from goldenthread.market.models import Provision, ServiceType, ThemeServiceType
from goldenthread.market.services import (
    PROVISION_COLUMNS, TYPE_COLUMNS, MarketFileError, import_provisions, import_service_types, suggest_links,
)
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.reviews.table_views import import_table_page
from goldenthread.workshops.theme_links import decide_posted

IMPORTS = {"service-types": ("service types", import_service_types, ", ".join(TYPE_COLUMNS)),
           "provisions": ("provisions (services, providers' offers, community resources)", import_provisions,
                          ", ".join(PROVISION_COLUMNS))}
EDITS = {"service-types": (ServiceType, ServiceTypeForm, "service type"),
         "provisions": (Provision, ProvisionForm, "provision")}


def _may_keep(request) -> None:
    if not roles.can_keep_market(request.user):
        raise PermissionDenied


def index(request):
    return render(request, "market/index.html", {
        "types": ServiceType.objects.prefetch_related("provisions__areas", "provisions__user_groups"),
        "cycles": ProgrammeCycle.objects.order_by("-year", "name"), "can_keep": roles.can_keep_market(request.user)})


@require_http_methods(["GET", "POST"])
def import_file(request, what):
    if what not in IMPORTS:
        raise Http404("Nothing to import by that name")
    _may_keep(request)
    title, do_import, columns = IMPORTS[what]
    return import_table_page(request, title=title, columns=columns, do_import=do_import, error=MarketFileError,
                             back=(reverse("market:index"), "Market directory"))


@require_http_methods(["GET", "POST"])
def edit(request, what, pk=None):
    """Add (no ``pk``) or change one service type or provision."""
    if what not in EDITS:
        raise Http404("Nothing to change by that name")
    _may_keep(request)
    model, form_class, label = EDITS[what]
    instance = get_object_or_404(model, pk=pk) if pk is not None else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Saved the {label} {saved.name}.")
        return redirect("market:index")
    return render(request, "market/edit.html", {"form": form, "label": label, "instance": instance,
                                                "form_errors": form_errors(form)})


@require_http_methods(["GET", "POST"])
def remove(request, what, pk):
    if what not in EDITS:
        raise Http404("Nothing to remove by that name")
    _may_keep(request)
    model, _form, label = EDITS[what]
    instance = get_object_or_404(model, pk=pk)
    refused = ""
    if request.method == "POST":
        try:
            instance.delete()
        except ProtectedError:
            refused = f"The {label} {instance.name} cannot be removed while provisions of this kind are listed."
        else:
            messages.success(request, f"Removed the {label} {instance.name}.")
            return redirect("market:index")
    return render(request, "market/remove.html", {"instance": instance, "label": label, "refused": refused})


@require_http_methods(["GET", "POST"])
def links(request, slug):
    """The engine's suggested links from this cycle's future themes to service types; a person decides each."""
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    _may_keep(request)
    found = ThemeServiceType.objects.in_cycle(cycle).filter(cluster__board__kind=Kind.FUTURE)
    if request.method == "POST":
        if "suggest" in request.POST:
            made = sum(suggest_links(w) for w in cycle.workshops.all())
            messages.success(request, f"{made} new suggested link{'s' if made != 1 else ''}.")
        else:
            link = decide_posted(found, request.POST.get("link", ""), request.POST.get("decision", ""), request.user)
            messages.success(request, f"Saved: {link.get_status_display().lower()}.")
        return redirect(reverse("market:links", args=[slug]))
    found = found.select_related("cluster__board__workshop", "service_type", "decided_by").order_by(
        "cluster__name", "-score", "id")
    return render(request, "market/links.html", {"cycle": cycle, "links": found,
                                                 "has_types": ServiceType.objects.exists()})
