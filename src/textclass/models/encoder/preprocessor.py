"""Subword token ids for a pretrained encoder, from its Hugging Face ``tokenizer.json``.

Texts are encoded by the ``tokenizers`` library (WordPiece, ``[CLS] ... [SEP]``),
cut to ``maxlen`` tokens, and padded with the pad id into a matrix whose width is
the smallest *bucket* (16, 24, 32, 48, 64, 96, ..., 512, or ``maxlen``) that holds the
longest text of the call. Compiled functions are keyed by shape, so a few fixed
widths mean a few compilations, reused by every later batch.

``windows > 1`` reads a long text in up to that many consecutive windows of ``maxlen``
tokens (each ``[CLS] ... [SEP]``), side by side in a ``(n, windows * maxlen)`` matrix: a
frozen encoder averages their vectors (``encoders.frozen.window_vectors``), so a review
counts whole rather than by its first ``maxlen`` tokens. Texts longer than what is read
are counted (``cut_at_maxlen``), never cut silently.

Nothing is learned from the training texts: the vocabulary is the checkpoint's.
The ``tokenizer.json`` travels with the artifact (``preprocessor.npz``), so a saved
model tokenizes exactly as it did when trained, whatever is installed later.
"""

from __future__ import annotations

import numpy as np

from textclass.checks import is_int
from textclass.errors import ConfigError, invalid
from textclass.preprocessing.base import (
    Preprocessor,
    cut_at_maxlen,
    maxlen_setting,
)

BUCKETS = (16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)  # steps of 1.5x or 1.33x


def buckets_for(maxlen: int) -> tuple[int, ...]:
    return tuple(b for b in BUCKETS if b < maxlen) + (maxlen,)


def bucket(length: int, buckets: tuple[int, ...]) -> int:
    return next((b for b in buckets if b >= length), buckets[-1])


def to_width(rows: np.ndarray, width: int, pad_id: int) -> np.ndarray:
    """Token-id rows cut or padded (with ``pad_id``) to ``width`` columns."""
    rows = rows[:, :width]
    if rows.shape[1] < width:
        rows = np.pad(rows, ((0, 0), (0, width - rows.shape[1])), constant_values=pad_id)
    return rows


# estimator settings of the word tokenizer and their defaults, and why none applies here
WORD_SETTINGS = {
    "num_words": (None, "the vocabulary is the checkpoint's"),
    "oov_token": (None, "unknown words are split into known subwords"),
    "analyzer": ("auto", "texts are split by the checkpoint's WordPiece tokenizer"),
    "lower": (True, "the checkpoint's tokenizer.json decides the case"),
    "padding": ("post", "padding is always after the text and masked"),
    "truncating": ("post", "a text is cut at maxlen tokens, keeping its start"),
}


def _refuse_word_settings(settings, weights) -> None:
    for name, (default, why) in WORD_SETTINGS.items():
        value = getattr(settings, name, default)
        if value != default:
            raise ConfigError(
                f"Received an invalid value for `{name}`: the encoder family tokenizes with "
                f"the subword vocabulary of {getattr(weights, 'name', 'its weights')!r}, so "
                f"`{name}` does not apply ({why}); leave it at {default!r}. "
                f"Received: {name}={value!r}"
            )


