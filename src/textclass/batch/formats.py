"""Files read and written in chunks, so memory stays bounded however large they are.

Each format reads ``chunk_rows`` rows at a time and writes them back with the
scores added, keeping the input's own columns and values as they were:

- Parquet: :meth:`pyarrow.parquet.ParquetFile.iter_batches`, written with a
  ``ParquetWriter`` (the input's schema plus two columns);
- CSV / TSV: ``pandas.read_csv(chunksize=...)`` with every cell read as text (no
  "NA" turned into a missing value, no number reformatted);
- JSONL: one JSON object a line; each object is written back with two more keys.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from textclass.errors import DataError

LABEL, PROBABILITY = "predicted", "probability"
FORMATS = ("parquet", "csv", "tsv", "jsonl")
_SNIFF_BYTES = 1 << 16


def file_format(path: Path, given: str | None = None) -> str:
    from textclass.data.readers import detect_format

    fmt = given or detect_format(path)
    if fmt not in FORMATS:
        raise DataError(
            f"{path}: batch scoring reads {', '.join(FORMATS)} files, not {fmt}; "
            "convert it, or score it without --output"
        )
    return fmt


class Chunk:
    """``rows`` rows of a file: their texts and a way to write them back with scores."""

    def __init__(self, native, texts: list[str]) -> None:
        self.native, self.texts = native, texts

    def __len__(self) -> int:
        return len(self.texts)


def _as_texts(values) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def _pick_column(frame, path: Path, text_col) -> str:
    from textclass.data.columns import text_only_column

    return text_only_column(frame, path, text_col)


# ------------------------------------------------------------------ Parquet
class ParquetFormat:
    name = "parquet"

    def __init__(self, path: Path, text_col, encoding: str) -> None:
        import pyarrow.parquet as pq

        self.path = path
        try:
            self.file = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises many types for bad files
            raise DataError(f"{path}: not a readable Parquet file ({exc})") from None
        self.rows = self.file.metadata.num_rows
        names = self.file.schema_arrow.names
        if self.rows:
            head = next(self.file.iter_batches(batch_size=min(self.rows, 1000)))
            self.column = _pick_column(head.to_pandas(), path, text_col)
        else:
            import pandas as pd

            self.column = _pick_column(pd.DataFrame(columns=names), path, text_col)
        self.columns = names

    def group_rows(self) -> list[int]:
        """Rows in each row group (the unit a large file is split into on a cluster)."""
        meta = self.file.metadata
        return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]

    def chunks(self, chunk_rows: int, row_groups=None) -> Iterator[Chunk]:
        for batch in self.file.iter_batches(batch_size=chunk_rows, row_groups=row_groups):
            yield Chunk(batch, _as_texts(batch.column(self.column).to_pylist()))

    def writer(self, tmp: Path):
        return _ParquetWriter(tmp, self.file.schema_arrow)


class _ParquetWriter:
    def __init__(self, tmp: Path, schema) -> None:
        import pyarrow.parquet as pq

        self.tmp, self.schema, self.rows = tmp, schema, 0
        self.writer: pq.ParquetWriter | None = None

    def write(self, chunk: Chunk, labels: np.ndarray, proba: np.ndarray) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        batch = chunk.native
        table = pa.Table.from_batches([batch]).append_column(LABEL, pa.array(labels.tolist()))
        table = table.append_column(PROBABILITY, pa.array(proba, type=pa.float64()))
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.tmp, table.schema)
        self.writer.write_table(table)
        self.rows += len(chunk)

    def close(self) -> int:
        if self.writer is None:  # no rows: the columns only
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = self.schema.append(pa.field(LABEL, pa.string())).append(
                pa.field(PROBABILITY, pa.float64())
            )
            pq.write_table(schema.empty_table(), self.tmp)
        else:
            self.writer.close()
        return self.rows


# ---------------------------------------------------------------- CSV / TSV
class CsvFormat:
    name = "csv"

    def __init__(self, path: Path, text_col, encoding: str, sep: str = ",") -> None:
        import pandas as pd

        from textclass.data.formats.delimited import has_header as _has_header

        self.path, self.encoding, self.sep = path, encoding, sep
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES).decode(encoding, errors="ignore")
        wanted = (text_col,) if text_col else ()
        self.header = _has_header(head, sep, wanted)[0] if head.strip() else True
        peek = self._reader(1000)
        first = next(peek, None)
        peek.close()  # closes the file
        if first is None:
            first = pd.DataFrame()
        self.columns = [str(c) for c in first.columns]
        if not self.columns:
            raise DataError(f"{path}: the file is empty")
        self.column = _pick_column(first, path, text_col if text_col is None else str(text_col))
        self.rows = _count_lines(path) - bool(self.header)  # an estimate: quoted newlines

    def _reader(self, chunk_rows: int):
        import pandas as pd

        quoting = csv.QUOTE_NONE if self.sep == "\t" else csv.QUOTE_MINIMAL
        try:
            with pd.read_csv(
                self.path,
                sep=self.sep,
                header=0 if self.header else None,
                quoting=quoting,
                dtype=str,
                keep_default_na=False,
                na_values=[],
                skip_blank_lines=False,  # a blank line is a row (of empty text), not nothing
                lineterminator="\n" if self.sep == "\t" else None,  # as data.readers does
                encoding=self.encoding,
                chunksize=chunk_rows,
            ) as reader:
                for frame in reader:
                    frame.columns = [str(c) for c in frame.columns]
                    yield frame
        except pd.errors.EmptyDataError:
            return
        except pd.errors.ParserError as exc:
            raise DataError(f"{self.path}: cannot parse as CSV: {exc}") from None
        except UnicodeDecodeError as exc:
            raise _not_decodable(self.path, self.encoding, exc) from None

    def chunks(self, chunk_rows: int) -> Iterator[Chunk]:
        for frame in self._reader(chunk_rows):
            if self.sep == "\t":
                frame = frame.apply(lambda col: col.str.rstrip("\r"))
            yield Chunk(frame, _as_texts(frame[self.column].tolist()))

    def writer(self, tmp: Path):
        return _CsvWriter(tmp, self.sep, self.columns)


class TsvFormat(CsvFormat):
    name = "tsv"

    def __init__(self, path: Path, text_col, encoding: str) -> None:
        super().__init__(path, text_col, encoding, sep="\t")


class _CsvWriter:
    def __init__(self, tmp: Path, sep: str, columns: list[str]) -> None:
        self.file = open(tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.sep, self.columns, self.rows = sep, columns, 0

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


# -------------------------------------------------------------------- JSONL
class JsonlFormat:
    name = "jsonl"

    def __init__(self, path: Path, text_col, encoding: str) -> None:
        import pandas as pd

        self.path, self.encoding = path, encoding
        head = []
        for _, record in self._records():
            head.append(record)
            if len(head) == 1000:
                break
        if not head:
            raise DataError(f"{path}: the file has no data rows")
        self.column = _pick_column(pd.DataFrame.from_records(head), path, text_col)
        self.columns = list(head[0])
        self.rows = _count_lines(path)  # an estimate: blank lines

    def _records(self) -> Iterator[tuple[int, dict]]:
        try:
            with open(self.path, encoding=self.encoding) as fh:
                for number, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise DataError(
                            f"{self.path}: line {number}: invalid JSON ({exc.msg})"
                        ) from None
                    if not isinstance(record, dict):
                        raise DataError(
                            f"{self.path}: line {number}: expected a JSON object, "
                            f"got {type(record).__name__}"
                        )
                    yield number, record
        except UnicodeDecodeError as exc:
            raise _not_decodable(self.path, self.encoding, exc) from None

    def chunks(self, chunk_rows: int) -> Iterator[Chunk]:
        records: list[dict] = []
        for _, record in self._records():
            records.append(record)
            if len(records) == chunk_rows:
                yield self._chunk(records)
                records = []
        if records:
            yield self._chunk(records)

    def _chunk(self, records: list[dict]) -> Chunk:
        return Chunk(records, _as_texts(r.get(self.column) for r in records))

    def writer(self, tmp: Path):
        return _JsonlWriter(tmp)


class _JsonlWriter:
    def __init__(self, tmp: Path) -> None:
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


_CLASSES = {"parquet": ParquetFormat, "csv": CsvFormat, "tsv": TsvFormat, "jsonl": JsonlFormat}


def open_input(path: Path, fmt: str, text_col, encoding: str):
    """The reader of ``path``: its text column chosen, its row count (or an estimate) known."""
    return _CLASSES[fmt](path, text_col, encoding)


def count_rows(path: Path, fmt: str, encoding: str) -> int:
    """Rows an output file holds (read back to check nothing was dropped)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    if fmt == "jsonl":
        with open(path, encoding="utf-8") as fh:
            return sum(1 for line in fh if line.strip())
    reader = CsvFormat.__new__(CsvFormat)
    reader.path, reader.encoding, reader.header = path, "utf-8", True
    reader.sep = "\t" if fmt == "tsv" else ","
    return sum(len(frame) for frame in reader._reader(100_000))


def _count_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def _not_decodable(path: Path, encoding: str, exc: UnicodeDecodeError) -> DataError:
    return DataError(
        f"{path}: not valid {encoding} ({exc.reason}); pass the file's encoding "
        "(CLI: --encoding latin-1)"
    )
