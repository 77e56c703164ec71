"""Why a text got its label: the words or n-grams that pushed its prediction most.

- Models with linear weights over named input columns (the runtime has
  ``linear_weights``, the preprocessor ``column_names``: ``ngram``, ``logreg``)
  get the exact decomposition of their score: coefficient x feature value per
  column (plus the intercept, left out of the ranking).
- Any other model gets leave-one-word-out occlusion: the text is re-scored once
  without each of its words (all variants of all texts in one batched
  ``predict_proba``), and a word's weight is how much its removal lowers the
  probability of the explained label.

Either way a positive weight pushed the text towards the explained label (its
predicted class; for multi-label, its most probable label).
"""

from __future__ import annotations

import re

import numpy as np

_WORDS = re.compile(r"\S+")


def explain(clf, texts: list[str], *, top: int = 10, label=None) -> list[dict]:
    """One dict per text: ``label``, ``probability``, ``method`` and ``features``, a list
    of ``[name, weight]`` (the ``top`` largest by size, signed)."""
    texts = list(texts)
    proba = clf.predict_proba(texts)
    targets = _targets(clf, proba, label)
    exact = hasattr(clf.runtime_, "linear_weights")
    found = (_linear if exact else _occlusion)(clf, texts, targets, proba)
    out = []
    for i, features in enumerate(found):
        ranked = sorted(features, key=lambda f: -abs(f[1]))[: max(int(top), 0)]
        out.append(
            {
                "label": _plain(clf.classes_[targets[i]]),
                "probability": float(proba[i, targets[i]]),
                "method": "coefficient x value" if exact else "leave-one-word-out",
                "features": [[name, float(weight)] for name, weight in ranked],
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


def _occlusion(clf, texts, targets, proba) -> list[list]:
    words = [_WORDS.findall(t) for t in texts]
    variants, owner = [], []
    for i, ws in enumerate(words):
        if len(ws) < 2:
            continue  # a one-word text has no text left without its word
        for j in range(len(ws)):
            variants.append(" ".join(ws[:j] + ws[j + 1 :]))
            owner.append((i, j))
    out: list[list] = [[] for _ in texts]
    if not variants:
        return out
    occluded = clf.predict_proba(variants)
    for (i, j), row in zip(owner, occluded):
        t = int(targets[i])
        out[i].append((words[i][j], float(proba[i, t] - row[t])))
    return out


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value
