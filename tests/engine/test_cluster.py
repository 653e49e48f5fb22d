"""ThemeClusterer and ThemeEngine: determinism, no loss, singletons, locks, seeds."""
from __future__ import annotations

import random

import numpy as np
import pytest

from goldenthread.engine import HashingEmbedder, SeedTheme, ThemeClusterer, ThemeEngine
from goldenthread.engine.cluster import upgma
from tests.engine.conftest import GARDEN, LONELY, MONEY, ODD, STATEMENTS


def _partition(texts, ids):
    """Themes as a set of frozensets of texts (independent of id numbering)."""
    groups = {}
    for t, i in zip(texts, ids):
        groups.setdefault(i, set()).add(t)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture()
def engine():
    return ThemeEngine(model="hashing")


def test_groups_written_themes_and_keeps_every_row(engine):
    res = engine.fit(STATEMENTS)
    assert len(res.theme_ids) == len(STATEMENTS)
    assert all(isinstance(i, int) and i >= 1 for i in res.theme_ids)
    parts = _partition(STATEMENTS, res.theme_ids)
    # each written theme lands in one theme
    for group in (LONELY, GARDEN, MONEY):
        owners = {res.theme_ids[STATEMENTS.index(t)] for t in group}
        assert len(owners) == 1, group
    assert frozenset(ODD) in parts  # the odd one out is its own theme
    assert sum(t.size for t in res.themes) == len(STATEMENTS)


def test_deterministic_whatever_the_input_order(engine):
    base = _partition(STATEMENTS, engine.fit(STATEMENTS).theme_ids)
    base_names = {frozenset(STATEMENTS[r] for r in t.rows): t.name
                  for t in engine.fit(STATEMENTS).themes}
    for seed in range(4):
        shuffled = STATEMENTS[:]
        random.Random(seed).shuffle(shuffled)
        res = ThemeEngine(model="hashing").fit(shuffled)
        assert _partition(shuffled, res.theme_ids) == base
        names = {frozenset(shuffled[r] for r in t.rows): t.name for t in res.themes}
        assert names == base_names


def test_ids_are_numbered_the_same_way_for_any_order(engine):
    a = engine.fit(STATEMENTS)
    rev = list(reversed(STATEMENTS))
    b = engine.fit(rev)
    ida = dict(zip(STATEMENTS, a.theme_ids))
    idb = dict(zip(rev, b.theme_ids))
    assert ida == idb


def test_single_statement_input_and_duplicates(engine):
    assert engine.fit(["I like tea"]).theme_ids == [1]
    res = engine.fit(["I like tea", "I like tea", "I like tea"])
    assert res.theme_ids == [1, 1, 1]


def test_unlike_statement_is_a_singleton_not_minus_one():
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(3, 32))
    X = np.vstack([c + 0.05 * rng.normal(size=(6, 32)) for c in centers] + [rng.normal(size=(1, 32))])
    m = ThemeClusterer().fit(X)
    assert m.n_themes_ == 4
    assert (m.labels_ >= 0).all()
    assert sorted(np.bincount(m.labels_)) == [1, 6, 6, 6]


def test_locked_themes_keep_their_members(engine):
    # The facilitator locked a theme holding a garden and a money statement.
    locked = [None] * len(STATEMENTS)
    a, b = STATEMENTS.index(GARDEN[0]), STATEMENTS.index(MONEY[0])
    locked[a] = locked[b] = "My odd pair"
    c = STATEMENTS.index(LONELY[0])
    locked[c] = "I only see staff"
    res = engine.fit(STATEMENTS, locked=locked)
    assert res.theme_ids[a] == res.theme_ids[b]
    theme = next(t for t in res.themes if t.id == res.theme_ids[a])
    assert theme.name == "My odd pair" and theme.locked == "My odd pair"
    assert theme.names[0].method == "locked"
    # two locked themes never merge
    assert res.theme_ids[c] != res.theme_ids[a]
    # the rest still form their themes around the locked ones
    rest_money = {res.theme_ids[STATEMENTS.index(t)] for t in MONEY[1:]}
    assert len(rest_money) == 1
    # a re-run with the same locks gives the same answer
    assert engine.fit(STATEMENTS, locked=locked).theme_ids == res.theme_ids


