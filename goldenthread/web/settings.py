"""Django settings for Golden Thread.

Everything that differs between machines comes from environment variables, so
the same code runs the embedded demo (SQLite in ``./var``) and a council's
PostgreSQL install. Every variable is listed in docs/configuration.md.
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GOLDENTHREAD_DATA_DIR", Path.cwd() / "var")).resolve()

# Every file Golden Thread makes (the SQLite database and its journal, the secret key, backups, batch work
# folders and Parquet outputs, exported files) is readable by its owner only: 0600 files, 0700 folders.
# GOLDENTHREAD_UMASK (octal) changes that, e.g. 027 when another account must read collected static files.
os.umask(int(os.environ.get("GOLDENTHREAD_UMASK", "077"), 8))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("GOLDENTHREAD_DEBUG", False)
SECRET_KEY = os.environ.get("GOLDENTHREAD_SECRET_KEY", "")
if not SECRET_KEY:
    # The embedded default: a per-install key kept beside the SQLite file, so
    # sessions survive restarts without anyone having to invent a secret.
    _key_file = DATA_DIR / "secret_key"
    if _key_file.exists():
        SECRET_KEY = _key_file.read_text().strip()
    else:
        from django.core.management.utils import get_random_secret_key

        SECRET_KEY = get_random_secret_key()
        try:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            _key_file.write_text(SECRET_KEY)
            _key_file.chmod(0o600)
        except OSError:  # read-only location: fall back to a per-process key
            pass

ALLOWED_HOSTS = [h for h in os.environ.get("GOLDENTHREAD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("GOLDENTHREAD_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "auditlog",
    "csp",
    "axes",
    # The old app that held every model keeps its migration history; the apps own the models now.
    "goldenthread.store",
    "goldenthread.core",
    "goldenthread.reviews",
    "goldenthread.workshops",
    "goldenthread.planning",
    "goldenthread.programme",
    "goldenthread.batch",
    "goldenthread.outcomes",
    "goldenthread.market",
    "goldenthread.tenders",
    "goldenthread.reporting",
    "goldenthread.providers",
    "goldenthread.web",
    "ninja", "goldenthread.api",  # the REST API (/api/v1/); ninja serves the docs page's assets locally
    "django.forms",  # Django's own widget templates, after goldenthread.web's GOV.UK Frontend versions of them
]
# Form widgets render through the project's templates, so goldenthread/web/templates/django/forms/widgets/
# gives every input, textarea and select its GOV.UK Frontend class.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "goldenthread.web.security.NulMiddleware",  # a NUL in the address is a 400 before anything looks it up
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "goldenthread.web.security.IdleTimeoutMiddleware",
    "goldenthread.web.security.NoStoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "goldenthread.providers.middleware.PersonAccountMiddleware",  # person/family accounts: own fund only
    "goldenthread.web.security.NoRoleMiddleware",  # any other account without a role: no access at all
]

ROOT_URLCONF = "goldenthread.web.urls"
ASGI_APPLICATION = "goldenthread.web.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "goldenthread.web.context.roles",
            ],
        },
    },
]

# Connections are kept open and reused (checked before each reuse), one per server thread: opening a new
# PostgreSQL connection for every websocket message cost more than the message itself (docs/deploy.md).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'goldenthread.sqlite3'}"),
        conn_max_age=int(os.environ.get("GOLDENTHREAD_DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
# WAL lets the live workshops read while an import writes; writers wait up to 20 s instead of failing.
SQLITE_OPTIONS = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20, "transaction_mode": "IMMEDIATE"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channels: in-memory layer for one process (the embedded default); Redis when
# REDIS_URL is set, for several processes or machines.
if os.environ.get("REDIS_URL"):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # channels_redis counts its capacity per server process, not per screen: one busy room's "changed"
            # messages for the 50 screens on the other process filled the default 100, and the rest were dropped.
            "CONFIG": {"hosts": [os.environ["REDIS_URL"]], "capacity": 5000, "expiry": 30},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while a username + address is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lock-out (django-axes): 5 wrong passwords for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("GOLDENTHREAD_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("GOLDENTHREAD_LOCKOUT_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("GOLDENTHREAD_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Signed-in sessions end after this long without a request (goldenthread.web.security.IdleTimeoutMiddleware).
GOLDENTHREAD_SESSION_IDLE_SECONDS = int(os.environ.get("GOLDENTHREAD_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = int(os.environ.get("GOLDENTHREAD_SESSION_MAX_SECONDS", str(12 * 60 * 60)))

# HTTPS deployment (all off by default so the embedded demo works on http://127.0.0.1).
SECURE_HSTS_SECONDS = int(os.environ.get("GOLDENTHREAD_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("GOLDENTHREAD_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("GOLDENTHREAD_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = _env_bool("GOLDENTHREAD_SSL_REDIRECT", False)
if _env_bool("GOLDENTHREAD_BEHIND_HTTPS_PROXY", False):  # only when the proxy always sets X-Forwarded-Proto
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only this site's own scripts, styles and connections; no inline
# script or style, no framing. 'self' covers the workshop websocket (ws:/wss: on the same host).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here when GOLDENTHREAD_STATIC_ROOT is set; otherwise WhiteNoise serves from the app folders.
STATIC_ROOT = os.environ.get("GOLDENTHREAD_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Largest review file accepted by the web upload form (the command line has no limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
GOLDENTHREAD_MAX_UPLOAD_BYTES = int(os.environ.get("GOLDENTHREAD_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Largest body of any other request; bigger ones get a 413 before they are read (goldenthread.web.limits).
GOLDENTHREAD_MAX_REQUEST_BYTES = int(os.environ.get("GOLDENTHREAD_MAX_REQUEST_BYTES", str(2 * 1024 * 1024)))
# Review spreadsheets: most rows, and most seconds spent reading one (goldenthread.reviews.importing passes
# them to goldenthread.privacy.spreadsheets).
GOLDENTHREAD_IMPORT_MAX_ROWS = int(os.environ.get("GOLDENTHREAD_IMPORT_MAX_ROWS", "50000"))
GOLDENTHREAD_IMPORT_MAX_SECONDS = int(os.environ.get("GOLDENTHREAD_IMPORT_MAX_SECONDS", "60"))
# Most cards in one printable PDF for roles that do not run workshops (a big PDF takes the server a while).
GOLDENTHREAD_MAX_PDF_CARDS = int(os.environ.get("GOLDENTHREAD_MAX_PDF_CARDS", "2000"))
# Workshop codes: wrong codes allowed per address in the window before "try again later" (goldenthread.workshops.ratelimit).
GOLDENTHREAD_CODE_GUESSES = int(os.environ.get("GOLDENTHREAD_CODE_GUESSES", "20"))
GOLDENTHREAD_CODE_GUESS_WINDOW_SECONDS = int(os.environ.get("GOLDENTHREAD_CODE_GUESS_WINDOW_SECONDS", "600"))
# Reports shared beyond the workshop team hide counts of fewer than this many people.
GOLDENTHREAD_SUPPRESS_BELOW = int(os.environ.get("GOLDENTHREAD_SUPPRESS_BELOW", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GOLDENTHREAD_LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "INFO"}},  # every failed sign-in and lock-out is logged
}
GOLDENTHREAD_RETENTION_MONTHS = int(os.environ.get("GOLDENTHREAD_RETENTION_MONTHS", "84"))  # reviews kept this long; see docs/data-protection.md

# --- Running it for real: proxies, sign-in throttle, logs, health probes (docs/deploy.md) ---------------------------
# Kept in one block, after the rest, so it reads (and merges) on its own.
from goldenthread.core.clientip import parse_trusted  # noqa: E402

# Addresses (or CIDR networks) of the reverse proxies in front of the app. Empty: no proxy header is believed and the
# socket address is the client. Set: X-Forwarded-For is read from these proxies only (goldenthread.core.clientip),
# for the sign-in lock-out and the workshop-code limit, and `goldenthread serve` turns on Daphne's proxy headers.
GOLDENTHREAD_TRUSTED_PROXIES = parse_trusted(os.environ.get("GOLDENTHREAD_TRUSTED_PROXIES", ""))
AXES_CLIENT_IP_CALLABLE = "goldenthread.core.clientip.client_ip"
# Besides 5 per username and address: 30 wrong passwords for one username from all addresses together (each address
# counting at most 5) lock it everywhere for the cool-off (goldenthread.core.signin says why not axes' own rule).
GOLDENTHREAD_LOGIN_FAILURES_PER_USERNAME = int(os.environ.get("GOLDENTHREAD_LOGIN_FAILURES_PER_USERNAME", "30"))
AXES_HANDLER = "goldenthread.core.signin.LockoutHandler"
AXES_USERNAME_CALLABLE = "goldenthread.core.signin.username_for_lockout"
# The probes answer on http:// even when every other address is sent to https:// (the proxy and the container
# runtime ask the app directly).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# GOLDENTHREAD_LOG_FORMAT=json: one JSON object per line (time, level, logger, message, path without the query),
# and no user names or addresses in clear (goldenthread.web.logs, goldenthread.core.logmask).
GOLDENTHREAD_LOG_FORMAT = os.environ.get("GOLDENTHREAD_LOG_FORMAT", "text").strip().lower() or "text"
if GOLDENTHREAD_LOG_FORMAT == "json":
    from goldenthread.web.logs import json_logging  # noqa: E402

    LOGGING = json_logging(os.environ.get("GOLDENTHREAD_LOG_LEVEL", "WARNING"))
    MIDDLEWARE = ["goldenthread.web.logs.RequestPathMiddleware", *MIDDLEWARE]
    AXES_VERBOSE = False
    AXES_CLIENT_STR_CALLABLE = "goldenthread.core.logmask.axes_client_str"

# --- Council sign-in (OpenID Connect) ---
# goldenthread.accounts: the council's identity provider (usually Microsoft Entra ID) through
# mozilla-django-oidc, local passwords (on unless turned off) and their reset by e-mail. Off unless a client ID
# and the issuer (or the endpoints) are set. MFA is the identity provider's job. See docs/sign-in.md; every
# variable is in docs/configuration.md.
INSTALLED_APPS += ["goldenthread.accounts", "mozilla_django_oidc"]
GOLDENTHREAD_PASSWORD_SIGN_IN = _env_bool("GOLDENTHREAD_PASSWORD_SIGN_IN", True)
GOLDENTHREAD_OIDC_ISSUER = os.environ.get("GOLDENTHREAD_OIDC_ISSUER", "")  # its discovery document gives the endpoints
OIDC_RP_CLIENT_ID = os.environ.get("GOLDENTHREAD_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("GOLDENTHREAD_OIDC_CLIENT_SECRET", "")
# Endpoints given here win over the discovery document's.
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("GOLDENTHREAD_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("GOLDENTHREAD_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("GOLDENTHREAD_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("GOLDENTHREAD_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("GOLDENTHREAD_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("GOLDENTHREAD_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10  # seconds for each call to the provider
GOLDENTHREAD_OIDC_GROUPS_CLAIM = os.environ.get("GOLDENTHREAD_OIDC_GROUPS_CLAIM", "groups")
# "provider group=Role;provider group=Role", roles as in goldenthread/core/roles.py; checked at start-up.
GOLDENTHREAD_OIDC_ROLE_MAP = os.environ.get("GOLDENTHREAD_OIDC_ROLE_MAP", "")
# django-axes before everything (locked-out passwords), then the switch that refuses every password when
# local passwords are off, then the council account (only the provider's return), then passwords.
AUTHENTICATION_BACKENDS = (
    [b for b in AUTHENTICATION_BACKENDS if b.startswith("axes.")]
    + ["goldenthread.accounts.backends.PasswordSignInSwitch", "goldenthread.accounts.backends.CouncilSignInBackend"]
    + [b for b in AUTHENTICATION_BACKENDS if not b.startswith("axes.")]
)
AXES_WHITELIST_CALLABLE = "goldenthread.accounts.backends.not_a_password"  # the provider's return is no guess
# Password reset by e-mail: reset e-mails an hour for one address, and from one client address.
GOLDENTHREAD_PASSWORD_RESETS = int(os.environ.get("GOLDENTHREAD_PASSWORD_RESETS", "5"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("GOLDENTHREAD_PASSWORD_RESET_SECONDS", str(60 * 60)))
# Inviting the person or a family member to their own account (providers): days the e-mailed link works.
GOLDENTHREAD_INVITATION_DAYS = int(os.environ.get("GOLDENTHREAD_INVITATION_DAYS", "7"))
# Comments on the actions from people with a comment code: how many one code takes in an hour, from everyone.
GOLDENTHREAD_COMMENTS_PER_HOUR = int(os.environ.get("GOLDENTHREAD_COMMENTS_PER_HOUR", "30"))
# E-mail: printed to the console unless an SMTP server is named.
EMAIL_HOST = os.environ.get("GOLDENTHREAD_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("GOLDENTHREAD_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("GOLDENTHREAD_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("GOLDENTHREAD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GOLDENTHREAD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("GOLDENTHREAD_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("GOLDENTHREAD_EMAIL_FROM", "Golden Thread <goldenthread@localhost>")
# --- end of council sign-in ---
