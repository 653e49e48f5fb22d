"""The audit page (administrators only), and the "Areas, services and user groups" pages.

The lists pages are for the roles that run cycles (administrators, facilitators,
commissioners): see a list, add a name, rename one, remove one that no review
uses. The rules are in :mod:`goldenthread.core.lookups`; changes are logged by
django-auditlog like every other model.
"""
from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from goldenthread.core import lookups, roles
from goldenthread.core.forms import form_errors
from goldenthread.core.models import AccessRecord


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def audit(request):
    """Both logs, newest first, filtered by who, what, which person and when."""
    if not roles.is_administrator(request.user):
        raise PermissionDenied("Only administrators can read the audit log")
    q = request.GET
    actor, action, person_ref = q.get("actor", "").strip(), q.get("action", ""), q.get("person_ref", "").strip()
    since, until = _date(q.get("since")), _date(q.get("until"))
    access = AccessRecord.objects.all()
    changes = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if actor:
        access = access.filter(actor__icontains=actor)
        changes = changes.filter(actor__username__icontains=actor.removeprefix("user:"))
    if action in AccessRecord.Action.values:
        access = access.filter(action=action)
    if person_ref:
        access = access.filter(person_ref=person_ref)
    if since:
        access, changes = access.filter(at__date__gte=since), changes.filter(timestamp__date__gte=since)
    if until:
        access, changes = access.filter(at__date__lte=until), changes.filter(timestamp__date__lte=until)
    return render(request, "core/audit.html", {
        "access": Paginator(access, 100).get_page(q.get("page")),
        "changes": Paginator(changes, 100).get_page(q.get("cpage")),
        "actions": AccessRecord.Action.choices,
        "filters": {"actor": actor, "action": action, "person_ref": person_ref,
                    "since": q.get("since", ""), "until": q.get("until", "")},
    })


# --- Areas, services and user groups ------------------------------------------------------------

class NameForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name", error_messages={"required": "Enter the name."})

    def __init__(self, *args, fixed: lookups.FixedList, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed, self.instance = fixed, instance
        self.fields["name"].label = f"Name of the {fixed.singular}"
        self.fields["name"].error_messages["required"] = f"Enter the name of the {fixed.singular}."

    def save(self):
        """Add or rename; a refusal (a duplicate or a name too long) becomes the field's error."""
        try:
            if self.instance is None:
                return lookups.add(self.fixed, self.cleaned_data["name"])
            return lookups.rename(self.fixed, self.instance, self.cleaned_data["name"])
        except lookups.ListChangeRefused as exc:
            self.add_error("name", str(exc))
            return None


def _keeper(request) -> None:
    if not roles.can_run_cycles(request.user):
        raise PermissionDenied("Only people who run cycles can change the council's lists")


def _fixed(kind: str) -> lookups.FixedList:
    try:
        return lookups.LISTS[kind]
    except KeyError:
        raise Http404("No such list") from None


def lists_home(request):
    """The three lists, each with how many names it holds."""
    _keeper(request)
    return render(request, "core/lists.html", {
        "lists": [{"fixed": f, "count": f.model.objects.count()} for f in lookups.LISTS.values()]})


@require_http_methods(["GET", "POST"])
def list_page(request, kind):
    """One list: every name, how many reviews use it, and a form to add one."""
    _keeper(request)
    fixed = _fixed(kind)
    form = NameForm(request.POST or None, fixed=fixed)
    if request.method == "POST" and form.is_valid():
        added = form.save()
        if added is not None:
            messages.success(request, f"'{added.name}' has been added to the {fixed.plural}.")
            return redirect("list_page", kind=kind)
    rows = fixed.model.objects.annotate(used=Count("reviews")).order_by(Lower("name"), "pk")
    return render(request, "core/list.html", {"fixed": fixed, "rows": rows, "form": form,
                                              "errors": form_errors(form)})


@require_http_methods(["GET", "POST"])
def list_rename(request, kind, pk):
    _keeper(request)
    fixed = _fixed(kind)
    obj = get_object_or_404(fixed.model, pk=pk)
    before = obj.name
    form = NameForm(request.POST or None, fixed=fixed, instance=obj, initial={"name": obj.name})
    if request.method == "POST" and form.is_valid() and form.save() is not None:
        messages.success(request, f"'{before}' is now called '{obj.name}'.")
        return redirect("list_page", kind=kind)
    obj.name = before
    return render(request, "core/list_rename.html", {"fixed": fixed, "obj": obj, "form": form,
                                                     "errors": form_errors(form)})


@require_http_methods(["GET", "POST"])
def list_remove(request, kind, pk):
    """Ask first; remove only a name no review uses."""
    _keeper(request)
    fixed = _fixed(kind)
    obj = get_object_or_404(fixed.model, pk=pk)
    error = None
    if request.method == "POST":
        try:
            lookups.remove(fixed, obj)
        except lookups.ListChangeRefused as exc:
            error = str(exc)
        else:
            messages.success(request, f"'{obj.name}' has been removed from the {fixed.plural}.")
            return redirect("list_page", kind=kind)
    used = lookups.reviews_using(obj)
    return render(request, "core/list_remove.html", {
        "fixed": fixed, "obj": obj, "used": used,
        "errors": [{"text": error, "href": "#main"}] if error else []}, status=409 if error else 200)
