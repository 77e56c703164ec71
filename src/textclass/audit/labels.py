"""Likely label errors: out-of-fold probabilities from a fast model, then confident
learning (Northcutt et al. 2021, ``cleanlab.filter.find_label_issues``).

Every text gets a probability from a model that never saw it (k stratified folds; each
fold's model fits the others, vocabulary included). Confident learning estimates, per
pair of classes, how many texts of one were given the other's label, and flags that many
texts whose given label the model trusts least; they are ranked by the probability the
model gives their given label (lowest first: most likely wrong).
"""

from __future__ import annotations

import numpy as np

# folds of the out-of-fold probabilities: 5, or 3 above this many texts (each fold's model
# then still fits on 2/3 of many texts; the audit of IMDB 25k took 7.8 ngram fits with 5)
FEWER_FOLDS_ABOVE = 10_000


def default_folds(n_texts: int) -> int:
    return 5 if n_texts <= FEWER_FOLDS_ABOVE else 3


def out_of_fold_proba(texts: list[str], labels, *, model: str = "ngram", folds: int = 5,
                      seed: int | None = 0) -> tuple[np.ndarray, list]:  # fmt: skip
    """``(probabilities (n, k), classes)``: each row predicted by a model fitted without it."""
    from textclass.estimator import TextClassifier
    from textclass.evaluation.crossval import fold_indices, indexable_labels

    labels = indexable_labels(labels)
    proba, classes = None, None
    for train, held in fold_indices(labels, folds, seed):
        clf = TextClassifier(model=model, random_state=seed)
        clf.fit([texts[i] for i in train], labels[train])
        if classes is None:
            classes = clf.classes_.tolist()
            proba = np.zeros((len(texts), len(classes)))
        columns = [classes.index(c) for c in clf.classes_.tolist()]
        proba[np.ix_(held, columns)] = clf.predict_proba([texts[i] for i in held])
    return proba, classes


def label_issues(texts: list[str], labels, *, model: str = "ngram", folds: int | None = None,
                 seed: int | None = 0) -> list[dict]:  # fmt: skip
    """Likely mislabelled rows, most likely first: ``{"index", "given", "suggested",
    "given_probability", "suggested_probability"}`` (label sets: ``given`` and
    ``suggested`` are lists)."""
    folds = folds or default_folds(len(texts))
    proba, classes = out_of_fold_proba(texts, labels, model=model, folds=folds, seed=seed)
    multilabel = len(labels) > 0 and isinstance(labels[0], tuple)
    if multilabel:
        from cleanlab.multilabel_classification.filter import find_label_issues

        given = [[classes.index(x) for x in y] for y in labels]
    else:
        from cleanlab.filter import find_label_issues

        given = np.asarray([classes.index(y) for y in _as_list(labels)])
    # n_jobs=1: cleanlab would fork worker processes from a process whose JAX runs
    # threads (Python warns that such a fork can deadlock)
    ranked = find_label_issues(
        labels=given, pred_probs=proba, return_indices_ranked_by="self_confidence", n_jobs=1
    )
    return [_issue(int(i), given[i], proba[i], classes, multilabel) for i in ranked]


def _issue(i: int, given, row: np.ndarray, classes: list, multilabel: bool) -> dict:
    if multilabel:
        suggested = [classes[k] for k in np.flatnonzero(row >= 0.5)]
        return {
            "index": i, "given": [classes[k] for k in given], "suggested": suggested,
            "given_probability": round(float(min((row[k] for k in given), default=1.0)), 4),
            "suggested_probability": round(float(row.max()), 4),
        }  # fmt: skip
    best = int(np.argmax(row))
    return {
        "index": i, "given": _plain(classes[int(given)]), "suggested": _plain(classes[best]),
        "given_probability": round(float(row[int(given)]), 4),
        "suggested_probability": round(float(row[best]), 4),
    }  # fmt: skip


def _as_list(labels) -> list:
    return labels.tolist() if hasattr(labels, "tolist") else list(labels)


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value