def test_seeding_from_last_cycle(engine):
    seeds = [SeedTheme(name="I am lonely", statements=tuple(LONELY[:3]), kind="not_working"),
             SeedTheme(name="I love my garden", statements=tuple(GARDEN[:2]))]
    new = LONELY[3:] + MONEY + ["I feel lonely, nobody comes to see me"]
    res = engine.fit(new, kinds="not_working", seeds=seeds)
    lonely_ids = {res.theme_ids[i] for i, t in enumerate(new) if t not in MONEY}
    assert len(lonely_ids) == 1
    theme = next(t for t in res.themes if t.id in lonely_ids)
    assert theme.name == "I am lonely" and theme.seed == "I am lonely"
    assert theme.names[0].method == "seed"
    # money statements form new themes, not the seed's; the unused seed is not output
    money_ids = {res.theme_ids[new.index(t)] for t in MONEY}
    assert not (money_ids & lonely_ids)
    assert all(t.seed is None for t in res.themes if t.id in money_ids)
    assert not any(t.name == "I love my garden" for t in res.themes)


def test_seed_with_wrong_kind_is_not_used(engine):
    seeds = [SeedTheme(name="I am lonely", statements=tuple(LONELY[:3]), kind="future")]
    res = engine.fit(LONELY[3:], kinds="not_working", seeds=seeds)
    assert all(t.seed is None for t in res.themes)


def test_kinds_are_clustered_separately(engine):
    texts = LONELY + LONELY[:2]
    kinds = ["not_working"] * len(LONELY) + ["future", "future"]
    res = engine.fit(texts, kinds=kinds)
    assert res.theme_ids[-1] != res.theme_ids[0]
    assert {t.kind for t in res.themes} == {"not_working", "future"}


def test_micro_cluster_path_is_deterministic_and_loses_nothing():
    rng = np.random.default_rng(1)
    centers = rng.normal(size=(8, 24))
    X = np.vstack([c + 0.2 * rng.normal(size=(60, 24)) for c in centers])
    keys = [f"s{i:04d}" for i in range(len(X))]
    m1 = ThemeClusterer(max_items=50).fit(X, keys=keys)
    assert m1.micro_clustered_
    perm = rng.permutation(len(X))
    m2 = ThemeClusterer(max_items=50).fit(X[perm], keys=[keys[i] for i in perm])
    assert len(m1.labels_) == len(X)
    assert np.array_equal(m1.labels_[perm], m2.labels_)
    # the 8 planted groups are recovered
    from collections import Counter
    assert m1.n_themes_ >= 8
    big = [c for c, n in Counter(m1.labels_).items() if n >= 50]
    assert len(big) == 8


def test_transform_and_predict_new_theme():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 16))
    X = np.vstack([a + 0.1 * rng.normal(size=(5, 16)), b + 0.1 * rng.normal(size=(5, 16))])
    m = ThemeClusterer().fit(X)
    assert m.transform(X).shape == (10, m.n_themes_)
    assert list(m.predict(X)) == list(m.labels_)
    far = -(a + b)
    assert m.predict(far[None, :])[0] == -1


def test_upgma_respects_cannot_link():
    s = np.array([[1.0, 0.0], [1.0, 0.01], [0.99, 0.0]])
    lab = upgma(s, np.ones(3), 0.5, groups=np.array([0, 1, -1]))
    assert lab[0] != lab[1]


def test_hashing_embedder_is_stable():
    e = HashingEmbedder()
    v1, v2 = e.encode(["I like tea"]), e.encode(["I like tea"])
    assert np.array_equal(v1, v2)
    assert np.isclose(np.linalg.norm(v1), 1.0)


# -- minor themes join the bigger theme they fit (min_share) -----------------------------

def _planted(rng, k=8, per=40, dim=32, noise=0.05):
    """``k`` tight planted themes of ``per`` rows, plus two unused directions."""
    q = np.linalg.qr(rng.normal(size=(dim, dim)))[0].T
    themes, free, other = q[:k], q[k], q[k + 1]
    big = np.vstack([t + noise * rng.normal(size=(per, dim)) for t in themes])
    return themes, free, other, big


