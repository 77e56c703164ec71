"""Label encoding for any label type: strings or numbers, two classes or more."""

from __future__ import annotations

import numpy as np

from textclass.errors import DataError


class LabelEncoder:
    """Maps labels to ``0..n_classes-1`` in sorted order, and back.

    ``classes_`` keeps the user's values (and their type), so predictions come
    back as the labels the user gave.
    """

    def __init__(self, classes: list | None = None) -> None:
        self.classes_ = None if classes is None else np.asarray(classes)

    def fit(self, labels) -> LabelEncoder:
        values = _as_array(labels)
        try:
            self.classes_ = np.unique(values)
        except TypeError:
            kinds = sorted({type(v).__name__ for v in values})
            raise DataError(f"labels mix types ({', '.join(kinds)}); use one type") from None
        return self

    def transform(self, labels) -> np.ndarray:
        values = _as_array(labels)
        index = {c: i for i, c in enumerate(self.classes_.tolist())}
        codes = np.fromiter((index.get(v, -1) for v in values.tolist()), np.int64, len(values))
        unseen = codes < 0
        if unseen.any():
            names = sorted({str(v) for v in values[unseen].tolist()})
            raise DataError(
                f"{int(unseen.sum())} label(s) the model never saw in training: "
                f"{', '.join(names[:10])}; known labels: "
                f"{', '.join(map(str, self.classes_.tolist()))}"
            )
        return codes

    def inverse_transform(self, codes) -> np.ndarray:
        return self.classes_[np.asarray(codes, dtype=np.int64)]


def _as_array(labels) -> np.ndarray:
    if isinstance(labels, (str, bytes)):
        raise DataError("labels must be a list, got a single string")
    if hasattr(labels, "to_numpy"):
        labels = labels.to_numpy(dtype=object, na_value=None)
    values = np.asarray(list(labels), dtype=object)
    missing = [i for i, v in enumerate(values.tolist()) if v is None or v != v]
    if missing:
        raise DataError(f"{len(missing)} missing label(s), first at row {missing[0]}")
    if all(isinstance(v, str) for v in values.tolist()):
        return values.astype(str)
    if all(isinstance(v, (bool, np.bool_)) for v in values.tolist()):
        return values.astype(bool)
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values.tolist()):
        return values.astype(np.int64)
    if all(isinstance(v, (int, float, np.number)) for v in values.tolist()):
        return values.astype(np.float64)
    return values
