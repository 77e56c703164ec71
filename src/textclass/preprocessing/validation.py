"""Checks on what users pass as "a list of texts", and the policy for empty texts.

An empty (or whitespace-only) text gets no label: :func:`empty_rows` decides what
is empty for every caller (the estimator, the Predictor, ``predict_texts``, batch
scoring and the service), each of which names the rows its own way.
"""

from __future__ import annotations

import math

import numpy as np

from textclass.checks import is_blank
from textclass.errors import DataError


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def check_texts(texts, *, name: str = "texts") -> list[str]:
    """Return ``texts`` as a list of str, or raise a one-line DataError.

    A bare string is refused (it would otherwise be read as one text per
    character); missing values and non-strings are refused with their rows.
    """
    if isinstance(texts, (str, bytes)):
        raise DataError(
            f"`{name}` must be a list of texts, got a single {type(texts).__name__}; "
            f"wrap it in a list: [{texts[:30]!r}]"
        )
    if hasattr(texts, "to_numpy"):  # pandas Series / Index / arrow-backed arrays
        texts = texts.to_numpy(dtype=object, na_value=None)
    if isinstance(texts, np.ndarray) and texts.ndim != 1:
        raise DataError(f"`{name}` must be one-dimensional, got shape {texts.shape}")
    try:
        out = list(texts)
    except TypeError:
        raise DataError(
            f"`{name}` must be an iterable of strings, got {type(texts).__name__}"
        ) from None
    if all(type(t) is str for t in out):
        return out
    missing = [i for i, t in enumerate(out) if _is_missing(t)]
    if missing:
        raise DataError(
            f"`{name}` has {len(missing)} missing value(s) (rows {_rows(missing)}); "
            "drop or fill them first"
        )
    bad = [i for i, t in enumerate(out) if not isinstance(t, str)]
    if bad:
        raise DataError(
            f"`{name}` must hold strings; row {bad[0]} is "
            f"{type(out[bad[0]]).__name__} {out[bad[0]]!r} ({len(bad)} such rows)"
        )
    return [str(t) for t in out]


def _rows(rows: list[int], most: int = 5) -> str:
    shown = ", ".join(map(str, rows[:most]))
    return shown + (f", ... ({len(rows) - most} more)" if len(rows) > most else "")


def empty_rows(texts: list[str]) -> list[int]:
    """Rows (from 0) whose text is empty or only whitespace (:func:`textclass.checks.is_blank`)."""
    return [i for i, text in enumerate(texts) if is_blank(text)]


def check_not_empty(texts: list[str], *, name: str = "X") -> None:
    """DataError naming the empty texts: a model has nothing to go on, and any label
    it gave them would look confident."""
    empty = empty_rows(texts)
    if empty:
        raise DataError(
            f"`{name}` has {len(empty)} empty text(s) (rows {_rows(empty)}, counted from 0): "
            "there is nothing to classify; drop them first"
        )


def check_predictable(texts: list[str], *, source: str | None = None, first_row: int = 1) -> None:
    """DataError naming the empty texts of a file (``source``, data rows counted from 1)
    or of the texts given (counted from 1): what ``predict_texts`` and batch scoring refuse.

    ``first_row``: the number of ``texts[0]`` (a chunk of a file read in parts)."""
    empty = [i + first_row for i in empty_rows(list(texts))]
    if not empty:
        return
    shown = ", ".join(map(str, empty[:5])) + (", ..." if len(empty) > 5 else "")
    where = (
        f"{source}: {len(empty)} row(s) with empty text (data rows {shown})"
        if source
        else (f"{len(empty)} of the {len(texts)} texts given are empty (text {shown})")
    )
    raise DataError(
        f"{where}: there is nothing to classify; remove them (empty texts get no label)"
    )


def texts_to_predict(X, *, name: str = "X") -> list[str]:
    """``X`` as a list of texts a model can predict: :func:`check_texts`, then
    :func:`check_not_empty`."""
    texts = check_texts(X, name=name)
    check_not_empty(texts, name=name)
    return texts
