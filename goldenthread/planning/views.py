"""Pages for team and organisation planning: each team's say, and the provider's strategic view."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goldenthread.core import roles
from goldenthread.core.forms import form_errors
from goldenthread.planning.forms import TeamPlanForm
from goldenthread.planning.models import TeamPlan
from goldenthread.planning.services import save_plan, strategic_view


def planning(request):
    plans = TeamPlan.objects.prefetch_related("items")
    providers = sorted({p.provider for p in plans})
    return render(request, "planning/planning.html", {"plans": plans, "providers": providers,
                                                    "can_plan": roles.can_plan(request.user)})


@require_http_methods(["GET", "POST"])
def planning_new(request, group_type):
    if group_type not in TeamPlan.GroupType.values:
        raise Http404("No such kind of group")
    if not roles.can_plan(request.user):
        raise PermissionDenied
    form = TeamPlanForm(request.POST or None, group_type=group_type,
                        initial={"provider": request.GET.get("provider", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        plan = save_plan(provider=d["provider"].strip(), team=d["team"].strip(), group_type=group_type,
                         year=d["year"], items=form.items(), user=request.user)
        messages.success(request, f"What {plan.team} said has been saved.")
        return redirect(f"{reverse('planning_strategic')}?provider={plan.provider}")
    return render(request, "planning/planning_form.html", {
        "form": form, "group_type": TeamPlan.GroupType(group_type), "errors": form_errors(form)})


def planning_strategic(request):
    provider = (request.GET.get("provider") or "").strip()
    if not provider:
        return redirect("planning")
    view = strategic_view(provider)
    if not view["plans"]:
        raise Http404("No planning for this provider")
    return render(request, "planning/planning_strategic.html", {"provider": provider, **view})
