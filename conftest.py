"""Run the docstring examples of the plain libraries as tests.

``goldenthread/engine`` and ``goldenthread/privacy`` teach through their
docstrings (scikit-learn style); every ``>>>`` example there is collected
and run by ``pytest`` (they are in ``testpaths``), so a docstring that no
longer matches the code fails the test command. Only these two packages are
collected: they import no Django, and their examples use the hashing
embedder or small arrays, so they run in seconds with no model loaded.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.doctest import DoctestModule

_ROOT = Path(__file__).resolve().parent
_DOCTESTED = tuple(_ROOT / "goldenthread" / p for p in ("engine", "privacy"))


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.suffix != ".py" or parent.config.getoption("doctestmodules", False):
        return None  # with --doctest-modules pytest collects them itself
    if any(file_path.resolve().is_relative_to(d) for d in _DOCTESTED):
        return DoctestModule.from_parent(parent, path=file_path)
    return None
