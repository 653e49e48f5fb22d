"""Pages for the individual and provider side: the guided person-centred review, one-page profiles
and success indicators.

Who may see what is decided per object (``roles.can_see_identifiable_review`` and
``OnePageProfile.is_visible_to``); anyone else gets the 403 page, never an empty one.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from goldenthread.reviews.profile_pdf import ProfileSection, render_profile_pdf
from goldenthread.core import roles
from goldenthread.core.access_log import record_access
from goldenthread.reviews import data_protection
from goldenthread.reviews.indicators import success_indicators
from goldenthread.core.models import Perspective
from goldenthread.reviews.models import Attendee, OnePageProfile, ProgrammeCycle, Review, Section
from goldenthread.reviews.person_reviews import (
    STEP_BY_SLUG,
    STEPS,
    carried_actions,
    completion_problems,
    complete_review,
    last_year,
    profile_update,
    save_actions,
    save_items,
    save_profile,
    save_top_choices,
    start_review,
)
from goldenthread.reviews.forms_person_reviews import (
    ActionFormSet,
    IndicatorScopeForm,
    ItemsForm,
    ProfileConsentForm,
    ProfileForm,
    StartReviewForm,
    TopChoicesForm,
    WorkingForm,
)
from goldenthread.core.forms import form_errors

RANKED_SECTIONS = [(Section.WORKING, "What is working"), (Section.NOT_WORKING, "What is not working"),
                   (Section.FUTURE, "What is important for the future")]


def _review_for(request, pk) -> Review:
    review = get_object_or_404(Review.objects.select_related("cycle", "service", "area", "user_group"), pk=pk)
    if not review.is_identifiable_to(request.user):
        raise PermissionDenied("Not this person's facilitator or service manager")
    record_access(request.user, "view", review, detail=f"{request.method} {request.path}")
    return review


def _profile_for(request, person_ref, action: str = "view") -> OnePageProfile:
    profile = get_object_or_404(OnePageProfile.objects.select_related("service"), person_ref=person_ref)
    if not profile.is_visible_to(request.user):
        raise PermissionDenied("Not allowed to see this person's profile")
    record_access(request.user, action, profile, detail=request.path)
    return profile


# --- the people start page -------------------------------------------------------------------------------

def people_home(request):
    reviews = Review.objects.select_related("cycle").identifiable_to(request.user)
    in_progress = reviews.filter(status=Review.Status.IN_PROGRESS).order_by("-updated_at")
    finished = reviews.filter(status=Review.Status.COMPLETE, items__isnull=False).distinct().order_by(
        "-review_date")[:20]
    profiles = [p for p in OnePageProfile.objects.select_related("service") if p.is_visible_to(request.user)]
    named = in_progress.count() + len(finished) + len(profiles)
    if named:
        record_access(request.user, "view", None, detail=f"people page listing {named} names")
    return render(request, "reviews/person_reviews/home.html", {
        "in_progress": in_progress, "finished": finished, "profiles": profiles,
        "cycles": ProgrammeCycle.objects.all(),
    })


# --- the guided person-centred review -------------------------------------------------------------------

def _can_enter(user) -> bool:
    return user.has_perm("reviews.add_review") and user.has_perm("reviews.add_reviewitem")


@require_http_methods(["GET", "POST"])
def pcr_start(request, slug):
    if not _can_enter(request.user):
        raise PermissionDenied
    cycle = get_object_or_404(ProgrammeCycle, slug=slug)
    form = StartReviewForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            # Area, user group and service are picked from the council's fixed lists by the form.
            review = start_review(cycle, reference=d["reference"], person_ref=d["person_ref"],
                                  person_name=d["person_name"], review_date=d["review_date"], area=d["area"],
                                  user_group=d["user_group"], service=d["service"], location=d["location"],
                                  facilitator=d["facilitator"], user=request.user)
            for i, (name, relationship) in enumerate(d["attendees"]):
                Attendee.objects.create(review=review, name=name, relationship=relationship, position=i)
        messages.success(request, f"Review {review.reference} has been started. It is saved as you go.")
        return redirect("pcr_step", pk=review.pk, step=STEPS[0].slug)
    return render(request, "reviews/person_reviews/review_start.html",
                  {"cycle": cycle, "form": form, "errors": form_errors(form)})


def _step_state(review: Review) -> list[dict]:
    return [{"step": s, "done": s.slug in review.steps_done,
             "url": reverse("pcr_step", args=[review.pk, s.slug])} for s in STEPS]


def pcr_tasks(request, pk):
    """The review's task list, and a check of the answers before it is finished."""
    review = _review_for(request, pk)
    items = list(review.items.all())
    sections = []
    for value, label in Section.choices:
        for perspective, p_label in Perspective.choices:
            chosen = [i for i in items if i.section == value and i.perspective == perspective]
            if chosen:
                heading = label if value not in (Section.WORKING, Section.NOT_WORKING) else f"{label}: {p_label.lower()}"
                sections.append({"heading": heading, "items": chosen})
    return render(request, "reviews/person_reviews/review_tasks.html", {
        "review": review, "cycle": review.cycle, "steps": _step_state(review), "sections": sections,
        "actions": review.actions.all(), "problems": completion_problems(review),
        "attendees": review.attendees.all(),
    })


