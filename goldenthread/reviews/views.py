"""Pages for cycles, reviews, review import and cards. Each view does one thing; models and services do the writing."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from goldenthread.reviews.cards import CardData, render_cards_pdf
from goldenthread.core import roles
from goldenthread.core.access_log import record_access
from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
from goldenthread.reviews.importing import ReviewFileError, import_reviews
from goldenthread.core.models import Kind
from goldenthread.reviews.models import ProgrammeCycle, Review, Statement
from goldenthread.reviews.saving import save_reviews
from goldenthread.reviews.template import CONTENT_TYPES, TEMPLATES
from goldenthread.core.forms import form_errors
from goldenthread.reviews.forms import (
    STATEMENT_SECTIONS,
    CycleForm,
    ImportForm,
    ReviewForm,
    StatementFormSet,
)

#: Rows per page of the review list and the cards page (a cycle can have thousands).
REVIEWS_PER_PAGE = 50
CYCLES_PER_PAGE = 20
CARDS_PER_PAGE = 60
CARD_KINDS = [Kind.WORKING, Kind.NOT_WORKING, Kind.FUTURE, Kind.IMPORTANT_NOW]
#: The kinds that are workshop cards. *Working together for change* puts three kinds on coloured cards (what is
#: working, what is not working, what is important for the future); what is important to the person now belongs
#: to their own plan, so it is listed and can be printed on its own, but is left out of "all cards".
WORKSHOP_KINDS = (Kind.WORKING, Kind.NOT_WORKING, Kind.FUTURE)


def home(request):
    page = Paginator(ProgrammeCycle.objects.all(), CYCLES_PER_PAGE).get_page(request.GET.get("page"))
    cycles = list(page.object_list)
    # Counted for this page's cycles only, from the (cycle, person_ref) index: one query, not a join of every review.
    counts = {row["cycle_id"]: row for row in Review.objects.filter(cycle__in=cycles).order_by()
              .values("cycle_id").annotate(reviews=Count("id"), people=Count("person_ref", distinct=True))}
    for cycle in cycles:
        cycle.review_count = counts.get(cycle.pk, {}).get("reviews", 0)
        cycle.people_count = counts.get(cycle.pk, {}).get("people", 0)
    return render(request, "reviews/home.html", {"cycles": cycles, "page": page})


@permission_required("reviews.add_programmecycle", raise_exception=True)
@require_http_methods(["GET", "POST"])
def cycle_new(request):
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cycle = form.save(commit=False)
        cycle.created_by = request.user
        cycle.save()
        messages.success(request, f"{cycle.name} has been created.")
        return redirect(cycle)
    return render(request, "reviews/cycle_form.html", {"form": form})


def cycle_detail(request, slug):
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    reviews = cycle.reviews.all()
    statements = cycle.card_statements()
    by_kind = {row["kind"]: row for row in statements.values("kind").annotate(
        cards=Count("id"), people=Count("review__person_ref", distinct=True))}
    kinds = [{"kind": k, "label": k.label, "cards": by_kind.get(k, {}).get("cards", 0),
              "people": by_kind.get(k, {}).get("people", 0)} for k in CARD_KINDS]
    context = {
        "cycle": cycle,
        "review_count": reviews.count(),
        "people_count": reviews.values("person_ref").distinct().count(),
        "no_consent_count": reviews.filter(consent_given=False).count(),
        "kinds": kinds,
        "imports": cycle.imports.all()[:5],
    }
    return render(request, "reviews/cycle_detail.html", context)


def review_list(request, slug):
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    reviews = cycle.reviews.select_related("area", "service", "user_group").order_by("reference")
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    ids = [r.pk for r in rows]
    # Two queries for the whole page (not one per review): statement counts, and which ones this user may see.
    counts = dict(Statement.objects.filter(review_id__in=ids).values_list("review_id").annotate(n=Count("id")))
    visible = set(Review.objects.identifiable_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    for review in rows:
        review.statement_count = counts.get(review.pk, 0)
        review.identifiable = review.pk in visible
    if visible:
        record_access(request.user, "view", cycle, detail=f"review list with {len(visible)} names")
    return render(request, "reviews/review_list.html", {
        "cycle": cycle, "reviews": rows, "page": page, "any_identifiable": bool(visible)})


def review_detail(request, pk):
    review = get_object_or_404(Review.objects.select_related("cycle", "area", "service", "user_group"), pk=pk)
    identifiable = review.is_identifiable_to(request.user)
    # A person who refused consent, or a review not finished yet: others see that the review exists, not what was said.
    in_progress = review.status == Review.Status.IN_PROGRESS
    withheld = (review.refused_consent or in_progress) and not identifiable
    if identifiable:
        record_access(request.user, "view", review, detail="review page with names")
    sections = []
    for kind in ([] if withheld else CARD_KINDS):
        items = [s for s in review.statements.all() if s.kind == kind]
        if items:
            sections.append({"kind": kind, "label": kind.label, "statements": items})
    return render(request, "reviews/review_detail.html", {
        "review": review, "cycle": review.cycle, "identifiable": identifiable, "sections": sections,
        "attendees": review.attendees.all() if identifiable else [],
        "has_full_review": identifiable and review.items.exists(), "withheld": withheld,
        "corrections": review.corrections.all() if identifiable else [], "in_progress": in_progress,
    })


@permission_required("reviews.add_review", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review_new(request, slug):
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, cycle=cycle)
    sections = [
        {"kind": kind, "heading": heading, "prompt": prompt,
         "formset": StatementFormSet(data, prefix=kind)}
        for kind, heading, prompt in STATEMENT_SECTIONS
    ]
    errors = []
    if request.method == "POST":
        valid = form.is_valid() & all([s["formset"].is_valid() for s in sections])
        statements = [
            StatementDraft(kind=s["kind"], text=f.cleaned_data["text"].strip(),
                           perspective=f.cleaned_data["perspective"],
                           priority=int(f.cleaned_data["priority"]) if f.cleaned_data.get("priority") else None)
            for s in sections if s["formset"].is_valid()
            for f in s["formset"].forms if (f.cleaned_data.get("text") or "").strip()
        ]
        if valid and not statements:
            errors.append({"text": "Write at least one thing that was said at the review.",
                           "href": f"#id_{Kind.WORKING}-0-text"})
            valid = False
        if valid:
            d = form.cleaned_data
            draft = ReviewDraft(
                reference=d["reference"], person_ref=d["person_ref"], review_date=d["review_date"],
                area=d["area"].name, user_group=d["user_group"].name, consent=d["consent_given"],
                person_name=d["person_name"], facilitator=d["facilitator"], location=d["location"],
                service=d["service"].name if d["service"] else "", attendees=d["attendees"], statements=statements,
            )
            with transaction.atomic():
                review = save_reviews(cycle, [draft], user=request.user).reviews[0]
                # Whoever enters the review is its facilitator in Golden Thread, so they can see it with names.
                review = Review.objects.get(pk=review.pk)
                review.facilitated_by = request.user
                review.save(update_fields=["facilitated_by"])
            messages.success(request, f"Review {review.reference} has been saved with {len(statements)} statements.")
            return redirect("review", pk=review.pk)
        errors = _error_summary(form, sections) + errors
    return render(request, "reviews/review_form.html",
                  {"cycle": cycle, "form": form, "sections": sections, "errors": errors})


def _error_summary(form, sections) -> list[dict]:
    """GOV.UK-style error summary entries, each linking to the field it is about."""
    items = form_errors(form)
    for section in sections:
        formset = section["formset"]
        for i, errs in enumerate(formset.errors or []):
            for name, messages_ in errs.items():
                items += [{"text": f"{section['heading']}, statement {i + 1}: {m}",
                           "href": f"#id_{section['kind']}-{i}-{name}"} for m in messages_]
        items += [{"text": f"{section['heading']}: {m}", "href": f"#section-{section['kind']}"}
                  for m in formset.non_form_errors()]
    return items


@permission_required("reviews.add_review", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review_import(request, slug):
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.GOLDENTHREAD_MAX_UPLOAD_BYTES:
            form.add_error("file", f"The file is too big. The largest file you can upload is "
                                   f"{settings.GOLDENTHREAD_MAX_UPLOAD_BYTES // (1024 * 1024)} MB; "
                                   "use the goldenthread import command for bigger files.")
        else:
            try:
                result = import_reviews(cycle, upload.read(), upload.name,
                                        file_format=form.cleaned_data["file_format"] or None, user=request.user)
            except ReviewFileError as exc:
                problems = exc.problems
            else:
                messages.success(request, result.summary())
                return redirect(cycle)
    return render(request, "reviews/import.html", {
        "cycle": cycle, "form": form, "problems": problems[:200], "more_problems": max(0, len(problems) - 200),
    })


def import_template(request, file_format):
    if file_format not in TEMPLATES:
        raise Http404("No such template")
    response = HttpResponse(TEMPLATES[file_format](), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="goldenthread-review-template.{file_format}"'
    return response


def _cycle_cards(cycle, kind: str | None):
    cards = cycle.card_statements().select_related("review").order_by("kind", "card_number")
    return cards.filter(kind=kind) if kind else cards.filter(kind__in=WORKSHOP_KINDS)


def _selected_kind(request) -> str | None:
    kind = request.GET.get("kind") or None
    if kind and kind not in Kind.values:
        raise Http404("No such kind of card")
    return kind


def cards(request, slug):
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    kind = _selected_kind(request)
    counts = dict(cycle.card_statements().values_list("kind").annotate(n=Count("id")))
    filters = [{"kind": k, "label": k.label, "count": counts.get(k, 0)} for k in CARD_KINDS]
    to_check = _to_check(cycle, None)
    checkable = [s for s in to_check if s.review.is_identifiable_to(request.user)] \
        if request.user.has_perm("reviews.change_statement") else []
    if checkable:
        record_access(request.user, "view", cycle, detail=f"check-before-printing list: {len(checkable)} statements")
    page = Paginator(_cycle_cards(cycle, kind), CARDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reviews/cards.html", {
        "cycle": cycle, "cards": page.object_list, "page": page, "query": urlencode({"kind": kind}) if kind else "",
        "kind": kind, "filters": filters, "total": sum(counts.get(k, 0) for k in WORKSHOP_KINDS),
        "important_now": counts.get(Kind.IMPORTANT_NOW, 0),
        "to_check": checkable, "to_check_count": to_check.count(),
    })


def _to_check(cycle, kind):
    statements = cycle.statements.to_check().select_related("review").order_by("kind", "card_number")
    return statements.filter(kind=kind) if kind else statements


@require_POST
def card_check(request, slug, pk):
    """Someone who may see the review with names checks a flagged card: keep the wording, or correct it."""
    statement = get_object_or_404(Statement.objects.select_related("review"), pk=pk, cycle__slug=slug)
    if not (request.user.has_perm("reviews.change_statement") and statement.review.is_identifiable_to(request.user)):
        raise PermissionDenied("Only someone who may see this review with names can check its card")
    edited = request.POST.get("card_text") if request.POST.get("action") == "edit" else None
    if edited is not None and not edited.strip():
        messages.error(request, f"Card {statement.card_code}: write the card wording, or keep it as it is.")
        return redirect(reverse("cards", args=[slug]) + "#check")
    statement.accept_card_text(request.user, edited[:2000] if edited is not None else None)
    messages.success(request, f"Card {statement.card_code} has been checked.")
    return redirect(reverse("cards", args=[slug]) + "#check")


def cards_pdf(request, slug):
    """The printable cards. Refused while any card being printed has words nobody has checked yet:
    printed cards go on walls and into rooms and cannot be called back, so the check comes first."""
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    kind = _selected_kind(request)
    if not roles.can_run_workshops(request.user):  # a big PDF ties up the server: bounded for other roles
        n, most = _cycle_cards(cycle, kind).count(), settings.GOLDENTHREAD_MAX_PDF_CARDS
        if n > most:
            return render(request, "too_many_cards.html", {"cycle": cycle, "n": n, "most": most}, status=400)
    unchecked = _to_check(cycle, kind).count()
    if unchecked:
        return render(request, "reviews/cards_unchecked.html",
                      {"cycle": cycle, "unchecked": unchecked, "kind": kind}, status=409)
    data = [
        CardData(code=s.card_code, kind=s.kind, text=s.shown_text, perspective=s.perspective,
                 priority=s.priority, cycle=cycle.name)
        for s in _cycle_cards(cycle, kind)
    ]
    pdf = render_cards_pdf(data, title=f"Cards: {cycle.name}")
    # Printed cards cannot be called back: the log says which were made, for a later withdrawal of consent.
    record_access(request.user, "export", cycle, detail=f"Card PDF{f' ({Kind(kind).label})' if kind else ''}, "
                                                        f"{len(data)} cards")
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = f"-{kind}" if kind else ""
    response["Content-Disposition"] = f'inline; filename="cards-{cycle.slug}{suffix}.pdf"'
    return response
