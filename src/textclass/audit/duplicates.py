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

Memory stays flat in the number of texts: every search reduces texts to 64-bit keys (a
hash of the text, of its normalised form, of a band of its MinHash signature) made
``CHUNK`` texts at a time, and finds the positions sharing a key by sorting them on disk,
a partition at a time (:class:`~textclass.audit.keygroups.KeyGroups`). Only what is found
(groups, candidate pairs) is held. datasketch's ``MinHashLSH`` kept about 5 KB a text in
Python dictionaries, and at 0.8 made about 40 % of the pairs at the threshold candidates.

Groups are lists of 0-based positions; the caller turns them into data rows.
"""

from __future__ import annotations

import html
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from textclass.audit.keygroups import KeyGroups, text_keys

NEAR_THRESHOLD = 0.8
BANDS, ROWS = 12, 5  # LSH: P(candidate) = 1 - (1 - J**ROWS)**BANDS, 0.99 at J = 0.8
PERMUTATIONS = BANDS * ROWS
SHINGLE_WORDS = 3
CHUNK = 4096  # texts whose signatures are made at a time (then only band hashes are kept)
KINDS = ("exact", "normalized", "near")
BUCKET_PAIRS = 200  # a bucket larger than this is checked against its first and next members
_TAG = re.compile(r"<[^>]{0,200}>")
_NOT_WORD = re.compile(r"[\W_]+")  # punctuation, symbols, controls: what \w is not


def normalized(text: str) -> str:
    """The text as duplicates are compared: HTML unescaped and its tags dropped, case folded,
    punctuation and symbols dropped, whitespace runs made one space."""
    text = _TAG.sub(" ", html.unescape(text)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def exact_groups(texts: Sequence[str]) -> list[list[int]]:
    """Positions of texts that occur more than once, character for character."""
    return find(texts, kinds=("exact",))["exact"]


def normalized_groups(texts: Sequence[str]) -> list[list[int]]:
    """Texts equal once normalised, among which at least two differ as written."""
    return find(texts, kinds=("normalized",))["normalized"]


def near_groups(texts: Sequence[str], threshold: float = NEAR_THRESHOLD) -> list[list[int]]:
    """Texts whose shingles' Jaccard similarity reaches ``threshold``, grouped (a chain of
    near pairs is one group), without the normalised duplicates' groups."""
    return find(texts, threshold, kinds=("near",))["near"]


def find(
    texts: Sequence[str], threshold: float = NEAR_THRESHOLD, kinds: tuple[str, ...] = KINDS
) -> dict[str, list[list[int]]]:
    """``{kind: groups}`` for each of ``kinds`` ("exact", "normalized", "near"), found in
    one pass over the texts (each normalised once); groups are sorted lists of positions."""
    with _Scan(texts, kinds) as scan:
        found = {"exact": scan.exact, "normalized": scan.normalized,
                 "near": lambda: scan.near(threshold)}  # fmt: skip
        return {kind: found[kind]() for kind in kinds}


def across(
    train: Sequence[str], test: Sequence[str], threshold: float = NEAR_THRESHOLD
) -> list[dict]:
    """Test texts that also appear in training: ``{"test": i, "train": [j, ...], "kind"}``
    with kind "exact", "normalized" or "near" (the first that holds)."""
    n_train = len(train)
    with _Scan(_Joined(train, test), KINDS) as scan:
        kinds = {
            "exact": _test_to_train(scan.exact(), n_train),
            "normalized": _test_to_train(scan.normalized(every=True), n_train),
            "near": _test_to_train(scan.near_pairs(threshold, n_train), n_train),
        }
    found = []
    for i in sorted(set().union(*kinds.values())):
        kind = next(k for k, seen in kinds.items() if i in seen)
        found.append({"test": i, "train": kinds[kind][i], "kind": kind})
    return found


def conflicting(groups: list[list[int]], labels) -> list[list[int]]:
    """The groups whose rows do not all carry the same label (or label set)."""
    return [g for g in groups if len({_hashable(labels[i]) for i in g}) > 1]


