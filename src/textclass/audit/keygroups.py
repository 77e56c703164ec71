"""Positions that share a 64-bit key, found in memory that does not grow with the data.

The duplicate searches reduce each text to one or more 64-bit keys (a hash of the text, of
its normalised form, of a band of its MinHash signature) and ask which positions share a
key. :class:`KeyGroups` answers that the way an external sort does: records ``(key,
position)`` are appended to partition files on disk by the key's top bits as they are
made, then each partition is read back alone, sorted and scanned for runs of equal keys.
Memory is one partition (at most about ``PARTITION_RECORDS`` records, 16 bytes each)
whatever the number of texts; what grows is the disk (16 bytes a key, in a temporary
folder removed on :meth:`close`).
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

RECORD = np.dtype([("key", "<u8"), ("position", "<i8")])
PARTITION_RECORDS = 1 << 19  # about 8 MB of records in memory at a time


class KeyGroups:
    """``add`` keys as they are made, then ``groups()``: the positions of each key held by
    more than one record, in ascending order. Use as a context manager (or ``close()``)."""

    def __init__(self, expected_records: int, *, partition_records: int = PARTITION_RECORDS):
        bits = max(0, math.ceil(math.log2(max(expected_records, 1) / partition_records)))
        self.partitions = 1 << bits
        self._shift = np.uint64(64 - bits) if bits else None
        self._folder = Path(tempfile.mkdtemp(prefix="textclass-keys-"))
        self._paths = [self._folder / f"{p}.bin" for p in range(self.partitions)]
        for path in self._paths:
            path.touch()

    def add(self, keys: np.ndarray, positions: np.ndarray) -> None:
        records = np.empty(len(keys), dtype=RECORD)
        records["key"], records["position"] = keys, positions
        if self._shift is None:
            _append(self._paths[0], records)
            return
        part = (records["key"] >> self._shift).astype(np.int64)
        order = np.argsort(part, kind="stable")
        records, part = records[order], part[order]
        bounds = np.searchsorted(part, np.arange(self.partitions + 1))
        for p in np.flatnonzero(np.diff(bounds)):
            _append(self._paths[p], records[bounds[p] : bounds[p + 1]])

    def groups(self) -> Iterator[np.ndarray]:
        for path in self._paths:
            records = np.fromfile(path, dtype=RECORD)
            if len(records) < 2:
                continue
            records = records[np.argsort(records["key"], kind="stable")]
            keys = records["key"]
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            ends = np.r_[starts[1:], len(keys)]
            shared = ends - starts > 1  # most keys are held once: skip them in numpy
            for start, end in zip(starts[shared].tolist(), ends[shared].tolist()):
                yield np.sort(records["position"][start:end])

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> KeyGroups:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _append(path: Path, records: np.ndarray) -> None:
    with path.open("ab") as fh:
        records.tofile(fh)


def text_keys(texts) -> np.ndarray:
    """64-bit keys of strings (Python's own string hash: equal strings, equal keys within
    this process; unequal ones collide with odds of about 2**-64, and callers compare the
    strings of a group before reporting it)."""
    return np.fromiter((hash(t) for t in texts), dtype=np.int64, count=len(texts)).view(np.uint64)
