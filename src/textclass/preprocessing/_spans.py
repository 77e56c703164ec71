"""Vectorized word spans: the fast core behind :class:`textclass.Tokenizer`.

Texts are lower-cased, encoded as UTF-8 and joined into one byte buffer in which
every separator (the split character and every filtered character) is one byte.
Words are then the runs of non-separator bytes, found with numpy. Each word gets a
64-bit key (exact for words under 8 bytes, a hash of 8-byte chunks read straight
out of the buffer for longer ones), so no Python object is created per word. Hash keys
only *propose* matches: each is confirmed byte for byte, so results are exact.

Filters and the split character must be ASCII for this path. In UTF-8 an ASCII
byte never occurs inside a multi-byte character, so replacing ASCII bytes in the
encoded buffer is the same as replacing the characters in the text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_TOP_BIT = np.uint64(1 << 63)


class HashCollision(Exception):
    """Two different words share a key; the caller takes the exact slow path."""


@dataclass(frozen=True)
class Spans:
    """Words of many documents as byte ranges of one buffer.

    Word ``j`` is ``buffer[starts[j] : starts[j] + lengths[j]]``;
    ``offsets[i]:offsets[i + 1]`` are the words of document ``i``. ``head`` holds
    each word's first 8 bytes as a little-endian integer (zero-filled).
    """

    buffer: np.ndarray  # uint8, padded with 8 zero bytes
    starts: np.ndarray  # int64
    lengths: np.ndarray  # int64
    offsets: np.ndarray  # int64, n_docs + 1
    head: np.ndarray  # uint64
    long: np.ndarray  # int64, indices of the words of 8 bytes or more

    def words(self, indices: np.ndarray) -> list[str]:
        raw = memoryview(self.buffer)
        starts = self.starts[indices]
        ends = (starts + self.lengths[indices]).tolist()
        return [str(raw[s:e], "utf-8", "surrogatepass") for s, e in zip(starts.tolist(), ends)]


def byte_table(filters: str, sep: str, lower: bool) -> bytes:
    """A ``bytes.translate`` table: ASCII-lower-case (if ``lower``), then filter to ``sep``.

    Lower-casing ASCII bytes is what ``str.lower`` does to an ASCII-only text;
    texts with other characters must be lower-cased with ``str.lower`` first.
    """
    table = bytearray(range(256))
    for b in range(128):
        ch = chr(b).lower() if lower else chr(b)
        table[b] = ord(sep) if ch in filters else ord(ch)
    return bytes(table)


def spans_from_texts(texts: list[str], table: bytes, sep: str) -> Spans:
    """Split texts (already lower-cased if wanted) into word spans."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    joined = sep.encode("ascii").join(encoded).translate(table)
    doc_lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    return spans_from_buffer(joined, doc_lengths, ord(sep))


def spans_from_buffer(joined: bytes, doc_lengths: np.ndarray, sep: int) -> Spans:
    """Word spans of ``joined``: documents of ``doc_lengths`` bytes joined by ``sep``."""
    buffer = np.frombuffer(joined + b"\0" * 8, dtype=np.uint8)
    n = len(joined)
    is_word = np.zeros(n + 2, dtype=np.bool_)
    np.not_equal(buffer[:n], sep, out=is_word[1:-1])
    edges = np.flatnonzero(is_word[1:] != is_word[:-1])  # start, end, start, end, ...
    starts = edges[0::2]
    lengths = edges[1::2] - starts
    doc_starts = np.zeros(len(doc_lengths) + 1, dtype=np.int64)
    np.cumsum(doc_lengths + 1, out=doc_starts[1:])
    offsets = np.searchsorted(starts, doc_starts)
    head = _words_view(buffer)[starts]
    head &= _MASKS[np.minimum(lengths, 8)]
    return Spans(buffer, starts, lengths, offsets, head, np.flatnonzero(lengths >= 8))


def _words_view(buffer: np.ndarray) -> np.ndarray:
    """``view[i]`` is bytes ``i:i+8`` of ``buffer`` as a little-endian uint64."""
    return np.ndarray(shape=(len(buffer) - 7,), dtype="<u8", buffer=buffer.data, strides=(1,))


