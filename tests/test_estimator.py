"""The estimator contract, run over every registered model family."""

import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score

from textclass import DataError, TextClassifier
from textclass.models import family_class, model_names, resolve

POS = [
    "great food",
    "lovely staff",
    "great value",
    "really lovely",
    "good and great",
    "good food",
    "lovely place",
    "great staff",
]
NEG = [
    "awful food",
    "rude staff",
    "awful value",
    "really bad",
    "bad and awful",
    "bad food",
    "rude place",
    "awful staff",
]
TEXTS = POS + NEG
LABELS = ["pos"] * len(POS) + ["neg"] * len(NEG)
TOPICS = ["goal match team", "vote party minister", "stock market profit"] * 4
TOPIC_CODES = [7, 3, 5] * 4  # sport, politics, business


def tiny(model, **kw):
    """The family's own tiny configuration (its ``tiny_params`` and ``tiny_settings``)."""
    cls = family_class(model)
    settings = {**cls.tiny_settings, "random_state": 0}
    if cls.tiny_settings:  # families trained in epochs take the test's overrides
        settings.update(kw)
    return TextClassifier(model=resolve(model, dict(cls.tiny_params)), **settings)


def deep_params(clf) -> dict:
    """Settings and hyperparameters as JSON holds them (a tuple reads back as a list)."""
    params = {k: v for k, v in clf.get_params(deep=True).items() if k != "model"}
    return json.loads(json.dumps(params))


@pytest.mark.parametrize("model", model_names())
def test_contract(model, tmp_path):
    cls = family_class(model)
    clf = tiny(model)
    # every hyperparameter is documented and constrained
    assert set(cls().get_params()) == set(cls.docs) == set(cls.constraints), model
    # clone and parameter round-trip
    again = clone(clf)
    assert again.get_params(deep=False).keys() == clf.get_params(deep=False).keys()
    assert clf.get_params()["random_state"] == 0
    assert any(k.startswith("model__") for k in clf.get_params(deep=True))
    assert deep_params(clone(clf).set_params(**clf.get_params(deep=True))) == deep_params(clf)
    # not fitted
    with pytest.raises(NotFittedError):
        clf.predict(["great"])
    clf.fit(TEXTS, LABELS)
    assert clf.classes_.tolist() == ["neg", "pos"]
    proba = clf.predict_proba(["great food", "awful staff", "zzz qqq"])
    assert proba.shape == (3, 2)
    with pytest.raises(DataError, match=r"1 empty text\(s\) \(rows 1,"):
        clf.predict_proba(["great food", " "])  # refused, not a confident label
    assert np.allclose(proba.sum(axis=1), 1.0)
    predicted = clf.predict(["great food", "awful staff"])
    assert predicted.dtype.kind == "U" and set(predicted.tolist()) <= {"neg", "pos"}
    assert all(type(label) is str for label in predicted.tolist())
    assert clf.count_params() >= clf.count_params(trainable_only=True) > 0
    # save / load gives identical predictions
    clf.save(tmp_path / "run")
    loaded = TextClassifier.load(tmp_path / "run")
    assert np.array_equal(loaded.predict_proba(TEXTS), clf.predict_proba(TEXTS))
    assert loaded.predict(TEXTS).tolist() == clf.predict(TEXTS).tolist()
    assert deep_params(loaded) == deep_params(clf)
    # the same seed gives the same result (seed 1: test_same_seed_same_result)
    assert np.array_equal(
        tiny(model).fit(TEXTS, LABELS).predict_proba(TEXTS), clf.predict_proba(TEXTS)
    )


@pytest.mark.slow  # test_contract already fits every family twice with one seed
@pytest.mark.parametrize("model", model_names())
def test_same_seed_same_result(model):
    first = tiny(model).set_params(random_state=1).fit(TEXTS, LABELS)
    second = tiny(model).set_params(random_state=1).fit(TEXTS, LABELS)
    assert np.array_equal(first.predict_proba(TEXTS), second.predict_proba(TEXTS))


@pytest.mark.parametrize("model", model_names())
def test_multiclass_with_integer_labels(model):
    clf = tiny(model).fit(TOPICS, TOPIC_CODES)
    assert clf.classes_.tolist() == [3, 5, 7]
    proba = clf.predict_proba(TOPICS)
    assert proba.shape == (12, 3) and np.allclose(proba.sum(axis=1), 1)
    predicted = clf.predict(TOPICS[:3])
    assert predicted.dtype.kind == "i" and set(predicted.tolist()) <= {3, 5, 7}


def test_numeric_labels_come_back_as_given():
    clf = tiny("logreg").fit(TEXTS, [1] * 8 + [0] * 8)
    assert clf.predict(["great food"]).tolist() == [1]


def test_single_class_is_refused():
    with pytest.raises(DataError, match="single class"):
        tiny("logreg").fit(["a", "b"], ["x", "x"])


def test_bare_string_is_refused():
    clf = tiny("logreg").fit(TEXTS, LABELS)
    with pytest.raises(DataError, match="got a single str"):
        clf.predict("great food")


def test_length_mismatch_is_refused():
    with pytest.raises(DataError, match="16 texts but y has 2 labels"):
        tiny("logreg").fit(TEXTS, ["a", "b"])


