"""The NumPy all-MiniLM-L6-v2 gives sentence-transformers' embeddings, fast to load."""
from __future__ import annotations

import math

import numpy as np
import pytest

from goldenthread.engine import MiniLMEmbedder
from goldenthread.engine.embed import minilm_path
from goldenthread.engine.minilm import NumpyMiniLM, _gelu, _layer_norm
from tests.engine.conftest import STATEMENTS

LONG = " ".join(["My support worker helps me with shopping and cooking on Mondays."] * 40)


@pytest.fixture(scope="module")
def model():
    return NumpyMiniLM(minilm_path())


def test_gelu_is_within_float_precision_of_berts_exact_form():
    from scipy.special import erf

    x = np.linspace(-12, 12, 200001).astype(np.float32)
    exact = 0.5 * x.astype(np.float64) * (1 + erf(x.astype(np.float64) / math.sqrt(2)))
    got = _gelu(x.copy())
    assert got.dtype == np.float32
    assert np.abs(got - exact).max() < 1e-3
    assert np.abs(got - exact)[np.abs(x) > 6].max() < 1e-5  # the tails are exact


def test_layer_norm_matches_the_textbook_form():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 7, 384)).astype(np.float32) * 3 + 1
    w, b = rng.normal(size=384).astype(np.float32), rng.normal(size=384).astype(np.float32)
    x64 = x.astype(np.float64)
    want = (x64 - x64.mean(-1, keepdims=True)) / np.sqrt(x64.var(-1, keepdims=True) + 1e-12) * w + b
    assert np.allclose(_layer_norm(x.copy(), w, b, 1e-12), want, atol=1e-4)


@pytest.mark.slow
def test_same_embeddings_as_sentence_transformers(model):
    from sentence_transformers import SentenceTransformer

    texts = STATEMENTS + ["", "ok", "FrIendly staff, thank you!!", LONG]
    ref = SentenceTransformer(str(minilm_path()), device="cpu").encode(
        texts, normalize_embeddings=True, convert_to_numpy=True)
    got = model.encode(texts)
    assert got.shape == (len(texts), 384)
    assert np.abs(got - ref).max() < 1e-3
    assert np.einsum("ij,ij->i", got, ref).min() > 0.99999


def test_results_do_not_depend_on_batching_or_threads(model):
    texts = STATEMENTS + [LONG]
    together = model.encode(texts)
    alone = np.vstack([model.encode([t]) for t in texts])
    tiny_batches = model.encode(texts, batch_tokens=16, workers=2)
    one_thread = model.encode(texts, workers=1)
    assert np.allclose(together, alone, atol=1e-5)
    assert np.allclose(together, tiny_batches, atol=1e-5)
    assert np.allclose(together, one_thread, atol=1e-5)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_long_text_is_truncated_not_refused(model):
    ids = model.tokenizer.encode(LONG).ids
    assert len(ids) == 256
    assert model.encode([LONG]).shape == (1, 384)


def test_embedder_caches_texts_and_keeps_order():
    emb = MiniLMEmbedder()
    emb.cache_size = 3
    a = emb.encode(["I see nobody all day", "I love my garden"])
    b = emb.encode(["I love my garden", "I see nobody all day", "I love my garden"])
    assert np.array_equal(a[0], b[1]) and np.array_equal(a[1], b[0]) and np.array_equal(b[0], b[2])
    emb.encode(["one", "two", "three", "four"])  # more than the cache holds: kept bounded
    assert len(emb._cache) <= 3
    assert emb.encode([]).shape == (0, 384)


def test_loading_needs_no_torch():
    import subprocess
    import sys

    code = ("import sys; from goldenthread.engine import MiniLMEmbedder; "
            "MiniLMEmbedder().encode(['I like my flat']); "
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
