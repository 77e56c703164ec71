"""Ragged word-index sequences, and the chunked, threaded counting the tokenizer does.

A corpus is cut into contiguous chunks tokenized in threads (the numpy work releases
the GIL); the chunks' ragged arrays and vocabularies are joined here.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Sequences:
    """Ragged word-index sequences: document ``i`` is ``ids[offsets[i]:offsets[i+1]]``."""

    ids: np.ndarray  # int32
    offsets: np.ndarray  # int64, n_docs + 1

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def to_list(self) -> list[list[int]]:
        ids = self.ids.tolist()
        bounds = self.offsets.tolist()
        return [ids[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


# Texts are split into contiguous chunks tokenized in threads: the numpy work
# releases the GIL, so on a 2-core machine a large corpus takes ~0.6 of the time.
CHUNK_TEXTS = 8192
FEW_TEXTS = 32  # up to this many texts, transform looks words up in a dict


def map_chunks(fn, texts: list[str]) -> list:
    """``fn`` over contiguous chunks of ``texts`` (one per core, for large inputs)."""
    workers = min(os.cpu_count() or 1, 8, max(1, len(texts) // CHUNK_TEXTS))
    if workers == 1:
        return [fn(texts)]
    bounds = np.linspace(0, len(texts), workers + 1).astype(int).tolist()
    chunks = [texts[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, chunks))


def concat_ragged(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Join per-chunk (values, offsets) into one ragged array."""
    if len(parts) == 1:
        return parts[0]
    values = np.concatenate([v for v, _ in parts])
    starts = np.cumsum([0] + [o[-1] for _, o in parts[:-1]])
    offsets = np.concatenate([parts[0][1][:1]] + [o[1:] + s for (_, o), s in zip(parts, starts)])
    return values, offsets


def merge_counts(counted: list) -> tuple[list[str], list[int], tuple[np.ndarray, np.ndarray]]:
    """Merge per-chunk vocabularies, keeping the order of first appearance overall."""
    words, counts, codes, offsets = counted[0]
    if len(counted) == 1:
        return words, counts.tolist(), (codes, offsets)
    position = dict(zip(words, range(len(words))))
    all_codes = [codes]
    for chunk_words, _, chunk_codes, _ in counted[1:]:
        remap = np.fromiter(
            (position.setdefault(w, len(position)) for w in chunk_words),
            dtype=np.int64,
            count=len(chunk_words),
        )
        all_codes.append(remap[chunk_codes])
    codes = np.concatenate(all_codes)
    total = np.bincount(codes, minlength=len(position))
    _, offsets = concat_ragged([(c, part[3]) for c, part in zip(all_codes, counted)])
    return list(position), total.tolist(), (codes, offsets)