def test_minor_theme_joins_the_big_theme_it_fits_and_unlike_one_stays():
    rng = np.random.default_rng(5)
    themes, free, other, big = _planted(rng)
    related = 0.3 * themes[0] + np.sqrt(1 - 0.09) * free  # related to theme 0, not "alike"
    X = np.vstack([big, related, other])  # `other` is unlike every theme
    keys = [f"s{i:04d}" for i in range(len(X))]
    off = ThemeClusterer(min_share=0).fit(X, keys=keys)
    on = ThemeClusterer().fit(X, keys=keys)
    # Without the rule, the related statement sits alone.
    assert np.sum(off.labels_ == off.labels_[-2]) == 1
    # With it, it joins theme 0 (it fits at least halfway to "alike") ...
    assert on.labels_[-2] == on.labels_[0]
    assert on.absorbed_ == 1
    # ... while the statement unlike every theme stays a theme of its own.
    assert np.sum(on.labels_ == on.labels_[-1]) == 1
    # No row is lost and the planted themes stay whole and apart.
    assert len(on.labels_) == len(X)
    assert [len(set(on.labels_[i * 40:(i + 1) * 40])) for i in range(8)] == [1] * 8
    assert len(set(on.labels_[:320])) == 8


def test_minor_rule_changes_nothing_under_100_statements():
    rng = np.random.default_rng(6)
    centers = rng.normal(size=(4, 16))
    X = np.vstack([c + 0.3 * rng.normal(size=(20, 16)) for c in centers] + [rng.normal(size=(5, 16))])
    assert len(X) < 100
    keys = [f"s{i:03d}" for i in range(len(X))]
    on, off = ThemeClusterer().fit(X, keys=keys), ThemeClusterer(min_share=0).fit(X, keys=keys)
    assert np.array_equal(on.labels_, off.labels_)
    assert on.absorbed_ == 0


def test_locked_minor_theme_is_never_absorbed():
    rng = np.random.default_rng(5)
    themes, free, other, big = _planted(rng)
    related = 0.3 * themes[0] + np.sqrt(1 - 0.09) * free
    X = np.vstack([big, related])
    locked = [None] * 320 + ["kept apart"]
    m = ThemeClusterer().fit(X, locked=locked, keys=[f"s{i:04d}" for i in range(len(X))])
    assert np.sum(m.labels_ == m.labels_[-1]) == 1
    assert m.theme_keys_[m.labels_[-1]] == "kept apart"


def test_minor_rule_is_deterministic_whatever_the_order():
    rng = np.random.default_rng(8)
    themes, free, other, big = _planted(rng)
    X = np.vstack([big, 0.3 * themes[0] + 0.95 * free, 0.3 * themes[1] + 0.95 * other])
    keys = [f"s{i:04d}" for i in range(len(X))]
    perm = rng.permutation(len(X))
    m1 = ThemeClusterer().fit(X, keys=keys)
    m2 = ThemeClusterer().fit(X[perm], keys=[keys[i] for i in perm])
    assert np.array_equal(m1.labels_[perm], m2.labels_)


def test_auto_model_picks_minilm_for_workshops_and_fast_for_whole_councils(monkeypatch):
    from goldenthread.engine import embed, themes

    assert embed.choose_model(300) == "minilm"
    assert embed.choose_model(embed.AUTO_MINILM_MAX) == "minilm"
    assert embed.choose_model(embed.AUTO_MINILM_MAX + 1) == "fast"

    class Named(HashingEmbedder):
        def __init__(self, name):
            super().__init__(dim=64)
            self.name = name

    monkeypatch.setattr(themes, "get_embedder", lambda name: Named(name))
    monkeypatch.setattr(themes, "choose_model", lambda n: "minilm" if n <= 5 else "fast")
    engine = themes.ThemeEngine()  # model="auto"
    assert engine.fit(["I like tea", "I like cake"], name=False).model == "minilm"
    big = engine.fit([f"statement number {i}" for i in range(8)], name=False)
    assert big.model == "fast"
    assert engine.fit(["I like tea"], name=False).model == "minilm"
