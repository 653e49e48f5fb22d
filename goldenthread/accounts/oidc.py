"""The council sign-in's settings: is it on, where is the provider, and which of its groups give which role.

Everything comes from ``goldenthread/web/settings.py`` (the ``GOLDENTHREAD_OIDC_…`` environment variables,
listed in docs/configuration.md). The provider's endpoints are either given one by one or read from its
discovery document (``<issuer>/.well-known/openid-configuration``), fetched the first time someone signs in
and then kept for the life of the process; an endpoint given explicitly always wins.

The role map (``GOLDENTHREAD_OIDC_ROLE_MAP``) is ``provider group=Role name`` pairs separated by ``;``,
for example ``0b1c…-group-id=Commissioner;gt-facilitators=Facilitator``. A provider group may appear more
than once to give several roles. Role names are those in :mod:`goldenthread.core.roles`.
"""
from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from goldenthread.core.roles import ROLES

log = logging.getLogger("goldenthread.sign_in")

#: mozilla-django-oidc's endpoint settings and the discovery document's names for them.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery: dict[str, dict] = {}
_lock = threading.Lock()


def issuer() -> str:
    return (getattr(settings, "GOLDENTHREAD_OIDC_ISSUER", "") or "").rstrip("/")


def enabled() -> bool:
    """Council sign-in is on when a client ID is set and the provider can be found (issuer or endpoints)."""
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", "")
                and (issuer() or getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", "")))


def password_sign_in() -> bool:
    """Local passwords (and their reset by e-mail) are on unless the council turned them off."""
    return bool(getattr(settings, "GOLDENTHREAD_PASSWORD_SIGN_IN", True))


def discovery_document(url_of_issuer: str) -> dict:
    """The provider's discovery document, fetched once per issuer per process."""
    with _lock:
        if url_of_issuer not in _discovery:
            import requests

            response = requests.get(f"{url_of_issuer}/.well-known/openid-configuration",
                                    timeout=getattr(settings, "OIDC_TIMEOUT", 10),
                                    verify=getattr(settings, "OIDC_VERIFY_SSL", True))
            response.raise_for_status()
            _discovery[url_of_issuer] = response.json()
        return _discovery[url_of_issuer]


def setting(attr: str, *default):
    """A mozilla-django-oidc setting; an endpoint left empty is read from the provider's discovery document."""
    value = getattr(settings, attr, None)
    if attr in DISCOVERED and not value and issuer():
        return discovery_document(issuer()).get(DISCOVERED[attr]) or (default[0] if default else None)
    if value is None:
        if default:
            return default[0]
        raise ImproperlyConfigured(f"Setting {attr} not found")
    return value


def parse_role_map(text: str) -> dict[str, set[str]]:
    """``group=Role;group=Role`` to {provider group: {role names}}; an unknown role name is an error."""
    mapping: dict[str, set[str]] = {}
    for pair in (text or "").split(";"):
        if not pair.strip():
            continue
        group, sep, role = pair.rpartition("=")
        group, role = group.strip(), role.strip()
        if not sep or not group:
            raise ImproperlyConfigured(f"GOLDENTHREAD_OIDC_ROLE_MAP: {pair.strip()!r} is not 'group=Role'")
        if role not in ROLES:
            raise ImproperlyConfigured(
                f"GOLDENTHREAD_OIDC_ROLE_MAP: {role!r} is not a role (roles: {', '.join(ROLES)})")
        mapping.setdefault(group, set()).add(role)
    return mapping


def role_map() -> dict[str, set[str]]:
    return parse_role_map(getattr(settings, "GOLDENTHREAD_OIDC_ROLE_MAP", ""))


def roles_for(claims: dict) -> set[str]:
    """The roles the provider's groups claim gives (an empty set: no role, so no access)."""
    claim = getattr(settings, "GOLDENTHREAD_OIDC_GROUPS_CLAIM", "groups") or "groups"
    groups = claims.get(claim) or []
    if isinstance(groups, str):
        groups = [groups]
    if not groups and claim in (claims.get("_claim_names") or {}):
        # Entra ID leaves the groups out when someone is in too many (over 200): assign groups to the app.
        log.warning("Council sign-in: the provider left out the %r claim (too many groups); "
                    "assign the role groups to the application in the identity provider", claim)
    mapping = role_map()
    return set().union(*(mapping.get(str(g), set()) for g in groups)) if groups else set()


def check_configuration(app_configs=None, **kwargs):
    """System check: a half-set council sign-in or a role map naming no real role stops the server."""
    errors = []
    try:
        role_map()
    except ImproperlyConfigured as exc:
        errors.append(checks.Error(str(exc), id="goldenthread.accounts.E001"))
    if getattr(settings, "OIDC_RP_CLIENT_ID", "") and not enabled():
        errors.append(checks.Error(
            "GOLDENTHREAD_OIDC_CLIENT_ID is set but neither GOLDENTHREAD_OIDC_ISSUER nor the endpoints are",
            id="goldenthread.accounts.E002"))
    if not enabled() and not password_sign_in():
        errors.append(checks.Error(
            "GOLDENTHREAD_PASSWORD_SIGN_IN is off and council sign-in is not set up: nobody could sign in",
            id="goldenthread.accounts.E003"))
    return errors
