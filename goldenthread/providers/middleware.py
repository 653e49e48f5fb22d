"""Person and family accounts see their own fund and nothing else.

A person account (:func:`goldenthread.providers.models.is_person_account`: linked
to a supported person, with no staff role) may open the providers' pages — which
already show only what it is linked to — plus signing in and out and the static
files. The home page (the cycles list, where everyone signs in to) sends it on to
its own fund, so after signing in a person lands there; any other page of the
site answers 403. ``request.person_account`` tells the base template to leave
out the staff navigation. Staff accounts pass straight through.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from goldenthread.providers.models import is_person_account, landing_url_for


class PersonAccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.person_account = bool(user is not None and is_person_account(user))
        if request.person_account:
            path = request.path_info
            if path == reverse("home"):
                return redirect(landing_url_for(user))
            allowed = (reverse("providers:index"), "/accounts/", settings.STATIC_URL or "/static/", "/healthz", "/readyz")
            if not path.startswith(allowed):
                raise PermissionDenied("This account can see its own fund and plan only.")
        return self.get_response(request)
