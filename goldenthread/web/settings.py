"""Django settings for Golden Thread.

Everything that differs between machines comes from environment variables, so
the same code runs the embedded demo (SQLite in ``./var``) and a council's
PostgreSQL install. See the README's *Configuration* section.
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GOLDENTHREAD_DATA_DIR", Path.cwd() / "var")).resolve()


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
    # The old app that held every model keeps its migration history; the apps own the models now.
    "goldenthread.store",
    "goldenthread.core",
    "goldenthread.reviews",
    "goldenthread.workshops",
    "goldenthread.planning",
    "goldenthread.reporting",
    "goldenthread.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'goldenthread.sqlite3'}"),
        conn_max_age=int(os.environ.get("GOLDENTHREAD_DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channels: in-memory layer for one process (the embedded default); Redis when
# REDIS_URL is set, for several processes or machines.
if os.environ.get("REDIS_URL"):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [os.environ["REDIS_URL"]]},
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("GOLDENTHREAD_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

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
# Reports shared beyond the workshop team hide counts of fewer than this many people.
GOLDENTHREAD_SUPPRESS_BELOW = int(os.environ.get("GOLDENTHREAD_SUPPRESS_BELOW", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GOLDENTHREAD_LOG_LEVEL", "WARNING")},
}
GOLDENTHREAD_RETENTION_MONTHS = int(os.environ.get("GOLDENTHREAD_RETENTION_MONTHS", "84"))  # reviews kept this long; see docs/data-protection.md
