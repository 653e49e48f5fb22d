"""Issue 24: GOLDENTHREAD_LOG_FORMAT=json gives one JSON object per line, with no user names or addresses."""
from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.web.logs import json_logging

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log(settings):
    """The JSON logging of the settings block, into a string; the test run's own logging restored after."""
    stream = io.StringIO()
    config = json_logging("INFO")
    config["handlers"]["console"]["stream"] = stream
    settings.AXES_VERBOSE = False
    settings.AXES_CLIENT_STR_CALLABLE = "goldenthread.core.logmask.axes_client_str"
    settings.MIDDLEWARE = ["goldenthread.web.logs.RequestPathMiddleware", *settings.MIDDLEWARE]
    root, axes = logging.getLogger(), logging.getLogger("axes")
    saved = (root.handlers[:], root.level, axes.level)
    logging.config.dictConfig(config)
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    axes.setLevel(saved[2])


def test_a_failed_sign_in_logs_json_lines_with_the_path_and_no_username_or_address(json_log, make_user):
    make_user(roles.VIEWER, "victoria.hughes")
    client = Client(REMOTE_ADDR="203.0.113.77")
    for _ in range(5):
        client.post(reverse("login") + "?next=/people/?q=Hughes", {"username": "victoria.hughes", "password": "wrong"})
    text = json_log.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    failures = [line for line in lines if "login failure" in line["message"]]
    assert failures and any("Locking out" in line["message"] for line in lines)
    for line in lines:
        assert set(line) >= {"time", "level", "logger", "message", "path"}
    assert {line["path"] for line in failures} == {"/accounts/login/"}  # no query string
    assert "victoria" not in text.lower() and "hughes" not in text.lower() and "203.0.113.77" not in text


def test_the_json_log_format_switches_logging_axes_and_daphnes_access_log(tmp_path):
    env = {**os.environ, "GOLDENTHREAD_LOG_FORMAT": "json", "GOLDENTHREAD_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "goldenthread.web.settings", "PYTHONPATH": str(ROOT)}
    code = ("from django.conf import settings as s; import django; django.setup(); "
            "from goldenthread.cli.server import daphne_command; "
            "print(s.LOGGING['formatters']['json']['()'], s.AXES_VERBOSE, s.AXES_CLIENT_STR_CALLABLE, "
            "s.MIDDLEWARE[0], '--verbosity' in daphne_command('127.0.0.1', 8000))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-5:] == ["goldenthread.web.logs.formatter", "False",
                                       "goldenthread.core.logmask.axes_client_str",
                                       "goldenthread.web.logs.RequestPathMiddleware", "True"]
