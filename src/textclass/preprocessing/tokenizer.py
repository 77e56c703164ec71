"""Word tokenizer with a vocabulary limit, reproducing the Keras 2 ``Tokenizer``.

With default settings the word index is the one ``keras.preprocessing.text.
Tokenizer`` builds (lower-case, the same punctuation filtered, split on spaces,
most frequent first, ties in order of first appearance), so vocabulary sizes match
the tutorials. Index 0 is reserved for padding; with ``oov_token`` set, index 1 is
the out-of-vocabulary word, as in Keras.

It needs neither TensorFlow nor Keras, and is several times faster than the
Keras 2 implementation (see ``benchmarks/bench_tokenizer.py``).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from textclass.checks import is_int
from textclass.errors import ConfigError, invalid
from textclass.preprocessing import _spans
from textclass.preprocessing.ragged import (
    FEW_TEXTS,
    Sequences,
    concat_ragged,
    map_chunks,
    merge_counts,
)
from textclass.preprocessing.validation import check_texts

KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
SKLEARN_TOKEN_PATTERN = r"(?u)\b\w\w+\b"


# On ASCII text, scikit-learn's ``\b\w\w+\b`` is "runs of [A-Za-z0-9_] of 2 or more":
# every other ASCII byte separates words, and one-character runs are dropped.
_NOT_WORD = "".join(chr(b) for b in range(128) if not (chr(b).isalnum() or chr(b) == "_"))
_SKLEARN_TABLES = {
    lower: _spans.byte_table(_NOT_WORD.replace(" ", ""), " ", lower=lower)
    for lower in (True, False)
}


def _sklearn_words(texts: list[str], *, lower: bool) -> _spans.Spans:
    """Spans of scikit-learn's default token pattern, vectorized for ASCII texts.

    Other texts (already lower-cased here if ``lower``: ``str.lower`` is Unicode-aware)
    are matched with the regular expression and re-joined with spaces; their words hold
    no ASCII separator and are 2+ bytes long, so the same byte pass keeps them whole.
    """
    pattern = re.compile(SKLEARN_TOKEN_PATTERN)
    texts = [t if t.isascii() else " ".join(pattern.findall(t)) for t in texts]
    spans = _spans.spans_from_texts(texts, _SKLEARN_TABLES[lower], " ")
    keep = spans.lengths >= 2
    if keep.all():
        return spans
    kept_before = np.concatenate(([0], np.cumsum(keep)))
    lengths = spans.lengths[keep]
    return _spans.Spans(
        buffer=spans.buffer,
        starts=spans.starts[keep],
        lengths=lengths,
        offsets=kept_before[spans.offsets],
        head=spans.head[keep],
        long=np.flatnonzero(lengths >= 8),
    )


class Tokenizer:
    """Learns a word index from texts and turns texts into index sequences.

    Parameters mirror the Keras 2 ``Tokenizer``: ``num_words`` keeps the
    ``num_words - 1`` most frequent words (index 0 is padding); ``oov_token``,
    when set, takes index 1 and replaces unknown or dropped words, otherwise
    they are left out. ``token_pattern``, when set, finds words with that regular
    expression (as scikit-learn's ``CountVectorizer`` does) instead of
    ``filters`` and ``split``.
    """

    def __init__(
        self,
        *,
        num_words: int | None = None,
        filters: str = KERAS_FILTERS,
        lower: bool = True,
        split: str = " ",
        oov_token: str | None = None,
        token_pattern: str | None = None,
    ) -> None:
        if num_words is not None and (not is_int(num_words) or num_words < 1):
            raise invalid("num_words", "a positive integer or None", num_words)
        if not isinstance(split, str) or not split:
            raise invalid("split", "a non-empty string", split)
        if token_pattern is not None:
            try:
                re.compile(token_pattern)
            except re.error as exc:
                raise invalid(
                    "token_pattern", f"a regular expression ({exc})", token_pattern
                ) from None
        self.num_words = num_words
        self.filters = filters
        self.lower = lower
        self.split = split
        self.oov_token = oov_token
        self.token_pattern = token_pattern
        self.words_: list[str] | None = None
        self.word_counts_: list[int] | None = None
        self.document_count_ = 0
        self._lookup: _spans.WordLookup | None = None
        self._index: dict[str, int] | None = None  # word_index, for the exact path

    # ----------------------------------------------------------------- learning
    def fit(self, texts) -> Tokenizer:
        """Learn the word index from ``texts`` (an iterable of strings)."""
        self._fit(check_texts(texts))
        return self

    def fit_transform(self, texts) -> Sequences:
        """``fit(texts).transform(texts)``, reading the texts once."""
        texts = check_texts(texts)
        learned = self._fit(texts)
        if learned is None:
            return self.transform(texts)
        codes, offsets, order = learned
        shift = 2 if self.oov_token is not None else 1
        rank = np.empty(order.size, dtype=np.int64)
        rank[order] = np.arange(shift, shift + order.size)
        return self._finish(rank[codes], offsets)

    def _fit(self, texts: list[str]):
        """Learn the vocabulary; return (codes, offsets, order) when the fast path ran."""
        counted = map_chunks(self._count_chunk, texts)
        if any(c is None for c in counted):
            counter: Counter[str] = Counter()
            for text in texts:
                counter.update(self._words(text))
            words, counts, learned = list(counter), list(counter.values()), None
        else:
            words, counts, learned = merge_counts(counted)
        # ties keep their order of first appearance, as in Keras
        order = np.argsort(-np.asarray(counts, dtype=np.int64), kind="stable")
        if self.oov_token is not None and self.oov_token in words:
            order = order[order != words.index(self.oov_token)]  # index 1 is the OOV's
        self.words_ = [words[i] for i in order.tolist()]
        self.word_counts_ = [counts[i] for i in order.tolist()]
        self.document_count_ = len(texts)
        self._lookup = self._index = None
        return None if learned is None or self.oov_token in words else (*learned, order)

    def _count_chunk(self, texts: list[str]):
        """(words in first-seen order, counts, word codes, doc offsets), or None for the slow path."""
        spans = self._spans(texts)
        if spans is None:
            return None
        try:
            first, counts, codes = _spans.count_words(spans)
        except _spans.HashCollision:
            return None
        return spans.words(first), counts, codes, spans.offsets

    # ------------------------------------------------------------ vocabulary
    def _check_fitted(self) -> None:
        if self.words_ is None:
            raise ConfigError("This Tokenizer is not fitted yet: call fit(texts) first.")

    @property
    def word_index(self) -> dict[str, int]:
        """Every word seen in training and its index (Keras ``word_index``)."""
        self._check_fitted()
        shift = 2 if self.oov_token is not None else 1
        index = {} if self.oov_token is None else {self.oov_token: 1}
        index.update(zip(self.words_, range(shift, shift + len(self.words_))))
        return index

    @property
    def vocab_size(self) -> int:
        """Rows an ``Embedding`` needs: the largest index produced, plus one."""
        self._check_fitted()
        total = len(self.words_) + 1 + (self.oov_token is not None)
        return total if self.num_words is None else min(int(self.num_words), total)

    # ----------------------------------------------------------- transforming
    def transform(self, texts) -> Sequences:
        """Index sequences of ``texts``; words outside the vocabulary follow ``oov_token``."""
        self._check_fitted()
        texts = check_texts(texts)
        # a few texts (a request, a CLI prediction) take the exact per-word path: the
        # vectorized one first hashes the whole vocabulary into a pandas index
        lookup = self._word_lookup() if len(texts) > FEW_TEXTS else None
        parts = map_chunks(lambda chunk: self._positions(lookup, chunk), texts)
        if lookup is not None and all(p is not None for p in parts):
            ids, offsets = concat_ragged(parts)
            shift = 2 if self.oov_token is not None else 1
            ids += shift
            ids[ids < shift] = 0
        else:
            if self._index is None:
                self._index = self.word_index
            index = self._index
            per_doc = [[index.get(w, 0) for w in self._words(t)] for t in texts]
            offsets = np.zeros(len(per_doc) + 1, dtype=np.int64)
            np.cumsum([len(d) for d in per_doc], out=offsets[1:])
            ids = np.fromiter((i for d in per_doc for i in d), dtype=np.int64, count=offsets[-1])
        return self._finish(ids, offsets)

    def _positions(self, lookup: _spans.WordLookup | None, texts: list[str]):
        """(vocabulary position of every word or -1, doc offsets), or None for the slow path."""
        spans = self._spans(texts) if lookup is not None else None
        return None if spans is None else (lookup.positions(spans), spans.offsets)

    def _finish(self, ids: np.ndarray, offsets: np.ndarray) -> Sequences:
        """Apply ``num_words`` and the OOV policy to raw indices (0 = unknown)."""
        ids = ids.astype(np.int32)
        if self.num_words is not None:
            ids[ids >= self.vocab_size] = 0  # beyond num_words: treated as unknown
        unknown = ids == 0
        if not unknown.any():
            return Sequences(ids, offsets)
        if self.oov_token is not None:
            ids[unknown] = 1
            return Sequences(ids, offsets)
        dropped_before = np.concatenate(([0], np.cumsum(unknown)))
        return Sequences(ids[~unknown], offsets - dropped_before[offsets])

    def texts_to_sequences(self, texts) -> list[list[int]]:
        """Keras 2 compatible: a list of index lists."""
        return self.transform(texts).to_list()

    def _word_lookup(self) -> _spans.WordLookup | None:
        if self._lookup is None:
            try:
                self._lookup = _spans.WordLookup.from_words(self.words_, self._sep())
            except _spans.HashCollision:
                return None
        return self._lookup

    # ---------------------------------------------------------- tokenization
    def _sep(self) -> str:
        return " " if self.token_pattern is not None else self.split

    def _words(self, text: str) -> list[str]:
        """The words of one text, exactly as Keras 2 ``text_to_word_sequence``."""
        if self.lower:
            text = text.lower()
        if self.token_pattern is not None:
            return [w for w in re.findall(self.token_pattern, text) if w]
        text = text.translate(str.maketrans({c: self.split for c in self.filters}))
        return [w for w in text.split(self.split) if w]

    def _spans(self, texts: list[str]) -> _spans.Spans | None:
        """Word spans via the vectorized path, or None where only the exact slow path fits."""
        sep = self._sep()
        if len(sep) != 1 or not sep.isascii():
            return None
        if self.lower:  # ASCII-only texts are lower-cased by the byte table below
            texts = [t if t.isascii() else t.lower() for t in texts]
        if self.token_pattern is not None:
            if self.token_pattern == SKLEARN_TOKEN_PATTERN:
                return _sklearn_words(texts, lower=self.lower)
            pattern = re.compile(self.token_pattern)
            found = [
                [w for w in pattern.findall(t.lower() if self.lower else t) if w] for t in texts
            ]
            table = _spans.byte_table("", " ", lower=False)
            spans = _spans.spans_from_texts([" ".join(ws) for ws in found], table, " ")
            if spans.starts.size != sum(map(len, found)):
                return None  # a match contains a space
            return spans
        wide = [c for c in self.filters if not c.isascii()]
        if wide:
            table = str.maketrans({c: sep for c in wide})
            texts = [t.translate(table) for t in texts]
        ascii_filters = "".join(c for c in self.filters if c.isascii())
        table = _spans.byte_table(ascii_filters, sep, lower=self.lower)
        return _spans.spans_from_texts(texts, table, sep)

    # ------------------------------------------------------------ persistence
    def get_config(self) -> dict:
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "oov_token": self.oov_token,
            "token_pattern": self.token_pattern,
        }

    def to_dict(self) -> dict:
        """JSON-ready: settings plus the learned word list and counts."""
        self._check_fitted()
        return {
            "config": self.get_config(),
            "words": self.words_,
            "word_counts": self.word_counts_,
            "document_count": self.document_count_,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Tokenizer:
        tok = cls(**data["config"])
        tok.words_ = list(data["words"])
        tok.word_counts_ = list(data["word_counts"])
        tok.document_count_ = int(data["document_count"])
        return tok
