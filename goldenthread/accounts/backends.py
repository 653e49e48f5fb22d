"""Authentication backends: the council account (OpenID Connect) and the switch that turns passwords off.

``AUTHENTICATION_BACKENDS`` runs, in order: django-axes (refuses a locked-out username and address),
:class:`PasswordSignInSwitch` (refuses every password when ``GOLDENTHREAD_PASSWORD_SIGN_IN`` is off),
:class:`CouncilSignInBackend` (only answers the council sign-in's return from the provider) and Django's
``ModelBackend`` (passwords, and every permission check).
"""
from __future__ import annotations

import logging

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from goldenthread.accounts import oidc
from goldenthread.core.roles import ROLES

log = logging.getLogger("goldenthread.sign_in")


class PasswordSignInSwitch:
    """Refuses every username and password when the council has turned local passwords off."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not oidc.password_sign_in():
            raise PermissionDenied("Password sign-in is turned off")  # stops the backends after this one
        return None


def username_from(claims: dict) -> str:
    """The account's username: the provider's ``preferred_username`` (in Entra ID, the user principal name),
    else the e-mail address; never the opaque ``sub`` alone. Lower case, at most 150 characters."""
    name = (claims.get("preferred_username") or claims.get("email") or "").strip().lower()
    return name[:150]


class CouncilSignInBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, inert until council sign-in is set up.

    * answers only the return from the provider (the callback passes ``nonce``), never a password;
    * checks the ID token's audience (this client) and issuer, which the library leaves out;
    * reads the claims from the ID token and the provider's userinfo together (Entra ID puts the
      groups in the ID token only);
    * refuses an address the provider says is not verified (``email_verified`` false);
    * finds the account by username (:func:`username_from`), making it on the first sign-in with no
      usable password, and on every sign-in sets its roles from the provider's groups
      (:func:`goldenthread.accounts.oidc.roles_for`): roles the provider no longer grants are taken away,
      and no mapped group means no role (the "You do not have access yet" page);
    * logs each sign-in by account number and roles, never a name or an address.

    Permissions are left to ``ModelBackend`` (this backend answers no permission question).
    """

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        # The library reads its settings here; this waits until someone signs in (council sign-in may be off).
        self.UserModel = get_user_model()

    @staticmethod
    def get_settings(attr, *args):
        return oidc.setting(attr, *args)

    def _configure(self) -> None:
        super().__init__()

    def authenticate(self, request, **kwargs):
        if "nonce" not in kwargs or request is None or not oidc.enabled():
            return None
        self._configure()
        return super().authenticate(request, **kwargs)

    # -- the tokens ------------------------------------------------------------------------------------
    def get_userinfo(self, access_token, id_token, payload):
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not for this client")
        expected_issuer = oidc.issuer()
        if expected_issuer and (payload.get("iss") or "").rstrip("/") != expected_issuer:
            raise SuspiciousOperation("The ID token is from another issuer")
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") not in (None, payload.get("sub")):
                raise SuspiciousOperation("The userinfo is about someone else")
            claims.update(userinfo)
        return claims

    # -- the account -----------------------------------------------------------------------------------
    def verify_claims(self, claims):
        if claims.get("email_verified") is False or str(claims.get("email_verified")).lower() == "false":
            log.warning("Council sign-in refused: the provider says the e-mail address is not verified")
            return False
        if not username_from(claims):
            log.warning("Council sign-in refused: no preferred_username or email claim")
            return False
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username__iexact=username_from(claims))

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(username_from(claims))  # no usable password
        return self.update_user(user, claims, created=True)

    def update_user(self, user, claims, created=False):
        email_verified = claims.get("email_verified") is not False
        user.email = (claims.get("email") or "").strip() if email_verified else user.email
        user.first_name = (claims.get("given_name") or user.first_name or "")[:150]
        user.last_name = (claims.get("family_name") or user.last_name or "")[:150]
        user.save(update_fields=["email", "first_name", "last_name"])
        roles = sorted(oidc.roles_for(claims))
        self.set_roles(user, roles)
        log.info("Council sign-in: account %s %s with roles %s", user.pk,
                 "made" if created else "signed in", ", ".join(roles) or "none")
        return user

    @staticmethod
    def set_roles(user, roles) -> None:
        from django.contrib.auth.models import Group

        keep = [g for g in user.groups.all() if g.name not in ROLES]  # groups that are not roles are kept
        user.groups.set(keep + list(Group.objects.filter(name__in=roles)))
        for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
            user.__dict__.pop(cache, None)

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # an account made inactive is signed out

    # -- permissions: ModelBackend's job ---------------------------------------------------------------
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False


def not_a_password(request, credentials) -> bool:
    """``AXES_WHITELIST_CALLABLE``: the council sign-in's return is no password guess, so django-axes
    neither counts it nor locks it out (the provider does its own lock-out and MFA)."""
    return "nonce" in (credentials or {})
