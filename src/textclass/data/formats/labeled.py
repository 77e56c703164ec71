"""Formats that fix their own text and label columns, for labeled data only: fastText
lines and class folders."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from textclass.data.formats.common import TableRead, decode, read_bytes
from textclass.errors import DataError


def read_fasttext(path: Path, request: TableRead) -> pd.DataFrame:
    """``__label__pos __label__x some text``: the first label is the row's label."""
    texts, labels = [], []
    text = decode(read_bytes(path), path, request.encoding)
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


def read_folder(path: Path, request: TableRead) -> pd.DataFrame:
    """One sub-folder per class holding ``*.txt`` files (aclImdb's ``train/pos``).

    A class folder without ``.txt`` files is left out, and ``request.warnings`` says so.
    """
    texts, labels, empty = [], [], []
    classes = sorted(p for p in path.iterdir() if p.is_dir())
    for folder in classes:
        files = sorted(folder.glob("*.txt"))
        if not files:
            empty.append(folder.name)
        for file in files:
            texts.append(decode(read_bytes(file), file, request.encoding))
            labels.append(folder.name)
    if len(set(labels)) < 1:
        raise DataError(f"{path}: no class folders with .txt files found")
    if empty:
        request.warnings.append(
            f"dropped {len(empty)} class folder(s) without .txt files: {', '.join(empty)}"
        )
    return pd.DataFrame({"text": texts, "label": labels})
