"""Read labeled text from files: CSV, TSV, JSONL, Parquet, fastText, class folders.

Every reader returns a :class:`Dataset` holding every row of the file, or raises
a :class:`DataError` naming the file, the column, the row or the value at fault.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from textclass.data.dataset import Dataset
from textclass.errors import DataError

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
_TEXT_NAMES = ("text", "sentence", "review", "document", "content", "body")
_LABEL_NAMES = ("label", "labels", "category", "class", "target", "sentiment", "y")


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
) -> Dataset:
    """Read a labeled dataset from ``path``.

    ``header=None`` detects whether a CSV/TSV file has a header row. Columns are
    named (or, without header, numbered from 0); by default the text column is
    the first of ``text``, ``sentence``, ``review``, ... (else the first column)
    and the label column the first of ``label``, ``category``, ... (else the last).
    ``on_empty`` is ``"error"`` or ``"drop"`` for rows whose text is empty or missing.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or directory")
    if on_empty not in ("error", "drop"):
        raise DataError(f"on_empty must be 'error' or 'drop', got {on_empty!r}")
    fmt = format or detect_format(path)
    if fmt not in FORMATS:
        raise DataError(f"{path}: unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "folder":
        frame = _read_folder(path, encoding)
        text_col, label_col = "text", "label"
    elif fmt == "fasttext":
        frame = _read_fasttext(path, encoding)
        text_col, label_col = "text", "label"
    else:
        frame = _read_table(path, fmt, header, encoding, (text_col, label_col, group_col))
    return frame_to_dataset(
        frame,
        path=str(path),
        text_col=text_col,
        label_col=label_col,
        group_col=group_col,
        on_empty=on_empty,
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
) -> Dataset:
    """Pick the text, label and group columns of ``frame`` and check every row."""
    text_col = _column(frame, text_col, _TEXT_NAMES, 0, path, "text")
    label_col = _column(frame, label_col, _LABEL_NAMES, -1, path, "label")
    if group_col is not None:
        group_col = _column(frame, group_col, (), None, path, "group")
    if len(frame) == 0:
        raise DataError(f"{path}: the file has no data rows")
    texts = frame[text_col].to_numpy(dtype=object, na_value=None)
    labels = frame[label_col].to_numpy(dtype=object, na_value=None)
    notes: list[str] = []
    missing_label = [i for i, v in enumerate(labels.tolist()) if v is None or v == ""]
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
        labels=_normalize_labels(labels),
        groups=groups,
        group_name=None if group_col is None else str(group_col),
        name=name or path,
        notes=notes,
    )


def _normalize_labels(labels: np.ndarray) -> np.ndarray:
    """One dtype for the labels: int if all are integers, else str."""
    values = labels.tolist()
    if all(isinstance(v, (bool, np.bool_)) for v in values):
        return np.array(values, dtype=bool)
    if all(isinstance(v, (int, np.integer)) for v in values):
        return np.array(values, dtype=np.int64)
    if all(isinstance(v, (float, np.floating)) and float(v).is_integer() for v in values):
        return np.array(values, dtype=np.int64)
    return np.array([str(v) for v in values], dtype=str)


def _column(frame, wanted, names, fallback, path, role):
    columns = list(frame.columns)
    if wanted is not None:
        if wanted in columns:
            return wanted
        if isinstance(wanted, str) and wanted.isdigit() and int(wanted) in columns:
            return int(wanted)
        raise DataError(
            f"{path}: no {role} column {wanted!r}; columns are: {', '.join(map(str, columns))}"
        )
    lowered = {str(c).lower(): c for c in columns}
    for name in names:
        if name in lowered:
            return lowered[name]
    if fallback is None or not columns:
        raise DataError(f"{path}: cannot tell which column holds the {role}; columns: {columns}")
    return columns[fallback]


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


def _read_table(path: Path, fmt: str, header, encoding: str, wanted) -> pd.DataFrame:
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
        header = _has_header(text, sep, wanted)
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
    return _numeric_labels(frame)


def _numeric_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn all-integer string columns back into integers (labels like 0/1)."""
    for col in frame.columns:
        values = frame[col]
        if values.map(lambda v: isinstance(v, str) and v.strip().lstrip("-").isdigit()).all():
            frame[col] = values.astype(np.int64)
    return frame


def _has_header(text: str, sep: str, wanted) -> bool:
    first = text.split("\n", 1)[0].rstrip("\r")
    cells = [c.strip().strip('"') for c in first.split(sep)]
    named = [w for w in wanted if isinstance(w, str) and not w.isdigit()]
    if any(w in cells for w in named):
        return True
    known = {n for n in _TEXT_NAMES + _LABEL_NAMES}
    if any(c.lower() in known for c in cells):
        return True
    # a column that is numeric in every later row but not in the first: a header
    rows = [line.rstrip("\r").split(sep) for line in text.split("\n")[1:200] if line.strip()]
    for col, cell in enumerate(cells):
        values = [row[col] for row in rows if len(row) == len(cells)]
        if values and not _is_number(cell) and all(_is_number(v) for v in values):
            return True
    return False


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


def _read_folder(path: Path, encoding: str) -> pd.DataFrame:
    """One sub-folder per class holding ``*.txt`` files (aclImdb's ``train/pos``)."""
    texts, labels = [], []
    classes = sorted(p for p in path.iterdir() if p.is_dir())
    for folder in classes:
        for file in sorted(folder.glob("*.txt")):
            texts.append(_decode(_read_bytes(file), file, encoding))
            labels.append(folder.name)
    if len(set(labels)) < 1:
        raise DataError(f"{path}: no class folders with .txt files found")
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
    col = _column(frame, text_col, _TEXT_NAMES, 0, path, "text")
    values = frame[col].to_numpy(dtype=object, na_value=None).tolist()
    return ["" if v is None else str(v) for v in values]
