"""JSON logs (``GOLDENTHREAD_LOG_FORMAT=json``): one JSON object per line, with no personal data.

Each line has ``time``, ``level``, ``logger``, ``message`` and, while a request is being answered,
``path``: the request's path without its query string (a query can hold a search for a name).
:class:`RequestPathMiddleware` keeps the path in a context variable for the request's life;
:class:`RequestPathFilter` puts it on every log record made meanwhile. Failed sign-ins name the user
and address only by pseudonyms (:mod:`goldenthread.core.logmask`).
"""
from __future__ import annotations

import contextvars
import logging

_path: contextvars.ContextVar[str] = contextvars.ContextVar("goldenthread_request_path", default="")

FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(path)s"
RENAME = {"asctime": "time", "levelname": "level", "name": "logger"}


class RequestPathFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "path", None):
            record.path = _path.get()
        return True


class RequestPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _path.set(request.path)  # request.path never holds the query string
        try:
            return self.get_response(request)
        finally:
            _path.reset(token)


#: The only keys a line may have. Extras a library passes along (Django's ``request``, whose text holds the
#: query string; axes' credentials) are left out rather than serialised.
KEEP = ("time", "level", "logger", "message", "path", "exc_info", "stack_info")


def _formatter_class():
    from pythonjsonlogger.json import JsonFormatter

    class Formatter(JsonFormatter):
        def process_log_record(self, log_data):
            return {key: log_data[key] for key in KEEP if key in log_data}

    return Formatter


def formatter(**kwargs):
    """``()`` factory for :func:`json_logging`: python-json-logger's formatter keeping only :data:`KEEP`."""
    return _formatter_class()(**kwargs)


def json_logging(level: str) -> dict:
    """The ``LOGGING`` dictionary for JSON lines on standard error."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"path": {"()": "goldenthread.web.logs.RequestPathFilter"}},
        "formatters": {"json": {"()": "goldenthread.web.logs.formatter", "fmt": FIELDS,
                                "rename_fields": RENAME, "datefmt": "%Y-%m-%dT%H:%M:%S%z"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["path"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"axes": {"level": "INFO"}},
    }
