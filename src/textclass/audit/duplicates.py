"""Duplicate texts: exact, equal after normalisation, and near (MinHash LSH).

* **exact**: the same characters.
* **normalised**: the same after :func:`normalise` (HTML entities and tags, Unicode
  compatibility forms, case, punctuation and runs of whitespace), raw texts differing.
* **near**: word 3-gram sets with a Jaccard similarity of at least ``threshold``
  (default 0.8). Candidates come from datasketch's MinHash LSH; each candidate pair is
  then checked against the exact Jaccard similarity, so every near pair reported really
  reaches the threshold (LSH may miss a few pairs just above it, never adds one below).

The near search streams: one text's MinHash is built, queried and inserted at a time,
and only the LSH index (a few integers per distinct text) is kept.
"""

from __future__ import annotations

import html
import re
import unicodedata
import zlib
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

NEAR_THRESHOLD = 0.8  # Jaccard similarity of word 3-gram sets
NUM_PERM = 64  # MinHash permutations: enough to find pairs at 0.8 (LSH's own estimate)
SHINGLE = 3  # words per shingle; texts with fewer words are left to the normalised check
_TAG = re.compile(r"<[^>]{0,200}>")
_PUNCT = re.compile(r"[^\w\s]|_")


def normalise(text: str) -> str:
    """``text`` with HTML entities decoded and tags removed, compatibility forms folded
    (NFKC), case folded, punctuation dropped and whitespace collapsed."""
    text = _TAG.sub(" ", html.unescape(text))
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCT.sub(" ", text).split())


@dataclass
class Group:
    kind: str  # "exact", "normalised" or "near"
    members: list[int]  # corpus positions, in order
    similarity: float | None = None  # near: the lowest verified Jaccard of its pairs
    extra: dict = field(default_factory=dict)


def exact_groups(texts: list[str]) -> list[Group]:
    """Rows holding the very same text (two or more)."""
    return [Group("exact", m) for m in _grouped(texts) if len(m) > 1]


def normalised_groups(texts: list[str], keys: list[str]) -> list[Group]:
    """Rows equal after :func:`normalise` whose raw texts are not all the same."""
    groups = []
    for members in _grouped(keys):
        if len(members) > 1 and len({texts[i] for i in members}) > 1:
            groups.append(Group("normalised", members))
    return groups


def near_groups(keys: list[str], threshold: float = NEAR_THRESHOLD, seed: int = 1) -> list[Group]:
    """Rows whose normalised texts are near each other (and not all equal): groups are
    the connected pairs of at least ``threshold`` Jaccard similarity."""
    from textclass.audit.extras import require

    datasketch = require("datasketch")
    MinHash, MinHashLSH = datasketch.MinHash, datasketch.MinHashLSH  # noqa: N806

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    template = MinHash(num_perm=NUM_PERM, seed=seed, hashfunc=int)  # its permutations, once
    how = {"hashfunc": int, "permutations": template.permutations, "scheme": template.scheme}
    first: dict[str, int] = {}  # one representative per distinct normalised text
    parent: dict[int, int] = {}
    lowest: dict[tuple[int, int], float] = {}
    for i, key in enumerate(keys):
        if key in first:
            continue
        first[key] = i
        shingles = _shingles(key)
        if shingles is None:
            continue
        sketch = MinHash(num_perm=NUM_PERM, **how)
        sketch.update_batch(shingles.tolist())
        for j in lsh.query(sketch):
            similarity = _jaccard(shingles, _shingles(keys[j]))
            if similarity >= threshold:
                lowest[(j, i)] = similarity
                _union(parent, j, i)
        lsh.insert(i, sketch)
    return _near_from_pairs(keys, first, parent, lowest)


def _near_from_pairs(keys, first, parent, lowest) -> list[Group]:
    members_of = defaultdict(list)  # representative root -> every row of its texts
    for i, key in enumerate(keys):
        rep = first[key]
        if rep in parent:
            members_of[_find(parent, rep)].append(i)
    similarity = defaultdict(lambda: 1.0)
    for (j, _), value in lowest.items():
        root = _find(parent, j)
        similarity[root] = min(similarity[root], value)
    return [
        Group("near", members, round(similarity[root], 3))
        for root, members in members_of.items()
        if len({keys[i] for i in members}) > 1
    ]


def _shingles(key: str) -> np.ndarray | None:
    """The distinct hashes of a normalised text's word 3-grams (None: under 3 words)."""
    words = key.split()
    if len(words) < SHINGLE:
        return None
    ids = np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint64)
    mixed = ids[:-2] * np.uint64(0x9E3779B1) ^ ids[1:-1] * np.uint64(0x85EBCA77) ^ ids[2:]
    return np.unique(mixed & np.uint64(0xFFFFFFFF))


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (a.size + b.size - shared)


def _grouped(values: list) -> list[list[int]]:
    positions = defaultdict(list)
    for i, value in enumerate(values):
        positions[value].append(i)
    return list(positions.values())


def _find(parent: dict[int, int], i: int) -> int:
    parent.setdefault(i, i)
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: dict[int, int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)
