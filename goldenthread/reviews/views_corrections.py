"""Pages for correcting a review and withdrawing consent. The rules are in :mod:`goldenthread.reviews.corrections`."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from goldenthread.core.forms import form_errors
from goldenthread.reviews import corrections
from goldenthread.reviews.forms_corrections import (
    DetailsCorrectionForm,
    GiveConsentForm,
    StatementCorrectionForm,
    WithdrawConsentForm,
)
from goldenthread.reviews.models import Review, Statement


def _review(request, pk) -> Review:
    review = get_object_or_404(Review.objects.select_related("cycle"), pk=pk)
    if not corrections.may_correct(request.user, review):
        raise PermissionDenied("Only someone who may see this review with names can change it.")
    return review


def _apply(form, change) -> bool:
    """Run the change; a rule it breaks becomes an error on the form. True when it was made."""
    try:
        change()
    except corrections.CorrectionError as err:
        form.add_error(err.field if err.field in form.fields else None, str(err))
        return False
    return True


def _page(request, template, review, form, **extra):
    return render(request, template, {"review": review, "cycle": review.cycle, "form": form,
                                      "errors": form_errors(form), **extra})


@require_http_methods(["GET", "POST"])
def correct_details(request, pk):
    review = _review(request, pk)
    form = DetailsCorrectionForm(request.POST or None, instance=Review.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in corrections.DETAIL_FIELDS}
        if _apply(form, lambda: corrections.correct_details(review, by=request.user,
                                                            reason=form.cleaned_data["reason"], **values)):
            messages.success(request, "The review's details have been corrected.")
            return redirect(review)
    return _page(request, "reviews/correct_details.html", review, form)


@require_http_methods(["GET", "POST"])
def correct_statement(request, pk, statement_pk):
    review = _review(request, pk)
    statement = get_object_or_404(Statement, pk=statement_pk, review=review)
    form = StatementCorrectionForm(request.POST or None, initial={
        "text": statement.text, "kind": statement.kind, "perspective": statement.perspective,
        "priority": statement.priority or ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(form, lambda: corrections.correct_statement(
                statement, by=request.user, reason=d["reason"], text=d["text"], kind=d["kind"],
                perspective=d["perspective"], priority=d["priority"])):
            messages.success(request, f"Statement corrected (card {statement.card_code}).")
            return redirect(review)
    return _page(request, "reviews/correct_statement.html", review, form, statement=statement)


@require_http_methods(["GET", "POST"])
def withdraw_consent(request, pk):
    review = _review(request, pk)
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: corrections.withdraw_consent(review, by=request.user,
                                                             reason=form.cleaned_data["reason"])):
            messages.success(request, "Consent withdrawn: this review's cards are no longer used. Check the list "
                                      "of outputs already made with them.")
            return redirect(review)
    return _page(request, "reviews/withdraw_consent.html", review, form,
                 outputs=corrections.outputs_that_used(review), cards=review.statements.count())


@require_http_methods(["GET", "POST"])
def give_consent(request, pk):
    review = _review(request, pk)
    form = GiveConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: corrections.give_consent(review, by=request.user,
                                                         reason=form.cleaned_data["reason"])):
            messages.success(request, "Consent recorded: this review's cards can be used from now on.")
            return redirect(review)
    return _page(request, "reviews/give_consent.html", review, form, cards=review.statements.count())
