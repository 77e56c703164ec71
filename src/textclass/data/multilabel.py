"""Label sets in files: JSONL arrays, a separator inside a cell, or 0/1 columns.

A multi-label dataset's ``labels`` is an object array holding one tuple of
labels per row (possibly empty). Every problem names the file, the row (data
rows counted from 1) and the value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from textclass.checks import is_int
from textclass.data.columns import INTEGER, named_column
from textclass.errors import ConfigError, DataError

LABELS_COLUMN = "labels"  # the column label_cols are gathered into
_TRUE = {"1", "1.0", "true", "yes"}
_FALSE = {"0", "0.0", "false", "no", ""}


def check_options(label_sep=None, label_cols=None, label_col=None) -> None:
    if label_sep is not None and (not isinstance(label_sep, str) or not label_sep):
        raise ConfigError(f"label_sep must be a non-empty string, got {label_sep!r}")
    if label_cols is not None:
        if isinstance(label_cols, str) or not label_cols or len(set(label_cols)) < 2:
            raise ConfigError(
                f"label_cols needs at least two distinct column names, got {label_cols!r} "
                "(CLI: --label-cols a,b,c)"
            )
        if label_sep is not None or label_col is not None:
            raise ConfigError("give label_cols alone: not with label_col or label_sep")


def parse_label_cols(value) -> list | None:
    """``"a,b,c"`` (CLI) or a list -> a list of column names."""
    if value is None:
        return None
    if isinstance(value, str):
        return [c.strip() for c in value.split(",") if c.strip()]
    return list(value)


def gather_columns(frame: pd.DataFrame, label_cols, path) -> pd.DataFrame:
    """``frame`` with the 0/1 ``label_cols`` replaced by one column of label tuples."""
    columns = [named_column(frame, c, path, "label") for c in label_cols]
    names = [str(c) for c in label_cols]
    flags = np.zeros((len(frame), len(columns)), dtype=bool)
    for j, col in enumerate(columns):
        for i, value in enumerate(frame[col].tolist()):
            flags[i, j] = _flag(value, path, col, i)
    sets = [tuple(n for n, f in zip(names, row) if f) for row in flags]
    out = frame.drop(columns=columns)
    out[LABELS_COLUMN if LABELS_COLUMN not in out.columns else "__labels__"] = _tuples(sets)
    return out


def label_column_name(frame: pd.DataFrame) -> str:
    return "__labels__" if "__labels__" in frame.columns else LABELS_COLUMN


def _flag(value, path, col, row: int) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and value in (0, 1):
        return bool(value)
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE and value is not None:
        return False
    raise DataError(
        f"{path}: column {col!r}, data row {row + 1}: {value!r} is not 0 or 1 "
        "(label columns hold 0/1, true/false)"
    )


def split_cells(values: list, sep: str, path, col) -> list[tuple]:
    """Cells like ``"3,10"`` -> ``("3", "10")``; an empty cell is an empty set."""
    out = []
    for i, cell in enumerate(values):
        if cell is None:
            raise DataError(f"{path}: column {col!r}, data row {i + 1}: missing labels")
        if isinstance(cell, (list, tuple)):
            items = list(cell)
        else:
            text = str(cell).strip()
            items = [p.strip() for p in text.split(sep)] if text else []
        if any(p == "" for p in items):
            raise DataError(
                f"{path}: column {col!r}, data row {i + 1}: {cell!r} has an empty label "
                f"between separators {sep!r}"
            )
        out.append(tuple(items))
    return out


def list_cells(values: list, path, col) -> list[tuple]:
    """JSONL cells that are arrays -> tuples; a scalar among arrays is an error."""
    out = []
    for i, cell in enumerate(values):
        if not isinstance(cell, (list, tuple)):
            raise DataError(
                f"{path}: column {col!r}, data row {i + 1}: {cell!r} is not a list while other "
                "rows hold lists of labels (give [] for no label)"
            )
        for item in cell:
            if isinstance(item, (list, dict)) or item is None or item == "":
                raise DataError(
                    f"{path}: column {col!r}, data row {i + 1}: label {item!r} in {cell!r} is "
                    "not a label (strings or numbers)"
                )
        out.append(tuple(cell))
    return out


def normalize_sets(sets: list[tuple]) -> np.ndarray:
    """One type for every label of every row: int when all are integers, else str."""
    flat = [v for s in sets for v in s]
    if all(isinstance(v, (bool, np.bool_)) for v in flat):
        cast = bool
    elif all(_integer(v) for v in flat):
        cast = int
    else:
        cast = str
    return _tuples([tuple(dict.fromkeys(cast(v) for v in s)) for s in sets])


def _integer(value) -> bool:
    if isinstance(value, str):
        return bool(INTEGER.fullmatch(value))
    if isinstance(value, (float, np.floating)):
        return float(value).is_integer()
    return is_int(value)


def _tuples(sets: list[tuple]) -> np.ndarray:
    out = np.empty(len(sets), dtype=object)
    for i, s in enumerate(sets):  # numpy would unpack equal-length tuples into a 2-D array
        out[i] = tuple(s)
    return out


def is_label_sets(labels: np.ndarray) -> bool:
    return labels.dtype == object and len(labels) > 0 and isinstance(labels[0], tuple)
