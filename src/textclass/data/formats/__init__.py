"""Every file format textclass reads, declared once.

An entry names the format, the file suffixes that select it, how to read a whole
file as a table (:func:`textclass.data.read_dataset`, ``predict --input``) and, for
batch scoring, how to read it in chunks and write it back with predictions
(:mod:`textclass.batch`). To add a format, write its reader (and, to score it in
batches, its chunk reader and writer: :class:`common.ChunkReader`,
:class:`common.PredictionWriter`) in a module of this package and add one entry below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from textclass.data.formats import delimited, jsonl, labeled, parquet
from textclass.data.formats.common import LABEL, PROBABILITY, TableRead


@dataclass(frozen=True, kw_only=True)
class FileFormat:
    name: str  # the ``format=`` / ``--format`` value
    title: str  # in messages
    suffixes: tuple[str, ...]  # lower case, with the dot
    read_table: Callable[[Path, TableRead], pd.DataFrame]  # the whole file
    chunks: type | None = None  # a ChunkReader; None: batch scoring does not read it
    writer: type | None = None  # a PredictionWriter, given the chunk reader
    fixed_columns: tuple[str, str] | None = None  # (text, label) set by the format itself

    @property
    def labeled_only(self) -> bool:
        """The format holds labeled data only (its columns are its own): no texts to score."""
        return self.fixed_columns is not None


_ENTRIES = (
    FileFormat(
        name="csv",
        title="CSV",
        suffixes=(".csv",),
        read_table=delimited.read_csv,
        chunks=delimited.CsvChunks,
        writer=delimited.CsvWriter,
    ),
    FileFormat(
        name="tsv",
        title="TSV",
        suffixes=(".tsv", ".tab"),
        read_table=delimited.read_tsv,
        chunks=delimited.TsvChunks,
        writer=delimited.CsvWriter,
    ),
    FileFormat(
        name="jsonl",
        title="JSONL",
        suffixes=(".jsonl", ".ndjson", ".json"),
        read_table=jsonl.read_table,
        chunks=jsonl.JsonlChunks,
        writer=jsonl.JsonlWriter,
    ),
    FileFormat(
        name="parquet",
        title="Parquet",
        suffixes=(".parquet", ".pq"),
        read_table=parquet.read_table,
        chunks=parquet.ParquetChunks,
        writer=parquet.ParquetWriter,
    ),
    FileFormat(
        name="fasttext",
        title="fastText",
        suffixes=(".ft",),
        read_table=labeled.read_fasttext,
        fixed_columns=("text", "label"),
    ),
    FileFormat(
        name="folder",
        title="class folders",
        suffixes=(),  # a directory (see detect_format)
        read_table=labeled.read_folder,
        fixed_columns=("text", "label"),
    ),
)
_REGISTRY = {entry.name: entry for entry in _ENTRIES}
_BY_SUFFIX = {suffix: entry.name for entry in _ENTRIES for suffix in entry.suffixes}

FORMATS = tuple(_REGISTRY)
"""Every format name, as ``format=`` takes them."""


def get_format(name: str) -> FileFormat:
    """The entry of a known format name (check an option with ``name in FORMATS`` first)."""
    return _REGISTRY[name]


def formats(*, chunked: bool | None = None, labeled_only: bool | None = None) -> list[FileFormat]:
    """The entries in order, those that batch scoring reads (``chunked=True``) or that hold
    unlabeled texts too (``labeled_only=False``)."""
    return [
        entry
        for entry in _ENTRIES
        if (chunked is None or (entry.chunks is not None) == chunked)
        and (labeled_only is None or entry.labeled_only == labeled_only)
    ]


def detect_format(path: Path) -> str:
    """The format of ``path``: a folder, its suffix, or failing that its first bytes."""
    if path.is_dir():
        return "folder"
    fmt = _BY_SUFFIX.get(path.suffix.lower())
    if fmt:
        return fmt
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"__label__"):
        return "fasttext"
    if b"\t" in head.split(b"\n", 1)[0]:
        return "tsv"
    return "csv"


__all__ = [
    "FORMATS",
    "LABEL",
    "PROBABILITY",
    "FileFormat",
    "TableRead",
    "detect_format",
    "formats",
    "get_format",
]
