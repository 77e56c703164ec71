"""K-fold cross-validation of the whole pipeline, vocabulary included.

Every fold fits a fresh clone of the classifier on its training part: the
tokenizer, the label encoder, TF-IDF weights and the network all see only that
part, so no word or statistic leaks from the fold's held-out texts. The folds
come from scikit-learn (stratified by label, shuffled with the seed); folds of label
sets from ``iterative-stratification`` (each label's share kept in every fold).
"""

from __future__ import annotations

import time

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold

from textclass import metric_catalogue
from textclass.checks import is_int
from textclass.errors import DataError


def fold_indices(labels, k: int, seed: int | None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified (train, held-out) index pairs; clear errors for impossible k."""
    if not is_int(k) or k < 2:
        raise DataError(f"cross-validation needs at least 2 folds, got cv={k!r}")
    from textclass.preprocessing.labels import is_multilabel

    if is_multilabel(labels):  # label sets: iterative stratification (Sechidis et al. 2011)
        from iterstrat.ml_stratifiers import MultilabelStratifiedKFold

        from textclass.preprocessing.labels import MultiLabelEncoder

        matrix = MultiLabelEncoder().fit(labels).transform(labels)
        if len(matrix) < k:
            raise DataError(f"cv={k} folds need at least {k} texts; there are {len(matrix)}")
        splitter = MultilabelStratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        return list(splitter.split(np.zeros(len(matrix)), matrix))
    labels = np.asarray(labels)
    _, counts = np.unique(labels, return_counts=True)
    if counts.min() < k:
        raise DataError(
            f"cv={k} folds need at least {k} texts of every label; the rarest label has "
            f"{counts.min()}"
        )
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels))


def cross_validate(
    clf,
    texts,
    labels,
    *,
    cv: int = 5,
    seed: int | None = 0,
    groups=None,
    progress=None,
    fit_kwargs: dict | None = None,
    inspect=None,
    scorer=None,
) -> dict:
    """Fit and score ``clf`` on ``cv`` folds; return per-fold metrics and mean/std.

    ``progress(fold, total)`` is called before each fold (for a progress display);
    ``inspect(fold, fitted_model, held_out_texts)`` after each fit. With a
    scikit-learn ``scorer``, each fold reports only ``{"score": ...}`` (and its
    train seconds) instead of the full metrics.
    """
    from textclass.evaluation import evaluate

    texts = list(texts)
    labels = indexable_labels(labels)
    groups = None if groups is None else np.asarray(groups)
    folds = []
    for i, (train, held) in enumerate(fold_indices(labels, cv, seed)):
        if progress is not None:
            progress(i, cv)
        model = clone(clf)
        started = time.perf_counter()
        model.fit([texts[j] for j in train], labels[train], **(fit_kwargs or {}))
        seconds = time.perf_counter() - started
        held_texts = [texts[j] for j in held]
        if scorer is not None:
            result = {"score": float(scorer(model, held_texts, labels[held]))}
        else:
            held_groups = None if groups is None else groups[held]
            result = evaluate(model, held_texts, labels[held], held_groups)
        if inspect is not None:
            inspect(i, model, held_texts)
        result["train_seconds"] = seconds
        folds.append(result)
    return {"cv": cv, "seed": seed, "folds": folds, "summary": summarize(folds)}


def indexable_labels(labels):
    """Labels that take an index array: a numpy array (label sets as an object array)."""
    if hasattr(labels, "shape"):
        return labels
    values = list(labels)
    if values and isinstance(values[0], (list, tuple, set, frozenset)):
        out = np.empty(len(values), dtype=object)
        for i, v in enumerate(values):
            out[i] = tuple(v)
        return out
    return np.asarray(values)


def summarize(folds: list[dict]) -> dict:
    """``{metric: {"mean", "std"}}`` over folds, also per group when folds have groups."""
    out = {}
    summarized = [m.name for m in metric_catalogue.summarized()]
    for key in (*summarized, "score", "train_seconds"):
        values = [f[key] for f in folds if key in f]
        if len(values) == len(folds):
            out[key] = {"mean": float(np.mean(values)), "std": float(np.std(values))}
    groups = folds[0].get("per_group") if folds else None
    if groups:
        out["per_group"] = {
            g: {
                key: {
                    "mean": float(np.mean([f["per_group"][g][key] for f in folds])),
                    "std": float(np.std([f["per_group"][g][key] for f in folds])),
                }
                for key in ("accuracy", "f1_macro")
            }
            for g in groups
            if all(g in f.get("per_group", {}) for f in folds)
        }
    return out
