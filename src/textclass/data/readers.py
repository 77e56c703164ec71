"""Read labeled text from files: CSV, TSV, JSONL, Parquet, fastText, class folders.

Every reader returns a :class:`Dataset` holding every row of the file, or raises
a :class:`DataError` naming the file, the column, the row or the value at fault.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from textclass.data import multilabel
from textclass.data.columns import (
    INTEGER,
    LABEL_NAMES,
    TEXT_NAMES,
    choose_columns,
    text_only_column,
)
from textclass.data.dataset import Dataset
from textclass.errors import ConfigError, DataError, did_you_mean

FORMATS = ("csv", "tsv", "jsonl", "parquet", "fasttext", "folder")
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".ft": "fasttext",
}
COMMON_ENCODINGS = ("utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16")


def detect_format(path: Path) -> str:
    if path.is_dir():
        return "folder"
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt:
        return fmt
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"__label__"):
        return "fasttext"
    if b"\t" in head.split(b"\n", 1)[0]:
        return "tsv"
    return "csv"


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
    fmt = format or detect_format(path)
    notes: list[str] = []
    warnings: list[str] = []
    if fmt == "folder":
        frame = _read_folder(path, encoding, warnings)
        text_col, label_col = "text", "label"
    elif fmt == "fasttext":
        frame = _read_fasttext(path, encoding)
        text_col, label_col = "text", "label"
    else:
        wanted = (text_col, label_col, group_col, *(label_cols or ()))
        frame = _read_table(path, fmt, header, encoding, wanted, notes)
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
    dataset.notes[:0] = notes
    dataset.warnings[:0] = warnings
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
    labels = frame[label_col].to_numpy(dtype=object, na_value=None)
    notes: list[str] = [columns.note] if columns.note else []
    sets = None
    if label_cols:
        sets = labels.tolist()
    elif label_sep is not None:
        sets = multilabel.split_cells(labels.tolist(), label_sep, path, label_col)
    elif any(isinstance(v, (list, tuple)) for v in labels.tolist()):
        sets = multilabel.list_cells(labels.tolist(), path, label_col)
    if sets is not None:
        labels = multilabel.normalize_sets(sets)
        unlabeled = sum(1 for s in sets if not s)
        if unlabeled:
            notes.append(f"{unlabeled} row(s) carry no label (an empty label set)")
    missing_label = [
        i for i, v in enumerate(labels.tolist()) if sets is None and (v is None or v == "")
    ]
    if missing_label:
        raise DataError(
            f"{path}: column {label_col!r} is empty in {len(missing_label)} row(s) "
            f"(first at data row {missing_label[0] + 1})"
        )
    not_text = [i for i, t in enumerate(texts.tolist()) if t is not None and not isinstance(t, str)]
    if not_text:
        texts = np.array(
            [t if t is None or isinstance(t, str) else str(t) for t in texts.tolist()], dtype=object
        )
    empty = np.array([t is None or not t.strip() for t in texts.tolist()], dtype=bool)
    if empty.any():
        rows = np.flatnonzero(empty)[:5] + 1
        message = (
            f"{path}: {int(empty.sum())} row(s) with empty or missing text in column "
            f"{text_col!r} (data rows {', '.join(map(str, rows.tolist()))}"
            f"{', ...' if empty.sum() > 5 else ''})"
        )
        if on_empty == "error":
            raise DataError(message + "; pass on_empty='drop' (CLI: --on-empty drop) to drop them")
        notes.append(f"dropped {int(empty.sum())} row(s) with empty or missing text")
        keep = ~empty
        texts, labels = texts[keep], labels[keep]
        frame = frame.loc[keep]
        if len(texts) == 0:
            raise DataError(f"{path}: every row has empty text; nothing left to use")
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
    )


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


# ---------------------------------------------------------------- formats
def _read_bytes(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _decode(raw: bytes, path: Path, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(
            f"{path}: line {line}: byte 0x{raw[exc.start]:02x} at offset {exc.start} is not "
            f"valid {encoding}; pass the file's encoding (CLI: --encoding latin-1)"
        ) from None


def _read_table(path: Path, fmt: str, header, encoding: str, wanted, notes=None) -> pd.DataFrame:
    if fmt == "parquet":
        try:
            return pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises many types for bad files
            raise DataError(f"{path}: not a readable Parquet file ({exc})") from None
    text = _decode(_read_bytes(path), path, encoding)
    if fmt == "jsonl":
        return _read_jsonl(text, path)
    sep = "\t" if fmt == "tsv" else ","
    if header is None:
        header, reason = _has_header(text, sep, wanted)
        if reason and notes is not None:
            notes.append(reason)
    # TSV files are read without quote handling: a stray `"` must not swallow
    # the lines that follow (UCI imdb_labelled.txt loses 252 rows otherwise).
    quoting = csv.QUOTE_NONE if fmt == "tsv" else csv.QUOTE_MINIMAL
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=0 if header else None,
            quoting=quoting,
            dtype=str,
            keep_default_na=False,
            na_values=[],
            lineterminator="\n" if fmt == "tsv" else None,
        )
    except pd.errors.ParserError as exc:
        raise DataError(f"{path}: cannot parse as {fmt.upper()}: {exc}") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty") from None
    if fmt == "tsv":
        frame = frame.apply(lambda col: col.str.rstrip("\r"))
        lines = sum(1 for line in text.split("\n") if line.rstrip("\r")) - bool(header)
        if len(frame) != lines:
            raise DataError(
                f"{path}: read {len(frame)} rows from {lines} lines; the file is malformed"
            )
    return frame


def _has_header(text: str, sep: str, wanted) -> tuple[bool, str | None]:
    """(has a header, why, when only the content tells: the first line is then not data)."""
    first = text.split("\n", 1)[0].rstrip("\r")
    cells = [c.strip().strip('"') for c in first.split(sep)]
    named = [w for w in wanted if isinstance(w, str) and not w.isdigit()]
    if any(w in cells for w in named):
        return True, None
    known = {n for n in TEXT_NAMES + LABEL_NAMES}
    if any(c.lower() in known for c in cells):
        return True, None
    rows = [line.rstrip("\r").split(sep) for line in text.split("\n")[1:200] if line.strip()]
    for col, cell in enumerate(cells):
        values = [row[col].strip().strip('"') for row in rows if len(row) == len(cells)]
        if not values or _is_number(cell):
            continue
        # numeric in every later row but not in the first; or a few repeated values
        # (labels) of which the first cell is none
        few = set(values)
        if all(_is_number(v) for v in values) or (
            len(values) >= 20 and len(few) <= min(10, len(values) // 10) and cell not in few
        ):
            return True, f"line 1 read as the header ({', '.join(cells)})"
    return False, None


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _read_jsonl(text: str, path: Path) -> pd.DataFrame:
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}: line {number}: invalid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise DataError(
                f"{path}: line {number}: expected a JSON object, got {type(record).__name__}"
            )
        rows.append(record)
    if not rows:
        raise DataError(f"{path}: the file has no data rows")
    return pd.DataFrame.from_records(rows)


def _read_fasttext(path: Path, encoding: str) -> pd.DataFrame:
    """``__label__pos __label__x some text``: the first label is the row's label."""
    texts, labels = [], []
    text = _decode(_read_bytes(path), path, encoding)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        words = line.split(" ")
        tags = [w for w in words if w.startswith("__label__")]
        if not tags:
            raise DataError(f"{path}: line {number}: no __label__ prefix")
        labels.append(tags[0][len("__label__") :])
        texts.append(" ".join(w for w in words if not w.startswith("__label__")).strip())
    return pd.DataFrame({"text": texts, "label": labels})


