"""Shared fixtures for the theme engine tests (no Django needed)."""
from __future__ import annotations

import os
import time

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# Statements written for these tests (not taken from any data set).
LONELY = [
    "I see nobody all day, only the staff",
    "I see nobody all day apart from my carers",
    "Nobody visits me and I feel lonely",
    "I am on my own all day and I feel so lonely",
    "I feel lonely because nobody comes round",
    "Apart from the staff I see nobody all week",
]
GARDEN = [
    "I love working in my garden",
    "Growing vegetables in my garden makes me happy",
    "My garden is where I feel calm",
    "I enjoy planting flowers in my garden",
    "I spend hours in my garden in the summer",
]
MONEY = [
    "I worry about paying my gas bills",
    "My benefits do not cover my bills",
    "I can't afford my bills this winter",
    "Paying my bills is a constant worry",
    "I am behind with my bills and rent",
]
ODD = ["Quantum chromodynamics lattice simulations fascinate me enormously"]
STATEMENTS = LONELY + GARDEN + MONEY + ODD


@pytest.fixture(scope="session")
def statements():
    return list(STATEMENTS)


@pytest.fixture(scope="session")
def fast_model_dir():
    """Build (or reuse) the distilled static model once per test session.

    Uses $GOLDENTHREAD_CACHE_DIR or ~/.cache/goldenthread, so it is only
    distilled the first time (about 30-45 s on two cores).
    """
    from goldenthread.engine.embed import build_fast_model, distilled_model_dir

    t0 = time.perf_counter()
    existed = distilled_model_dir().exists()
    path = build_fast_model()
    took = time.perf_counter() - t0
    print(f"\n[fast model {'reused' if existed else 'distilled'} in {took:.1f} s at {path}]")
    return path
