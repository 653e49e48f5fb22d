"""The sign-in page, the council sign-in's start and return, and password reset by e-mail.

* ``/accounts/login/`` shows "Sign in with your council account" when council sign-in is set up and the
  username and password form when local passwords are on; with passwords off a posted password is
  refused (403) without being checked.
* ``/oidc/authenticate/`` and ``/oidc/callback/`` are mozilla-django-oidc's views (state, nonce and PKCE
  checked there); both are "not found" while council sign-in is off.
* ``/accounts/password-reset/`` and the pages after it are Django's own password reset views: the same
  answer whether or not the address has an account, and at most ``GOLDENTHREAD_PASSWORD_RESETS`` e-mails an
  hour for one address and for one client address (more are quietly not sent). They are "not found" when
  local passwords are off.
"""
from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from mozilla_django_oidc import views as oidc_views

from goldenthread.accounts import oidc

log = logging.getLogger("goldenthread.sign_in")


class SignInView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "council_sign_in": oidc.enabled(), "password_sign_in": oidc.password_sign_in()}

    def post(self, request, *args, **kwargs):
        if not oidc.password_sign_in():
            self.object = None
            return self.render_to_response(self.get_context_data(form=None), status=403)
        return super().post(request, *args, **kwargs)


class _Start(oidc_views.OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc.setting)


class _Return(oidc_views.OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc.setting)

    @property
    def failure_url(self):
        return reverse("council_sign_in_failed")


def _provider_view(view):
    """404 while council sign-in is off; the problem page (not a server error) when the provider does not answer."""
    def wrapped(request):
        import requests

        if not oidc.enabled():
            raise Http404("Council sign-in is not set up")
        try:
            return view(request)
        except requests.RequestException as exc:
            log.warning("Council sign-in: the identity provider did not answer (%s)", type(exc).__name__)
            return redirect("council_sign_in_failed")
    wrapped.__doc__ = view.__doc__
    return login_not_required(wrapped)


#: Send the browser to the council's identity provider (``next`` is kept if it is on this site).
council_start = _provider_view(_Start.as_view())
#: The provider sends the browser back here with a code; mozilla-django-oidc checks state, nonce and PKCE.
council_return = _provider_view(_Return.as_view())


@login_not_required
def council_sign_in_failed(request):
    return render(request, "accounts/council_sign_in_failed.html",
                  {"council_sign_in": oidc.enabled()})


# -- password reset by e-mail -------------------------------------------------------------------------

def _passwords_on(view):
    def wrapped(request, *args, **kwargs):
        if not oidc.password_sign_in():
            raise Http404("Password sign-in is turned off")
        return view(request, *args, **kwargs)
    return login_not_required(wrapped)


def _over_the_limit(key: str) -> bool:
    """Count one more reset e-mail for ``key``; true when the hour's allowance is already used."""
    key, now, window = "gt-password-reset:" + hashlib.sha256(key.encode()).hexdigest(), int(time.time()), 3600
    entry = cache.get(key) or {"n": 0, "since": now}
    entry["n"] += 1
    cache.set(key, entry, timeout=max(1, entry["since"] + window - now))
    return entry["n"] > settings.GOLDENTHREAD_PASSWORD_RESETS


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        address = self.request.META.get("REMOTE_ADDR") or "unknown"
        over = [_over_the_limit("address:" + address), _over_the_limit("email:" + email)]
        if any(over):
            log.warning("Password reset: too many requests (%s); no e-mail sent",
                        "from one client address" if over[0] else "for one e-mail address")
            return redirect(self.get_success_url())  # the same answer as when an e-mail was sent
        return super().form_valid(form)


password_reset = _passwords_on(PasswordResetView.as_view())
password_reset_done = _passwords_on(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"))
password_reset_confirm = _passwords_on(auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("password_reset_complete")))
password_reset_complete = _passwords_on(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"))