@require_http_methods(["GET", "POST"])
def pcr_step(request, pk, step):
    review = _review_for(request, pk)
    if step not in STEP_BY_SLUG:
        raise Http404("No such step")
    if not _can_enter(request.user):
        raise PermissionDenied
    current = STEP_BY_SLUG[step]
    if review.status == Review.Status.COMPLETE and step != "actions":
        messages.info(request, "This review is finished. You can still update the progress of its actions.")
        return redirect("pcr_tasks", pk=review.pk)
    index = STEPS.index(current)
    next_url = (reverse("pcr_step", args=[review.pk, STEPS[index + 1].slug]) if index + 1 < len(STEPS)
                else reverse("pcr_tasks", args=[review.pk]))
    if review.status == Review.Status.COMPLETE:
        next_url = reverse("pcr_tasks", args=[review.pk])
    data = request.POST if request.method == "POST" else None
    context = {"review": review, "cycle": review.cycle, "step": current, "number": index + 1, "total": len(STEPS),
               "back_url": reverse("pcr_step", args=[review.pk, STEPS[index - 1].slug]) if index else None,
               "last_year": last_year(review, request.user)}

    if current.section:
        initial = "\n".join(review.items.filter(section=current.section, perspective=Perspective.PERSON)
                            .values_list("text", flat=True))
        form = ItemsForm(data, initial={"items": initial}, question=current.question, hint=current.hint)
        if data is not None and form.is_valid():
            save_items(review, current.section, Perspective.PERSON, form.cleaned_data["items"], step=step)
            return _after_save(request, review, next_url)
        return render(request, "reviews/person_reviews/review_step.html",
                      context | {"form": form, "errors": form_errors(form)})

    if current.perspective:
        def existing(section):
            return "\n".join(review.items.filter(section=section, perspective=current.perspective)
                             .values_list("text", flat=True))
        form = WorkingForm(data, initial={"working": existing(Section.WORKING),
                                          "not_working": existing(Section.NOT_WORKING)})
        if data is not None and form.is_valid():
            with transaction.atomic():
                save_items(review, Section.WORKING, current.perspective, form.cleaned_data["working"], step=step)
                save_items(review, Section.NOT_WORKING, current.perspective, form.cleaned_data["not_working"],
                           step=step)
            return _after_save(request, review, next_url)
        return render(request, "reviews/person_reviews/review_step.html",
                      context | {"form": form, "errors": form_errors(form)})

    if step == "actions":
        initial = [{"text": a.text, "owner": a.owner, "due_date": a.due_date, "status": a.status}
                   for a in review.actions.all()]
        carried = not initial and step not in review.steps_done
        if carried:
            # A new review starts from last time's actions that are not done yet, with their progress.
            initial = carried_actions(review, request.user)
        formset = ActionFormSet(data, initial=initial, prefix="action")
        if data is not None and formset.is_valid():
            save_actions(review, [f.cleaned_data | {"text": f.cleaned_data["text"].strip(),
                                                    "owner": f.cleaned_data["owner"].strip()}
                                  for f in formset.forms if f.is_filled])
            return _after_save(request, review, next_url)
        errors = []
        if data is not None:
            for i, form in enumerate(formset.forms, start=1):
                errors += form_errors(form, prefix=f"Action {i}, ")
        return render(request, "reviews/person_reviews/review_actions.html",
                      context | {"formset": formset, "errors": errors, "carried": carried and bool(initial)})

    # top choices and consent
    groups = [{"section": s, "heading": h,
               "items": list(review.items.filter(section=s, perspective=Perspective.PERSON))}
              for s, h in RANKED_SECTIONS]
    initial = {"consent": ("yes" if review.consent_given else "no") if step in review.steps_done else None}
    for group in groups:
        for item in group["items"]:
            if item.priority:
                initial[f"{group['section']}_{item.priority}"] = str(item.pk)
    form = TopChoicesForm(data, initial=initial, groups=groups)
    for group in groups:
        group["bound"] = [form[name] for name in group["fields"]]
    if data is not None and form.is_valid():
        save_top_choices(review, form.picks(), form.cleaned_data["consent"] == "yes", step=step)
        return _after_save(request, review, next_url)
    return render(request, "reviews/person_reviews/review_choices.html",
                  context | {"form": form, "groups": groups, "errors": form_errors(form)})


