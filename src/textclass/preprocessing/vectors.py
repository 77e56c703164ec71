"""Bag-of-words vectors (counts, multi-hot, TF-IDF) from index sequences."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from textclass.errors import invalid
from textclass.preprocessing.tokenizer import Sequences

MODES = ("count", "binary", "tfidf", "freq")


def bag_of_words(sequences: Sequences, vocab_size: int, mode: str = "count") -> sp.csr_matrix:
    """A sparse ``(n_docs, vocab_size - 1)`` float32 matrix; column ``i`` is word index ``i + 1``.

    Index 0 (padding) is never a word, so it gets no column: with the sklearn
    analyzer the columns are exactly ``CountVectorizer``'s features.

    ``count``: occurrences; ``binary``: multi-hot; ``freq``: occurrences divided
    by the document's length. For ``tfidf`` use :class:`TfidfVectors`, which
    learns the inverse document frequencies on training data only.
    """
    if mode not in ("count", "binary", "freq"):
        raise invalid("mode", '"count", "binary" or "freq"', mode)
    n = len(sequences)
    data = np.ones(sequences.ids.size, dtype=np.float32)
    # new arrays: sum_duplicates sorts in place and must not reorder the caller's sequences
    matrix = sp.csr_matrix(
        (data, sequences.ids - 1, sequences.offsets.copy()), shape=(n, max(vocab_size - 1, 1))
    )
    matrix.sum_duplicates()
    if mode == "binary":
        matrix.data[:] = 1.0
    elif mode == "freq":
        lengths = np.maximum(sequences.lengths, 1).astype(np.float32)
        matrix = sp.csr_matrix(sp.diags(1.0 / lengths) @ matrix, dtype=np.float32)
    return matrix


class TfidfVectors:
    """TF-IDF with scikit-learn's formula (smooth idf, l2 norm), fitted on training data."""

    def __init__(self, idf: np.ndarray | None = None) -> None:
        self.idf = idf

    def fit_transform(self, sequences: Sequences, vocab_size: int) -> sp.csr_matrix:
        from sklearn.feature_extraction.text import TfidfTransformer

        counts = bag_of_words(sequences, vocab_size, "count")
        transformer = TfidfTransformer().fit(counts)
        self.idf = transformer.idf_.astype(np.float32)
        return self.transform(sequences, vocab_size)

    def transform(self, sequences: Sequences, vocab_size: int) -> sp.csr_matrix:
        """Counts x idf, each row scaled to unit l2 norm (TfidfTransformer's transform,
        in numpy: predicting needs no scikit-learn)."""
        counts = sp.csr_matrix(bag_of_words(sequences, vocab_size, "count"), dtype=np.float32)
        weighted = sp.csr_matrix(counts.multiply(self.idf.astype(np.float32)))
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        scale = sp.diags((1.0 / norms).astype(np.float32))
        return sp.csr_matrix(scale @ weighted, dtype=np.float32)


def vectorize(sequences: Sequences, vocab_size: int, mode: str, idf=None) -> sp.csr_matrix:
    """Bag-of-words in any of :data:`MODES`; ``tfidf`` needs the fitted ``idf``."""
    if mode not in MODES:
        raise invalid("mode", " or ".join(f'"{m}"' for m in MODES), mode)
    if mode == "tfidf":
        return TfidfVectors(idf).transform(sequences, vocab_size)
    return bag_of_words(sequences, vocab_size, mode)
