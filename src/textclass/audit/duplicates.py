"""Duplicate texts: exact, equal after normalisation, and near (MinHash LSH).

* **exact**: the same characters.
* **normalised**: the same after :func:`normalise` (HTML entities and tags, Unicode
  compatibility forms, case, punctuation and runs of whitespace), raw texts differing.
* **near**: word 3-gram sets with a Jaccard similarity of at least ``threshold``
  (default 0.8). Candidates come from locality-sensitive hashing of datasketch MinHash
  signatures (``BANDS`` bands of ``ROWS`` values: a pair at Jaccard 0.8 is a candidate
  with probability 0.99, at 0.5 with 0.32); each candidate pair is then checked against
  the exact Jaccard similarity, so every near pair reported reaches the threshold.

The near search streams: one text's MinHash is built at a time, and only its band hashes
are kept, ``BANDS`` 64-bit integers per distinct text in numpy arrays (96 bytes; 96 MB for
a million texts, where datasketch's ``MinHashLSH`` dictionaries take about 2 KB a text);
candidates are the texts that share a band hash, found by sorting each band.
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
BANDS, ROWS = 12, 5  # LSH: P(candidate) = 1 - (1 - J**ROWS)**BANDS, 0.99 at J = 0.8
NUM_PERM = BANDS * ROWS  # MinHash permutations
CHUNK = 8192  # signatures turned into band hashes at a time
BUCKET_PAIRS = 200  # a bucket larger than this is checked against its first and next members
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
    first: dict[str, int] = {}  # one representative per distinct normalised text
    reps, hashes = band_hashes(keys, first, seed)
    parent: dict[int, int] = {}
    lowest: dict[tuple[int, int], float] = {}
    for a, b in _candidates(reps, hashes):
        similarity = _jaccard(_shingles(keys[a]), _shingles(keys[b]))
        if similarity >= threshold:
            lowest[(a, b)] = similarity
            _union(parent, a, b)
    return _near_from_pairs(keys, first, parent, lowest)


def band_hashes(keys: list[str], first: dict[str, int], seed: int = 1):
    """``(representatives, band hashes)``: the first position of each distinct text of 3
    or more words (``first`` maps every distinct text to its first position), and its
    ``BANDS`` band hashes, one row each."""
    from textclass.audit.extras import require

    minhash = require("datasketch").MinHash
    template = minhash(num_perm=NUM_PERM, seed=seed, hashfunc=int)  # its permutations, once
    how = {"hashfunc": int, "permutations": template.permutations, "scheme": template.scheme}
    reps, done, signatures = [], [], []
    for i, key in enumerate(keys):
        if key in first:
            continue
        first[key] = i
        shingles = _shingles(key)
        if shingles is None:
            continue
        sketch = minhash(num_perm=NUM_PERM, **how)
        sketch.update_batch(shingles.tolist())
        reps.append(i)
        signatures.append(sketch.hashvalues)
        if len(signatures) == CHUNK:
            done.append(_bands(np.stack(signatures)))
            signatures = []
    if signatures:
        done.append(_bands(np.stack(signatures)))
    empty = np.zeros((0, BANDS), dtype=np.uint64)
    return np.array(reps, dtype=np.int64), np.concatenate(done) if done else empty


def _bands(signatures: np.ndarray) -> np.ndarray:
    """Each row's ``BANDS`` hashes of ``ROWS`` signature values each (equal bands, equal
    hashes; unequal bands collide with odds of 2**-64)."""
    values = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    out = np.zeros((len(signatures), BANDS), dtype=np.uint64)
    for k in range(ROWS):  # polynomial hash, wrapping at 2**64
        out = out * np.uint64(0x100000001B3) + values[:, :, k] + np.uint64(k + 1)
    return out


def _candidates(reps: np.ndarray, hashes: np.ndarray):
    """Pairs ``(a, b)``, ``a < b``, of representatives sharing a band hash, each once."""
    seen = set()
    for band in range(hashes.shape[1]):
        order = np.argsort(hashes[:, band], kind="stable")
        column = hashes[order, band]
        starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
        ends = np.r_[starts[1:], len(column)]
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
            members = np.sort(reps[order[start:end]]).tolist()
            for a, b in _pairs(members):
                if (a, b) not in seen:
                    seen.add((a, b))
                    yield a, b


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
