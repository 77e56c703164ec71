"""The classifier's own settings, checked before any fitting, and the family a fit uses.

Each check names the setting and echoes the value received (Keras style); the
family's hyperparameters are checked by the family (``ModelFamily.validate``).
"""

from __future__ import annotations

from textclass.checks import is_int, python_ints
from textclass.decisions import thresholds as th
from textclass.decisions import weights as cw
from textclass.errors import invalid
from textclass.models.base import ModelFamily
from textclass.preprocessing.preprocessors import ANALYZERS as WORD_ANALYZERS

ANALYZERS = ("auto", *WORD_ANALYZERS)  # "auto": the family's own


def check_settings(clf) -> None:
    """ConfigError for the first impossible setting of ``clf`` (a ``TextClassifier``)."""
    if clf.analyzer not in ANALYZERS:
        raise invalid("analyzer", " or ".join(ANALYZERS), clf.analyzer)
    if clf.maxlen not in (None, "auto") and (not is_int(clf.maxlen) or clf.maxlen < 1):
        raise invalid("maxlen", "a positive integer, None or 'auto'", clf.maxlen)
    for name in ("epochs", "batch_size"):
        value = getattr(clf, name)
        if value is not None and (not is_int(value) or value < 1):
            raise invalid(name, "a positive integer or None (the family's default)", value)
    if clf.num_words is not None and (not is_int(clf.num_words) or clf.num_words < 2):
        raise invalid(
            "num_words",
            "an integer >= 2 (it keeps num_words - 1 words) or None",
            clf.num_words,
        )
    if clf.learning_rate is not None and not (
        isinstance(clf.learning_rate, (int, float))
        and not isinstance(clf.learning_rate, bool)
        and clf.learning_rate > 0
    ):
        raise invalid("learning_rate", "a positive number or None", clf.learning_rate)
    th.parse(clf.threshold)
    cw.check(clf.class_weight)
    _check_optimizer(clf.optimizer)
    _check_loss(clf.loss)
    if not (isinstance(clf.validation_split, (int, float)) and 0 <= clf.validation_split < 1):
        raise invalid("validation_split", "a fraction in [0, 1)", clf.validation_split)
    if clf.early_stopping is not None and (
        not is_int(clf.early_stopping) or clf.early_stopping < 1
    ):
        raise invalid("early_stopping", "a positive integer (patience) or None", clf.early_stopping)


def with_python_ints(family: ModelFamily) -> ModelFamily:
    """``family`` (a copy) with numpy integers, which a search over ``np.arange`` gives, as
    the Python ints Keras layers take."""
    params = family.get_params(deep=False)
    return family.set_params(**{k: python_ints(v) for k, v in params.items()})


def _check_optimizer(name) -> None:
    from textclass.runtimes.keras_runtime import OPTIMIZERS

    if name is not None and name not in OPTIMIZERS:
        raise invalid("optimizer", f"one of {', '.join(OPTIMIZERS)}", name, OPTIMIZERS)


def _check_loss(loss) -> None:
    """A loss name must be one Keras knows (a Keras loss object is taken as given)."""
    if loss is None or not isinstance(loss, str):
        return
    import keras

    try:
        keras.losses.get(loss)
        return
    except ValueError:
        pass
    names = sorted(
        n
        for n in dir(keras.losses)
        if n[0].islower() and n not in ("get", "serialize", "deserialize")
    )
    names = [*names, "mse", "mae", "mape", "msle"]
    raise invalid("loss", "a Keras loss name: " + ", ".join(names), loss, names)
