"""Batch themes never cross kinds: last year's themes (the known themes) only take statements of their own kind."""
from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldenthread.engine.batch import run_batch
from goldenthread.engine.embed import HashingEmbedder
from goldenthread.engine.scaling import KnownThemes, known_themes

KINDS = ("working", "not_working", "future")
WORDS = ("lonely", "bus", "staff", "kind", "money", "club", "job", "home", "food", "friends", "sad", "price")
wording = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
known_rows = st.lists(st.tuples(wording, st.integers(0, 5), st.sampled_from(KINDS)), min_size=1, max_size=20)
new_rows = st.lists(st.tuples(wording, st.sampled_from(KINDS + ("important_now",))), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(known=known_rows, rows=new_rows, threshold=st.sampled_from([-1.0, 0.0, 0.3]))
def test_a_statement_is_only_ever_placed_in_a_known_theme_of_its_own_kind(known, rows, threshold):
    # a theme's label carries its kind, as the batch service makes them, so one label has one kind
    texts = [t for t, _, _ in known]
    labels = [f"{k}: theme {n}" for _, n, k in known]
    kinds = [k for _, _, k in known]
    emb = HashingEmbedder()
    placer = known_themes(texts, labels, emb, threshold=threshold, known_kinds=kinds)
    idx, _ = placer.place(emb.encode([t for t, _ in rows]), kinds=[k for _, k in rows])
    for (text, kind), i in zip(rows, idx):
        if i >= 0:
            assert placer.kinds_[i] == kind, (text, kind, placer.themes_[i])
    # with the threshold at its lowest, every statement whose kind has a known theme is placed in one
    if threshold == -1.0:
        for (_, kind), i in zip(rows, idx):
            assert (i >= 0) == (kind in kinds)


def test_the_same_words_said_as_working_never_join_last_years_not_working_theme():
    emb = HashingEmbedder()
    placer = known_themes(["my support worker is kind", "staff are kind to me"], ["not_working: I'm sad"] * 2,
                          emb, threshold=-1.0, known_kinds=["not_working"] * 2)
    idx, _ = placer.place(emb.encode(["my support worker is kind", "staff are kind to me"]),
                          kinds=["working", "not_working"])
    assert list(idx) == [-1, 0]


def test_a_known_theme_with_statements_of_two_kinds_is_refused():
    with pytest.raises(ValueError, match="two kinds"):
        KnownThemes().fit(np.eye(2), ["A", "A"], kinds=["working", "not_working"])


def test_known_themes_with_kinds_need_each_statements_kind_to_place_it():
    placer = KnownThemes(threshold=-1.0).fit(np.eye(3)[:2], ["A", "B"], kinds=["working", "future"])
    with pytest.raises(ValueError, match="kind"):
        placer.place(np.eye(3)[:1])


def test_a_batch_run_puts_last_years_themes_only_on_statements_of_their_kind(tmp_path):
    # last year: "I'm sad" (not working) and "I enjoy my clubs" (working), in words this year's cards share
    known = (["staff are kind", "my worker is kind", "prices went up", "the club costs more"],
             ["not_working: I'm sad", "not_working: I'm sad", "working: I enjoy my clubs", "working: I enjoy my clubs"],
             ["not_working", "not_working", "working", "working"])
    rows = []
    for i in range(240):
        kind = KINDS[i % 3]
        text = ["staff are kind", "my worker is kind", "prices went up", "the club costs more"][i % 4]
        rows.append({"id": str(i + 1), "text": f"{text} {WORDS[i % len(WORDS)]}", "kind": kind})
    run_batch(rows, work_dir=tmp_path / "work", output=tmp_path / "out.parquet", id_column="id",
              kind_column="kind", model="hashing", partition_size=80, sample_size=200, known=known,
              known_threshold=-1.0, n_workers=1)
    df = pq.read_table(tmp_path / "out.parquet").to_pandas()
    placed = df[df.source == "known"]
    assert len(placed) > 0
    label_kind = placed.theme_name.str.partition(": ")[0]
    assert (label_kind == placed.kind).all(), placed[label_kind != placed.kind][["text", "kind", "theme_name"]]
    # the future statements had no theme of their kind last year: none of them is in one
    assert not (placed.kind == "future").any()
    assert (df.groupby("theme_id")["kind"].nunique() == 1).all()


def test_the_batch_commands_training_table_gives_each_known_theme_its_kind(tmp_path):
    import click

    from goldenthread.cli.batch import _read_known

    table = tmp_path / "last.csv"
    table.write_text("text,theme,kind\nstaff are kind,I'm sad,not_working\nthe club is fun,I enjoy my clubs,working\n",
                     encoding="utf-8")
    assert _read_known(table, "text", "kind") == (["staff are kind", "the club is fun"], ["I'm sad", "I enjoy my clubs"],
                                                  ["not_working", "working"])
    table.write_text("text,theme,kind\nstaff are kind,I'm sad,not_working\nstaff are kind,I'm sad,working\n",
                     encoding="utf-8")
    with pytest.raises(click.UsageError, match="two kinds"):
        _read_known(table, "text", "kind")