def _after_save(request, review, next_url):
    if "later" in request.POST:
        messages.success(request, "Your answers have been saved. You can come back to this review later.")
        return redirect("pcr_tasks", pk=review.pk)
    return redirect(next_url)


@require_POST
def pcr_finish(request, pk):
    review = _review_for(request, pk)
    if not _can_enter(request.user):
        raise PermissionDenied
    problems = completion_problems(review)
    if problems:
        for p in problems:
            messages.error(request, p["text"])
        return redirect("pcr_tasks", pk=review.pk)
    statements = complete_review(review, request.user)
    messages.success(request, f"Review {review.reference} is finished. "
                              f"{len(statements)} top choices go forward to the cycle"
                              f"{'' if review.consent_given else ' (not used: the person did not agree)'}.")
    return redirect("pcr_profile", pk=review.pk)


@require_http_methods(["GET", "POST"])
def pcr_profile(request, pk):
    """After a review: show what updating the person's one-page profile from it would change, before and after."""
    review = _review_for(request, pk)
    if not request.user.has_perm("reviews.add_onepageprofile"):
        raise PermissionDenied
    current = OnePageProfile.objects.filter(person_ref=review.person_ref).first()
    if current and not current.is_visible_to(request.user):
        raise PermissionDenied
    if request.method == "POST" and current and "keep" in request.POST:
        messages.info(request, "The one-page profile has not been changed.")
        return redirect(current)
    update = profile_update(current, review)
    consent = ProfileConsentForm(request.POST if request.method == "POST" else None,
                                 current=current.shared_with_supporters if current else None)
    if request.method == "POST" and consent.is_valid():
        merged = update["merged"] | {"shared_with_supporters": consent.cleaned_data["shared_with_supporters"]}
        missing = not (merged["appreciate"] and merged["important"] and merged["support"]) or not merged["name"]
        if missing or "change" in request.POST:
            # Something is missing, or someone wants to change a line: the edit page, before anything is saved.
            request.session[f"profile-draft-{review.person_ref}"] = {
                k: merged[k] for k in ("name", "appreciate", "important", "support", "shared_with_supporters")
            } | {"review": review.pk}
            return redirect("profile_edit", person_ref=review.person_ref)
        profile = save_profile(review.person_ref, merged, user=request.user, review=review)
        messages.success(request, "The one-page profile has been updated from this review.")
        return redirect(profile)
    return render(request, "reviews/person_reviews/profile_offer.html", {
        "review": review, "cycle": review.cycle, "current": current, "update": update, "consent": consent,
        "errors": form_errors(consent)})


# --- one-page profiles ------------------------------------------------------------------------------------

def profile_detail(request, person_ref):
    profile = _profile_for(request, person_ref)
    return render(request, "reviews/person_reviews/profile.html", {
        "profile": profile, "versions": profile.versions.select_related("saved_by", "review"),
        "newer_review": Review.objects.filter(person_ref=person_ref, status=Review.Status.COMPLETE)
        .exclude(pk=profile.source_review_id).filter(review_date__gt=profile.updated_at.date()).first(),
    })


