"""The import contracts in pyproject.toml hold today, and they catch a forbidden import when one is added.

`make test` runs ``lint-imports`` on the real tree; here the checker runs on a
copy of the package's Python files with one bad import added, to show the
contract is not a rubber stamp.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(tree / "pyproject.toml"), "--no-cache"], cwd=tree,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def tree(tmp_path):
    """A copy of the package's .py files and the contracts, to break on purpose."""
    shutil.copytree(ROOT / "goldenthread", tmp_path / "goldenthread",
                    ignore=lambda folder, names: [n for n in names if not n.endswith(".py")
                                                  and not (Path(folder) / n).is_dir() or n == "__pycache__"])
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize("module, line, contract", [
    # The engine is a plain library: it may not reach up into the apps.
    ("goldenthread/engine/_bad.py", "import goldenthread.workshops.models\n", "Apps are layered"),
    # The engine may not use Django at all.
    ("goldenthread/privacy/_bad.py", "import django.db\n", "plain libraries"),
])
def test_a_forbidden_import_breaks_the_contract(tree, module, line, contract):
    (tree / module).write_text(line)
    result = lint(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [row for row in result.stdout.splitlines() if "BROKEN" in row or contract in row]
    assert any(contract in row for row in broken), result.stdout


def test_a_view_imported_by_a_model_breaks_the_domain_contract(tree):
    models = tree / "goldenthread/workshops/models.py"
    models.write_text(models.read_text() + "\nfrom goldenthread.workshops import views  # noqa\n")
    result = lint(tree)
    assert result.returncode == 1 and "never imports views" in result.stdout, result.stdout
