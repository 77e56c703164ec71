"""JSON lines: one JSON object a line (blank lines skipped); read whole or in chunks,
each object written back with two more keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

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


def read_table(path: Path, request: TableRead) -> pd.DataFrame:
    text = decode(read_bytes(path), path, request.encoding)
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            rows.append(_record(line, path, number))
    if not rows:
        raise DataError(f"{path}: the file has no data rows")
    return pd.DataFrame.from_records(rows)


def _record(line: str, path: Path, number: int) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: line {number}: invalid JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise DataError(
            f"{path}: line {number}: expected a JSON object, got {type(record).__name__}"
        )
    return record


class JsonlChunks:
    """A JSONL file read ``chunk_rows`` objects at a time."""

    exact_rows = False  # blank lines: the line count is an estimate

    def __init__(self, path: Path, text_col, encoding: str) -> None:
        self.path, self.encoding = path, encoding
        head = []
        for record in self._records():
            head.append(record)
            if len(head) == 1000:
                break
        if not head:
            raise DataError(f"{path}: the file has no data rows")
        self.column = pick_column(pd.DataFrame.from_records(head), path, text_col)
        self.columns = list(head[0])
        self.rows = count_lines(path)

    def _records(self) -> Iterator[dict]:
        try:
            with open(self.path, encoding=self.encoding) as fh:
                for number, line in enumerate(fh, start=1):
                    if line.strip():
                        yield _record(line, self.path, number)
        except UnicodeDecodeError as exc:
            raise not_decodable(self.path, self.encoding, exc) from None

    def chunks(self, chunk_rows: int) -> Iterator[Chunk]:
        records: list[dict] = []
        for record in self._records():
            records.append(record)
            if len(records) == chunk_rows:
                yield self._chunk(records)
                records = []
        if records:
            yield self._chunk(records)

    def _chunk(self, records: list[dict]) -> Chunk:
        return Chunk(records, as_texts(r.get(self.column) for r in records))

    @staticmethod
    def estimate_rows(path: Path) -> int:
        return count_newlines(path)

    @staticmethod
    def count_rows(path: Path) -> int:
        with open(path, encoding="utf-8") as fh:
            return sum(1 for line in fh if line.strip())


class JsonlWriter:
    def __init__(self, tmp: Path, reader: JsonlChunks) -> None:
        self.file = open(tmp, "w", encoding="utf-8")  # noqa: SIM115
        self.rows = 0

    def write(self, chunk: Chunk, labels: np.ndarray, proba: np.ndarray) -> None:
        lines = []
        for record, label, p in zip(chunk.native, labels.tolist(), proba.tolist()):
            lines.append(
                json.dumps({**record, LABEL: label, PROBABILITY: round(p, 6)}, ensure_ascii=False)
            )
        self.file.write("\n".join(lines) + "\n")
        self.rows += len(chunk)

    def close(self) -> int:
        self.file.close()
        return self.rows
