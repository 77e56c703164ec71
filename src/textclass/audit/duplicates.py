"""Duplicates and leakage: exact, normalised and near-duplicate texts, within one part and
across train and test, and duplicate groups whose labels disagree.

- **exact**: the same characters;
- **normalised**: the same after :func:`normalized` (HTML entities and tags, case, accents
  kept, punctuation and runs of whitespace dropped): "Great food!" and "great  food";
- **near**: Jaccard similarity of word 3-gram shingles (of the normalised text) at or
  above ``threshold`` (0.8 by default). Candidates come from locality-sensitive hashing of
  ``datasketch`` MinHash signatures (``BANDS`` bands of ``ROWS`` values: a pair at Jaccard
  0.8 is a candidate with probability 0.99, at 0.5 with 0.32), so no pair of texts is
  compared one by one; each candidate pair is then checked against the exact Jaccard
  similarity of its shingles, so every near pair reported reaches the threshold.

The near search streams: signatures are made ``CHUNK`` texts at a time and only their band
hashes are kept (``BANDS`` 64-bit integers a text in numpy arrays, 96 bytes); candidates
are the texts sharing a band hash, found by sorting each band. datasketch's
``MinHashLSH`` kept about 5 KB a text in Python dictionaries, and at 0.8 made about 40 %
of the pairs at the threshold candidates.

Groups are lists of 0-based positions; the caller turns them into data rows.
"""

from __future__ import annotations

import html
import re
import zlib
from collections import defaultdict
from itertools import islice

import numpy as np

NEAR_THRESHOLD = 0.8
BANDS, ROWS = 12, 5  # LSH: P(candidate) = 1 - (1 - J**ROWS)**BANDS, 0.99 at J = 0.8
PERMUTATIONS = BANDS * ROWS
SHINGLE_WORDS = 3
CHUNK = 4096  # texts whose signatures are made at a time (then only band hashes are kept)
BUCKET_PAIRS = 200  # a bucket larger than this is checked against its first and next members
_TAG = re.compile(r"<[^>]{0,200}>")
_NOT_WORD = re.compile(r"[\W_]+")  # punctuation, symbols, controls: what \w is not


def normalized(text: str) -> str:
    """The text as duplicates are compared: HTML unescaped and its tags dropped, case folded,
    punctuation and symbols dropped, whitespace runs made one space."""
    text = _TAG.sub(" ", html.unescape(text)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def exact_groups(texts: list[str]) -> list[list[int]]:
    """Positions of texts that occur more than once, character for character."""
    return _groups_by(texts, key=lambda t: t)


def normalized_groups(texts: list[str]) -> list[list[int]]:
    """Texts equal once normalised, among which at least two differ as written."""
    groups = _groups_by(texts, key=normalized)
    return [g for g in groups if len({texts[i] for i in g}) > 1]


def near_groups(texts: list[str], threshold: float = NEAR_THRESHOLD) -> list[list[int]]:
    """Texts whose shingles' Jaccard similarity reaches ``threshold``, grouped (a chain of
    near pairs is one group), without the normalised duplicates' groups."""
    parent = list(range(len(texts)))
    ids, hashes = _band_hashes(texts)
    near = set()
    for a, b in _candidates(ids, hashes):
        if _jaccard(texts[a], texts[b]) >= threshold:
            _union(parent, a, b)
            near.update((a, b))
    groups = defaultdict(list)
    for i in sorted(near):
        groups[_find(parent, i)].append(i)
    found = [sorted(g) for g in groups.values() if len(g) > 1]
    return [g for g in found if len({normalized(texts[i]) for i in g}) > 1]


def across(train: list[str], test: list[str], threshold: float = NEAR_THRESHOLD) -> list[dict]:
    """Test texts that also appear in training: ``{"test": i, "train": [j, ...], "kind"}``
    with kind "exact", "normalized" or "near"."""
    exact, norm = defaultdict(list), defaultdict(list)
    for j, text in enumerate(train):
        exact[text].append(j)
        norm[normalized(text)].append(j)
    near = _near_across(train, test, threshold)
    found = []
    for i, text in enumerate(test):
        if text in exact:
            found.append({"test": i, "train": exact[text], "kind": "exact"})
        elif normalized(text) in norm:
            found.append({"test": i, "train": norm[normalized(text)], "kind": "normalized"})
        elif near.get(i):
            found.append({"test": i, "train": sorted(near[i]), "kind": "near"})
    return found


def _near_across(train: list[str], test: list[str], threshold: float) -> dict[int, set[int]]:
    """``{test position: training positions}`` of the near pairs between the two parts."""
    texts = train + test
    ids, hashes = _band_hashes(texts)
    near = defaultdict(set)
    for a, b in _candidates(ids, hashes):
        if a < len(train) <= b and _jaccard(texts[a], texts[b]) >= threshold:
            near[b - len(train)].add(a)
    return near


def conflicting(groups: list[list[int]], labels) -> list[list[int]]:
    """The groups whose rows do not all carry the same label (or label set)."""
    return [g for g in groups if len({_hashable(labels[i]) for i in g}) > 1]


def _groups_by(texts: list[str], key) -> list[list[int]]:
    seen = defaultdict(list)
    for i, text in enumerate(texts):
        seen[key(text)].append(i)
    return [g for g in seen.values() if len(g) > 1]


def _shingles(text: str) -> np.ndarray:
    """The distinct 32-bit hashes of the normalised text's word 3-grams (each word's CRC-32,
    three mixed in numpy; empty for fewer than 3 words: too short to be near anything but
    itself, which the exact and normalised checks cover)."""
    words = normalized(text).split()
    if len(words) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.uint64)
    ids = np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint64)
    mixed = ids[:-2] * np.uint64(0x9E3779B1) ^ ids[1:-1] * np.uint64(0x85EBCA77) ^ ids[2:]
    return np.unique(mixed & np.uint64(0xFFFFFFFF))


