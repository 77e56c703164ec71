"""Read labeled text from files: CSV, TSV, JSONL, Parquet, fastText, class folders
(each format as :mod:`textclass.data.formats` declares it).

Every reader returns a :class:`Dataset` holding every row of the file, or raises
a :class:`DataError` naming the file, the column, the row or the value at fault.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np
import pandas as pd

from textclass.checks import is_blank
from textclass.data import multilabel
from textclass.data.columns import INTEGER, choose_columns, text_only_column
from textclass.data.dataset import Dataset
from textclass.data.formats import (
    FORMATS,
    TableRead,
    detect_format,
    formats,
    get_format,
)
from textclass.errors import ConfigError, DataError, did_you_mean

COMMON_ENCODINGS = ("utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16")


def read_dataset(
    path,
    *,
    text_col: str | int | None = None,
    label_col: str | int | None = None,
    group_col: str | int | None = None,
    format: str | None = None,
    header: bool | None = None,
    encoding: str = "utf-8",
    on_empty: str = "error",
    label_sep: str | None = None,
    label_cols=None,
) -> Dataset:
    """Read a labeled dataset from ``path``.

    Multi-label data (a set of labels per row): JSONL arrays (``"labels": ["a",
    "b"]``), a separator inside the label cell (``label_sep=","`` for ``3,10``), or
    several 0/1 columns (``label_cols=["a", "b", "c"]``, named as the labels).

    ``header=None`` detects whether a CSV/TSV file has a header row. Columns are
    named (or, without header, numbered from 0); unnamed, the text column is the
    first of ``text``, ``sentence``, ``review``, ... and the label column the
    first of ``label``, ``category``, ...; failing that they are chosen by
    content (:mod:`textclass.data.columns`), and ``Dataset.notes`` says which.
    ``on_empty`` is ``"error"`` or ``"drop"`` for rows whose text is empty or missing.
    """
    path = Path(path)
    check_options(encoding=encoding, on_empty=on_empty, format=format)
    label_cols = multilabel.parse_label_cols(label_cols)
    multilabel.check_options(label_sep, label_cols, label_col)
    if not path.exists():
        raise DataError(f"{path}: no such file or directory")
    fmt = get_format(format or detect_format(path))
    wanted = (text_col, label_col, group_col, *(label_cols or ()))
    request = TableRead(encoding=encoding, header=header, wanted=wanted)
    frame = fmt.read_table(path, request)
    if fmt.fixed_columns is not None:
        text_col, label_col = fmt.fixed_columns
    dataset = frame_to_dataset(
        frame,
        path=str(path),
        text_col=text_col,
        label_col=label_col,
        group_col=group_col,
        on_empty=on_empty,
        label_sep=label_sep,
        label_cols=label_cols,
    )
    dataset.notes[:0] = request.notes
    dataset.warnings[:0] = request.warnings
    return dataset


def check_options(*, encoding: str = "utf-8", on_empty: str = "error", format=None) -> None:
    """ConfigError for an unknown encoding, empty-text policy or format (before any reading)."""
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        from encodings.aliases import aliases

        names = {*aliases, *aliases.values(), *COMMON_ENCODINGS}
        raise ConfigError(
            f"unknown encoding {encoding!r}{did_you_mean(encoding, sorted(names))}; common ones: "
            f"{', '.join(COMMON_ENCODINGS)} (any Python codec name works)"
        ) from None
    if on_empty not in ("error", "drop"):
        raise ConfigError(
            f"Received an invalid value for `on_empty`, expected 'error' or 'drop'. "
            f"Received: on_empty={on_empty!r}"
        )
    if format is not None and format not in FORMATS:
        raise ConfigError(
            f"unknown format {format!r}{did_you_mean(format, FORMATS)}; "
            f"expected one of {', '.join(FORMATS)}"
        )


def frame_to_dataset(
    frame: pd.DataFrame,
    *,
    path: str,
    text_col=None,
    label_col=None,
    group_col=None,
    on_empty: str = "error",
    name: str | None = None,
    label_sep: str | None = None,
    label_cols=None,
) -> Dataset:
    """Pick the text, label and group columns of ``frame`` and check every row."""
    if len(frame) == 0:
        raise DataError(f"{path}: the file has no data rows")
    if label_cols:
        frame = multilabel.gather_columns(frame, label_cols, path)
        label_col = multilabel.label_column_name(frame)
    columns = choose_columns(
        frame, path, text_col=text_col, label_col=label_col, group_col=group_col
    )
    text_col, label_col, group_col = columns.text, columns.label, columns.group
    texts = frame[text_col].to_numpy(dtype=object, na_value=None)
    notes: list[str] = [columns.note] if columns.note else []
    labels, sets = _labels(frame, path, label_col, label_sep, label_cols, notes)
    texts = np.array(
        [t if t is None or isinstance(t, str) else str(t) for t in texts.tolist()], dtype=object
    )
    keep = _rows_with_text(texts, path, text_col, on_empty, notes)
    rows, dropped = None, ()
    if keep is not None:
        texts, labels, frame = texts[keep], labels[keep], frame.loc[keep]
        rows, dropped = np.flatnonzero(keep) + 1, tuple((np.flatnonzero(~keep) + 1).tolist())
    groups = None
    if group_col is not None:
        groups = frame[group_col].to_numpy(dtype=object, na_value=None).astype(str)
    return Dataset(
        texts=texts.tolist(),
        labels=labels if sets is not None else _normalize_labels(labels),
        groups=groups,
        group_name=None if group_col is None else str(group_col),
        name=name or path,
        notes=notes,
        rows=rows,
        dropped_rows=dropped,
    )


def _labels(frame, path, label_col, label_sep, label_cols, notes: list[str]):
    """``(labels, label sets or None)``: single labels, every row labeled; or label sets
    (separated in a cell, lists, or 0/1 columns), rows without a label counted."""
    labels = frame[label_col].to_numpy(dtype=object, na_value=None)
    sets = None
    if label_cols:
        sets = labels.tolist()
    elif label_sep is not None:
        sets = multilabel.split_cells(labels.tolist(), label_sep, path, label_col)
    elif any(isinstance(v, (list, tuple)) for v in labels.tolist()):
        sets = multilabel.list_cells(labels.tolist(), path, label_col)
    if sets is not None:
        unlabeled = sum(1 for s in sets if not s)
        if unlabeled:
            notes.append(f"{unlabeled} row(s) carry no label (an empty label set)")
        return multilabel.normalize_sets(sets), sets
    missing = [i for i, v in enumerate(labels.tolist()) if v is None or v == ""]
    if missing:
        raise DataError(
            f"{path}: column {label_col!r} is empty in {len(missing)} row(s) "
            f"(first at data row {missing[0] + 1})"
        )
    return labels, None


def _rows_with_text(texts: np.ndarray, path, text_col, on_empty: str, notes: list[str]):
    """None when every row has text (:func:`textclass.checks.is_blank`); else, with
    ``on_empty="drop"``, the rows to keep (the drop counted in ``notes``), or DataError."""
    empty = np.array([is_blank(t) for t in texts.tolist()], dtype=bool)
    if not empty.any():
        return None
    rows = np.flatnonzero(empty)[:5] + 1
    message = (
        f"{path}: {int(empty.sum())} row(s) with empty or missing text in column "
        f"{text_col!r} (data rows {', '.join(map(str, rows.tolist()))}"
        f"{', ...' if empty.sum() > 5 else ''})"
    )
    if on_empty == "error":
        raise DataError(message + "; pass on_empty='drop' (CLI: --on-empty drop) to drop them")
    notes.append(f"dropped {int(empty.sum())} row(s) with empty or missing text")
    if empty.all():
        raise DataError(f"{path}: every row has empty text; nothing left to use")
    return ~empty


def _normalize_labels(labels: np.ndarray) -> np.ndarray:
    """One dtype for the labels: int if all are integers (``1``, ``1.0``, ``"1"``), else str."""
    values = labels.tolist()
    if all(isinstance(v, (bool, np.bool_)) for v in values):
        return np.array(values, dtype=bool)
    if all(_is_integer(v) for v in values):
        return np.array([int(v) for v in values], dtype=np.int64)
    return np.array([str(v) for v in values], dtype=str)


def _is_integer(value) -> bool:
    """An integer label that fits int64: a number, or a CSV cell of digits."""
    if isinstance(value, str):
        return bool(INTEGER.fullmatch(value))
    if isinstance(value, (float, np.floating)):
        return float(value).is_integer() and abs(value) < 2**63
    return isinstance(value, (int, np.integer)) and -(2**63) <= value < 2**63


def read_frame(
    path,
    *,
    format: str | None = None,
    encoding: str = "utf-8",
    header: bool | None = None,
    wanted=(),
) -> pd.DataFrame:
    """Any supported table file as a DataFrame, e.g. unlabeled texts to score."""
    path = Path(path)
    check_options(encoding=encoding, format=format)
    if not path.exists():
        raise DataError(f"{path}: no such file or directory")
    fmt = get_format(format or detect_format(path))
    if fmt.labeled_only:
        titles = [f.title for f in formats(labeled_only=False)]
        raise DataError(
            f"{path}: {fmt.name} input is for labeled data; give a "
            f"{', '.join(titles[:-1])} or {titles[-1]} file"
        )
    return fmt.read_table(path, TableRead(encoding=encoding, header=header, wanted=wanted))


def text_column(frame: pd.DataFrame, path, text_col=None) -> list[str]:
    """The texts of ``frame``'s text column; missing cells become empty texts."""
    col = text_only_column(frame, path, text_col)
    values = frame[col].to_numpy(dtype=object, na_value=None).tolist()
    return ["" if v is None else str(v) for v in values]