def _chunks(spans: Spans, index: np.ndarray, k: int) -> np.ndarray:
    """Bytes ``k:k+8`` of the words at ``index`` (all longer than ``k``)."""
    remaining = np.minimum(spans.lengths[index] - k, 8)
    return _words_view(spans.buffer)[spans.starts[index] + k] & _MASKS[remaining]


def _mix(h: np.ndarray) -> np.ndarray:
    h = (h ^ (h >> np.uint64(30))) * _M1
    h = (h ^ (h >> np.uint64(27))) * _M2
    return h ^ (h >> np.uint64(31))


def hash_words(spans: Spans) -> np.ndarray:
    """A 64-bit key per word: equal words get equal keys.

    Words shorter than 8 bytes are keyed by their bytes and length, which is
    exact (top byte = length < 8). Longer words get a mixed hash with the top bit
    set, so they never share a key with a short word; only they need verifying.
    """
    lengths = spans.lengths
    key = spans.head | (lengths.astype(np.uint64) << np.uint64(56))
    long = spans.long
    if long.size:
        long_lengths = lengths[long]
        h = long_lengths.astype(np.uint64) * _GOLDEN
        h ^= spans.head[long]
        pos, k = np.flatnonzero(long_lengths > 8), 8
        while pos.size:
            h[pos] = _mix(h[pos]) ^ _chunks(spans, long[pos], k)
            k += 8
            pos = pos[long_lengths[pos] > k]
        key[long] = h | _TOP_BIT
    return key


def mismatches(a: Spans, j: np.ndarray, b: Spans, other: np.ndarray) -> np.ndarray:
    """The ``j`` whose word in ``a`` differs from word ``other`` (same position) of ``b``.

    Pairs must already share a key (see :func:`hash_words`), so words shorter than
    8 bytes are equal by construction: pass only long words (``Spans.long``).
    """
    lengths = a.lengths[j]
    equal = lengths == b.lengths[other]
    equal &= a.head[j] == b.head[other]
    active, k = np.flatnonzero(equal & (lengths > 8)), 8
    while active.size:
        same = _chunks(a, j[active], k) == _chunks(b, other[active], k)
        equal[active[~same]] = False
        k += 8
        active = active[same & (lengths[active] > k)]
    return j[~equal]


def count_words(spans: Spans) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct words in first-seen order: (first index, count, code of every word)."""
    import pandas as pd  # here, not at import: a one-text prediction never needs it (0.4 s)

    codes, _ = pd.factorize(hash_words(spans))
    codes = codes.astype(np.int64, copy=False)
    # factorize numbers codes by first appearance: the running maximum steps up
    # by one exactly where a code is seen for the first time.
    running = np.maximum.accumulate(codes) if codes.size else codes
    first = np.flatnonzero(np.diff(running, prepend=-1) > 0)
    if mismatches(spans, spans.long, spans, first[codes[spans.long]]).size:
        raise HashCollision
    counts = np.bincount(codes, minlength=first.size)
    return first, counts, codes


@dataclass(frozen=True)
class WordLookup:
    """Maps word spans to positions in a fixed word list, exactly."""

    spans: Spans
    index: object  # a pandas.Index of word hashes

    @classmethod
    def from_words(cls, words: list[str], sep: str) -> WordLookup:
        """``sep`` is a character no word contains (the tokenizer's split)."""
        encoded = [w.encode("utf-8", "surrogatepass") for w in words]
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        spans = spans_from_buffer(sep.encode("ascii").join(encoded), lengths, ord(sep))
        if spans.starts.size != len(words) or (spans.lengths != lengths).any():
            raise HashCollision  # a word holds the separator: use the exact path
        import pandas as pd

        index = pd.Index(hash_words(spans))
        if not index.is_unique:
            raise HashCollision
        return cls(spans, index)

    def positions(self, spans: Spans) -> np.ndarray:
        """Position of every word of ``spans`` in the word list, -1 where absent."""
        pos = self.index.get_indexer(hash_words(spans)).astype(np.int64, copy=False)
        long = spans.long[pos[spans.long] >= 0]
        pos[mismatches(spans, long, self.spans, pos[long])] = -1
        return pos
