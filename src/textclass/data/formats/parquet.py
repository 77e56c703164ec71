"""Parquet: read whole with pandas, or in batches with
:meth:`pyarrow.parquet.ParquetFile.iter_batches` and written with a ``ParquetWriter``
(the input's schema plus two columns). pyarrow is imported where it is used."""

from __future__ import annotations

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
    pick_column,
)
from textclass.errors import DataError


def read_table(path: Path, request: TableRead) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for bad files
        raise DataError(f"{path}: not a readable Parquet file ({exc})") from None


class ParquetChunks:
    """A Parquet file read ``chunk_rows`` rows at a time, or only some row groups."""

    exact_rows = True  # from the file's metadata

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
            self.column = pick_column(head.to_pandas(), path, text_col)
        else:
            self.column = pick_column(pd.DataFrame(columns=names), path, text_col)
        self.columns = names

    def group_rows(self) -> list[int]:
        """Rows in each row group (the unit a large file is split into on a cluster)."""
        meta = self.file.metadata
        return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]

    def chunks(self, chunk_rows: int, row_groups=None) -> Iterator[Chunk]:
        for batch in self.file.iter_batches(batch_size=chunk_rows, row_groups=row_groups):
            yield Chunk(batch, as_texts(batch.column(self.column).to_pylist()))

    @staticmethod
    def estimate_rows(path: Path) -> int:
        try:
            return ParquetChunks.count_rows(path)
        except Exception:  # noqa: BLE001 (an unreadable file fails with its own error later)
            return 0

    @staticmethod
    def count_rows(path: Path) -> int:
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows


class ParquetWriter:
    def __init__(self, tmp: Path, reader: ParquetChunks) -> None:
        import pyarrow.parquet as pq

        self.tmp, self.schema, self.rows = tmp, reader.file.schema_arrow, 0
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