class SubwordIds(Preprocessor):
    """Texts -> ``(n, bucket)`` int32 token ids, padded with ``pad_id`` after the text
    (``windows > 1``: ``(n, windows * maxlen)``, one window after another)."""

    name = "subword_ids"

    def __init__(
        self,
        tokenizer_json: str,
        *,
        maxlen: int,
        pad_id: int = 0,
        weights: str = "",
        windows: int = 1,
    ):
        if not is_int(maxlen) or maxlen < 2:
            raise invalid("maxlen", "an integer >= 2 ([CLS] and [SEP] take two tokens)", maxlen)
        if not is_int(windows) or windows < 1:
            raise invalid("windows", "a positive integer", windows)
        if windows > 1 and maxlen < 3:
            raise invalid(
                "maxlen", "at least 3 with windows > 1 (room for text in a window)", maxlen
            )
        self.tokenizer_json = tokenizer_json
        self.maxlen = maxlen
        self.windows = windows
        self.pad_id = int(pad_id)
        self.weights = weights
        self.buckets = buckets_for(maxlen)
        self.cut_: tuple[int, int] | None = None  # (training texts cut at maxlen, of n)
        self._tokenizer = None

    @classmethod
    def from_settings(cls, settings, *, weights=None, windows: int = 1) -> SubwordIds:
        """``weights``: an ``EncoderWeights``; ``maxlen`` from the settings, capped by the model
        ("auto" or None: the checkpoint's ``max_seq_length`` where it names one, else its
        positions).

        The word tokenizer's settings do not apply to a checkpoint's own subword vocabulary:
        one set to anything but its default is refused, naming it, rather than ignored."""
        _refuse_word_settings(settings, weights)
        limit = weights.positions
        # what the checkpoint reads (sentence-transformers' own cut), else every position
        own = weights.max_seq_length or limit
        maxlen = maxlen_setting(settings, auto=own)
        if maxlen is not None and maxlen > limit:
            raise ConfigError(
                f"Received an invalid value for `maxlen`, expected at most {limit} (the encoder "
                f"{weights.name!r} reads {limit} tokens at most). Received: maxlen={maxlen}"
            )
        return cls(
            weights.tokenizer_json,
            maxlen=own if maxlen is None else maxlen,
            pad_id=int(weights.config.get("pad_token_id", 0)),
            weights=weights.name,
            windows=windows,
        )

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_str(self.tokenizer_json)
            tokenizer.no_padding()
            tokenizer.enable_truncation(self.maxlen)
            self._tokenizer = tokenizer
        return self._tokenizer

    def fit_transform(self, texts):
        ids, cut = self._encode(texts)
        self.cut_ = (cut, len(ids))
        return ids

    def transform(self, texts) -> np.ndarray:
        return self._encode(texts)[0]

    def _encode(self, texts) -> tuple[np.ndarray, int]:
        """The id matrix, and how many texts were longer than ``maxlen`` tokens (cut)."""
        encodings = self.tokenizer.encode_batch(list(texts))
        if self.windows > 1:
            return self._windows(encodings)
        cut = sum(1 for e in encodings if e.overflowing)
        rows = [self._text_ids(e.ids) for e in encodings]
        width = bucket(max((len(r) for r in rows), default=1), self.buckets)
        out = np.full((len(rows), width), self.pad_id, dtype=np.int32)
        for i, row in enumerate(rows):
            out[i, : len(row)] = row
        return out, cut

    def _windows(self, encodings) -> tuple[np.ndarray, int]:
        """Window ``j`` of text ``i`` in ``out[i, j * maxlen : (j + 1) * maxlen]``."""
        out = np.full((len(encodings), self.windows * self.maxlen), self.pad_id, dtype=np.int32)
        cut = 0
        for i, encoding in enumerate(encodings):
            pieces = [encoding, *encoding.overflowing]  # each [CLS] ... [SEP], in text order
            cut += len(pieces) > self.windows
            for j, piece in enumerate(pieces[: self.windows]):
                out[i, j * self.maxlen : j * self.maxlen + len(piece.ids)] = self._text_ids(
                    piece.ids
                )
        return out, cut

    def _text_ids(self, ids: list[int]) -> list[int]:
        """``ids``, a literal pad token in the text (``"[PAD]"``) read as unknown: the pad id
        marks where a text ends (lengths, attention masks, cache keys)."""
        if self.pad_id not in ids:
            return ids
        tokenizer = self.tokenizer
        unk = getattr(tokenizer.model, "unk_token", None)
        unk_id = tokenizer.token_to_id(unk) if unk else None
        return [unk_id if i == self.pad_id and unk_id is not None else i for i in ids]

    def lengths(self, ids: np.ndarray) -> np.ndarray:
        """Tokens of each row, padding excluded."""
        return (np.asarray(ids) != self.pad_id).sum(axis=1)

    def model_inputs(self) -> dict:
        return {"maxlen": self.maxlen, "pad_id": self.pad_id, "windows": self.windows}

    def describe(self) -> dict:
        return {
            "maxlen": self.maxlen,
            **({"windows": self.windows} if self.windows > 1 else {}),
            **cut_at_maxlen(self.cut_),
            "vocab_size": self.tokenizer.get_vocab_size(),
            "buckets": list(self.buckets),
            "weights": self.weights,
        }

    def get_config(self) -> dict:
        config = {"maxlen": self.maxlen, "pad_id": self.pad_id, "weights": self.weights}
        if self.windows > 1:
            config["windows"] = self.windows
        return {**config, "fitted_cut": list(self.cut_)} if self.cut_ else config

    def get_arrays(self) -> dict[str, np.ndarray]:
        # the tokenizer.json itself, as UTF-8 bytes: an asset of the artifact, no pickle
        return {"tokenizer_json": np.frombuffer(self.tokenizer_json.encode("utf-8"), np.uint8)}

    @classmethod
    def from_config(cls, config, arrays) -> SubwordIds:
        text = bytes(np.asarray(arrays["tokenizer_json"], dtype=np.uint8)).decode("utf-8")
        out = cls(
            text,
            maxlen=config["maxlen"],
            pad_id=config["pad_id"],
            weights=config["weights"],
            windows=config.get("windows", 1),  # older artifacts: one window
        )
        out.cut_ = tuple(config["fitted_cut"]) if config.get("fitted_cut") else None
        return out