def _read_folder(path: Path, encoding: str, warnings: list[str]) -> pd.DataFrame:
    """One sub-folder per class holding ``*.txt`` files (aclImdb's ``train/pos``).

    A class folder without ``.txt`` files is left out, and ``warnings`` says so.
    """
    texts, labels, empty = [], [], []
    classes = sorted(p for p in path.iterdir() if p.is_dir())
    for folder in classes:
        files = sorted(folder.glob("*.txt"))
        if not files:
            empty.append(folder.name)
        for file in files:
            texts.append(_decode(_read_bytes(file), file, encoding))
            labels.append(folder.name)
    if len(set(labels)) < 1:
        raise DataError(f"{path}: no class folders with .txt files found")
    if empty:
        warnings.append(
            f"dropped {len(empty)} class folder(s) without .txt files: {', '.join(empty)}"
        )
    return pd.DataFrame({"text": texts, "label": labels})


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
    fmt = format or detect_format(path)
    if fmt in ("folder", "fasttext"):
        raise DataError(
            f"{path}: {fmt} input is for labeled data; give a CSV, TSV, JSONL or Parquet file"
        )
    return _read_table(path, fmt, header, encoding, wanted)


def text_column(frame: pd.DataFrame, path, text_col=None) -> list[str]:
    """The texts of ``frame``'s text column; missing cells become empty texts."""
    col = text_only_column(frame, path, text_col)
    values = frame[col].to_numpy(dtype=object, na_value=None).tolist()
    return ["" if v is None else str(v) for v in values]
