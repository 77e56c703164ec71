"""A fitted classifier to and from a run directory, through its parts
(:mod:`textclass.artifact`: it knows the files, never the estimator)."""

from __future__ import annotations

from textclass.artifact import SavedParts, load_parts, save_parts
from textclass.decisions import decide


def save_classifier(clf, path, *, metrics: dict | None = None, extra: dict | None = None) -> None:
    parts = SavedParts(
        estimator_params=clf.get_params(deep=False),
        family=clf.family_,
        preprocessor=clf.preprocessor_,
        runtime=clf.runtime_,
        classes=clf.classes_,
        history=clf.history_,
        notes=clf.notes_,
        decision=clf.decision_,
    )
    run = save_parts(parts, path, extra=extra)
    if metrics is not None:
        run.write_metrics(metrics)


def load_classifier(cls, path):
    """``cls`` (``TextClassifier``) fitted from the parts saved in ``path``."""
    parts = load_parts(path)
    clf = cls(**{**parts.estimator_params, "model": parts.family})
    clf.family_ = parts.family
    clf.decision_ = parts.decision
    clf.multilabel_ = bool(parts.decision.get("multilabel"))
    clf.classes_ = decide.encoder_for(parts.decision, parts.classes).classes_
    clf.preprocessor_ = parts.preprocessor
    clf.runtime_ = parts.runtime
    clf.history_ = parts.history
    clf.notes_ = parts.notes
    return clf
