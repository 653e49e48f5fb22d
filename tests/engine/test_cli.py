"""The ``goldenthread themes`` command-line contract and bad-input errors."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from goldenthread.cli.themes import themes
from goldenthread.engine import InputError, theme_table
from tests.engine.conftest import GARDEN, LONELY, MONEY, STATEMENTS


def _write(path: Path, rows, header=("id", "text", "note")):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def _run(*args):
    return CliRunner().invoke(themes, [str(a) for a in args])


def test_keeps_every_column_and_row_in_order(tmp_path):
    rows = [(f"r{i}", t, f"note {i}") for i, t in enumerate(STATEMENTS)]
    src = _write(tmp_path / "in.csv", rows)
    out = tmp_path / "out.csv"
    res = _run(src, "--output", out, "--model", "hashing", "--kind", "not_working")
    assert res.exit_code == 0, res.output
    got = list(csv.reader(open(out, encoding="utf-8")))
    assert got[0] == ["id", "text", "note", "theme_id", "theme_name"]
    assert [tuple(r[:3]) for r in got[1:]] == rows
    ids = [int(r[3]) for r in got[1:]]
    assert min(ids) >= 1 and all(r[4] for r in got[1:])
    lonely_ids = {ids[STATEMENTS.index(t)] for t in LONELY}
    assert len(lonely_ids) == 1
    # named as one first-person sentence (which one depends on the embedder: see test_naming)
    assert len({got[1 + STATEMENTS.index(t)][4] for t in LONELY}) == 1
    assert got[1 + STATEMENTS.index(LONELY[0])][4].startswith(("I ", "I'm ", "My "))


def test_other_text_column_kind_column_and_details(tmp_path):
    rows = [(t, "future" if t in GARDEN else "not_working", "x") for t in STATEMENTS]
    src = _write(tmp_path / "in.csv", rows, header=("statement", "kind", "theme_name"))
    out = tmp_path / "out.csv"
    res = _run(src, "-o", out, "--text-column", "statement", "--kind-column", "kind",
               "--model", "hashing", "--name-details")
    assert res.exit_code == 0, res.output
    got = list(csv.DictReader(open(out, encoding="utf-8")))
    # an existing theme_name column is replaced in place, not duplicated
    assert list(got[0].keys()) == ["statement", "kind", "theme_name", "theme_id",
                                   "theme_name_method", "theme_name_alternatives"]
    garden = {r["theme_id"] for r in got if r["statement"] in GARDEN}
    other = {r["theme_id"] for r in got if r["statement"] not in GARDEN}
    assert not garden & other


def test_locked_column_and_previous_cycle(tmp_path):
    rows = [(t, "Bills" if t == MONEY[0] else "") for t in STATEMENTS]
    src = _write(tmp_path / "in.csv", rows, header=("text", "locked"))
    prev = _write(tmp_path / "prev.csv", [(t, "I am lonely") for t in LONELY[:3]],
                  header=("text", "theme_name"))
    out = tmp_path / "out.csv"
    res = _run(src, "-o", out, "--locked-column", "locked", "--previous", prev,
               "--model", "hashing")
    assert res.exit_code == 0, res.output
    got = list(csv.DictReader(open(out, encoding="utf-8")))
    by_text = {r["text"]: r for r in got}
    assert by_text[MONEY[0]]["theme_name"] == "Bills"
    assert by_text[LONELY[4]]["theme_name"] == "I am lonely"


@pytest.mark.parametrize("content,expect", [
    (b"", "is empty"),
    (b"   \n\n", "is empty"),
    (b"id,text\n", "no statements"),
])
def test_empty_files(tmp_path, content, expect):
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    out = tmp_path / "out.csv"
    res = _run(src, "-o", out, "--model", "hashing")
    assert res.exit_code != 0
    assert expect in res.output
    assert not out.exists()


def test_missing_text_column_lists_columns(tmp_path):
    src = _write(tmp_path / "in.csv", [("1", "I am lonely", "")], header=("id", "comment", "x"))
    out = tmp_path / "out.csv"
    res = _run(src, "-o", out, "--model", "hashing")
    assert res.exit_code != 0
    assert "no column 'text'" in res.output and "'id', 'comment', 'x'" in res.output
    assert not out.exists()


def test_empty_texts_name_their_rows(tmp_path):
    rows = [("1", "I am lonely", ""), ("2", "  ", ""), ("3", "I like tea", ""), ("4", "", "")]
    src = _write(tmp_path / "in.csv", rows)
    out = tmp_path / "out.csv"
    res = _run(src, "-o", out, "--model", "hashing")
    assert res.exit_code != 0
    assert "rows 2, 4" in res.output and "empty 'text'" in res.output
    assert not out.exists()


def test_non_utf8_file_says_where_and_what_to_do(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes("id,text\n1,I like tea\n2,Caf".encode() + b"\xe9 trips\n")
    out = tmp_path / "out.csv"
    res = _run(src, "-o", out, "--model", "hashing")
    assert res.exit_code != 0
    assert "not UTF-8" in res.output and "0xE9" in res.output and "line 3" in res.output
    assert "Save the file as UTF-8" in res.output
    assert not out.exists()


def test_utf8_with_bom_and_quoted_newlines(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes('\ufeffid,text\n1,"I like tea,\nand cake"\n2,Café trips\n'.encode("utf-8"))
    out = tmp_path / "out.csv"
    res = _run(src, "-o", out, "--model", "hashing")
    assert res.exit_code == 0, res.output
    got = list(csv.DictReader(open(out, encoding="utf-8")))
    assert [r["text"] for r in got] == ["I like tea,\nand cake", "Café trips"]


def test_missing_file(tmp_path):
    res = _run(tmp_path / "nope.csv", "-o", tmp_path / "o.csv", "--model", "hashing")
    assert res.exit_code != 0 and "no such file" in res.output


def test_library_call_on_rows_and_dataframe():
    rows = [{"id": i, "text": t} for i, t in enumerate(STATEMENTS)]
    out = theme_table(rows, model="hashing", kind="not_working")
    assert [r["id"] for r in out] == list(range(len(STATEMENTS)))
    assert all(r["theme_id"] >= 1 and r["theme_name"] for r in out)
    with pytest.raises(InputError, match="columns found: 'id', 'text'"):
        theme_table(rows, text_column="statement", model="hashing")
    with pytest.raises(InputError, match="rows 2"):
        theme_table([{"text": "a b"}, {"text": ""}], model="hashing")
    with pytest.raises(InputError, match="no rows"):
        theme_table([], model="hashing")
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(rows)
    got = theme_table(df, model="hashing")
    assert list(got.columns) == ["id", "text", "theme_id", "theme_name"]
    assert list(got["id"]) == list(range(len(STATEMENTS)))


def test_command_imports_fast_without_django_or_models():
    code = ("import sys, time; t=time.perf_counter(); import goldenthread.cli.main; "
            "import goldenthread.engine; "
            "bad=[m for m in ('django','torch','sentence_transformers','model2vec','dask','sklearn') "
            "if m in sys.modules]; print(bad, round(time.perf_counter()-t, 2))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    bad, secs = out.stdout.rsplit(" ", 1)
    assert bad == "[]", out.stdout
    assert float(secs) < 1.5


def test_help_via_console_entry():
    out = subprocess.run([sys.executable, "-m", "goldenthread.cli.main", "themes", "--help"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "--text-column" in out.stdout


def test_train_places_statements_into_known_themes_and_keeps_every_row(tmp_path):
    last = _write(tmp_path / "last.csv",
                  [(t, "I feel lonely") for t in LONELY[:4]] + [(t, "I love my garden") for t in GARDEN[:4]],
                  header=("statement", "topic"))
    new = [LONELY[4], LONELY[5], GARDEN[4], MONEY[0], MONEY[1], MONEY[2], MONEY[3]]
    src = _write(tmp_path / "in.csv", [(f"r{i}", t, "") for i, t in enumerate(new)])
    out = tmp_path / "out.csv"
    res = _run(src, "-o", out, "--model", "hashing", "--kind", "not_working", "--train", last,
               "--train-text-column", "statement", "--train-theme-column", "topic")
    assert res.exit_code == 0, res.output
    got = list(csv.reader(open(out, encoding="utf-8")))
    assert [r[1] for r in got[1:]] == new                     # every row, in order
    name = {r[1]: r[4] for r in got[1:]}
    assert name[LONELY[4]] == name[LONELY[5]] == "I feel lonely"
    assert name[GARDEN[4]] == "I love my garden"
    assert all(name[m] not in ("I feel lonely", "I love my garden") for m in MONEY[:4])
    assert len({r[3] for r in got[1:] if r[1] in MONEY[:4]}) == 1   # the rest clustered
    assert "placed in known themes" in res.output


def test_train_with_a_missing_column_names_it(tmp_path):
    last = _write(tmp_path / "last.csv", [(t, "x") for t in LONELY], header=("text", "label"))
    src = _write(tmp_path / "in.csv", [(f"r{i}", t, "") for i, t in enumerate(STATEMENTS)])
    res = _run(src, "-o", tmp_path / "o.csv", "--model", "hashing", "--train", last)
    assert res.exit_code != 0 and "'theme'" in res.output and "--train-theme-column" in res.output
    assert not (tmp_path / "o.csv").exists()


def test_theme_table_reuses_known_themes_from_a_training_table():
    train = ([{"text": t, "theme": "I feel lonely"} for t in LONELY[:4]]
             + [{"text": t, "theme": "I love my garden"} for t in GARDEN[:4]])
    rows = [{"text": t} for t in [LONELY[4], LONELY[5]] + MONEY]
    out = theme_table(rows, model="hashing", kind="not_working", train=train)
    assert [r["text"] for r in out] == [r["text"] for r in rows]
    assert [r["theme_name"] for r in out[:2]] == ["I feel lonely"] * 2
    assert all(r["theme_name"] not in ("I feel lonely", "I love my garden") for r in out[2:])
