"""Clustering that scales: fit on a hash sample, place the rest by nearest theme."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_mutual_info_score

from goldenthread.engine import HashingEmbedder
from goldenthread.engine.cluster import ThemeClusterer
from goldenthread.engine.scaling import (KnownThemes, ScalableThemeClusterer, known_themes,
                                         sample_cut, text_hashes)
from goldenthread.engine.synthetic import make_statements


@pytest.fixture(scope="module")
def data():
    rows = make_statements(3000, seed=11)
    texts = [r["text"] for r in rows]
    return texts, HashingEmbedder().encode(texts), [r["topic"] for r in rows]


def test_up_to_the_sample_size_it_is_the_exact_clusterer(data):
    texts, X, _ = data
    exact = ThemeClusterer().fit(X[:400], keys=texts[:400])
    big = ScalableThemeClusterer(sample_size=5000).fit(X[:400], keys=texts[:400])
    assert not big.sampled_
    assert np.array_equal(big.labels_, exact.labels_)


def test_a_sampled_fit_gives_every_row_one_theme_numbered_largest_first(data):
    texts, X, topics = data
    m = ScalableThemeClusterer(sample_size=500).fit(X, keys=texts)
    assert m.sampled_ and m.labels_.shape == (len(texts),)
    assert m.labels_.min() == 0 and m.labels_.max() == m.n_themes_ - 1
    assert m.counts_.tolist() == np.bincount(m.labels_).tolist()
    assert list(m.counts_) == sorted(m.counts_, reverse=True)
    assert m.counts_.sum() == len(texts)
    # a sample of a sixth still finds the invented topics about as well as everything at once
    exact = ThemeClusterer().fit(X, keys=texts)
    assert adjusted_mutual_info_score(topics, m.labels_) > 0.8 * adjusted_mutual_info_score(topics, exact.labels_)


def test_the_sample_and_the_answer_do_not_depend_on_input_order(data):
    texts, X, _ = data
    perm = np.random.default_rng(0).permutation(len(texts))
    a = ScalableThemeClusterer(sample_size=500).fit(X, keys=texts)
    b = ScalableThemeClusterer(sample_size=500).fit(X[perm], keys=[texts[i] for i in perm])
    assert np.array_equal(a.labels_[perm], b.labels_)


def test_the_hash_sample_counts_distinct_statements():
    h = text_hashes(["a", "b", "a", "c", "d"])
    cut = sample_cut(h, 2)
    assert len(set(h[h <= np.uint64(cut)].tolist())) == 2
    assert sample_cut(h, 10) == np.iinfo(np.uint64).max


def test_known_themes_take_only_the_statements_that_fit_them():
    emb = HashingEmbedder()
    known = known_themes(["My bus pass gets me to town", "I take the bus into town every week",
                          "I worry about my gas bill", "My gas bill is too high"],
                         ["Getting about", "Getting about", "Money", "Money"], emb)
    idx, sim = known.place(emb.encode(["the bus into town is great", "my gas bill scares me",
                                       "I love painting on Sundays"]))
    assert [known.themes_[i] if i >= 0 else None for i in idx] == ["Getting about", "Money", None]
    assert isinstance(known, KnownThemes) and sim.shape == (3,)
    with pytest.raises(ValueError, match="one label per statement"):
        KnownThemes().fit(emb.encode(["a"]), ["x", "y"])