def test_invalid_hyperparameter_names_field_and_value():
    from textclass import ConfigError

    with pytest.raises(ConfigError, match=r"`maxlen`.*Received: maxlen=-3"):
        TextClassifier(model="embedding", maxlen=-3).fit(TEXTS, LABELS)
    with pytest.raises(ConfigError, match=r"`maxlen`.*'auto'.*Received: maxlen='longest'"):
        TextClassifier(model="embedding", maxlen="longest").fit(TEXTS, LABELS)
    with pytest.raises(ConfigError, match=r"`pooling`.*Received: pooling='median'"):
        TextClassifier(model="embedding", epochs=1).set_params(model__pooling="median").fit(
            TEXTS, LABELS
        )


def test_works_in_sklearn_cross_validation_and_grid_search():
    scores = cross_val_score(tiny("logreg"), TEXTS, LABELS, cv=2)
    assert scores.shape == (2,)
    # nested model__ parameters (a Keras family's: tests/test_search.py)
    search = GridSearchCV(tiny("logreg"), {"model__C": [0.5, 2.0]}, cv=2)
    search.fit(TEXTS, LABELS)
    assert search.best_params_["model__C"] in (0.5, 2.0)


def test_numpy_integers_are_integers_and_bools_are_not():
    """scikit-learn's searches over np.arange pass np.int64: the fit is the Python int's."""
    from textclass import ConfigError
    from textclass.checks import is_int

    assert all(is_int(v) for v in (3, np.int64(3), np.uint8(3)))
    assert not any(is_int(v) for v in (True, np.True_, 3.0, "3"))
    plain = tiny("cnn").set_params(model__filters=4, model__units=[3]).fit(TEXTS, LABELS)
    numpy = tiny("cnn").set_params(model__filters=np.int64(4), model__units=[np.int32(3)])
    numpy.fit(TEXTS, LABELS)
    assert np.array_equal(numpy.predict_proba(TEXTS), plain.predict_proba(TEXTS))
    assert type(numpy.model.filters) is np.int64  # the user's family is left as given
    with pytest.raises(ConfigError, match="`filters`"):
        tiny("cnn").set_params(model__filters=True).fit(TEXTS, LABELS)


def test_history_and_validation_data():
    clf = tiny("embedding", early_stopping=1).fit(
        TEXTS, LABELS, validation_data=(TEXTS[:4], LABELS[:4])
    )
    assert "val_loss" in clf.history_ and len(clf.history_["loss"]) >= 1


ML_SETS = [["pos", "food"] if "food" in t else ["pos"] for t in POS] + [
    ["neg", "food"] if "food" in t else ["neg"] for t in NEG
]


@pytest.mark.parametrize("model", model_names())
def test_contract_multilabel(model):
    """Every family learns label sets: one probability per label, lists of labels back
    (reloading is the families' own: test_contract; label sets: test_multilabel)."""
    clf = tiny(model).fit(TEXTS, ML_SETS)
    assert clf.classes_.tolist() == ["food", "neg", "pos"]
    proba = clf.predict_proba(TEXTS)
    assert proba.shape == (16, 3) and ((proba >= 0) & (proba <= 1)).all()
    predicted = clf.predict(TEXTS)
    assert isinstance(predicted, list) and len(predicted) == 16
    assert all(set(p) <= {"food", "neg", "pos"} for p in predicted)
    assert predicted == [clf.classes_[row >= 0.5].tolist() for row in proba]


@pytest.mark.parametrize(("cell", "bidirectional"), [("simple", False), ("gru", True)])
def test_rnn_cells_and_directions_on_three_classes(cell, bidirectional, tmp_path):
    """The cells the default contract test never builds (it uses LSTM), read one way or
    both, stacked, on 3 classes: the layers asked for, and a save/load round trip."""
    import keras

    clf = tiny("rnn", epochs=25).set_params(
        model__cell=cell, model__bidirectional=bidirectional, model__units=[4, 3]
    )
    clf.fit(TOPICS, TOPIC_CODES)
    kind = {"simple": keras.layers.SimpleRNN, "gru": keras.layers.GRU}[cell]
    wrapped = [
        layer for layer in clf.model_.layers if isinstance(layer, keras.layers.Bidirectional)
    ]
    cells = [layer.forward_layer for layer in wrapped] if bidirectional else clf.model_.layers
    cells = [layer for layer in cells if isinstance(layer, keras.layers.RNN)]
    assert [type(layer) for layer in cells] == [kind, kind]  # stacked: units [4, 3]
    assert [layer.units for layer in cells] == [4, 3]
    assert len(wrapped) == (2 if bidirectional else 0)
    assert clf.classes_.tolist() == [3, 5, 7]
    assert (clf.predict(TOPICS) == np.array(TOPIC_CODES)).mean() > 1 / 3  # better than chance
    clf.save(tmp_path / "run")
    loaded = TextClassifier.load(tmp_path / "run")
    assert np.array_equal(loaded.predict_proba(TOPICS), clf.predict_proba(TOPICS))
    from textclass.inference import Predictor  # the light loader of predict and serve

    light = Predictor.load(tmp_path / "run")
    assert np.allclose(light.predict_proba(TOPICS), clf.predict_proba(TOPICS), atol=1e-6)
