"""Scorers for search and CV: scikit-learn's, and the same names for multi-label models.

A scikit-learn scorer calls ``predict`` and compares with ``y``; a multi-label
classifier predicts lists of labels, which scikit-learn's metrics refuse. For a
multi-label classifier the scorer computes textclass' multi-label metrics
instead, decided with the model's thresholds: the scorers the metric catalogue
names for label sets (``f1_micro``, ``f1_macro``, ``f1_samples``, ``accuracy`` =
subset accuracy, ``neg_hamming_loss``, ...; see :mod:`textclass.metric_catalogue`).
"""

from __future__ import annotations

from textclass import metric_catalogue


def multilabel_scorers() -> dict[str, metric_catalogue.Metric]:
    """``{scorer name: metric}``: the names that score label sets."""
    return metric_catalogue.by_scorer(metric_catalogue.MULTILABEL)


def get_scorer(name: str):
    """``scorer(clf, texts, labels) -> float``, larger is better, for any classifier."""
    from sklearn.metrics import get_scorer as sklearn_scorer
    from sklearn.metrics import get_scorer_names

    for_sets = multilabel_scorers()
    only_sets = name in for_sets and name not in get_scorer_names()
    single = None if only_sets else sklearn_scorer(name)  # unknown names fail here

    def score(clf, texts, labels) -> float:
        if not getattr(clf, "multilabel_", False):
            if single is None:
                raise ValueError(f"{name} scores multi-label models only")
            return float(single(clf, texts, labels))
        from textclass.errors import ConfigError
        from textclass.evaluation.metrics import metrics_from_proba

        if name not in for_sets:
            raise ConfigError(
                f"scoring {name!r} does not apply to label sets; use one of {', '.join(for_sets)}"
            )
        metric = for_sets[name]
        metrics = metrics_from_proba(clf, labels, clf.predict_proba(texts))
        value = float(metrics.get(metric.name, float("nan")))
        return value if metric.higher_is_better else -value

    score.name = name
    return score


def scorer_names() -> list[str]:
    from sklearn.metrics import get_scorer_names

    return sorted({*get_scorer_names(), *multilabel_scorers()})
