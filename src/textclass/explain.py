"""Why a text got its label: the words or n-grams that pushed its prediction most.

- Models with linear weights over named input columns (the runtime has
  ``linear_weights``, the preprocessor ``column_names``: ``ngram``, ``logreg``)
  get the exact decomposition of their score: coefficient x feature value per
  column (plus the intercept, left out of the ranking).
- Any other model gets leave-one-word-out occlusion: the text is re-scored once
  without each of its words, and a word's weight is how much its removal lowers the
  probability of the explained label.

Occlusion's work is bounded whatever the text's length. A model that reads ``maxlen``
tokens (times ``windows`` for the encoder) is explained on the words it reads: only
those are occluded, and each variant holds only them and a margin of as many words
after them (before them when ``truncating="pre"``), which leaves what the model reads
of each variant as it was. A model that reads every word (a bag of words) gets its
first ``MAX_OCCLUDED`` words occluded. Variants are scored ``CHUNK_VARIANTS`` at a time
(fewer, to stay within ``CHUNK_CHARS`` characters, when each is long), and a ``deadline`` (``time.monotonic()``) stops the work between chunks. When not every
word was occluded, the answer's ``note`` says which were.

Either way a positive weight pushed the text towards the explained label (its
predicted class; for multi-label, its most probable label).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import numpy as np

from textclass.errors import TimeLimitError

_WORDS = re.compile(r"\S+")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # no UTF-8 for these: JSON and stdout refuse
CHUNK_VARIANTS = 256  # variants scored in one predict_proba call, at most ...
CHUNK_CHARS = 1_000_000  # ... and at most this many characters of them (besides the first)
MAX_OCCLUDED = 1024  # words occluded in a text when the model reads every word


def explain(clf, texts: list[str], *, top: int = 10, label=None, deadline=None) -> list[dict]:
    """One dict per text: ``label``, ``probability``, ``method`` and ``features``, a list
    of ``[name, weight]`` (the ``top`` largest by size, signed); ``note`` when only some
    of its words were occluded. ``deadline``: a ``time.monotonic()`` after which the
    remaining work stops with :class:`~textclass.errors.TimeLimitError`."""
    texts = list(texts)
    proba = clf.predict_proba(texts)
    targets = _targets(clf, proba, label)
    exact = hasattr(clf.runtime_, "linear_weights")
    notes: list[str | None] = [None] * len(texts)
    if exact:
        found = _linear(clf, texts, targets, proba)
    else:
        found = _occlusion(clf, texts, targets, proba, notes, deadline)
    out = []
    for i, features in enumerate(found):
        ranked = sorted(features, key=lambda f: -abs(f[1]))[: max(int(top), 0)]
        out.append(
            {
                "label": _plain(clf.classes_[targets[i]]),
                "probability": float(proba[i, targets[i]]),
                "method": "coefficient x value" if exact else "leave-one-word-out",
                "features": [[_printable(name), float(weight)] for name, weight in ranked],
                **({"note": notes[i]} if notes[i] else {}),
            }
        )
    return out


def _targets(clf, proba: np.ndarray, label) -> np.ndarray:
    if label is not None:
        index = {c: i for i, c in enumerate(clf.classes_.tolist())}
        if label not in index:
            from textclass.errors import DataError

            raise DataError(f"explain: unknown label {label!r}; labels: {list(index)}")
        return np.full(len(proba), index[label])
    if getattr(clf, "multilabel_", False):
        return np.argmax(proba, axis=1)  # the most probable label, chosen or not
    from textclass.decisions import Decision

    return Decision.of(clf).indices(proba)


def _linear(clf, texts, targets, proba) -> list[list]:
    x = clf.transform_texts(texts).tocsr()
    out = []
    for i, text in enumerate(texts):
        coef, _ = clf.runtime_.linear_weights(int(targets[i]))
        row = x[i]
        names = clf.preprocessor_.column_names(text)
        out.append(
            [
                (names.get(int(j), f"feature {int(j)}"), float(coef[j] * v))
                for j, v in zip(row.indices.tolist(), row.data.tolist())
                if coef[j] * v != 0
            ]
        )
    return out


def _occlusion(clf, texts, targets, proba, notes: list, deadline=None) -> list[list]:
    """Each text's words with the drop of the target's probability without them, scored
    ``CHUNK_VARIANTS`` variants at a time (``notes[i]``: which words, when not all)."""
    out: list[list] = [[] for _ in texts]
    for chunk in _chunks(_variants(clf, texts, notes)):
        if deadline is not None and time.monotonic() > deadline:
            raise TimeLimitError("explain: the time limit ran out before every word was scored")
        occluded = clf.predict_proba([variant for _, _, variant in chunk])
        for (i, word, _), row in zip(chunk, occluded):
            t = int(targets[i])
            out[i].append((word, float(proba[i, t] - row[t])))
    return out


def _chunks(variants: Iterator[tuple[int, str, str]]) -> Iterator[list]:
    """Lists of at most ``CHUNK_VARIANTS`` variants and ``CHUNK_CHARS`` characters (one
    variant at least)."""
    chunk, chars = [], 0
    for variant in variants:
        if chunk and (len(chunk) == CHUNK_VARIANTS or chars + len(variant[2]) > CHUNK_CHARS):
            yield chunk
            chunk, chars = [], 0
        chunk.append(variant)
        chars += len(variant[2])
    if chunk:
        yield chunk


def _variants(clf, texts: list[str], notes: list) -> Iterator[tuple[int, str, str]]:
    """``(text number, word, the text without it)``, made as they are scored."""
    reach = _reach(clf)
    for i, text in enumerate(texts):
        words = _WORDS.findall(text)
        if len(words) < 2:
            continue  # a one-word text has no text left without its word
        (first, stop), (start, end) = _span(clf, text, words, reach)
        if stop - first < len(words):
            notes[i] = f"words {first + 1}-{stop} of {len(words)} occluded: " + (
                f"the model reads {reach} tokens" if reach else f"at most {MAX_OCCLUDED}"
            )
        for j in range(first, stop):
            yield i, words[j], " ".join(words[start:j] + words[j + 1 : end])


def _reach(clf) -> int | None:
    """Tokens of a text the model reads (None: every word, as a bag of words does)."""
    inputs = clf.describe_inputs()
    maxlen = inputs.get("maxlen")
    return None if maxlen is None else int(maxlen) * int(inputs.get("windows", 1))


def _span(clf, text: str, words: list[str], reach: int | None):
    """``((first, stop), (start, end))``: the words to occlude, and the words each variant
    keeps (the read words and a margin of ``reach`` more, so the model reads the same)."""
    n = len(words)
    if reach is None:
        return (0, min(n, MAX_OCCLUDED)), (0, n)
    whole = clf.transform_texts([text])
    pre = getattr(clf.preprocessor_, "truncating", "post") == "pre"
    read = reach  # the fewest words whose model input is the whole text's: doubled until so
    while read < n:
        part = words[n - read :] if pre else words[:read]
        if _same(clf.transform_texts([" ".join(part)]), whole):
            break
        read *= 2
    read = min(read, n)
    if pre:
        return (n - read, n), (max(0, n - read - reach), n)
    return (0, read), (0, min(n, read + reach))


def _same(a, b) -> bool:
    if hasattr(a, "toarray"):
        a, b = a.toarray(), b.toarray()
    return np.array_equal(np.asarray(a), np.asarray(b))


def _printable(name: str) -> str:
    """``name`` with any lone surrogate (from a JSON ``"\\ud800"``) shown as U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", name)


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value
