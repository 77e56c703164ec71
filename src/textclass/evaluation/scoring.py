"""Scorers for search and CV: scikit-learn's, and the same names for multi-label models.

A scikit-learn scorer calls ``predict`` and compares with ``y``; a multi-label
classifier predicts lists of labels, which scikit-learn's metrics refuse. For a
multi-label classifier the scorer computes textclass' multi-label metrics
instead (``f1_micro``, ``f1_macro``, ``f1_samples``, ``accuracy`` = subset
accuracy, ``neg_hamming_loss``, ...), decided with the model's thresholds.
"""

from __future__ import annotations

MULTILABEL_SCORERS = (
    "accuracy",
    "f1_micro",
    "f1_macro",
    "f1_samples",
    "f1_weighted",
    "precision_micro",
    "precision_macro",
    "precision_samples",
    "recall_micro",
    "recall_macro",
    "recall_samples",
    "roc_auc",
    "neg_hamming_loss",
)


def get_scorer(name: str):
    """``scorer(clf, texts, labels) -> float``, larger is better, for any classifier."""
    from sklearn.metrics import get_scorer as sklearn_scorer

    single = sklearn_scorer(name) if name != "neg_hamming_loss" else None

    def score(clf, texts, labels) -> float:
        if not getattr(clf, "multilabel_", False):
            if single is None:
                raise ValueError("neg_hamming_loss scores multi-label models only")
            return float(single(clf, texts, labels))
        from textclass.errors import ConfigError
        from textclass.evaluation.metrics import metrics_from_proba

        if name not in MULTILABEL_SCORERS:
            raise ConfigError(
                f"scoring {name!r} does not apply to label sets; use one of "
                f"{', '.join(MULTILABEL_SCORERS)}"
            )
        metrics = metrics_from_proba(clf, labels, clf.predict_proba(texts))
        if name == "neg_hamming_loss":
            return -float(metrics["hamming_loss"])
        return float(metrics.get(name, float("nan")))

    score.name = name
    return score


def scorer_names() -> list[str]:
    from sklearn.metrics import get_scorer_names

    return sorted({*get_scorer_names(), *MULTILABEL_SCORERS})
