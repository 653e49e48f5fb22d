"""Pages for Individual Service Funds, matching staff and team tools. Thin: the rules are in services and models.

Who may see what (the same pattern as reviews, see ``goldenthread.core.roles``):

* administrators see and change everything;
* a provider manager sees and changes the people and funds of the services they manage;
* the person and their family (accounts linked to the person) read their own
  fund, statements, plan and team notes, and change nothing;
* everyone else gets the 403 page.
"""
from __future__ import annotations

import calendar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from goldenthread.providers import export, matching, services
from goldenthread.providers.forms import (
    CorrectionForm,
    DoughnutForm,
    EntryForm,
    FourPlusOneForm,
    LearningLogForm,
    PlanLineForm,
    RedivideForm,
    StaffMemberForm,
    WishesForm,
)
from goldenthread.providers.models import Fund, LedgerEntry, StaffMember, SupportedPerson, Wishes, lines
from goldenthread.providers.pictograms import PICTURES
from goldenthread.providers.statements import monthly_statement, statement_pdf
from goldenthread.core import roles
from goldenthread.core.models import Service
from goldenthread.core.forms import form_errors


def _person(request, pk, manage=False) -> SupportedPerson:
    person = get_object_or_404(SupportedPerson, pk=pk)
    allowed = SupportedPerson.objects.managed_by(request.user) if manage \
        else SupportedPerson.objects.visible_to(request.user)
    if not allowed.filter(pk=pk).exists():
        raise PermissionDenied("You cannot see this person's support.")
    return person


def _fund(request, pk, manage=False) -> Fund:
    fund = get_object_or_404(Fund, pk=pk)
    if manage:
        if not services.may_manage(request.user, fund):
            raise PermissionDenied("Only the provider managers of this service can change this fund.")
    elif not Fund.objects.visible_to(request.user).filter(pk=pk).exists():
        raise PermissionDenied("You cannot see this fund.")
    return fund


def _can_manage(user, service_id) -> bool:
    return roles.is_administrator(user) or service_id in roles.managed_service_ids(user)


def index(request):
    people = SupportedPerson.objects.visible_to(request.user).select_related("service")
    funds = Fund.objects.visible_to(request.user).select_related("service", "person")
    if roles.is_administrator(request.user):
        managed = Service.objects.filter(supported_people__isnull=False).distinct()
    else:
        managed = Service.objects.filter(pk__in=roles.managed_service_ids(request.user))
    return render(request, "providers/index.html", {"people": people, "funds": funds, "services": managed})


def person_detail(request, pk):
    person = _person(request, pk)
    funds = Fund.objects.filter(person=person) | Fund.objects.filter(shared_by=person)
    return render(request, "providers/person.html", {
        "person": person, "funds": funds.distinct(), "can_manage": _can_manage(request.user, person.service_id),
        "wishes": Wishes.objects.filter(person=person).first(),
        "four_plus_ones": person.four_plus_ones.all(), "logs": person.learning_logs.all(),
        "doughnuts": person.doughnuts.all()})


def _months(fund: Fund) -> list[tuple[int, int]]:
    dates = fund.entries.order_by("occurred_on").values_list("occurred_on", flat=True)
    first, last = dates.first(), fund.entries.order_by("-occurred_on").values_list("occurred_on", flat=True).first()
    out = []
    if first:
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out[::-1]


def fund_detail(request, pk):
    fund = _fund(request, pk)
    entries = fund.entries.select_related("recorded_by", "corrects").order_by("-occurred_on", "-pk")
    corrected = set(fund.entries.filter(corrected_by__isnull=False).values_list("pk", flat=True))
    months = [{"year": y, "month": m, "label": f"{calendar.month_name[m]} {y}"} for y, m in _months(fund)]
    return render(request, "providers/fund.html", {
        "fund": fund, "balances": fund.balances(), "entries": entries, "corrected": corrected, "months": months,
        "rules": fund.rules(), "history": fund.allocation_changes.all(), "plan": fund.plan_lines.all(),
        "plan_total": sum((p.weekly_cost for p in fund.plan_lines.all()), 0),
        "can_manage": _can_manage(request.user, fund.service_id), "splits": fund.splits.all()})


