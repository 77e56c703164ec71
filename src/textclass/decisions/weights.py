"""``class_weight``: "balanced" or a mapping, as the weights a runtime applies.

Single-label problems get one weight per class (``{code: weight}``, codes in
``classes_`` order): "balanced" is scikit-learn's ``n / (n_classes * count)``, a
mapping names classes by the user's labels (unnamed ones keep 1.0). Multi-label
problems get a ``(n_labels, 2)`` array, the weight of a text without and with
each label: "balanced" weighs each label's two sides as scikit-learn would that
label's binary problem, a mapping is the weight of a label's positive texts.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from textclass.errors import ConfigError, DataError, did_you_mean, invalid

EXPECTED = "None, 'balanced' or a mapping {label: positive weight}"


def check(setting) -> None:
    """ConfigError for a setting that can never work (before any data is read)."""
    if setting is None or setting == "balanced":
        return
    if not isinstance(setting, Mapping) or not setting:
        raise invalid("class_weight", EXPECTED, setting, ["balanced"])
    for label, weight in setting.items():
        if isinstance(weight, bool) or not isinstance(weight, (int, float, np.number)):
            raise invalid("class_weight", EXPECTED + f" (the weight of {label!r})", setting)
        if not weight > 0:
            raise ConfigError(f"class_weight: the weight of {label!r} must be > 0, got {weight!r}")


def resolve(setting, classes: np.ndarray, targets: np.ndarray):
    """The weights for ``targets`` (codes, or a 0/1 matrix for multi-label); None for none."""
    if setting is None:
        return None
    multilabel = targets.ndim == 2
    if setting == "balanced":
        if multilabel:
            n = float(targets.shape[0])
            positive = targets.sum(axis=0).astype(np.float64)
            negative = n - positive
            pos = np.divide(n, 2 * positive, out=np.ones_like(positive), where=positive > 0)
            neg = np.divide(n, 2 * negative, out=np.ones_like(negative), where=negative > 0)
            return np.column_stack([neg, pos])
        counts = np.bincount(targets, minlength=len(classes)).astype(np.float64)
        weights = len(targets) / (len(classes) * np.maximum(counts, 1.0))
        return {i: float(w) for i, w in enumerate(weights)}
    index = _index(setting, classes)
    if multilabel:
        out = np.ones((len(classes), 2), dtype=np.float64)
        for code, weight in index.items():
            out[code, 1] = weight
        return out
    return {i: float(index.get(i, 1.0)) for i in range(len(classes))}


def _index(setting: Mapping, classes: np.ndarray) -> dict[int, float]:
    """``{code: weight}`` from a mapping keyed by labels (as given, or as their text)."""
    known = {c: i for i, c in enumerate(classes.tolist())}
    by_text = {str(c): i for c, i in known.items()}
    out = {}
    for label, weight in setting.items():
        key = label.item() if isinstance(label, np.generic) else label
        code = known.get(key, by_text.get(str(key)))
        if code is None:
            names = [str(c) for c in classes.tolist()]
            raise DataError(
                f"class_weight names label {label!r}{did_you_mean(label, names)}, which the "
                f"training data lacks; labels: {', '.join(names[:20])}"
            )
        out[code] = float(weight)
    return out


def sample_weights(weights, targets: np.ndarray, column: int | None = None):
    """Per-row weights: from ``{code: w}`` for codes, or column ``column`` of a label matrix."""
    if weights is None:
        return None
    if column is not None:
        return np.where(targets[:, column] > 0, weights[column, 1], weights[column, 0])
    table = np.asarray([weights[i] for i in range(len(weights))], dtype=np.float64)
    return table[targets]
