"""Evaluation: metrics of predictions (scikit-learn), per class and per group; k-fold CV."""

from textclass.evaluation.metrics import (
    classification_metrics,
    confident_mistakes,
    evaluate,
    metrics_from_proba,
)

__all__ = ["classification_metrics", "confident_mistakes", "evaluate", "metrics_from_proba"]
