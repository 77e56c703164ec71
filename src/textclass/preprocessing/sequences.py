"""Padding and truncation of ragged index sequences, vectorized."""

from __future__ import annotations

import numpy as np

from textclass.checks import is_int
from textclass.errors import invalid
from textclass.preprocessing.tokenizer import Sequences


def pad_sequences(
    sequences: Sequences,
    maxlen: int | None = None,
    *,
    padding: str = "pre",
    truncating: str = "pre",
    value: int = 0,
) -> np.ndarray:
    """A ``(n_docs, maxlen)`` int32 matrix, as Keras ``pad_sequences`` makes it.

    ``padding``/``truncating`` are ``"pre"`` or ``"post"``: where zeros go, and
    which end of a too-long sequence is cut. ``maxlen=None`` uses the longest.
    """
    if padding not in ("pre", "post"):
        raise invalid("padding", '"pre" or "post"', padding)
    if truncating not in ("pre", "post"):
        raise invalid("truncating", '"pre" or "post"', truncating)
    lengths = sequences.lengths
    if maxlen is None:
        maxlen = int(lengths.max()) if lengths.size else 0
    if not is_int(maxlen) or maxlen < 1 and lengths.size:
        raise invalid("maxlen", "a positive integer", maxlen)
    n = len(lengths)
    out = np.full((n, maxlen), value, dtype=np.int32)
    take = np.minimum(lengths, maxlen)
    src = sequences.offsets[:-1] + (lengths - take if truncating == "pre" else 0)
    dst = maxlen - take if padding == "pre" else np.zeros(n, dtype=np.int64)
    rows = np.repeat(np.arange(n), take)
    within = np.arange(rows.size) - np.repeat(np.cumsum(take) - take, take)
    out[rows, dst[rows] + within] = sequences.ids[src[rows] + within]
    return out