def _jaccard(a: str, b: str) -> float:
    x, y = _shingles(a), _shingles(b)
    if not x.size or not y.size:
        return 0.0
    shared = np.intersect1d(x, y, assume_unique=True).size
    return shared / (x.size + y.size - shared)


def _band_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(positions, band hashes)`` of the texts long enough to shingle: ``BANDS`` hashes
    of ``ROWS`` MinHash values each, one row per text (signatures made ``CHUNK`` at a time)."""
    from datasketch import MinHash

    ids: list[int] = []

    def shingled():
        for i, text in enumerate(texts):
            shingles = _shingles(text)
            if shingles.size:
                ids.append(i)
                yield shingles.tolist()

    # the shingles are hashes already: datasketch takes them as they are (hashfunc=int)
    signatures = MinHash.generator(shingled(), num_perm=PERMUTATIONS, seed=1, hashfunc=int)
    done = []
    while chunk := list(islice(signatures, CHUNK)):
        done.append(_bands(np.stack([m.hashvalues for m in chunk])))
    hashes = np.concatenate(done) if done else np.zeros((0, BANDS), dtype=np.uint64)
    return np.array(ids, dtype=np.int64), hashes


def _bands(signatures: np.ndarray) -> np.ndarray:
    """Each row's ``BANDS`` hashes of ``ROWS`` signature values (equal bands, equal hashes;
    unequal ones collide with odds of about 2**-64)."""
    values = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    out = np.zeros((len(signatures), BANDS), dtype=np.uint64)
    for k in range(ROWS):  # a polynomial hash, wrapping at 2**64
        out = out * np.uint64(0x100000001B3) + values[:, :, k] + np.uint64(k + 1)
    return out


def _candidates(ids: np.ndarray, hashes: np.ndarray):
    """Pairs ``(a, b)``, ``a < b``, of texts sharing a band hash, each pair once."""
    seen = set()
    for band in range(hashes.shape[1]):
        order = np.argsort(hashes[:, band], kind="stable")
        column = hashes[order, band]
        starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
        ends = np.r_[starts[1:], len(column)]
        many = ends - starts > 1
        for start, end in zip(starts[many], ends[many]):
            for pair in _pairs(np.sort(ids[order[start:end]]).tolist()):
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def _pairs(members: list[int]):
    """Every pair of a bucket; a bucket over ``BUCKET_PAIRS`` members (templated texts)
    pairs each member with the first and with the next only, so the work stays linear."""
    if len(members) <= BUCKET_PAIRS:
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                yield a, b
        return
    for x in range(1, len(members)):
        yield members[0], members[x]
        if x > 1:
            yield members[x - 1], members[x]


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], i: int, j: int) -> None:
    parent[_find(parent, i)] = _find(parent, j)


def _hashable(label):
    return tuple(sorted(map(str, label))) if isinstance(label, (list, tuple, set)) else label
