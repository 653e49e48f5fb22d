"""Dask partitioned embedding (local scheduler)."""
from __future__ import annotations

import numpy as np

from goldenthread.engine import HashingEmbedder, ThemeEngine, embed_in_partitions
from tests.engine.conftest import STATEMENTS


def test_partitions_keep_order_and_match_direct_embedding():
    direct = HashingEmbedder().encode(STATEMENTS)
    got = embed_in_partitions(STATEMENTS, model="hashing", partition_size=4)
    assert got.shape == direct.shape
    assert np.allclose(got, direct)
    got2 = embed_in_partitions(STATEMENTS, embedder=HashingEmbedder(), partition_size=5)
    assert np.allclose(got2, direct)


def test_engine_uses_dask_above_threshold():
    a = ThemeEngine(model="hashing").fit(STATEMENTS)
    b = ThemeEngine(model="hashing", dask_threshold=5).fit(STATEMENTS)
    assert a.theme_ids == b.theme_ids