def record_entry(request, pk):
    fund = _fund(request, pk, manage=True)
    form = EntryForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        approval = services.approve(fund, request.user, d["approval_reason"]) if d["approval_reason"] else None
        by, on, kind = request.user, d["occurred_on"], d["kind"]
        try:
            if kind == "delivered":
                services.record_delivery(fund, on, d["hours"], by=by, description=d["description"] or "Support",
                                         with_whom=d["with_whom"], band=d["band"], from_bank=d["from_bank"],
                                         approval=approval)
            elif kind == "purchase":
                services.record_purchase(fund, on, d["amount"], by=by, description=d["description"], approval=approval)
            elif kind == "management":
                services.record_management(fund, on, d["amount"], by=by, description=d["description"],
                                           approval=approval)
            elif kind == "banked":
                services.bank_hours(fund, on, d["hours"], by=by, description=d["description"] or "Saved for later")
            elif kind == "from_bank":
                services.use_bank(fund, on, d["hours"], by=by, approval=approval)
            elif kind == "converted":
                services.convert_hours(fund, on, d["hours"], by=by,
                                       description=d["description"] or "Unused hours turned into money")
            else:
                services.credit_week(fund, on, by)
        except services.FundError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Recorded.")
            return redirect(fund)
    return render(request, "providers/entry_form.html", {"fund": fund, "form": form, "errors": form_errors(form)})


def correct_entry(request, pk, entry_pk):
    fund = _fund(request, pk, manage=True)
    entry = get_object_or_404(LedgerEntry, pk=entry_pk, fund=fund)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        approval = services.approve(fund, request.user, d["approval_reason"]) if d["approval_reason"] else None
        try:
            services.correct(entry, by=request.user, reason=d["reason"], approval=approval)
        except services.FundError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Correction recorded. The original line stays in the ledger, marked corrected.")
            return redirect(fund)
    return render(request, "providers/correct_form.html",
                  {"fund": fund, "entry": entry, "form": form, "errors": form_errors(form)})


def plan_line_new(request, pk):
    fund = _fund(request, pk, manage=True)
    form = PlanLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        line = form.save(commit=False)
        line.fund = fund
        line.save()
        messages.success(request, "Added to the support plan.")
        return redirect(fund)
    return render(request, "providers/simple_form.html", {
        "form": form, "errors": form_errors(form), "title": f"Add to {fund.name}'s costed support plan",
        "back": fund.get_absolute_url(), "back_label": fund.name})


def redivide(request, pk):
    fund = _fund(request, pk, manage=True)
    if not fund.is_shared:
        raise Http404("Only a shared allocation can be re-divided.")
    form = RedivideForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        try:
            services.redivide(fund, form.cleaned_data["effective_from"], form.shares(), by=request.user,
                              reason=form.cleaned_data["reason"])
        except services.FundError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Re-divided. Each person who left has their own fund from that date; "
                                      "the shared fund keeps its history.")
            return redirect(fund)
    return render(request, "providers/simple_form.html", {
        "form": form, "errors": form_errors(form), "title": f"Re-divide {fund.name}",
        "intro": f"{fund.name} shares {fund.weekly_hours} standard hours a week. Give each person who is leaving "
                 f"their hours; the rest stay with the people who remain. The total must stay the same.",
        "back": fund.get_absolute_url(), "back_label": fund.name})


def _statement(request, pk, year, month):
    fund = _fund(request, pk)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404("No such month.")
    return fund, monthly_statement(fund, year, month)


