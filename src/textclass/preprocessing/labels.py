"""Label encoding for any label type: strings or numbers, two classes or more."""

from __future__ import annotations

import numpy as np

from textclass.checks import is_int
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
    if all(is_int(v) for v in values.tolist()):
        return values.astype(np.int64)
    if all(isinstance(v, (int, float, np.number)) for v in values.tolist()):
        return values.astype(np.float64)
    return values


# ------------------------------------------------------------------ multi-label
_SET_TYPES = (list, tuple, set, frozenset, np.ndarray)


def is_multilabel(y) -> bool:
    """True for label sets (a list / tuple / set per row) or a 2-D 0/1 indicator matrix."""
    import scipy.sparse as sp

    if sp.issparse(y):
        return True
    if isinstance(y, np.ndarray) and y.ndim == 2:
        return True
    if hasattr(y, "ndim") and getattr(y, "ndim", 1) == 2:  # a DataFrame of 0/1 columns
        return True
    if isinstance(y, (str, bytes)):
        return False
    try:
        values = list(y.to_numpy(dtype=object) if hasattr(y, "to_numpy") else y)
    except TypeError:
        return False
    return bool(values) and any(isinstance(v, _SET_TYPES) for v in values)


class MultiLabelEncoder:
    """Label sets to a ``(n, n_labels)`` 0/1 indicator matrix, and back.

    Labels are given as one list (tuple, set) per row, of strings or numbers, or
    as an indicator matrix already (scikit-learn's multi-label format; its
    labels are then the column numbers ``0..k-1``). ``classes_`` holds the
    labels in sorted order (the columns of the matrix); ``indicator`` records
    which form ``fit`` saw, so ``inverse_transform`` answers in the same form.
    """

    def __init__(self, classes: list | None = None, indicator: bool = False) -> None:
        self.classes_ = None if classes is None else np.asarray(classes)
        self.indicator = indicator

    def fit(self, y) -> MultiLabelEncoder:
        matrix = _indicator_input(y)
        if matrix is not None:
            self.classes_, self.indicator = np.arange(matrix.shape[1]), True
            return self
        flat, _ = _flatten(y)
        if len(flat) == 0:
            raise DataError("every label set is empty: there is no label to learn")
        try:
            self.classes_ = np.unique(flat)
        except TypeError:
            kinds = sorted({type(v).__name__ for v in flat.tolist()})
            raise DataError(f"labels mix types ({', '.join(kinds)}); use one type") from None
        self.indicator = False
        return self

    def transform(self, y) -> np.ndarray:
        k = len(self.classes_)
        matrix = _indicator_input(y)
        if matrix is not None:
            if matrix.shape[1] != k:
                raise DataError(
                    f"the label matrix has {matrix.shape[1]} columns; the model knows {k} labels"
                )
            return matrix
        flat, rows = _flatten(y)
        index = {c: i for i, c in enumerate(self.classes_.tolist())}
        codes = np.fromiter((index.get(v, -1) for v in flat.tolist()), np.int64, len(flat))
        unseen = codes < 0
        if unseen.any():
            names = sorted({str(v) for v in flat[unseen].tolist()})
            raise DataError(
                f"{len(names)} label(s) the model never saw in training: {', '.join(names[:10])}"
                f" (first in row {int(rows[np.flatnonzero(unseen)[0]])}); known labels: "
                f"{', '.join(map(str, self.classes_.tolist()))}"
            )
        out = np.zeros((_count(y), k), dtype=np.uint8)
        out[rows, codes] = 1
        return out

    def inverse_transform(self, matrix):
        """Label sets (a list per row, in ``classes_`` order) or the matrix itself."""
        matrix = np.asarray(matrix).astype(np.uint8)
        if self.indicator:
            return matrix
        return [self.classes_[np.flatnonzero(row)].tolist() for row in matrix]


def _count(y) -> int:
    return len(y.to_numpy(dtype=object) if hasattr(y, "to_numpy") else list(y))


def _indicator_input(y):
    """``y`` as a uint8 matrix when it is one (dense, sparse or a DataFrame), else None."""
    import scipy.sparse as sp

    if sp.issparse(y):
        y = y.toarray()
    if hasattr(y, "ndim") and y.ndim == 2:
        matrix = np.asarray(y)
        ok = np.isin(matrix, (0, 1)) if matrix.dtype != object else np.zeros(matrix.shape, bool)
        if not ok.all():
            row, col = (int(v) for v in np.argwhere(~ok)[0])
            raise DataError(
                f"the label matrix must hold 0/1 values; row {row}, column {col} holds "
                f"{matrix[row, col]!r}"
            )
        return matrix.astype(np.uint8)
    return None


def _flatten(y) -> tuple[np.ndarray, np.ndarray]:
    """(every label of every row, one type; the row of each) from label sets."""
    if isinstance(y, (str, bytes)):
        raise DataError("labels must be a list of label sets, got a single string")
    values = list(y.to_numpy(dtype=object) if hasattr(y, "to_numpy") else y)
    flat, rows = [], []
    for i, labels in enumerate(values):
        if not isinstance(labels, _SET_TYPES):
            raise DataError(
                f"row {i}: label {labels!r} is not a list of labels; give every row a list "
                "(an empty one for no label)"
            )
        items = labels.tolist() if isinstance(labels, np.ndarray) else list(labels)
        flat += items
        rows += [i] * len(items)
    array = _as_array(flat) if flat else np.asarray([], dtype=object)
    return array, np.asarray(rows, dtype=np.int64)
