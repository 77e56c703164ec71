"""What the file formats share: how a whole file is asked for, a chunk of rows, the
columns that scoring adds, decoding errors and line counts.

A format's chunk reader and prediction writer follow :class:`ChunkReader` and
:class:`PredictionWriter`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from textclass.errors import DataError

LABEL, PROBABILITY = "predicted", "probability"
"""The columns a prediction writer adds to the input's own."""


@dataclass
class TableRead:
    """How to read a whole file (``read_table``), and what the reader found on the way."""

    encoding: str = "utf-8"
    header: bool | None = None  # CSV/TSV: None detects whether line 1 is a header
    wanted: tuple = ()  # the columns the caller names (a header row holds them)
    notes: list[str] = field(default_factory=list)  # decisions made from the content
    warnings: list[str] = field(default_factory=list)  # data left out


class Chunk:
    """``rows`` rows of a file: their texts and a way to write them back with scores."""

    def __init__(self, native, texts: list[str]) -> None:
        self.native, self.texts = native, texts

    def __len__(self) -> int:
        return len(self.texts)


class ChunkReader(Protocol):
    """A file read ``chunk_rows`` rows at a time: ``Reader(path, text_col, encoding)``."""

    exact_rows: bool  # ``rows`` is the file's row count, not an estimate
    columns: list[str]  # the input's own columns, in order
    column: str  # the text column
    rows: int

    def chunks(self, chunk_rows: int) -> Iterator[Chunk]: ...

    @staticmethod
    def estimate_rows(path: Path) -> int:
        """Rows of ``path`` for a progress bar, without reading it as a table."""
        ...

    @staticmethod
    def count_rows(path: Path) -> int:
        """Rows a written (UTF-8) file holds: outputs are read back to check them."""
        ...


class PredictionWriter(Protocol):
    """Writes chunks back with :data:`LABEL` and :data:`PROBABILITY` added:
    ``Writer(tmp, reader)``; ``close()`` returns the rows written."""

    def write(self, chunk: Chunk, labels: np.ndarray, proba: np.ndarray) -> None: ...

    def close(self) -> int: ...


def as_texts(values) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def pick_column(frame, path: Path, text_col) -> str:
    from textclass.data.columns import text_only_column

    return text_only_column(frame, path, text_col)


def read_bytes(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def decode(raw: bytes, path: Path, encoding: str) -> str:
    """A whole file's text; an undecodable byte is a DataError naming its line and offset."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(
            f"{path}: line {line}: byte 0x{raw[exc.start]:02x} at offset {exc.start} is not "
            f"valid {encoding}; pass the file's encoding (CLI: --encoding latin-1)"
        ) from None


def not_decodable(path: Path, encoding: str, exc: UnicodeDecodeError) -> DataError:
    """The error for a file read in chunks that is not valid ``encoding``."""
    return DataError(
        f"{path}: not valid {encoding} ({exc.reason}); pass the file's encoding "
        "(CLI: --encoding latin-1)"
    )


def count_lines(path: Path) -> int:
    """Lines of ``path``, a last line without a newline included."""
    lines, last = 0, b"\n"
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def count_newlines(path: Path) -> int:
    """Newline bytes in ``path`` (a quick estimate of its rows)."""
    with open(path, "rb") as fh:
        lines = 0
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
    return lines
