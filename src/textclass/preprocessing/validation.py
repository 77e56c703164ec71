"""Checks on what users pass as "a list of texts"."""

from __future__ import annotations

import math

import numpy as np

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
    """Rows (from 0) whose text is empty or only whitespace."""
    return [i for i, text in enumerate(texts) if not text.strip()]


def check_not_empty(texts: list[str], *, name: str = "X") -> None:
    """DataError naming the empty texts: a model has nothing to go on, and any label
    it gave them would look confident."""
    empty = empty_rows(texts)
    if empty:
        raise DataError(
            f"`{name}` has {len(empty)} empty text(s) (rows {_rows(empty)}, counted from 0): "
            "there is nothing to classify; drop them first"
        )
