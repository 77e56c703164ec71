"""The evaluate job: score a saved run on labeled data, or cross-validate its settings."""

from __future__ import annotations

from textclass.data.checks import check_known_labels
from textclass.estimator import TextClassifier
from textclass.evaluation import evaluate
from textclass.jobs.loading import load_data
from textclass.jobs.requests import EvaluateRequest
from textclass.preprocessing.base import cut_warning


def evaluate_run(request: EvaluateRequest) -> dict:
    """Score a saved model on every row of ``request.data`` (per group if it has groups)."""
    request.data_options.check()
    clf = TextClassifier.load(request.run)
    dataset = load_data(request.data, request.data_options)
    check_known_labels(
        dataset.labels, clf.classes_, where=request.data, lacking="the model never saw in training"
    )
    result = evaluate(clf, dataset.texts, dataset.labels, dataset.groups)
    result["data"] = dataset.summary()
    return result


def cross_validate_run(request: EvaluateRequest, progress=None) -> dict:
    """Re-fit a saved run's settings on ``request.cv`` folds of ``request.data``
    (see :mod:`textclass.evaluation.crossval`); ``progress(fold, folds)`` before each."""
    from sklearn.base import clone

    from textclass.evaluation.crossval import cross_validate

    request.data_options.check()
    recipe = clone(TextClassifier.load(request.run))
    dataset = load_data(request.data, request.data_options)
    warnings = []

    def inspect(fold, model, held_texts):  # the first fold's model speaks for all
        cut = cut_warning(model) if fold == 0 else None
        warnings.extend([f"fold 1: {cut}"] if cut else [])

    result = cross_validate(
        recipe,
        dataset.texts,
        dataset.labels,
        cv=request.cv,
        seed=request.seed,
        groups=dataset.groups,
        progress=progress,
        inspect=inspect,
    )
    result["data"] = dataset.summary()
    result["warnings"] = warnings
    return result
