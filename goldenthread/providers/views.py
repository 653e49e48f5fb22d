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
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from goldenthread.providers import export, jobspec, matching, services
from goldenthread.providers.forms import (
    AllocationForm,
    ApprovalForm,
    BankingConversionForm,
    CorrectionForm,
    DoughnutForm,
    EntryForm,
    FourPlusOneForm,
    ChoosePasswordForm,
    FundForm,
    InviteFamilyForm,
    LearningLogForm,
    LinkAccountForm,
    PlanLineForm,
    RedivideForm,
    SharedPersonForm,
    SharedTenancyForm,
    StaffMemberForm,
    SupportedPersonForm,
    TimeBandForm,
    WishesForm,
)
from goldenthread.providers.models import (
    Doughnut,
    FlexRule,
    FourPlusOne,
    Fund,
    LearningLog,
    LedgerEntry,
    PlanLine,
    RuleKind,
    StaffMember,
    SupportedPerson,
    Wishes,
    lines,
    words_in_use,
)
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
        "profile": services.supporting_profile(person), "profile_link": services.profile_link(person, request.user),
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
        "plan_totals": services.plan_totals(fund), "management_left": fund.management_balance(),
        "profile": services.supporting_profile(fund.person) if fund.person_id else None,
        "can_manage": _can_manage(request.user, fund.service_id), "splits": fund.splits.all()})


