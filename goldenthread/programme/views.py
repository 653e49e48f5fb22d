"""Pages for the programme around the workshop. Thin: the rules are in ``services`` and the models.

Who may do what: everyone signed in can read the planner, the sample check
(small numbers hidden unless their role may see identifiable reviews), the
evaluations and the follow-up of actions. People who run cycles change the plan,
the population and moderate comments; people who run workshops keep the
delegate list (names and access needs) and update actions. Delegates answer the
evaluation with the session they joined the workshop with; anyone with a
cycle's comment code may comment on its actions.
"""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goldenthread.core import roles
from goldenthread.core.forms import form_errors
from goldenthread.programme import forms as f
from goldenthread.programme import services
from goldenthread.programme.models import SAMPLE_ENOUGH, SAMPLE_MIN, Comment, Invitee
from goldenthread.programme.pdf import render as render_pdf
from goldenthread.reviews.models import ProgrammeCycle
from goldenthread.workshops.access import SESSION_KEY
from goldenthread.workshops.models import Action, Workshop

#: The most a comment or evaluation request body may be, checked before the body is read.
MAX_BODY = 16 * 1024


def _cycle(slug):
    return get_object_or_404(ProgrammeCycle, slug=slug)


def _need(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _too_big(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY
    except ValueError:
        return True


# --- 1. The planner --------------------------------------------------------------------------------


def planner(request, slug):
    cycle = _cycle(slug)
    return render(request, "programme/planner.html", {
        "cycle": cycle, "plan": services.plan_for(cycle), "tasks": services.task_list(cycle),
        "can_edit": roles.can_run_cycles(request.user), "carried": cycle.carried_actions.select_related("action"),
        "planned_groups": services.planned_groups(services.plan_for(cycle))})


@require_http_methods(["GET", "POST"])
def purpose(request, slug):
    cycle = _cycle(slug)
    _need(roles.can_run_cycles(request.user))
    plan = services.plan_for(cycle)
    form = f.PurposeForm(request.POST or None, initial={"purpose": cycle.purpose, "scope": cycle.scope,
                                                        "scope_type": plan.scope_type})
    if request.method == "POST" and form.is_valid():
        cycle.purpose, cycle.scope = form.cleaned_data["purpose"], form.cleaned_data["scope"]
        cycle.save(update_fields=["purpose", "scope"])
        plan.scope_type = form.cleaned_data["scope_type"]
        plan.save()
        messages.success(request, "The purpose and scope have been saved.")
        return redirect("programme:planner", cycle.slug)
    return render(request, "programme/form.html", {"cycle": cycle, "form": form, "errors": form_errors(form),
                                                   "title": "Purpose and scope"})


@require_http_methods(["GET", "POST"])
def decisions(request, slug):
    cycle = _cycle(slug)
    _need(roles.can_run_cycles(request.user))
    form = f.DecisionsForm(request.POST or None, instance=services.plan_for(cycle))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The planning meeting's decisions have been saved.")
        return redirect("programme:planner", cycle.slug)
    return render(request, "programme/form.html", {
        "cycle": cycle, "form": form, "errors": form_errors(form), "title": "Planning meeting decisions",
        "lead": "Agree these at the planning meeting with commissioners, providers, people who use services "
                "and families."})


# --- 2. The sample and the representation check ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def sample(request, slug):
    cycle = _cycle(slug)
    plan = services.plan_for(cycle)
    can_edit = roles.can_run_cycles(request.user)
    sample_form = f.SampleForm(instance=plan, prefix="sample")
    pop_form = f.PopulationForm(cycle=cycle, prefix="pop")
    file_form = f.PopulationFileForm(prefix="file")
    errors, file_problems = [], []
    if request.method == "POST":
        _need(can_edit)
        which = request.POST.get("form")
        if which == "sample":
            sample_form = f.SampleForm(request.POST, instance=plan, prefix="sample")
            if sample_form.is_valid():
                sample_form.save()
                messages.success(request, "The sample size has been saved.")
                return redirect("programme:sample", cycle.slug)
            errors = form_errors(sample_form)
        elif which == "population":
            pop_form = f.PopulationForm(request.POST, cycle=cycle, prefix="pop")
            if pop_form.is_valid():
                row = pop_form.save(commit=False)
                row.cycle = cycle
                row.save()
                messages.success(request, f"The number for {row.value} has been saved.")
                return redirect("programme:sample", cycle.slug)
            errors = form_errors(pop_form)
        elif which == "file":
            file_form = f.PopulationFileForm(request.POST, request.FILES, prefix="file")
            if file_form.is_valid():
                upload = file_form.cleaned_data["file"]
                if upload.size > 1024 * 1024:
                    file_problems = ["The file is bigger than 1 MB. A population file is a few rows of counts."]
                else:
                    try:
                        content = upload.read()
                        n = services.import_population(cycle, content)
                    except services.PopulationFileError as e:
                        file_problems = e.problems
                    else:
                        note = services.population_separator(content)
                        messages.success(request, f"{n} population numbers have been imported. {note}".strip())
                        return redirect("programme:sample", cycle.slug)
                errors = [{"text": p, "href": "#id_file-file"} for p in file_problems]
            else:
                errors = form_errors(file_form)
    shared = not services.can_see_small_numbers(request.user)
    return render(request, "programme/sample.html", {
        "cycle": cycle, "plan": plan, "progress": services.sample_progress(cycle),
        "checks": services.representation(cycle, request.user), "shared": shared,
        "threshold": services.threshold(), "can_edit": can_edit, "sample_form": sample_form, "pop_form": pop_form,
        "file_form": file_form, "errors": errors, "file_problems": file_problems,
        "sample_min": SAMPLE_MIN, "sample_enough": SAMPLE_ENOUGH})


# --- 3. The delegate list and invitations ----------------------------------------------------------


def workshops(request, slug):
    cycle = _cycle(slug)
    return render(request, "programme/workshops.html", {
        "cycle": cycle, "workshops": cycle.workshops.all(), "can_run": roles.can_run_workshops(request.user)})


def _workshop(code):
    return get_object_or_404(Workshop.objects.select_related("cycle"), code=code.upper())


@require_http_methods(["GET", "POST"])
def delegates(request, code):
    workshop = _workshop(code)
    _need(roles.can_run_workshops(request.user))
    form = f.InviteeForm(prefix="new")
    day_form = f.WorkshopDayForm(instance=services.workshop_day(workshop), prefix="day")
    errors = []
    if request.method == "POST":
        if request.POST.get("form") == "day":
            day_form = f.WorkshopDayForm(request.POST, instance=services.workshop_day(workshop), prefix="day")
            if day_form.is_valid():
                day_form.save()
                messages.success(request, "The date and place have been saved.")
                return redirect("programme:delegates", workshop.code)
            errors = form_errors(day_form)
        else:
            form = f.InviteeForm(request.POST, prefix="new")
            if form.is_valid():
                invitee = form.save(commit=False)
                invitee.workshop = workshop
                invitee.save()
                messages.success(request, f"{invitee.name} has been added to the delegate list.")
                return redirect("programme:delegates", workshop.code)
            errors = form_errors(form)
    people = workshop.invitees.all()
    coming = people.coming()
    return render(request, "programme/delegates.html", {
        "cycle": workshop.cycle, "workshop": workshop, "people": people, "coming": coming.count(),
        "warnings": services.delegate_mix(coming), "access": services.access_summary(coming), "form": form,
        "day_form": day_form, "errors": errors})


@require_http_methods(["GET", "POST"])
def invitee_edit(request, code, pk):
    workshop = _workshop(code)
    _need(roles.can_run_workshops(request.user))
    invitee = get_object_or_404(Invitee, pk=pk, workshop=workshop)
    if request.method == "POST" and request.POST.get("remove"):
        invitee.delete()
        messages.success(request, f"{invitee.name} has been taken off the delegate list.")
        return redirect("programme:delegates", workshop.code)
    form = f.InviteeForm(request.POST or None, instance=invitee)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{invitee.name}'s details have been saved.")
        return redirect("programme:delegates", workshop.code)
    return render(request, "programme/form.html", {
        "cycle": workshop.cycle, "form": form, "errors": form_errors(form), "title": f"Change {invitee.name}",
        "remove": True, "back": reverse("programme:delegates", args=[workshop.code])})


def invitation(request, code, easy_read=False):
    workshop = _workshop(code)
    return render(request, "programme/invitation.html", {
        "cycle": workshop.cycle, "workshop": workshop, "doc": services.invitation(workshop, easy_read=easy_read),
        "easy_read": easy_read})


def invitation_pdf(request, code, easy_read=False):
    workshop = _workshop(code)
    content = render_pdf(services.invitation(workshop, easy_read=easy_read), easy_read=easy_read)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"invitation-{'easy-read-' if easy_read else ''}{workshop.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- 4. The delegates' evaluation ------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def evaluate(request, code):
    """On a delegate's own device (the session they joined with), or typed in by a facilitator."""
    workshop = _workshop(code)
    if request.method == "POST" and _too_big(request):
        return HttpResponse("Too much was sent. Each answer can be up to 1,000 characters.", status=413)
    facilitator = roles.can_run_workshops(request.user)
    delegate_id = request.session.get(SESSION_KEY, {}).get(str(workshop.pk))
    delegate = workshop.delegates.filter(pk=delegate_id).first() if delegate_id else None
    if not (facilitator or delegate):
        return render(request, "programme/evaluate_join.html", {"workshop": workshop}, status=403)
    existing = getattr(delegate, "evaluation", None) if delegate and not facilitator else None
    form_class = f.FacilitatorEvaluationForm if facilitator else f.EvaluationForm
    form = form_class(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.save_evaluation(workshop, worked=d["worked"], not_so_well=d["not_so_well"], future=d["future"],
                                 delegate=None if facilitator else delegate, group=d.get("group", ""),
                                 entered_by=request.user if facilitator else None)
        return render(request, "programme/evaluate_done.html", {"workshop": workshop, "facilitator": facilitator})
    return render(request, "programme/evaluate.html", {"workshop": workshop, "form": form,
                                                       "errors": form_errors(form), "facilitator": facilitator,
                                                       "delegate": delegate})


def evaluations(request, slug):
    cycle = _cycle(slug)
    return render(request, "programme/evaluations.html", {
        "cycle": cycle, "questions": services.themed_evaluations(cycle),
        "workshops": cycle.workshops.all(), "can_run": roles.can_run_workshops(request.user)})


# --- 5. Following actions through the year ---------------------------------------------------------


def follow_up(request, slug):
    cycle = _cycle(slug)
    rows = services.follow_up(cycle)
    return render(request, "programme/follow_up.html", {
        "cycle": cycle, "rows": rows, "overdue": [r for r in rows if r.overdue],
        "stalled": [r for r in rows if r.stalled], "stalled_weeks": services.STALLED_WEEKS,
        "plan": services.plan_for(cycle), "can_moderate": services.can_moderate(request.user),
        "waiting": Comment.objects.waiting().filter(action__in=[r.action for r in rows]).count()})


@require_http_methods(["GET", "POST"])
def action(request, pk):
    action = get_object_or_404(Action.objects.select_related("workshop__cycle"), pk=pk)
    can_update = services.can_update_actions(request.user)
    can_moderate = services.can_moderate(request.user)
    update_form = f.UpdateForm(prefix="update", initial={"status": action.status})
    milestone_form = f.MilestoneForm(prefix="milestone")
    errors = []
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "update":
            _need(can_update)
            update_form = f.UpdateForm(request.POST, prefix="update")
            if update_form.is_valid():
                d = update_form.cleaned_data
                services.record_update(action, note=d["note"], status=d["status"], on=d["on"], by=request.user)
                messages.success(request, "The progress note has been saved.")
                return redirect("programme:action", action.pk)
            errors = form_errors(update_form)
        elif which == "milestone":
            _need(can_update)
            milestone_form = f.MilestoneForm(request.POST, prefix="milestone")
            if milestone_form.is_valid():
                m = milestone_form.save(commit=False)
                m.action = action
                m.save()
                messages.success(request, "The milestone has been added.")
                return redirect("programme:action", action.pk)
            errors = form_errors(milestone_form)
        elif which == "milestone_done":
            _need(can_update)
            m = get_object_or_404(action.milestones, pk=request.POST.get("milestone"))

            m.done_on = dt.date.today()
            m.save(update_fields=["done_on"])
            messages.success(request, f"\"{m.text}\" is marked as done.")
            return redirect("programme:action", action.pk)
        elif which == "moderate":
            _need(can_moderate)
            comment = get_object_or_404(action.comments, pk=request.POST.get("comment"))
            services.moderate(comment, approve=request.POST.get("decision") == "approve", by=request.user)
            messages.success(request, "The comment is now shown." if comment.state == Comment.State.APPROVED
                             else "The comment will not be shown.")
            return redirect("programme:action", action.pk)
    comments = action.comments.all() if can_moderate else action.comments.approved()
    return render(request, "programme/action.html", {
        "cycle": action.workshop.cycle, "action": action, "updates": action.updates.select_related("by"),
        "milestones": action.milestones.all(), "comments": comments, "can_update": can_update,
        "can_moderate": can_moderate, "update_form": update_form, "milestone_form": milestone_form,
        "errors": errors})


@login_not_required
@require_http_methods(["GET", "POST"])
def comment_start(request):
    form = f.CommentCodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        cycle = services.comment_cycle(form.cleaned_data["code"])
        if cycle is not None:
            return redirect("programme:comment", services.plan_for(cycle).comment_code)
        form.add_error("code", "That code is not right, or comments are closed. Check the letter or poster.")
    return render(request, "programme/comment_start.html", {"form": form, "errors": form_errors(form)})


@login_not_required
@require_http_methods(["GET", "POST"])
def comment(request, code):
    cycle = services.comment_cycle(code)
    if cycle is None:
        return redirect("programme:comment_start")
    if request.method == "POST" and _too_big(request):
        return HttpResponse("Too much was sent. A comment can be up to 1,000 characters.", status=413)
    actions = list(services.cycle_actions(cycle).order_by("due", "pk"))
    form, errors, on, status = f.CommentForm(), [], None, 200
    if request.method == "POST":
        on = get_object_or_404(services.cycle_actions(cycle), pk=request.POST.get("action") or 0)
        form = f.CommentForm(request.POST)
        if form.is_valid():
            try:
                services.submit_comment(cycle, on, text=form.cleaned_data["text"],
                                        came_from=form.cleaned_data["came_from"])
            except services.TooManyComments:
                # The typed comment comes back in the form: nothing is lost, it can be sent again later.
                form.add_error("text", "A lot of comments have been sent with this code in the last hour. Your "
                                       "comment is still here: try sending it again later, or copy it to keep it.")
                status = 429
            else:
                messages.success(request, "Thank you. Your comment will be shown after someone has checked it.")
                return redirect("programme:comment", code)
        errors = form_errors(form)
    rows = [{"action": a, "progress": services.action_progress(a), "comments": a.comments.approved()}
            for a in actions]
    return render(request, "programme/comment.html", {"cycle": cycle, "rows": rows, "form": form,
                                                      "errors": errors, "on": on, "code": code,
                                                      "came_from_choices": Comment.From.choices}, status=status)


# --- 7. The next cycle ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def next_cycle(request, slug):
    cycle = _cycle(slug)
    _need(roles.can_run_cycles(request.user))
    form = f.NextCycleForm(request.POST or None, initial={"year": cycle.year + 1}, previous=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.start_next_cycle(cycle, user=request.user, **form.cleaned_data)
        except IntegrityError:
            form.add_error("slug", "Another cycle already uses this short name.")
        else:
            messages.success(request, f"{new.name} has been started from {cycle.name}.")
            return redirect("programme:planner", new.slug)
    return render(request, "programme/form.html", {
        "cycle": cycle, "form": form, "errors": form_errors(form), "title": "Start next year's cycle",
        "lead": "The new cycle starts with this cycle's purpose, scope, planning decisions and delegate groups. "
                "Actions that are not done yet are carried into it."})
