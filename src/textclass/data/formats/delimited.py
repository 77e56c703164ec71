"""CSV and TSV: a whole file as a DataFrame, chunks of rows, predictions written back.

Every cell is read as text (no "NA" turned into a missing value, no number
reformatted). TSV files are read without quote handling: a stray ``"`` must not
swallow the lines that follow (UCI imdb_labelled.txt loses 252 rows otherwise).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from textclass.data.columns import LABEL_NAMES, TEXT_NAMES
from textclass.data.formats.common import (
    LABEL,
    PROBABILITY,
    Chunk,
    TableRead,
    as_texts,
    count_lines,
    count_newlines,
    decode,
    not_decodable,
    pick_column,
    read_bytes,
)
from textclass.errors import DataError

_SNIFF_BYTES = 1 << 16


# ------------------------------------------------------------- a whole file
def read_csv(path: Path, request: TableRead) -> pd.DataFrame:
    return _read_table(path, request, "csv")


def read_tsv(path: Path, request: TableRead) -> pd.DataFrame:
    return _read_table(path, request, "tsv")


def _read_table(path: Path, request: TableRead, fmt: str) -> pd.DataFrame:
    text = decode(read_bytes(path), path, request.encoding)
    sep, header = ("\t" if fmt == "tsv" else ","), request.header
    if header is None:
        header, reason = has_header(text, sep, request.wanted)
        if reason:
            request.notes.append(reason)
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


def has_header(text: str, sep: str, wanted) -> tuple[bool, str | None]:
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


# ------------------------------------------------------------------ chunks
class CsvChunks:
    """A CSV file read ``chunk_rows`` rows at a time (``pandas.read_csv(chunksize=...)``)."""

    sep = ","
    exact_rows = False  # quoted newlines: the line count is an estimate

    def __init__(self, path: Path, text_col, encoding: str) -> None:
        self.path, self.encoding = path, encoding
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES).decode(encoding, errors="ignore")
        wanted = (text_col,) if text_col else ()
        self.header = has_header(head, self.sep, wanted)[0] if head.strip() else True
        peek = _frames(path, self.sep, self.header, encoding, 1000)
        first = next(peek, None)
        peek.close()  # closes the file
        if first is None:
            first = pd.DataFrame()
        self.columns = [str(c) for c in first.columns]
        if not self.columns:
            raise DataError(f"{path}: the file is empty")
        self.column = pick_column(first, path, text_col if text_col is None else str(text_col))
        self.rows = count_lines(path) - bool(self.header)

    def chunks(self, chunk_rows: int) -> Iterator[Chunk]:
        for frame in _frames(self.path, self.sep, self.header, self.encoding, chunk_rows):
            if self.sep == "\t":
                frame = frame.apply(lambda col: col.str.rstrip("\r"))
            yield Chunk(frame, as_texts(frame[self.column].tolist()))

    @staticmethod
    def estimate_rows(path: Path) -> int:
        return max(count_newlines(path) - 1, 0)  # less the header

    @classmethod
    def count_rows(cls, path: Path) -> int:
        return sum(len(frame) for frame in _frames(path, cls.sep, True, "utf-8", 100_000))


class TsvChunks(CsvChunks):
    sep = "\t"


def _frames(path: Path, sep: str, header: bool, encoding: str, chunk_rows: int):
    quoting = csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL
    try:
        with pd.read_csv(
            path,
            sep=sep,
            header=0 if header else None,
            quoting=quoting,
            dtype=str,
            keep_default_na=False,
            na_values=[],
            skip_blank_lines=False,  # a blank line is a row (of empty text), not nothing
            lineterminator="\n" if sep == "\t" else None,  # as a whole file is read
            encoding=encoding,
            chunksize=chunk_rows,
        ) as reader:
            for frame in reader:
                frame.columns = [str(c) for c in frame.columns]
                yield frame
    except pd.errors.EmptyDataError:
        return
    except pd.errors.ParserError as exc:
        raise DataError(f"{path}: cannot parse as CSV: {exc}") from None
    except UnicodeDecodeError as exc:
        raise not_decodable(path, encoding, exc) from None


class CsvWriter:
    """CSV or TSV rows (as the reader's ``sep``) with the two score columns added."""

    def __init__(self, tmp: Path, reader: CsvChunks) -> None:
        self.file = open(tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.sep, self.columns, self.rows = reader.sep, reader.columns, 0

    def write(self, chunk: Chunk, labels: np.ndarray, proba: np.ndarray) -> None:
        frame = chunk.native.copy()
        frame[LABEL] = labels
        frame[PROBABILITY] = np.round(proba, 6)
        if self.sep == "\t":  # as read: no quoting, so no escaping either (a cell has no tab)
            lines = [] if self.rows else ["\t".join(map(str, frame.columns))]
            lines += ["\t".join(map(str, row)) for row in frame.itertuples(index=False)]
            self.file.write("\n".join(lines) + "\n")
        else:
            frame.to_csv(self.file, index=False, header=self.rows == 0)
        self.rows += len(chunk)

    def close(self) -> int:
        if self.rows == 0:
            self.file.write(self.sep.join([*self.columns, LABEL, PROBABILITY]) + "\n")
        self.file.close()
        return self.rows
