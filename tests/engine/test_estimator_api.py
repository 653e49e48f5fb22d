"""ThemeClusterer and ScalableThemeClusterer follow the scikit-learn estimator contract."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import estimator_checks_generator

from goldenthread.engine import HashingEmbedder
from goldenthread.engine.cluster import ThemeClusterer
from goldenthread.engine.scaling import ScalableThemeClusterer
from tests.engine.conftest import STATEMENTS


def _check_name(check) -> str:
    return getattr(check, "func", check).__name__


# Every check of sklearn's check_estimator except the array-API one, which
# needs SCIPY_ARRAY_API and would only ever be skipped.
# ScalableThemeClusterer with a tiny sample, so the checks exercise sampling.
_CHECKS = [(e, c) for est in (ThemeClusterer(), ScalableThemeClusterer(sample_size=10))
           for e, c in estimator_checks_generator(est)
           if _check_name(c) != "check_array_api_input"]


@pytest.mark.parametrize("estimator, check", _CHECKS,
                         ids=[f"{type(e).__name__}-{_check_name(c)}" for e, c in _CHECKS])
def test_scikit_learn_estimator_checks_pass(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def X():
    return HashingEmbedder().encode(STATEMENTS)


def test_settings_are_keyword_only():
    with pytest.raises(TypeError):
        ThemeClusterer(1.0)  # type: ignore[misc]


def test_clone_gives_an_unfitted_copy_with_the_same_settings(X):
    ref = np.ones((3, X.shape[1]))
    model = ThemeClusterer(z=0.5, min_share=0.2, reference=ref, random_state=3).fit(X)
    twin = clone(model)
    assert twin.get_params()["z"] == 0.5 and twin.get_params()["random_state"] == 3
    assert np.array_equal(twin.reference, ref) and twin.reference is not ref
    assert not hasattr(twin, "labels_")
    assert np.array_equal(twin.fit(X).labels_, model.labels_)


def test_get_params_and_set_params_round_trip():
    a = ThemeClusterer(z=2.0, max_items=100)
    b = ThemeClusterer().set_params(**a.get_params())
    assert b.get_params() == a.get_params()
    assert set(a.get_params()) == {"z", "threshold", "max_items", "min_share", "reference",
                                   "random_state"}


def test_fitting_twice_gives_the_same_themes(X):
    a = ThemeClusterer().fit(X, keys=STATEMENTS)
    b = ThemeClusterer().fit(X.copy(), keys=list(STATEMENTS))
    assert np.array_equal(a.labels_, b.labels_)
    assert a.threshold_ == b.threshold_
    assert np.allclose(a.centroids_, b.centroids_)


def test_predict_before_fit_says_not_fitted(X):
    with pytest.raises(NotFittedError):
        ThemeClusterer().predict(X)


@pytest.mark.parametrize("setting", [{"min_share": 1.5}, {"max_items": 1}, {"z": "one"},
                                     {"threshold": 2.0}, {"random_state": -1}])
def test_a_bad_setting_is_named_when_fitting(X, setting):
    model = ThemeClusterer(**setting)  # nothing is checked in __init__
    with pytest.raises(InvalidParameterError, match=next(iter(setting))):
        model.fit(X)


def test_fitted_attributes_hold_what_their_names_say(X):
    m = ThemeClusterer().fit(X, keys=STATEMENTS)
    n = len(X)
    assert m.n_features_in_ == X.shape[1]
    assert m.labels_.shape == (n,) and m.labels_.min() == 0
    assert m.n_themes_ == len(set(m.labels_)) == len(m.counts_) == len(m.theme_keys_)
    assert m.counts_.tolist() == np.bincount(m.labels_).tolist()
    assert list(m.counts_) == sorted(m.counts_, reverse=True)  # largest first
    assert np.allclose(m.center_, m.background_.center)
    # centroids_ are the mean centred vectors: transform() of members = their mean similarity
    U = m.center_rows(X)
    for t in range(m.n_themes_):
        assert np.allclose(m.centroids_[t], U[m.labels_ == t].mean(axis=0))
    assert m.absorbed_ == 0 and m.micro_clustered_ is False
    assert m.seeded_ == [False] * m.n_themes_


def test_fit_predict_comes_from_cluster_mixin_and_passes_fit_options(X):
    locked = ["money"] * 2 + [None] * (len(X) - 2)
    labels = ThemeClusterer().fit_predict(X, locked=locked, keys=STATEMENTS)
    assert labels[0] == labels[1]
    assert np.array_equal(labels, ThemeClusterer().fit(X, locked=locked, keys=STATEMENTS).labels_)


def test_predict_rejects_embeddings_of_another_width(X):
    m = ThemeClusterer().fit(X)
    with pytest.raises(ValueError, match="features"):
        m.predict(X[:, :10])


def test_empty_input_is_an_error():
    with pytest.raises(ValueError):
        ThemeClusterer().fit(np.zeros((0, 4)))
