"""Signing in: a council's own identity provider (OpenID Connect) and local passwords with a reset by e-mail.

* :mod:`goldenthread.accounts.oidc` reads the OpenID Connect settings (off unless a client ID and the
  provider's issuer or endpoints are set) and turns the provider's groups into Golden Thread roles.
* :mod:`goldenthread.accounts.backends` signs people in: the council account (mozilla-django-oidc's
  backend, with the roles set from the provider's groups on every sign-in) and a switch that refuses
  every password when the council has turned local passwords off.
* :mod:`goldenthread.accounts.views` is the sign-in page, the council sign-in's start and return, and
  password reset by e-mail (Django's own views).

Multi-factor authentication is the identity provider's job; see docs/sign-in.md.
"""
