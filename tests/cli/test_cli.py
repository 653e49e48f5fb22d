"""The goldenthread command: import, templates, cycles, demo."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from goldenthread.cli.main import cli
from goldenthread.reviews.models import ProgrammeCycle, Review, Statement


@pytest.fixture
def runner():
    return CliRunner()


def test_import_reviews_bad_file_exits_non_zero_naming_every_problem(runner, cycle, tmp_path):
    from django.apps import apps
    from django.core import serializers

    def snapshot():
        return serializers.serialize("json", [o for c in apps.get_app_configs() if c.name.startswith("goldenthread.")
                                              for m in c.get_models() for o in m.objects.order_by("pk")])

    path = tmp_path / "reviews.csv"
    path.write_text(
        "review_id,person_id,review_date,area,user_group,consent,kind,text\n"
        "R1,P1,2026-01-04,A,G,yes,working,Good\n"
        "R2,P2,2026-01-04,A,G,yes,wrking,Bad kind\n"
        "R3,P3,yesterday,A,G,yes,future,Bad date\n", encoding="utf-8")
    before = snapshot()
    result = runner.invoke(cli, ["import", "reviews", str(path), "--cycle", cycle.slug])
    assert result.exit_code == 1
    assert "reviews.csv was not imported. Nothing was saved. 2 problems:" in result.output
    assert 'Row 3, column kind: "wrking" is not a kind of statement' in result.output
    assert 'Row 4, column review_date: "yesterday" is not a date' in result.output
    assert snapshot() == before


def test_import_reviews_good_file_then_again(runner, cycle, tmp_path, review_csv):
    path = tmp_path / "reviews.csv"
    path.write_bytes(review_csv)
    first = runner.invoke(cli, ["import", "reviews", str(path), "--cycle", cycle.slug])
    assert first.exit_code == 0, first.output
    assert "Imported 2 reviews with 4 statements." in first.output
    again = runner.invoke(cli, ["import", "reviews", str(path), "--cycle", cycle.slug])
    assert again.exit_code == 0 and "Nothing new to import" in again.output
    assert Review.objects.count() == 2 and Statement.objects.count() == 4


def test_import_into_an_unknown_cycle(runner, cycle, tmp_path, review_csv):
    path = tmp_path / "reviews.csv"
    path.write_bytes(review_csv)
    result = runner.invoke(cli, ["import", "reviews", str(path), "--cycle", "nope"])
    assert result.exit_code == 1
    assert 'there is no cycle "nope". Cycles: test-2026.' in result.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_import_template_then_import_it(runner, cycle, tmp_path, fmt):
    path = tmp_path / f"template.{fmt}"
    assert runner.invoke(cli, ["import", "template", "--format", fmt, "--output", str(path)]).exit_code == 0
    result = runner.invoke(cli, ["import", "reviews", str(path), "--cycle", cycle.slug])
    assert result.exit_code == 0 and "Imported 1 reviews with 6 statements." in result.output


def test_cycle_create_and_list(runner, cycle):
    result = runner.invoke(cli, ["cycle", "create", "--name", "Next", "--slug", "next-2027", "--year", "2027",
                                 "--previous", cycle.slug])
    assert result.exit_code == 0, result.output
    assert ProgrammeCycle.objects.get(slug="next-2027").previous == cycle
    bad = runner.invoke(cli, ["cycle", "create", "--name", "X", "--slug", "Has Spaces", "--year", "2027"])
    assert bad.exit_code == 2 and 'like "has-spaces"' in bad.output
    listing = runner.invoke(cli, ["cycle", "list"]).output
    assert "next-2027\t2027\tNext\t0 reviews" in listing


def test_demo_loads_two_cycles_of_invented_reviews_and_prints_log_ins(runner, db):
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    for username in ("admin", "facilitator", "commissioner", "provider", "reviewer", "viewer"):
        assert f"  {username}" in result.output
    assert "password for all: golden-thread-demo" in result.output
    reviews = Review.objects.all()
    assert reviews.count() >= 60
    assert reviews.values("area").distinct().count() == 3
    assert reviews.values("user_group").distinct().count() == 2
    assert ProgrammeCycle.objects.get(slug="ashdown-2026").previous.slug == "ashdown-2025"
    counts = (Review.objects.count(), Statement.objects.count())
    again = runner.invoke(cli, ["demo"])
    assert again.exit_code == 0 and "Nothing new to import" in again.output
    assert (Review.objects.count(), Statement.objects.count()) == counts


def _shared_seeds():
    """The method's guides: $GOLDENTHREAD_SHARED/seeds, else a ``shared/seeds`` folder beside the checkout or above it.

    In CI and on the team's machines ``shared/`` sits beside the clone. On a clone without it this check cannot
    run, so it skips and says why; with ``GOLDENTHREAD_REQUIRE_SEEDS=1`` (set by ``.ci/run``) it fails instead.
    """
    import os
    from pathlib import Path

    here = Path(__file__).resolve()
    candidates = [Path(os.environ["GOLDENTHREAD_SHARED"]) / "seeds"] if os.environ.get("GOLDENTHREAD_SHARED") else []
    candidates += [parent / "shared" / "seeds" for parent in here.parents]
    for seeds in candidates:
        if seeds.is_dir() and any(seeds.glob("*.txt")):
            return seeds
    why = ("The method's guides (shared/seeds/*.txt) were not found, so the demo's wording cannot be checked against "
           "them. Put the shared folder beside this checkout, or set GOLDENTHREAD_SHARED to its path. Looked in: "
           + ", ".join(map(str, candidates)))
    if os.environ.get("GOLDENTHREAD_REQUIRE_SEEDS") == "1":
        pytest.fail(why + " (GOLDENTHREAD_REQUIRE_SEEDS=1: they must be there)")
    pytest.skip(why)


def test_demo_statements_are_our_own_words_not_the_guides(db):
    import goldenthread.demo as demo

    seeds = _shared_seeds()
    guide = " ".join(" ".join(p.read_text(errors="ignore").split()) for p in seeds.glob("*.txt")).lower()
    texts = [s["text"] for f in demo.DATA_DIR.glob("cycle_*.json")
             for r in json.loads(f.read_text())["reviews"] for s in r["statements"]]
    copied = [t for t in texts if len(t) > 25 and " ".join(t.split()).lower() in guide]
    assert not copied


def test_lists_add_puts_names_on_the_councils_lists_all_or_nothing(tmp_path, put_migrated_sqlite):
    import os
    import subprocess
    import sys

    env = dict(os.environ, GOLDENTHREAD_DATA_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    put_migrated_sqlite(tmp_path / "goldenthread.sqlite3")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "goldenthread.cli.main", "lists", *args], env=env,
                              capture_output=True, text=True)

    assert run("add", "areas", "Harford", "Kelsey Vale").returncode == 0
    refused = run("add", "areas", "Northbrook", "harford")          # already there, in another case
    assert refused.returncode != 0 and "already one of the areas" in refused.stderr + refused.stdout
    shown = run("show", "areas").stdout
    assert "Harford" in shown and "Kelsey Vale" in shown and "Northbrook" not in shown   # nothing half-added