def record_entry(request, pk):
    fund = _fund(request, pk, manage=True)
    form = EntryForm(request.POST or None, fund=fund, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        approval = d["approval"]
        by, on, kind = request.user, d["occurred_on"], d["kind"]
        try:
            if kind == "delivered":
                services.record_delivery(fund, on, d["hours"], by=by, description=d["description"] or "Support",
                                         with_whom=d["with_whom"], band=d["band"], from_bank=d["from_bank"],
                                         approval=approval)
            elif kind == "purchase":
                services.record_purchase(fund, on, d["amount"], by=by, description=d["description"], approval=approval)
            elif kind == "management":
                services.record_management(fund, on, d["amount"], by=by, description=d["description"])
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
            form.add_error(err.field if err.field in form.fields else None, str(err))
        else:
            messages.success(request, "Recorded.")
            return redirect(fund)
    return render(request, "providers/entry_form.html", {"fund": fund, "form": form, "errors": form_errors(form)})


def correct_entry(request, pk, entry_pk):
    fund = _fund(request, pk, manage=True)
    entry = get_object_or_404(LedgerEntry, pk=entry_pk, fund=fund)
    form = CorrectionForm(request.POST or None, fund=fund, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.correct(entry, by=request.user, reason=d["reason"], approval=d["approval"])
        except services.FundError as err:
            form.add_error(err.field if err.field in form.fields else None, str(err))
        else:
            messages.success(request, "Correction recorded. The original line stays in the ledger, marked corrected.")
            return redirect(fund)
    return render(request, "providers/correct_form.html",
                  {"fund": fund, "entry": entry, "form": form, "errors": form_errors(form)})


def approval_new(request, pk):
    fund = _fund(request, pk, manage=True)
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.approve(fund, request.user, form.cleaned_data["reason"])
        messages.success(request, "Approval recorded. Another manager or an administrator can now use it once.")
        return redirect(fund)
    return _form_page(request, form, f"Approve going below nothing for {fund.name}", fund.get_absolute_url(),
                      fund.name, intro="The manager who records the line cannot approve it: a second person "
                                       "records the approval here first.", button="Record approval")


@require_POST
def statement_issue(request, pk, year, month):
    fund = _fund(request, pk, manage=True)
    try:
        services.issue_statement(fund, year, month, by=request.user)
    except services.FundError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, f"Statement issued: {calendar.month_name[month]} {year} is now closed. "
                                  "Later lines go in an open month.")
    return redirect("providers:statement", fund.pk, year, month)


def plan_line_new(request, pk):
    fund = _fund(request, pk, manage=True)
    form = PlanLineForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        line = form.save(commit=False)
        line.fund = fund
        if _plan_fits(form, fund, line):
            line.save()
            messages.success(request, "Added to the support plan.")
            return redirect(fund)
    return render(request, "providers/simple_form.html", {
        "form": form, "errors": form_errors(form), "title": f"Add to {fund.name}'s costed support plan",
        "back": fund.get_absolute_url(), "back_label": fund.name})


def _plan_fits(form, fund, line) -> bool:
    """Whether the plan with this line stays within the allocation; if not, the error goes on the field to change."""
    try:
        services.check_plan_line(fund, line)
    except services.FundError as err:
        form.add_error(err.field if err.field in form.fields else None, str(err))
        return False
    return True


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
    summary = [{"src": f"providers/pictograms/{picture}.svg", "words": PICTURES[picture].words, "sentence": sentence}
               for picture, sentence in statement.summary()]
    months = [{"year": y, "month": m, "label": f"{calendar.month_name[m]} {y}"} for y, m in _months(fund)]
    return render(request, "providers/easy_statement.html" if easy else "providers/statement.html",
                  {"fund": fund, "st": statement, "easy_lines": easy_lines, "summary": summary,
                   "issued": fund.issued_statements.filter(year=year, month=month).first(),
                   "months": [m for m in months if (m["year"], m["month"]) != (year, month)][:3],
                   "can_manage": services.may_manage(request.user, fund)})


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
    return render(request, "providers/matching.html", services.matching_for(person))


def team(request, pk):
    service = get_object_or_404(Service, pk=pk)
    if not _can_manage(request.user, service.pk):
        raise PermissionDenied("Only the provider managers of this service can plan its teams.")
    wishes = list(Wishes.objects.filter(person__service=service).select_related("person"))
    staff = list(StaffMember.objects.filter(service=service))
    assignment = matching.assign_team([w.as_plain() for w in wishes], [s.as_plain() for s in staff])
    teams, unmatched = [], []
    for w in wishes:
        if w.person.name in assignment.teams:
            members = [{"name": name, "hours": hours, "why": assignment.explanations[(w.person.name, name)]}
                       for name, hours in assignment.teams[w.person.name]]
            teams.append({"person": w.person, "hours": w.hours_needed, "members": members})
        else:
            unmatched.append({"person": w.person, "why": assignment.unmatched.get(w.person.name, "")})
    used = {}
    for team_members in assignment.teams.values():
        for name, hours in team_members:
            used[name] = used.get(name, 0) + hours
    return render(request, "providers/team.html", {
        "service": service, "teams": teams, "unmatched": unmatched, "min_hours": matching.MIN_USEFUL_HOURS,
        "staff": [{"pk": s.pk, "name": s.name, "available": s.hours_available, "used": used.get(s.name, 0)}
                  for s in staff]})


def _person_form(request, pk, form_class, title, message, instance=None):
    person = _person(request, pk, manage=True)
    form = form_class(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.person = person
        if hasattr(obj, "recorded_by_id") and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        obj.save()
        messages.success(request, message)
        return redirect(person)
    return render(request, "providers/simple_form.html", {
        "form": form, "errors": form_errors(form), "title": title if instance else f"{title} for {person.name}",
        "back": person.get_absolute_url(), "back_label": person.name})


def four_plus_one_new(request, pk):
    return _person_form(request, pk, FourPlusOneForm, "4 plus 1 questions", "The 4 plus 1 questions are recorded.")


def learning_log_new(request, pk):
    return _person_form(request, pk, LearningLogForm, "Learning log", "Learning log recorded.")


def doughnut_new(request, pk):
    return _person_form(request, pk, DoughnutForm, "The doughnut of a role", "Doughnut saved.")


def four_plus_one_edit(request, pk, item_pk):
    _person(request, pk, manage=True)
    item = get_object_or_404(FourPlusOne, pk=item_pk, person_id=pk)
    return _person_form(request, pk, FourPlusOneForm, f"Change the 4 plus 1 questions of {item.held_on:%-d %B %Y}",
                        "The 4 plus 1 questions are changed.", instance=item)


def learning_log_edit(request, pk, item_pk):
    _person(request, pk, manage=True)
    item = get_object_or_404(LearningLog, pk=item_pk, person_id=pk)
    return _person_form(request, pk, LearningLogForm, f"Change the learning log of {item.happened_on:%-d %B %Y}",
                        "Learning log changed.", instance=item)


def doughnut_edit(request, pk, item_pk):
    _person(request, pk, manage=True)
    item = get_object_or_404(Doughnut, pk=item_pk, person_id=pk)
    return _person_form(request, pk, DoughnutForm, f"Change the doughnut of the {item.role} role",
                        "Doughnut changed.", instance=item)


def job_spec(request, pk, doughnut_pk):
    person = _person(request, pk)
    spec = jobspec.job_specification(person, get_object_or_404(person.doughnuts, pk=doughnut_pk))
    return render(request, "providers/job_spec.html", {"person": person, "spec": spec, "d": spec.doughnut})


def job_spec_download(request, pk, doughnut_pk):
    person = _person(request, pk)
    spec = jobspec.job_specification(person, get_object_or_404(person.doughnuts, pk=doughnut_pk))
    response = HttpResponse(jobspec.job_spec_pdf(spec), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="job-specification-{person.pk}-{spec.doughnut.pk}.pdf"'
    return response


def wishes_edit(request, pk):
    person = _person(request, pk, manage=True)
    form = WishesForm(request.POST or None, instance=Wishes.objects.filter(person=person).first(),
                      in_use=words_in_use(person.service))
    if request.method == "POST" and form.is_valid():
        wishes = form.save(commit=False)
        wishes.person = person
        wishes.save()
        messages.success(request, "Saved what the person wants from their supporters.")
        return redirect("providers:matching", pk=person.pk)
    return render(request, "providers/simple_form.html", {
        "form": form, "errors": form_errors(form), "title": f"What {person.name} wants from their supporters",
        "intro": "Tick the skills, languages and times from the lists; write characteristics and interests one a "
                 "line. A must-have is never broken when teams are proposed.",
        "back": person.get_absolute_url(), "back_label": person.name})


def staff_edit(request, pk, staff_pk=None):
    service = get_object_or_404(Service, pk=pk)
    if not _can_manage(request.user, service.pk):
        raise PermissionDenied("Only the provider managers of this service can describe its staff.")
    member = get_object_or_404(StaffMember, pk=staff_pk, service=service) if staff_pk else None
    form = StaffMemberForm(request.POST or None, instance=member, in_use=words_in_use(service))
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
        "management_declared": str(st.management_declared), "management_left": str(st.management_left),
        "put_right_value": str(st.put_right_value),
        "week_end": {"banked": str(st.week_end_banked), "lapsed": str(st.week_end_lapsed)},
        "hours_delivered": str(st.hours_delivered), "rules": st.rules,
        "lines": [{"date": line.occurred_on.isoformat(), "kind": line.kind, "description": line.description,
                   "with_whom": line.with_whom, "hours": str(line.hours), "money": str(line.money),
                   "bank_hours": str(line.bank), "explanation": line.explanation,
                   "hours_left": str(line.hours_left), "money_left": str(line.money_left),
                   "bank_left": str(line.bank_left), "management": str(line.management),
                   "corrected": line.corrected} for line in st.lines]})


# --- setting people, funds, rules and accounts up (was the admin only) ---------------------------------------------

def _posted(request):
    """The posted data, or None for a GET. (``request.POST or None`` would treat a form of unticked boxes as unsent.)"""
    return request.POST if request.method == "POST" else None


def _managed_services(user):
    if roles.is_administrator(user):
        return Service.objects.all()
    return Service.objects.filter(pk__in=roles.managed_service_ids(user))


def _form_page(request, form, title, back, back_label, intro="", button="Save"):
    return render(request, "providers/simple_form.html", {
        "form": form, "errors": form_errors(form), "title": title, "intro": intro, "back": back,
        "back_label": back_label, "button": button})


def person_new(request):
    services_ = _managed_services(request.user)
    if not services_.exists():
        raise PermissionDenied("Only provider managers and administrators can add a person.")
    form = SupportedPersonForm(_posted(request), services=services_)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, f"Added {person.name}. Next, open a fund for them.")
        return redirect(person)
    return _form_page(request, form, "Add a person you support", reverse("providers:index"), "Funds and teams",
                      intro="Use the same pseudonymous reference as on their reviews, and the name they want on "
                            "their own statements.")


