"""Issue 24: the runbook exists, README points to it, and every environment variable the code reads is documented."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_the_code_reads_is_in_the_configuration_list():
    read = set()
    for path in (ROOT / "goldenthread").rglob("*.py"):
        read |= set(re.findall(r'environ(?:\.get\(|\[)"((?:GOLDENTHREAD_[A-Z_]+)|REDIS_URL|DATABASE_URL)"',
                               path.read_text()))
    documented = (ROOT / "docs" / "configuration.md").read_text()
    assert {"GOLDENTHREAD_TRUSTED_PROXIES", "GOLDENTHREAD_LOG_FORMAT", "GOLDENTHREAD_DASK_SCHEDULER"} <= read
    assert sorted(v for v in read if f"`{v}`" not in documented) == []


def test_the_readme_links_the_deployment_runbook_and_it_covers_what_an_operator_needs():
    assert "(docs/deploy.md)" in (ROOT / "README.md").read_text()
    runbook = (ROOT / "docs" / "deploy.md").read_text()
    for heading in ("## Sizing", "## Backups", "## Restore", "## Upgrades and migrations",
                    "## Security settings to turn on", "## Health endpoints", "## Logs"):
        assert heading in runbook
