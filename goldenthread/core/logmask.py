"""Log lines without people in them: user names and addresses as keyed pseudonyms.

With ``GOLDENTHREAD_LOG_FORMAT=json`` (the production logs, often shipped to another system) a failed
sign-in is logged as ``{"username": "u-3f9a1c…", "ip_address": "a-77b2e0…", "path_info": "/accounts/login/"}``:
the same user name or address always gives the same pseudonym (so repeated failures can be followed),
but it cannot be turned back into the name without the site's secret key. The sign-in lock-out table
(``axes.AccessAttempt``, in the database) still holds the real values for an administrator.
"""
from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def pseudonym(value, prefix: str = "") -> str:
    if value in (None, ""):
        return ""
    key = ("goldenthread.logmask:" + settings.SECRET_KEY).encode()
    return prefix + hmac.new(key, str(value).encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:12]


def axes_client_str(username, ip_address, user_agent, path_info, request=None) -> str:
    """django-axes' ``AXES_CLIENT_STR_CALLABLE``: the client of a sign-in, with no name or address in clear."""
    if isinstance(path_info, (tuple, list)):
        path_info = path_info[0] if path_info else ""
    return str({"username": pseudonym(username, "u-"), "ip_address": pseudonym(ip_address, "a-"),
                "path_info": path_info})


def address_for_log(address: str) -> str:
    """An address as it may appear in a log line: in clear with text logs, a pseudonym with JSON logs."""
    return pseudonym(address, "a-") if getattr(settings, "GOLDENTHREAD_LOG_FORMAT", "text") == "json" else address