def person_edit(request, pk):
    person = _person(request, pk, manage=True)
    form = SupportedPersonForm(_posted(request), instance=person, services=_managed_services(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {person.name}.")
        return redirect(person)
    return _form_page(request, form, f"Change {person.name}'s details", person.get_absolute_url(), person.name)


def fund_new(request, pk):
    person = _person(request, pk, manage=True)
    form = FundForm(_posted(request), initial={"name": f"{person.name}'s fund"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fund = services.open_fund(person, name=d["name"], weekly_hours=d["weekly_hours"],
                                  weekly_money=d["weekly_money"], hourly_rate=d["hourly_rate"],
                                  starts_on=d["starts_on"], by=request.user,
                                  management_percent=d["management_percent"],
                                  management_weekly=d["management_weekly"])
        messages.success(request, "Fund opened. Add its flexible-hours rules and support plan, then each "
                                  "week's allocation.")
        return redirect(fund)
    return _form_page(request, form, f"Open a fund for {person.name}", person.get_absolute_url(), person.name,
                      intro="The allocation the provider holds for this person each week. It is spent only on "
                            "their support and the management it needs.", button="Open the fund")


def allocation_edit(request, pk):
    fund = _fund(request, pk, manage=True)
    form = AllocationForm(_posted(request), initial={
        "weekly_hours": fund.weekly_hours, "management_percent": fund.management_percent,
        "management_weekly": fund.management_weekly})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.change_allocation(fund, d["effective_from"], d["weekly_hours"], d["weekly_money"],
                                   by=request.user, reason=d["reason"], management_percent=d["management_percent"],
                                   management_weekly=d["management_weekly"])
        messages.success(request, "Allocation changed. The old one stays in the fund's history.")
        return redirect(fund)
    return _form_page(request, form, f"Change the allocation of {fund.name}", fund.get_absolute_url(), fund.name)


def rules_edit(request, pk):
    fund = _fund(request, pk, manage=True)
    form = BankingConversionForm(_posted(request), initial=services.flex_settings(fund))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_banking_and_conversion(fund, **form.cleaned_data, by=request.user)
        except services.FundError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Flexible-hours rules saved.")
            return redirect("providers:rules", pk=fund.pk)
    return render(request, "providers/rules.html", {
        "fund": fund, "form": form, "errors": form_errors(form),
        "bands": fund.flex_rules.filter(kind=RuleKind.TIME_BAND).order_by("-active", "name"),
        "rules": fund.rules()})


def band_edit(request, pk, rule_pk=None):
    fund = _fund(request, pk, manage=True)
    band = get_object_or_404(FlexRule, pk=rule_pk, fund=fund, kind=RuleKind.TIME_BAND) if rule_pk else None
    form = TimeBandForm(_posted(request), instance=band, fund=fund)
    if request.method == "POST" and form.is_valid():
        services.save_time_band(fund, form.save(commit=False), by=request.user)
        messages.success(request, "Time band saved.")
        return redirect("providers:rules", pk=fund.pk)
    return _form_page(request, form, f"{'Change the' if band else 'Add a'} time band of {fund.name}",
                      reverse("providers:rules", args=[fund.pk]), "Flexible-hours rules",
                      intro="Support at some times can cost more standard hours: 4 hours at time and a half use 6 "
                            "standard hours from the allocation.")


def plan_line_edit(request, pk, line_pk):
    fund = _fund(request, pk, manage=True)
    line = get_object_or_404(PlanLine, pk=line_pk, fund=fund)
    form = PlanLineForm(_posted(request), instance=line, fund=fund)
    if request.method == "POST" and form.is_valid() and _plan_fits(form, fund, form.instance):
        form.save()
        messages.success(request, "Support plan line changed.")
        return redirect(fund)
    return render(request, "providers/plan_line_form.html", {
        "form": form, "errors": form_errors(form), "title": f"Change “{line.what}” in the support plan",
        "fund": fund, "line": line})


@require_POST
def plan_line_remove(request, pk, line_pk):
    fund = _fund(request, pk, manage=True)
    line = get_object_or_404(PlanLine, pk=line_pk, fund=fund)
    line.delete()
    messages.success(request, f"Removed “{line.what}” from the support plan.")
    return redirect(fund)


def accounts(request, pk):
    person = _person(request, pk, manage=True)
    form = LinkAccountForm(_posted(request) if "username" in request.POST else None, person=person)
    invite = InviteFamilyForm(_posted(request) if "email" in request.POST else None)
    if request.method == "POST" and invite.is_bound and invite.is_valid():
        try:
            services.invite_family(person, invite.cleaned_data["email"], by=request.user, link_for=lambda token:
                                   request.build_absolute_uri(reverse("providers:invitation", args=[token])))
        except services.FundError as err:
            invite.add_error("email", str(err))
        else:
            messages.success(request, f"Invitation sent to {invite.cleaned_data['email']}. The link works once, "
                                      f"for {services.invitation_days()} days.")
            return redirect("providers:accounts", pk=person.pk)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            services.link_account(person, form.cleaned_data["username"], by=request.user)
        except services.FundError as err:
            form.add_error("username", str(err))
        else:
            messages.success(request, f"“{form.cleaned_data['username'].username}” can now read {person.name}'s "
                                      "fund, statements and plan.")
            return redirect("providers:accounts", pk=person.pk)
    return render(request, "providers/accounts.html", {
        "person": person, "form": form, "invite": invite, "errors": form_errors(invite) + form_errors(form),
        "linked": person.people.order_by("username"), "invitations": person.invitations.open(),
        "days": services.invitation_days()})


@require_POST
def invitation_withdraw(request, pk, invitation_pk):
    person = _person(request, pk, manage=True)
    invitation = get_object_or_404(person.invitations, pk=invitation_pk)
    services.withdraw_invitation(invitation, by=request.user)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn: its link no longer works.")
    return redirect("providers:accounts", pk=person.pk)


@login_not_required
def invitation_accept(request, token):
    """The page the invitation e-mail links to: the invited person chooses their password."""
    invitation = services.invitation_for(token)
    if invitation is None:
        return render(request, "providers/invitation_gone.html", status=404)
    form = ChoosePasswordForm(_posted(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(token, form.cleaned_data["password1"])
        except services.FundError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"Your account is ready. Sign in with your e-mail address, "
                                      f"{invitation.email}, and the password you chose.")
            return redirect("login")
    return render(request, "providers/invitation.html", {
        "invitation": invitation, "form": form, "errors": form_errors(form)})


# --- shared tenancies ----------------------------------------------------------------------------------------------

def shared_new(request, service_pk):
    service = get_object_or_404(Service, pk=service_pk)
    if not _can_manage(request.user, service.pk):
        raise PermissionDenied("Only the provider managers of this service can set up a shared tenancy.")
    form = SharedTenancyForm(_posted(request), service=service)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            fund = services.open_shared_fund(service, d["people"], name=d["name"], weekly_hours=d["weekly_hours"],
                                             weekly_money=None, hourly_rate=d["hourly_rate"],
                                             starts_on=d["starts_on"], by=request.user)
        except services.FundError as err:
            form.add_error(err.field if err.field in form.fields else None, str(err))
        else:
            messages.success(request, f"Set up {fund.name}. Add each week's allocation from its page.")
            return redirect("providers:shared_people", pk=fund.pk)
    return _form_page(request, form, f"Set up a shared tenancy at {service.name}", reverse("providers:index"),
                      "Funds and teams", intro="One allocation of standard hours a week, held for the people "
                      "who share a home. Each of them, and their family, can read it.", button="Set it up")


def shared_people(request, pk):
    fund = _fund(request, pk, manage=True)
    if not fund.is_shared:
        raise Http404("Only a shared tenancy has people to add or remove.")
    form = SharedPersonForm(_posted(request), fund=fund)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.add_to_shared(fund, person, by=request.user)
        except services.FundError as err:
            form.add_error("person", str(err))
        else:
            messages.success(request, f"{person.name} now shares {fund.name}.")
            return redirect("providers:shared_people", pk=fund.pk)
    return render(request, "providers/shared_people.html", {
        "fund": fund, "form": form, "errors": form_errors(form), "sharing": fund.shared_by.order_by("name")})


@require_POST
def shared_remove(request, pk, person_pk):
    fund = _fund(request, pk, manage=True)
    person = get_object_or_404(SupportedPerson, pk=person_pk)
    try:
        services.remove_from_shared(fund, person, by=request.user)
    except services.FundError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, f"{person.name} no longer shares {fund.name}. Its hours stay with the others; "
                                  "to give them their own share, re-divide instead.")
    return redirect("providers:shared_people", pk=fund.pk)


@require_POST
def account_unlink(request, pk, user_pk):
    person = _person(request, pk, manage=True)
    user = get_object_or_404(get_user_model(), pk=user_pk, supported_as=person)
    services.unlink_account(person, user, by=request.user)
    messages.success(request, f"“{user.username}” can no longer read {person.name}'s fund.")
    return redirect("providers:accounts", pk=person.pk)
