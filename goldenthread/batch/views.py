"""Pages to start a batch run for a cycle, watch it, and check and confirm the themes it proposes.

Only people who run cycles (facilitators, commissioners, administrators) may use them.
The run itself is :func:`goldenthread.batch.services.execute`, started in a background
thread; the progress page reloads itself (a small static script) while it runs.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from goldenthread.batch import services
from goldenthread.batch.forms import MoveForm, RenameForm, StartForm, WorkshopForm
from goldenthread.batch.models import BatchRun, ProposedTheme
from goldenthread.core import roles
from goldenthread.core.models import Kind
from goldenthread.core.forms import form_errors
from goldenthread.reviews.cards import card_code
from goldenthread.reviews.models import ProgrammeCycle, shown_card_text

PER_PAGE = 50


def _allowed(request) -> None:
    if not roles.can_run_cycles(request.user):
        raise PermissionDenied("Only facilitators, commissioners and administrators can run batch theming.")


def start(request, slug):
    _allowed(request)
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.start_run([cycle], per=form.cleaned_data["per"] or "", user=request.user)
        except services.BatchBusy as e:
            messages.error(request, str(e))
        else:
            services.start_in_background(run)
            return redirect(run)
    BatchRun.objects.mark_stopped()
    runs = BatchRun.objects.for_cycle(cycle)[:20]
    return render(request, "batch/start.html", {
        "cycle": cycle, "form": form, "errors": form_errors(form) if form.is_bound else [], "runs": runs,
        "statements": services.statements_for_cycle(cycle).count()})


def run_page(request, pk):
    _allowed(request)
    run = get_object_or_404(BatchRun.objects.prefetch_related("cycles"), pk=pk)
    if run.status in BatchRun.ACTIVE and not run.is_active:  # its worker died: shown as stopped, with what to do
        BatchRun.objects.filter(pk=run.pk).mark_stopped()
        run.refresh_from_db()
    page = Paginator(run.themes.all(), PER_PAGE).get_page(request.GET.get("page"))
    workshops = services.workshops_for(run) if run.status == BatchRun.Status.CONFIRMED else None
    return render(request, "batch/run.html", {
        "run": run, "page": page, "cycles": list(run.cycles.all()),
        "workshop_form": WorkshopForm(workshops=workshops) if workshops is not None and workshops.exists() else None})


@require_POST
def start_workshop(request, pk):
    """Start a workshop's "place the rest" proposal boards from a confirmed run's themes."""
    _allowed(request)
    run = get_object_or_404(BatchRun, pk=pk)
    form = WorkshopForm(request.POST, workshops=services.workshops_for(run))
    if not form.is_valid():
        messages.error(request, "Choose one of this cycle's workshops.")
        return redirect(run)
    workshop = form.cleaned_data["workshop"]
    try:
        made = services.start_workshop_proposals(run, workshop, request.user)
    except ValueError as e:
        messages.error(request, str(e))
        return redirect(run)
    if not any(made.values()):
        messages.error(request, f"Every card of {workshop.name} that is in these themes is already on its boards.")
        return redirect(run)
    said = ", ".join(f"{n} {Kind(k).label.lower()}" for k, n in made.items() if n)
    messages.success(request, f"{workshop.name}: proposal boards started with {said} card"
                              f"{'s' if sum(made.values()) != 1 else ''}. The facilitator accepts them on the "
                              "workshop's “Place the rest” pages.")
    return redirect(run)


@require_POST
def confirm(request, pk):
    _allowed(request)
    run = get_object_or_404(BatchRun, pk=pk)
    try:
        services.confirm(run, request.user)
    except ValueError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "The themes are confirmed.")
    return redirect(run)


@require_POST
def resume(request, pk):
    """Carry a stopped run on from its checkpoints, in the background of this process."""
    _allowed(request)
    run = get_object_or_404(BatchRun, pk=pk)
    try:
        run = services.resume(run)
    except services.BatchBusy as e:
        messages.error(request, str(e))
    else:
        services.start_in_background(run)
        messages.success(request, "The run is carrying on from where it stopped.")
    return redirect(run)


@require_POST
def restart(request, pk):
    """Start a stopped run's cycles again from the beginning, as a new run."""
    _allowed(request)
    old = get_object_or_404(BatchRun, pk=pk)
    try:
        run = services.restart(old, request.user)
    except (services.BatchBusy, ValueError) as e:
        messages.error(request, str(e))
        return redirect(old)
    services.start_in_background(run)
    return redirect(run)


def theme_page(request, pk, theme_pk):
    _allowed(request)
    theme = get_object_or_404(ProposedTheme.objects.select_related("run"), pk=theme_pk, run_id=pk)
    form = RenameForm(request.POST or None, initial={"name": theme.name})
    if request.method == "POST" and form.is_valid():
        services.rename_theme(theme, form.cleaned_data["name"])
        messages.success(request, "Theme renamed.")
        return redirect("batch:theme", pk, theme.pk)
    members = (theme.memberships.order_by("-similarity", "id")
               .values_list("statement_id", "statement__kind", "statement__card_number", "statement__card_text",
                            "statement__uncertain", "statement__checked_at"))
    page = Paginator(members, PER_PAGE).get_page(request.GET.get("page"))
    movable = theme.run.status == BatchRun.Status.DONE
    targets = list(services.move_targets(theme)) if movable else []
    page.object_list = [(card_code(kind, number), shown_card_text(*wording),
                         MoveForm(targets=targets, statement=statement, auto_id=f"move-{statement}-%s")
                         if targets else None)
                        for statement, kind, number, *wording in page.object_list]
    return render(request, "batch/theme.html", {
        "theme": theme, "run": theme.run, "form": form, "errors": form_errors(form) if form.is_bound else [],
        "page": page, "movable": movable, "targets": targets})


@require_POST
def move(request, pk, theme_pk):
    """Move one statement of this theme to another proposed theme of the same kind (refused once confirmed)."""
    _allowed(request)
    theme = get_object_or_404(ProposedTheme.objects.select_related("run"), pk=theme_pk, run_id=pk)
    form = MoveForm(request.POST, targets=services.move_targets(theme))
    back = redirect("batch:theme", pk, theme.pk)
    page = request.POST.get("page", "")
    if page.isascii() and page.isdigit() and len(page) <= 6:  # back to the page of statements it was on
        back["Location"] += f"?page={page}"
    if not form.is_valid():
        messages.error(request, f"Choose one of the other {theme.get_kind_display().lower()} themes to move "
                                "the statement to.")
        return back
    try:
        moved = services.move_statement(theme.run, form.cleaned_data["statement"], form.cleaned_data["to"],
                                        request.user)
    except services.CannotMove as e:
        messages.error(request, str(e))
    else:
        code = card_code(moved.statement.kind, moved.statement.card_number)
        messages.success(request, f"Card {code} moved to “{moved.theme.name}”.")
    return back
