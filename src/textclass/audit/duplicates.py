"""Duplicates and leakage: exact, normalised and near-duplicate texts, within one part and
across train and test, and duplicate groups whose labels disagree.

- **exact**: the same characters;
- **normalised**: the same after :func:`normalized` (HTML entities and tags, case, accents
  kept, punctuation and runs of whitespace dropped): "Great food!" and "great  food";
- **near**: Jaccard similarity of word 3-gram shingles (of the normalised text) estimated by
  MinHash (``datasketch``, 128 permutations) at or above ``threshold`` (0.8 by default),
  found with locality-sensitive hashing, so no pair of texts is compared one by one.

Groups are lists of 0-based positions; the caller turns them into data rows.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict

NEAR_THRESHOLD = 0.8
PERMUTATIONS = 128
SHINGLE_WORDS = 3
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
    """Texts whose shingles' estimated Jaccard similarity reaches ``threshold``, grouped
    (a chain of near pairs is one group), without the normalised duplicates' groups."""
    lsh, hashes = _index(texts, threshold)
    parent = list(range(len(texts)))
    for i, signature in hashes.items():
        for j in lsh.query(signature):
            if j != i:
                _union(parent, i, j)
    groups = defaultdict(list)
    for i in hashes:
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
    lsh, _ = _index(train, threshold)
    found = []
    for i, text in enumerate(test):
        if text in exact:
            found.append({"test": i, "train": exact[text], "kind": "exact"})
        elif normalized(text) in norm:
            found.append({"test": i, "train": norm[normalized(text)], "kind": "normalized"})
        else:
            signature = _minhash(text)
            near = sorted(lsh.query(signature)) if signature is not None else []
            if near:
                found.append({"test": i, "train": near, "kind": "near"})
    return found


def conflicting(groups: list[list[int]], labels) -> list[list[int]]:
    """The groups whose rows do not all carry the same label (or label set)."""
    return [g for g in groups if len({_hashable(labels[i]) for i in g}) > 1]


def _groups_by(texts: list[str], key) -> list[list[int]]:
    seen = defaultdict(list)
    for i, text in enumerate(texts):
        seen[key(text)].append(i)
    return [g for g in seen.values() if len(g) > 1]


def _shingles(text: str) -> set[bytes]:
    words = normalized(text).split()
    if len(words) < SHINGLE_WORDS:
        return set()  # too short to be near anything but itself (exact/normalised cover it)
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def _minhash(text: str):
    from datasketch import MinHash

    shingles = _shingles(text)
    if not shingles:
        return None
    signature = MinHash(num_perm=PERMUTATIONS, seed=1)
    signature.update_batch(list(shingles))
    return signature


def _index(texts: list[str], threshold: float):
    """An LSH index of the texts' MinHashes (texts too short to shingle are left out)."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    shingles = {i: list(s) for i, s in enumerate(map(_shingles, texts)) if s}
    signatures = MinHash.bulk(list(shingles.values()), num_perm=PERMUTATIONS, seed=1)
    hashes = dict(zip(shingles, signatures))
    for i, signature in hashes.items():
        lsh.insert(i, signature, check_duplication=False)
    return lsh, hashes


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], i: int, j: int) -> None:
    parent[_find(parent, i)] = _find(parent, j)


def _hashable(label):
    return tuple(sorted(map(str, label))) if isinstance(label, (list, tuple, set)) else label
