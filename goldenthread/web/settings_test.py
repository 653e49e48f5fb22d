"""Settings for the test suite: the production settings, less what a test run should not pay for.

``pytest`` uses these (``DJANGO_SETTINGS_MODULE`` in ``pyproject.toml``), and so do the command-line
and server processes the tests start, because they inherit the variable. Nothing here changes what the
app does, only how much it costs to check it:

* passwords are hashed with MD5 instead of PBKDF2's million rounds (a sign-in costs ~0.3 ms, not ~0.26 s);
  a test that needs the real hasher sets ``settings.PASSWORD_HASHERS`` itself;
* the data folder (secret key, SQLite file, batch work folders) is a temporary folder of this run, never
  the developer's ``./var`` — unless ``GOLDENTHREAD_DATA_DIR`` is already set, as the tests that start
  their own processes do.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "GOLDENTHREAD_DATA_DIR" not in os.environ:
    _data = tempfile.mkdtemp(prefix="goldenthread-test-")
    os.environ["GOLDENTHREAD_DATA_DIR"] = _data
    _pid = os.getpid()
    atexit.register(lambda: os.getpid() == _pid and shutil.rmtree(_data, ignore_errors=True))

from goldenthread.web.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
