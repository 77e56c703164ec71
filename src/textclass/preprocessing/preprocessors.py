"""The word-level preprocessors: padded word-id sequences, and bag-of-words vectors.

Both learn one :class:`Tokenizer` on the training texts (Keras 2 rules, or
scikit-learn's ``CountVectorizer`` pattern). The classifier's settings
(``num_words``, ``lower``, ``oov_token``, ``analyzer``, ``maxlen``, ``padding``,
``truncating``) configure them; a family's options (its analyzer, vocabulary
limit, bag-of-words mode) fill in what the classifier leaves as "auto" / None.
"""

from __future__ import annotations

import numpy as np

from textclass.errors import invalid
from textclass.preprocessing.base import (
    Preprocessor,
    cut_at_maxlen,
    maxlen_setting,
)
from textclass.preprocessing.sequences import pad_sequences
from textclass.preprocessing.tokenizer import SKLEARN_TOKEN_PATTERN, Tokenizer
from textclass.preprocessing.vectors import MODES, TfidfVectors, vectorize

ANALYZERS = ("keras", "sklearn")
DEFAULT_MAXLEN = 100  # maxlen="auto": the word-id length of the Keras tutorials


def tokenizer_from_settings(settings, *, analyzer: str = "keras", num_words=None) -> Tokenizer:
    """The classifier's tokenizer settings; "auto" / None take the family's choice."""
    chosen = getattr(settings, "analyzer", "auto")
    chosen = analyzer if chosen == "auto" else chosen
    if chosen not in ANALYZERS:
        raise invalid("analyzer", '"auto", "keras" or "sklearn"', chosen)
    limit = getattr(settings, "num_words", None)
    return Tokenizer(
        num_words=limit if limit is not None else num_words,
        lower=getattr(settings, "lower", True),
        oov_token=getattr(settings, "oov_token", None),
        token_pattern=SKLEARN_TOKEN_PATTERN if chosen == "sklearn" else None,
    )


class _WordPreprocessor(Preprocessor):
    tokenizer: Tokenizer

    def vocabulary(self) -> tuple[list[str], int]:
        """(words in index order, index of the first word): for pretrained vector rows."""
        first_index = 2 if self.tokenizer.oov_token is not None else 1
        return list(self.tokenizer.words_), first_index

    @property
    def vocab_size(self) -> int:
        return self.tokenizer.vocab_size


class WordIds(_WordPreprocessor):
    """Texts -> word indices -> a ``(n, maxlen)`` int32 matrix (Keras ``pad_sequences``)."""

    name = "word_ids"

    def __init__(
        self, tokenizer: Tokenizer, *, maxlen=None, padding="post", truncating="post"
    ) -> None:
        self.tokenizer = tokenizer
        self.maxlen = maxlen  # None: the longest training text
        self.padding = padding
        self.truncating = truncating
        self.maxlen_: int | None = None
        self.cut_: tuple[int, int] | None = None  # (training texts cut at maxlen, of n)

    @classmethod
    def from_settings(cls, settings, *, analyzer: str = "keras", num_words=None) -> WordIds:
        return cls(
            tokenizer_from_settings(settings, analyzer=analyzer, num_words=num_words),
            maxlen=maxlen_setting(settings, auto=DEFAULT_MAXLEN),
            padding=getattr(settings, "padding", "post"),
            truncating=getattr(settings, "truncating", "post"),
        )

    def fit_transform(self, texts):
        sequences = self.tokenizer.fit_transform(texts)
        self.maxlen_ = self.maxlen or max(int(sequences.lengths.max(initial=0)), 1)
        self.cut_ = (int((sequences.lengths > self.maxlen_).sum()), len(sequences.lengths))
        return self._pad(sequences)

    def transform(self, texts):
        return self._pad(self.tokenizer.transform(texts))

    def _pad(self, sequences) -> np.ndarray:
        return pad_sequences(
            sequences, self.maxlen_, padding=self.padding, truncating=self.truncating
        )

    def model_inputs(self) -> dict:
        return {"vocab_size": self.vocab_size, "maxlen": self.maxlen_}

    def describe(self) -> dict:
        # maxlen=None is the longest training text: nothing of those is cut
        return {**self.model_inputs(), **(cut_at_maxlen(self.cut_) if self.maxlen else {})}

    def get_config(self) -> dict:
        return {
            "tokenizer": self.tokenizer.to_dict(),
            "maxlen": self.maxlen,
            "padding": self.padding,
            "truncating": self.truncating,
            "fitted_maxlen": self.maxlen_,
            **({"fitted_cut": list(self.cut_)} if self.cut_ else {}),
        }

    @classmethod
    def from_config(cls, config, arrays) -> WordIds:
        out = cls(
            Tokenizer.from_dict(config["tokenizer"]),
            maxlen=config["maxlen"],
            padding=config["padding"],
            truncating=config["truncating"],
        )
        out.maxlen_ = int(config["fitted_maxlen"])
        out.cut_ = tuple(config["fitted_cut"]) if config.get("fitted_cut") else None
        return out


class BagOfWords(_WordPreprocessor):
    """Texts -> a sparse ``(n, vocab_size - 1)`` matrix of counts, 0/1, frequencies or TF-IDF.

    Column ``i`` is word index ``i + 1`` (no padding column): with the sklearn
    analyzer the columns are exactly ``CountVectorizer``'s features. TF-IDF
    weights are learned on the training texts only.
    """

    name = "bag_of_words"

    def __init__(self, tokenizer: Tokenizer, *, mode: str = "count") -> None:
        if mode not in MODES:
            raise invalid("mode", " or ".join(f'"{m}"' for m in MODES), mode)
        self.tokenizer = tokenizer
        self.mode = mode
        self.idf_: np.ndarray | None = None

    @classmethod
    def from_settings(
        cls, settings, *, analyzer: str = "keras", num_words=None, mode: str = "count"
    ) -> BagOfWords:
        return cls(
            tokenizer_from_settings(settings, analyzer=analyzer, num_words=num_words), mode=mode
        )

    def fit_transform(self, texts):
        sequences = self.tokenizer.fit_transform(texts)
        if self.mode == "tfidf":
            tfidf = TfidfVectors()
            matrix = tfidf.fit_transform(sequences, self.vocab_size)
            self.idf_ = tfidf.idf
            return matrix
        return vectorize(sequences, self.vocab_size, self.mode)

    def transform(self, texts):
        return vectorize(self.tokenizer.transform(texts), self.vocab_size, self.mode, self.idf_)

    def model_inputs(self) -> dict:
        return {"vocab_size": self.vocab_size, "n_features": max(self.vocab_size - 1, 1)}

    def column_names(self, text: str) -> dict[int, str]:
        words, first = self.vocabulary()
        ids = self.tokenizer.transform([text]).ids
        return {
            int(i) - 1: (words[int(i) - first] if i >= first else str(self.tokenizer.oov_token))
            for i in np.unique(np.asarray(ids, dtype=np.int64))
            if i > 0
        }

    def get_config(self) -> dict:
        return {"tokenizer": self.tokenizer.to_dict(), "mode": self.mode}

    def get_arrays(self) -> dict[str, np.ndarray]:
        return {} if self.idf_ is None else {"idf": self.idf_}

    @classmethod
    def from_config(cls, config, arrays) -> BagOfWords:
        out = cls(Tokenizer.from_dict(config["tokenizer"]), mode=config["mode"])
        out.idf_ = arrays.get("idf")
        return out
