"""Greedy ensemble selection (Caruana et al. 2004) on out-of-fold probabilities.

Start from nothing; at each of ``ROUNDS`` steps add (with replacement) the candidate whose
probabilities, averaged with those already chosen, score best; keep the best prefix. A
candidate chosen ``c`` times of ``n`` gets weight ``c / n``. AutoGluon builds its weighted
ensembles this way. Probabilities are scored with the same scikit-learn scorer the
candidates were cross-validated with, through :class:`FixedProba`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

ROUNDS = 20


class FixedProba(ClassifierMixin, BaseEstimator):
    """A "classifier" whose ``predict_proba`` of row indices returns stored probabilities:
    a scorer scores out-of-fold probabilities through it. ``X``: row numbers."""

    def __init__(self, classes, proba):
        self.classes = classes
        self.proba = proba

    def fit(self, X, y=None):
        return self

    @property
    def classes_(self):
        return self.classes

    def predict_proba(self, X):
        return self.proba[np.asarray(X, dtype=int).ravel()]

    def predict(self, X):
        return self.classes[np.argmax(self.predict_proba(X), axis=1)]


def proba_scorer(scorer: Callable, classes, labels) -> Callable[[np.ndarray], float]:
    """``score(proba)`` of ``(n, k)`` probabilities against ``labels`` with ``scorer``."""
    rows = np.arange(len(labels)).reshape(-1, 1)
    return lambda proba: float(scorer(FixedProba(classes, proba), rows, labels))


def label_set_scorer(scoring: str, classes, labels) -> Callable[[np.ndarray], float]:
    """``score(proba)`` of ``(n, k)`` label probabilities against ``labels`` (label sets):
    one threshold per label tuned for F1 on these probabilities (``max-f1``, as ``fit``
    tunes them), then the multi-label metric ``scoring`` names. The thresholds are tuned
    on the rows they score, so every candidate and ensemble is scored with the same
    optimism, and compared fairly."""
    from sklearn.preprocessing import MultiLabelBinarizer

    from textclass.decisions.thresholds import ThresholdRule, tune_columns
    from textclass.evaluation.multilabel import multilabel_metrics
    from textclass.evaluation.scoring import multilabel_scorers

    metric = multilabel_scorers()[scoring]
    truth = MultiLabelBinarizer(classes=list(classes)).fit_transform(labels)
    rule = ThresholdRule("max-f1")

    def score(proba: np.ndarray) -> float:
        cuts, _ = tune_columns(truth, proba, rule)
        value = multilabel_metrics(truth, proba >= cuts)[metric.name]
        return float(value if metric.higher_is_better else -value)

    return score


def select(oof: dict[str, np.ndarray], score: Callable[[np.ndarray], float],
           rounds: int = ROUNDS) -> tuple[dict[str, float], float]:  # fmt: skip
    """``({name: weight}, score)`` of the best greedy ensemble of ``oof`` (name ->
    probabilities, cheapest first: of two that score the same, the earlier is added)."""
    chosen: list[str] = []
    total = None  # the sum of the chosen candidates' probabilities
    best: tuple[float, list[str]] = (-np.inf, [])
    for _ in range(rounds):
        trials = {}
        for name, proba in oof.items():
            mixed = proba if total is None else (total + proba) / (len(chosen) + 1)
            trials[name] = score(mixed)
        name = max(trials, key=lambda n: trials[n])  # max keeps the first of equals
        total = oof[name] if total is None else total + oof[name]
        chosen.append(name)
        if trials[name] > best[0]:
            best = (trials[name], list(chosen))
    counts = Counter(best[1])
    return {name: counts[name] / len(best[1]) for name in oof if name in counts}, best[0]