class _Scan:
    """One pass over the texts, ``CHUNK`` at a time, adding each text's keys (of the text,
    of its normalised form, of its MinHash bands) to a :class:`KeyGroups` per kind; then
    the groups of each kind, checked on the texts themselves."""

    def __init__(self, texts: Sequence[str], kinds: tuple[str, ...]) -> None:
        self.texts, n = texts, len(texts)
        self.keys = {kind: KeyGroups(n * (BANDS if kind == "near" else 1)) for kind in kinds}
        try:
            self._add(texts)
        except BaseException:
            self.__exit__()
            raise

    def _add(self, texts: Sequence[str]) -> None:
        n = len(texts)
        for start in range(0, n, CHUNK):
            chunk = [texts[i] for i in range(start, min(start + CHUNK, n))]
            positions = np.arange(start, start + len(chunk))
            if "exact" in self.keys:
                self.keys["exact"].add(text_keys(chunk), positions)
            if "normalized" in self.keys or "near" in self.keys:
                chunk = [normalized(t) for t in chunk]
            if "normalized" in self.keys:
                self.keys["normalized"].add(text_keys(chunk), positions)
            if "near" in self.keys:
                _add_band_keys(chunk, positions, self.keys["near"])

    def exact(self) -> list[list[int]]:
        return self._equal("exact", lambda t: t)

    def normalized(self, every: bool = False) -> list[list[int]]:
        """Normalised groups; of those, only the ones whose texts differ as written unless
        ``every``."""
        groups = self._equal("normalized", normalized)
        return groups if every else [g for g in groups if len({self.texts[i] for i in g}) > 1]

    def near(self, threshold: float) -> list[list[int]]:
        parent: dict[int, int] = {}  # union-find over the texts in a near pair only
        for a, b in self.near_pairs(threshold):
            _union(parent, a, b)
        groups = defaultdict(list)
        for i in sorted(parent):
            groups[_find(parent, i)].append(i)
        found = sorted(g for g in groups.values() if len(g) > 1)
        return [g for g in found if len({normalized(self.texts[i]) for i in g}) > 1]

    def near_pairs(self, threshold: float, split: int | None = None) -> list[list[int]]:
        """Candidate pairs ``[a, b]`` at or above ``threshold`` (only ``a < split <= b``
        when ``split`` is given)."""
        seen, near = set(), []
        shingles: dict[int, np.ndarray] = {}  # of the texts in a candidate pair: each made once

        def of(i: int) -> np.ndarray:
            if i not in shingles:
                shingles[i] = _shingles(self.texts[i])
            return shingles[i]

        for bucket in self.keys["near"].groups():
            for a, b in _pairs(bucket.tolist()):
                if (a, b) in seen or (split is not None and not a < split <= b):
                    continue
                seen.add((a, b))
                if _jaccard(of(a), of(b)) >= threshold:
                    near.append([a, b])
        return near

    def _equal(self, kind: str, key: Callable[[str], str]) -> list[list[int]]:
        """Groups of positions whose keys match and whose ``key(text)`` are equal (so a
        hash collision never joins unequal texts)."""
        groups = []
        for positions in self.keys[kind].groups():
            same = defaultdict(list)
            for i in positions.tolist():
                same[key(self.texts[i])].append(i)
            groups += [g for g in same.values() if len(g) > 1]
        return sorted(groups)

    def __enter__(self) -> _Scan:
        return self

    def __exit__(self, *exc) -> None:
        for keys in self.keys.values():
            keys.close()


def _test_to_train(groups: list[list[int]], n_train: int) -> dict[int, list[int]]:
    """``{test position: training positions}`` of the groups (or pairs) that hold both
    parts; a test text in several pairs gets all their training texts."""
    out = defaultdict(set)
    for group in groups:
        train = [i for i in group if i < n_train]
        for i in group:
            if train and i >= n_train:
                out[i - n_train].update(train)
    return {i: sorted(train) for i, train in out.items()}


class _Joined(Sequence):
    """Training then test texts as one sequence, without copying either."""

    def __init__(self, first: Sequence[str], second: Sequence[str]) -> None:
        self.first, self.second = first, second

    def __len__(self) -> int:
        return len(self.first) + len(self.second)

    def __getitem__(self, i):
        n = len(self.first)
        return self.first[i] if i < n else self.second[i - n]


def _shingles(text: str, *, is_normalized: bool = False) -> np.ndarray:
    """The distinct 32-bit hashes of the normalised text's word 3-grams (each word's CRC-32,
    three mixed in numpy; empty for fewer than 3 words: too short to be near anything but
    itself, which the exact and normalised checks cover)."""
    words = (text if is_normalized else normalized(text)).split()
    if len(words) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.uint64)
    ids = np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint64)
    mixed = ids[:-2] * np.uint64(0x9E3779B1) ^ ids[1:-1] * np.uint64(0x85EBCA77) ^ ids[2:]
    return np.unique(mixed & np.uint64(0xFFFFFFFF))


def _jaccard(x: np.ndarray, y: np.ndarray) -> float:
    """Jaccard similarity of two texts' shingles (:func:`_shingles`)."""
    if not x.size or not y.size:
        return 0.0
    shared = np.intersect1d(x, y, assume_unique=True).size
    return shared / (x.size + y.size - shared)


def _add_band_keys(normal: list[str], positions: np.ndarray, found: KeyGroups) -> None:
    """Add to ``found`` the ``BANDS`` band hashes of each normalised text long enough to
    shingle (the chunk's signatures are dropped once their bands are kept)."""
    from datasketch import MinHash

    shingles = [_shingles(t, is_normalized=True) for t in normal]
    kept = [k for k, made in enumerate(shingles) if made.size]
    if not kept:
        return
    # the shingles are hashes already: datasketch takes them as they are (hashfunc=int)
    made = [shingles[k].tolist() for k in kept]
    signatures = MinHash.generator(made, num_perm=PERMUTATIONS, seed=1, hashfunc=int)
    bands = _bands(np.stack([m.hashvalues for m in signatures]))
    found.add(bands.ravel(), np.repeat(positions[kept], BANDS))


def _bands(signatures: np.ndarray) -> np.ndarray:
    """Each row's ``BANDS`` hashes of ``ROWS`` signature values, seeded by the band's
    number (equal bands at the same place, equal hashes; anything else collides with odds
    of about 2**-64)."""
    values = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    seeds = (np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))[None, :]
    out = np.repeat(seeds, len(signatures), axis=0)
    for k in range(ROWS):  # a polynomial hash, wrapping at 2**64
        out = out * np.uint64(0x100000001B3) + values[:, :, k] + np.uint64(k + 1)
    return out


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


def _find(parent: dict[int, int], i: int) -> int:
    parent.setdefault(i, i)
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: dict[int, int], i: int, j: int) -> None:
    parent[_find(parent, i)] = _find(parent, j)


def _hashable(label):
    return tuple(sorted(map(str, label))) if isinstance(label, (list, tuple, set)) else label
