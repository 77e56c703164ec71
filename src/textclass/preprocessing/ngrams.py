"""Word and character n-gram vectors, vectorized end to end (no Python object per n-gram).

Texts are normalised (HTML line breaks become spaces, ``!`` and ``?`` become
tokens of their own, case is folded), split into words by the tokenizer's
byte-level core (:mod:`textclass.preprocessing._spans`), and every word gets a
stable 64-bit key (its bytes when shorter than 8, a hash otherwise). An n-gram's
key mixes the keys of its words, so n-grams never become strings: extraction,
counting and lookup are numpy and pandas operations over integer arrays, run on
all cores in chunks of texts.

Columns are either a fitted vocabulary (n-grams in at least ``min_df`` training
texts, the ``max_features`` most frequent kept; stored as their keys) or feature
hashing (``hash_features`` columns, nothing to store). Values are ``binary``,
``count`` or ``tfidf`` (sublinear tf, smooth idf, l2-normalised rows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    import scipy.sparse as sp

from textclass.errors import invalid
from textclass.preprocessing import _spans
from textclass.preprocessing.base import Preprocessor
from textclass.preprocessing.ragged import map_chunks
from textclass.preprocessing.tokenizer import KERAS_FILTERS

VALUES = ("binary", "count", "tfidf")
_SMALL = 20_000  # n-grams up to which a matrix is assembled without scipy's COO path
# Keras' filters, except "!" and "?", which carry sentiment and stay as tokens
FILTERS = "".join(c for c in KERAS_FILTERS if c not in "!?")
_BREAKS = ("<br />", "<br/>", "<br>")
_TABLE = _spans.byte_table(FILTERS, " ", lower=False)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_ORDER = 0xD6E8FEB86659FD93


def _order_salt(n: int) -> np.uint64:
    """A constant per n-gram length, so n-grams of different lengths get different keys."""
    return np.uint64((n * _ORDER) & 0xFFFFFFFFFFFFFFFF)


def normalize(text: str, lower: bool = True) -> str:
    """HTML line breaks to spaces, ``!``/``?`` set apart, optional case folding."""
    for tag in _BREAKS:
        if tag in text:
            text = text.replace(tag, " ")
    if "!" in text:
        text = text.replace("!", " ! ")
    if "?" in text:
        text = text.replace("?", " ? ")
    return text.lower() if lower else text


def ngram_keys(texts: list[str], word_range, char_range, lower: bool):
    """(document of each n-gram, 64-bit key of each n-gram) for ``texts``, on all cores."""
    parts = map_chunks(lambda chunk: _chunk_keys(chunk, word_range, char_range, lower), texts)
    starts = np.cumsum([0] + [n for _, _, n in parts])[:-1]
    docs = np.concatenate([d + s for (d, _, _), s in zip(parts, starts)])
    keys = np.concatenate([k for _, k, _ in parts])
    return docs, keys


def _chunk_keys(texts: list[str], word_range, char_range, lower: bool):
    texts = [normalize(t, lower) for t in texts]
    spans = _spans.spans_from_texts(texts, _TABLE, " ")
    doc_of_word = np.repeat(np.arange(len(texts)), np.diff(spans.offsets))
    word_keys = _spans.hash_words(spans)
    docs, keys = [], []
    if word_range is not None:
        lo, hi = word_range
        for n in range(lo, hi + 1):
            d, k = _word_ngrams(word_keys, doc_of_word, n)
            docs.append(d)
            keys.append(k)
    if char_range is not None:
        d, k = _char_ngrams(spans, len(texts), char_range)
        docs.append(d)
        keys.append(k)
    if not docs:
        return np.empty(0, np.int64), np.empty(0, np.uint64), len(texts)
    return np.concatenate(docs), np.concatenate(keys), len(texts)


def _word_ngrams(word_keys: np.ndarray, doc_of_word: np.ndarray, n: int):
    """Keys of every run of ``n`` consecutive words inside one document."""
    count = word_keys.size - n + 1
    if count <= 0:
        return np.empty(0, np.int64), np.empty(0, np.uint64)
    if n == 1:
        return doc_of_word, word_keys
    same_doc = doc_of_word[:count] == doc_of_word[n - 1 :]
    key = word_keys[:count].copy()
    for j in range(1, n):
        key = _spans._mix(key * _GOLDEN + word_keys[j : j + count])
    key ^= _order_salt(n)  # a bigram never shares a key with a trigram
    return doc_of_word[:count][same_doc], key[same_doc]


def _char_ngrams(spans: _spans.Spans, n_docs: int, char_range):
    """Keys of byte n-grams (n <= 8) of each word with a space on either side (" word ")."""
    lo, hi = char_range
    doc_of_word = np.repeat(np.arange(n_docs), np.diff(spans.offsets))
    text = spans.buffer[:-8]
    space = np.full(1, ord(" "), np.uint8)
    padded = np.concatenate([space, text, space, np.zeros(8, np.uint8)])
    view = _spans._words_view(padded)
    lengths = spans.lengths + 2  # with the two spaces
    docs, keys = [], []
    for n in range(lo, hi + 1):
        per_word = np.maximum(lengths - n + 1, 0)
        word = np.repeat(np.arange(lengths.size), per_word)
        within = np.arange(word.size) - np.repeat(np.cumsum(per_word) - per_word, per_word)
        # the space before word w sits at padded[starts[w]] (padded is shifted by one)
        key = view[spans.starts[word] + within] & _spans._MASKS[n]
        docs.append(doc_of_word[word])
        keys.append(_spans._mix(key ^ _order_salt(n + 8)))
    return np.concatenate(docs), np.concatenate(keys)


class NgramVectors(Preprocessor):
    """Texts -> a sparse ``(n, n_features)`` float32 matrix of n-gram values."""

    name = "ngrams"

    def __init__(
        self,
        *,
        ngram_range=(1, 3),
        char_ngram_range=None,
        min_df: int = 2,
        max_features: int | None = None,
        hash_features: int | None = None,
        values: str = "binary",
        lower: bool = True,
    ) -> None:
        if values not in VALUES:
            raise invalid("values", " or ".join(VALUES), values)
        self.ngram_range = None if ngram_range is None else tuple(ngram_range)
        self.char_ngram_range = None if char_ngram_range is None else tuple(char_ngram_range)
        self.min_df = min_df
        self.max_features = max_features
        self.hash_features = hash_features
        self.values = values
        self.lower = lower
        self.keys_: np.ndarray | None = None  # sorted uint64 vocabulary (not hashing)
        self.idf_: np.ndarray | None = None
        self._index: pd.Index | None = None

    @classmethod
    def from_settings(cls, settings, **options) -> NgramVectors:
        return cls(lower=getattr(settings, "lower", True), **options)

    # ------------------------------------------------------------ fitting
    def fit_transform(self, texts):
        docs, keys = self._keys(texts)
        if self.hash_features is None:
            import pandas as pd

            codes, uniques = pd.factorize(keys, sort=False)
            matrix = _matrix(len(texts), docs, codes, uniques.size)
            df = np.bincount(matrix.indices, minlength=uniques.size)
            keep = np.flatnonzero(df >= self.min_df)
            if self.max_features is not None and keep.size > self.max_features:
                # most frequent first; equal frequencies in order of first appearance
                order = np.argsort(-df[keep], kind="stable")
                keep = np.sort(keep[order[: self.max_features]])
            # columns keep the order of first appearance, so each row stays sorted
            self.keys_ = np.asarray(uniques)[keep].astype(np.uint64)
            self._index = None
            matrix = _keep_columns(matrix, keep, uniques.size)
        else:
            matrix = _matrix(len(texts), docs, self._hash_columns(keys), self.hash_features)
        if self.values == "tfidf":
            df = np.bincount(matrix.indices, minlength=matrix.shape[1])
            self.idf_ = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
        return self._finish(matrix)

    def transform(self, texts):
        texts = list(texts)
        lookup = self._lookup() if self.hash_features is None else None

        def chunk_matrix(chunk):  # runs in a thread per chunk of texts
            docs, keys, n = _chunk_keys(chunk, self.ngram_range, self.char_ngram_range, self.lower)
            if lookup is None:
                return _matrix(n, docs, self._hash_columns(keys), self.hash_features)
            found = lookup.get_indexer(keys)
            kept = found >= 0
            return _matrix(n, docs[kept], found[kept], self.keys_.size)

        parts = map_chunks(chunk_matrix, texts)
        if len(parts) == 1:
            matrix = parts[0]
        else:
            import scipy.sparse as sp

            matrix = sp.vstack(parts, format="csr")
        return self._finish(matrix)

    def _keys(self, texts):
        return ngram_keys(list(texts), self.ngram_range, self.char_ngram_range, self.lower)

    def _hash_columns(self, keys: np.ndarray) -> np.ndarray:
        return (keys % np.uint64(self.hash_features)).astype(np.int64)

    def _lookup(self) -> pd.Index:
        if self._index is None:
            import pandas as pd

            self._index = pd.Index(self.keys_)
        return self._index

    def _finish(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        if self.values == "binary":
            counts.data[:] = 1.0
            return counts
        if self.values == "count":
            return counts
        # sublinear tf times idf, then l2-normalised rows, all on the stored values
        # (no diagonal matrix of n_features: one text stays a sub-millisecond call)
        values = (1.0 + np.log(counts.data)) * self.idf_[counts.indices]
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=counts.shape[0]))
        counts.data = (values / np.maximum(norms, 1e-12)[rows]).astype(np.float32)
        return counts

    def column_names(self, text: str) -> dict[int, str]:
        """``{column: n-gram}`` for the n-grams of ``text``: word n-grams joined by spaces,
        character n-grams with ``<``/``>`` marking the word's edges (hashed columns shared
        by several n-grams list them all, joined by `` | ``)."""
        spans = _spans.spans_from_texts([normalize(text, self.lower)], _TABLE, " ")
        words = spans.words(np.arange(spans.starts.size))
        names: dict[int, list[str]] = {}

        def add(keys: np.ndarray, grams: list[str]) -> None:
            if self.hash_features is None:
                columns = self._lookup().get_indexer(keys)
            else:
                columns = self._hash_columns(keys)
            for column, gram in zip(columns.tolist(), grams):
                if column >= 0 and gram not in names.setdefault(column, []):
                    names[column].append(gram)

        if self.ngram_range is not None and words:
            word_keys = _spans.hash_words(spans)
            docs = np.zeros(len(words), dtype=np.int64)
            for n in range(self.ngram_range[0], self.ngram_range[1] + 1):
                _, keys = _word_ngrams(word_keys, docs, n)
                add(keys, [" ".join(words[i : i + n]) for i in range(len(keys))])
        if self.char_ngram_range is not None:
            for word in dict.fromkeys(words):
                one = _spans.spans_from_texts([word], _TABLE, " ")
                padded = b" " + word.encode("utf-8") + b" "
                for n in range(self.char_ngram_range[0], self.char_ngram_range[1] + 1):
                    _, keys = _char_ngrams(one, 1, (n, n))
                    grams = [padded[i : i + n] for i in range(len(keys))]
                    add(keys, [_char_name(g) for g in grams])
        return {column: " | ".join(grams) for column, grams in names.items()}

    # ------------------------------------------------------------ sizes, saving
    @property
    def n_features(self) -> int:
        return self.hash_features if self.hash_features is not None else int(self.keys_.size)

    def model_inputs(self) -> dict:
        return {"n_features": self.n_features}

    def describe(self) -> dict:
        kind = "hashed" if self.hash_features is not None else "vocabulary"
        return {"n_features": self.n_features, "features": kind}

    def get_config(self) -> dict:
        return {
            "ngram_range": None if self.ngram_range is None else list(self.ngram_range),
            "char_ngram_range": None
            if self.char_ngram_range is None
            else list(self.char_ngram_range),
            "min_df": self.min_df,
            "max_features": self.max_features,
            "hash_features": self.hash_features,
            "values": self.values,
            "lower": self.lower,
        }

    def get_arrays(self) -> dict[str, np.ndarray]:
        arrays = {}
        if self.keys_ is not None:
            arrays["keys"] = self.keys_
        if self.idf_ is not None:
            arrays["idf"] = self.idf_
        return arrays

    @classmethod
    def from_config(cls, config, arrays) -> NgramVectors:
        out = cls(**config)
        out.keys_ = arrays.get("keys")
        out.idf_ = arrays.get("idf")
        return out


def _char_name(gram: bytes) -> str:
    text = gram.decode("utf-8", "replace")
    return ("<" + text[1:] if text.startswith(" ") else text).replace(" ", ">")


def _keep_columns(matrix: sp.csr_matrix, keep: np.ndarray, n_columns: int) -> sp.csr_matrix:
    """``matrix[:, keep]`` for sorted ``keep``, without scipy's general fancy indexing."""
    if keep.size == n_columns:
        return matrix
    remap = np.full(n_columns, -1, dtype=np.int64)
    remap[keep] = np.arange(keep.size)
    columns = remap[matrix.indices]
    kept = columns >= 0
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[kept]
    indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
    import scipy.sparse as sp

    return sp.csr_matrix(
        (matrix.data[kept], columns[kept].astype(np.int32), indptr),
        shape=(matrix.shape[0], max(keep.size, 1)),
    )


def _matrix(n_docs: int, docs: np.ndarray, columns: np.ndarray, n_columns: int) -> sp.csr_matrix:
    """Counts of (document, column) pairs as a float32 CSR matrix with sorted indices."""
    import scipy.sparse as sp

    if docs.size <= _SMALL:  # a few texts: sort the pairs here, skip scipy's COO round trip
        pairs, counts = np.unique(docs * np.int64(n_columns) + columns, return_counts=True)
        indptr = np.searchsorted(pairs, np.arange(n_docs + 1) * np.int64(n_columns))
        return sp.csr_matrix(
            (counts.astype(np.float32), (pairs % n_columns).astype(np.int32), indptr),
            shape=(n_docs, max(n_columns, 1)),
        )
    matrix = sp.csr_matrix(
        (np.ones(docs.size, dtype=np.float32), (docs, columns)), shape=(n_docs, max(n_columns, 1))
    )
    matrix.sum_duplicates()
    return matrix
