"""Integration tests with the real offline models (marked slow)."""
from __future__ import annotations

import os

import pytest

from goldenthread.engine import CardCallAssistant, FastEmbedder, ThemeEngine
from tests.engine.conftest import GARDEN, LONELY, MONEY, STATEMENTS


@pytest.mark.slow
def test_fast_model_end_to_end(fast_model_dir):
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    emb = FastEmbedder(fast_model_dir)
    v = emb.encode(["I see nobody all day"])
    assert v.shape == (1, 256)
    res = ThemeEngine(model=emb).fit(STATEMENTS, kinds="not_working")
    ids = dict(zip(STATEMENTS, res.theme_ids))
    for group in (LONELY, GARDEN, MONEY):
        assert len({ids[t] for t in group}) <= 2, group
    lonely = max({ids[t] for t in LONELY}, key=[ids[t] for t in LONELY].count)
    assert next(t for t in res.themes if t.id == lonely).name == "I am lonely"
    cc = CardCallAssistant(model=emb)
    cc.load({"lonely": LONELY[:4], "garden": GARDEN[:4], "money": MONEY[:4]})
    assert cc.suggest(GARDEN[4]).best == "garden"


@pytest.mark.slow
def test_minilm_model_end_to_end():
    res = ThemeEngine(model="minilm").fit(STATEMENTS, kinds="not_working")
    ids = dict(zip(STATEMENTS, res.theme_ids))
    assert len({ids[t] for t in MONEY}) <= 2
    assert len(set(res.theme_ids)) < len(STATEMENTS)