def statement_page(request, pk, year, month, easy=False):
    fund, statement = _statement(request, pk, year, month)
    easy_lines = [{"src": f"providers/pictograms/{picture}.svg", "words": PICTURES[picture].words,
                   "sentence": sentence, "how": how} for picture, sentence, how in statement.easy_lines()]
    return render(request, "providers/easy_statement.html" if easy else "providers/statement.html",
                  {"fund": fund, "st": statement, "easy_lines": easy_lines})


def statement_download(request, pk, year, month, easy=False):
    fund, statement = _statement(request, pk, year, month)
    name = f"statement-{year}-{month:02d}{'-easy-read' if easy else ''}.pdf"
    response = HttpResponse(statement_pdf(statement, easy_read=easy), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def fund_export(request, pk, fmt):
    fund = _fund(request, pk)
    return _export(fmt, [fund], f"fund-{fund.pk}")


def funds_export(request, fmt):
    funds = Fund.objects.visible_to(request.user)
    if not roles.is_administrator(request.user):
        funds = funds.filter(service_id__in=roles.managed_service_ids(request.user))
    if not funds.exists() and not roles.is_administrator(request.user):
        raise PermissionDenied("Only provider managers and administrators can export every fund.")
    return _export(fmt, list(funds), "funds")


def _export(fmt, funds, stem):
    if fmt == "csv":
        body, kind = export.to_csv(export.LEDGER_COLUMNS, export.ledger_rows(funds)), "text/csv"
    elif fmt == "xlsx":
        body = export.to_xlsx({"Funds": (export.FUND_COLUMNS, export.fund_rows(funds)),
                               "Ledger": (export.LEDGER_COLUMNS, export.ledger_rows(funds)),
                               "Support plans": (export.PLAN_COLUMNS, export.plan_rows(funds))})
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404("CSV or XLSX only.")
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{stem}-ledger.{fmt}"'
    return response


def person_matching(request, pk):
    person = _person(request, pk, manage=True)
    wishes = Wishes.objects.filter(person=person).first()
    staff = list(StaffMember.objects.filter(service=person.service))
    ranking = matching.rank_staff(wishes.as_plain(), [s.as_plain() for s in staff]) if wishes else []
    return render(request, "providers/matching.html", {"person": person, "wishes": wishes, "ranking": ranking,
                                                       "lines": lines})


def team(request, pk):
    service = get_object_or_404(Service, pk=pk)
    if not _can_manage(request.user, service.pk):
        raise PermissionDenied("Only the provider managers of this service can plan its teams.")
    wishes = list(Wishes.objects.filter(person__service=service).select_related("person"))
    staff = list(StaffMember.objects.filter(service=service))
    assignment, problems = None, []
    try:
        assignment = matching.assign_team([w.as_plain() for w in wishes], [s.as_plain() for s in staff])
    except matching.Infeasible as err:
        problems = err.problems
    teams = []
    if assignment:
        for w in wishes:
            members = [{"name": name, "hours": hours, "why": assignment.explanations[(w.person.name, name)]}
                       for name, hours in assignment.teams[w.person.name]]
            teams.append({"person": w.person, "hours": w.hours_needed, "members": members})
    used = {}
    if assignment:
        for team_members in assignment.teams.values():
            for name, hours in team_members:
                used[name] = used.get(name, 0) + hours
    return render(request, "providers/team.html", {
        "service": service, "teams": teams, "problems": problems,
        "staff": [{"pk": s.pk, "name": s.name, "available": s.hours_available, "used": used.get(s.name, 0)}
                  for s in staff]})


def _person_form(request, pk, form_class, title, message):
    person = _person(request, pk, manage=True)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.person = person
        if hasattr(obj, "recorded_by_id"):
            obj.recorded_by = request.user
        obj.save()
        messages.success(request, message)
        return redirect(person)
    return render(request, "providers/simple_form.html", {
        "form": form, "errors": form_errors(form), "title": f"{title} for {person.name}",
        "back": person.get_absolute_url(), "back_label": person.name})


def four_plus_one_new(request, pk):
    return _person_form(request, pk, FourPlusOneForm, "4 plus 1 questions", "The 4 plus 1 questions are recorded.")


def learning_log_new(request, pk):
    return _person_form(request, pk, LearningLogForm, "Learning log", "Learning log recorded.")


def doughnut_new(request, pk):
    return _person_form(request, pk, DoughnutForm, "The doughnut of a role", "Doughnut saved.")


def job_spec(request, pk, doughnut_pk):
    person = _person(request, pk)
    doughnut = get_object_or_404(person.doughnuts, pk=doughnut_pk)
    wishes = Wishes.objects.filter(person=person).first()
    plan = [line for fund in person.funds.all() for line in fund.plan_lines.all()]
    return render(request, "providers/job_spec.html", {
        "person": person, "d": doughnut, "wishes": wishes, "plan": plan,
        "core": lines(doughnut.core), "judgement": lines(doughnut.judgement), "not_ours": lines(doughnut.not_our_job),
        "must": lines(wishes.must_have_skills) if wishes else [],
        "skills": lines(wishes.wanted_skills) if wishes else [],
        "chars": lines(wishes.wanted_characteristics) if wishes else [],
        "interests": lines(wishes.interests) if wishes else [], "times": lines(wishes.times_needed) if wishes else [],
        "print_url": reverse("providers:job_spec", args=[person.pk, doughnut.pk])})



def wishes_edit(request, pk):
    person = _person(request, pk, manage=True)
    form = WishesForm(request.POST or None, instance=Wishes.objects.filter(person=person).first())
    if request.method == "POST" and form.is_valid():
        wishes = form.save(commit=False)
        wishes.person = person
        wishes.save()
        messages.success(request, "Saved what the person wants from their supporters.")
        return redirect("providers:matching", pk=person.pk)
    return render(request, "providers/simple_form.html", {
        "form": form, "errors": form_errors(form), "title": f"What {person.name} wants from their supporters",
        "intro": "One item a line. A must-have is never broken when teams are proposed.",
        "back": person.get_absolute_url(), "back_label": person.name})


def staff_edit(request, pk, staff_pk=None):
    service = get_object_or_404(Service, pk=pk)
    if not _can_manage(request.user, service.pk):
        raise PermissionDenied("Only the provider managers of this service can describe its staff.")
    member = get_object_or_404(StaffMember, pk=staff_pk, service=service) if staff_pk else None
    form = StaffMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member.service = service
        member.save()
        messages.success(request, f"Saved {member.name}.")
        return redirect("providers:team", pk=service.pk)
    return render(request, "providers/simple_form.html", {
        "form": form, "errors": form_errors(form),
        "title": f"{'Change' if staff_pk else 'Add'} a member of staff for matching",
        "back": reverse("providers:team", args=[service.pk]), "back_label": f"Teams for {service.name}"})


def statement_json(request, pk, year, month):
    fund, st = _statement(request, pk, year, month)
    money = {k: str(v) for k, v in st.closing.items()}
    return JsonResponse({
        "fund": fund.name, "person_ref": fund.person.ref if fund.person else None, "month": f"{year}-{month:02d}",
        "opening": {k: str(v) for k, v in st.opening.items()}, "closing": money,
        "direct_cost": str(st.direct_cost), "management_cost": str(st.management_cost),
        "hours_delivered": str(st.hours_delivered), "rules": st.rules,
        "lines": [{"date": line.occurred_on.isoformat(), "kind": line.kind, "description": line.description,
                   "with_whom": line.with_whom, "hours": str(line.hours), "money": str(line.money),
                   "bank_hours": str(line.bank), "explanation": line.explanation,
                   "hours_left": str(line.hours_left), "money_left": str(line.money_left),
                   "bank_left": str(line.bank_left), "corrected": line.corrected} for line in st.lines]})