@require_http_methods(["GET", "POST"])
def profile_edit(request, person_ref):
    profile = OnePageProfile.objects.filter(person_ref=person_ref).first()
    draft = request.session.get(f"profile-draft-{person_ref}")
    review = None
    if profile is not None:
        if not profile.is_visible_to(request.user):
            raise PermissionDenied
    else:
        # A new profile needs a review of this person the user may see.
        review = Review.objects.filter(person_ref=person_ref).identifiable_to(request.user).first()
        if review is None:
            raise PermissionDenied
    if draft and draft.get("review"):
        review = Review.objects.filter(pk=draft["review"]).identifiable_to(request.user).first()
    if not request.user.has_perm("reviews.change_onepageprofile"):
        raise PermissionDenied
    initial = {k: v for k, v in (draft or {}).items() if k != "review"}
    form = ProfileForm(request.POST or None, instance=profile, initial=initial or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"service": review.service if review else None}
        saved = save_profile(person_ref, data, user=request.user, review=review)
        request.session.pop(f"profile-draft-{person_ref}", None)
        messages.success(request, "The one-page profile has been saved.")
        return redirect(saved)
    return render(request, "reviews/person_reviews/profile_edit.html", {
        "profile": profile, "person_ref": person_ref, "form": form, "errors": form_errors(form)})


def profile_version(request, person_ref, version_pk):
    """One earlier wording of a profile, read-only, with when and by whom it was saved."""
    profile = _profile_for(request, person_ref)
    version = get_object_or_404(profile.versions.select_related("saved_by", "review"), pk=version_pk)
    return render(request, "reviews/person_reviews/profile_version.html", {
        "profile": profile, "version": version, "latest": profile.versions.first() == version})


def profile_print(request, person_ref):
    profile = _profile_for(request, person_ref)
    return render(request, "reviews/person_reviews/profile_print.html", {"profile": profile})


def profile_pdf(request, person_ref):
    profile = _profile_for(request, person_ref, action="export")
    pdf = render_profile_pdf(
        profile.name,
        [ProfileSection(s["heading"], s["icon"], s["icon_words"], s["lines"]) for s in profile.sections()],
        updated=f"Last updated {profile.updated_at:%d %B %Y}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="one-page-profile-{profile.person_ref}.pdf"'
    return response


# --- a JSON record of one review (for other systems) ------------------------------------------------------

def review_api(request, pk):
    """The whole identifiable record of one review. Refused (403) unless the user may see it with names."""
    review = get_object_or_404(Review.objects.select_related("cycle", "service", "area", "user_group"), pk=pk)
    if not review.is_identifiable_to(request.user):
        return JsonResponse({"error": "You are not allowed to see this review."}, status=403)
    record_access(request.user, "export", review, detail="review JSON record")
    return JsonResponse(review.as_json())


# --- data protection: subject access and erasure (administrators only) ----------------------------------

def _administrator(request):
    if not roles.is_administrator(request.user):
        raise PermissionDenied("Only administrators can export or erase a person's data")


def person_data(request, person_ref):
    """Everything held about one person, as a readable page (subject access). Logged."""
    _administrator(request)
    data = data_protection.subject_access(person_ref, request.user)
    if not (data["reviews"] or data["profiles"]):
        raise Http404("Nothing is held about this person ID")
    return render(request, "reviews/person_reviews/person_data.html", {"person_ref": person_ref, "data": data})


def person_data_json(request, person_ref):
    """Everything held about one person, as JSON (subject access). Logged."""
    _administrator(request)
    data = data_protection.subject_access(person_ref, request.user)
    if not (data["reviews"] or data["profiles"]):
        raise Http404("Nothing is held about this person ID")
    response = JsonResponse(data, json_dumps_params={"indent": 1, "default": str})
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person_ref}.json"'
    return response


@require_http_methods(["GET", "POST"])
def person_erase(request, person_ref):
    """Delete everything held about one person, after a page that explains what it does to reports."""
    _administrator(request)
    impact = data_protection.impact(person_ref)
    if not (impact.reviews or impact.profiles):
        raise Http404("Nothing is held about this person ID")
    if request.method == "POST":
        if request.POST.get("confirm") != person_ref:
            messages.error(request, "Type the person ID to confirm.")
        else:
            result = data_protection.erase_person(person_ref, request.user)
            messages.success(request, f"Deleted everything held about {person_ref}: {result.summary()}.")
            return redirect("people")
    return render(request, "reviews/person_reviews/person_erase.html", {"person_ref": person_ref, "impact": impact})


# --- success indicators -----------------------------------------------------------------------------------

def indicators(request):
    form = IndicatorScopeForm(request.GET or None)
    provider = service = None
    if form.is_valid():
        provider = form.cleaned_data["provider"] or None
        service = form.cleaned_data["service"]
    scope = service.name if service else (provider or "The whole council")
    result = success_indicators(provider=provider, service=service, scope=scope)
    return render(request, "reviews/person_reviews/indicators.html", {"form": form, "result": result,
                                                      "errors": form_errors(form)})
