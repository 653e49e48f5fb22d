"""``goldenthread batch --cycle``: theme a cycle from the database, and resume it."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from goldenthread.batch.bigdb import make_big_db
from goldenthread.batch.models import BatchRun, ProposedMembership
from goldenthread.cli.main import cli
from goldenthread.reviews.models import Statement


def test_the_batch_command_themes_a_cycle_into_a_proposal_and_a_parquet_file(db, tmp_path, monkeypatch):
    monkeypatch.setenv("GOLDENTHREAD_BATCH_DIR", str(tmp_path / "runs"))
    make_big_db(900, 1, workshop=False)
    out = tmp_path / "themes.parquet"
    result = CliRunner().invoke(cli, ["batch", "--cycle", "big-001", "--per", "user_group", "--model", "hashing",
                                      "--partition-size", "200", "--output", str(out)])
    assert result.exit_code == 0, result.output
    run = BatchRun.objects.get()
    assert run.status == BatchRun.Status.DONE and run.per == "user_group"
    assert f"confirm them at /batch/{run.pk}/" in result.output
    n = Statement.objects.for_cards().count()
    assert ProposedMembership.objects.filter(run=run).count() == n == pq.read_metadata(out).num_rows
    # nothing left to resume; a cycle that does not exist is named
    again = CliRunner().invoke(cli, ["batch", "--cycle", "big-001", "--resume"])
    assert again.exit_code == 1 and "no unfinished batch run for big-001" in again.output
    bad = CliRunner().invoke(cli, ["batch", "--cycle", "nope"])
    assert bad.exit_code == 1 and 'there is no cycle "nope"' in bad.output


def test_input_and_cycle_cannot_be_mixed(db, tmp_path):
    result = CliRunner().invoke(cli, ["batch", "--cycle", "x", "--input", str(tmp_path / "a.csv")])
    assert result.exit_code == 2 and "either --input or --cycle" in result.output
    result = CliRunner().invoke(cli, ["batch", "--input", str(tmp_path / "a.csv")])
    assert result.exit_code == 2 and "--output and --work-dir" in result.output
