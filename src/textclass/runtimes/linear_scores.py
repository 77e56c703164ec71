"""Probabilities of a fitted linear model from its arrays alone (numpy, no scikit-learn).

``link`` says how scores become probabilities, as the fitted model did it:

- ``"softmax"``: multinomial logistic regression (scikit-learn's LogisticRegression
  with every solver but liblinear);
- ``"one-vs-rest"``: one sigmoid per class, normalized to sum to 1 (NBLinear,
  liblinear, SGD);
- ``"independent"``: one sigmoid per label, not normalized (multi-label models).

Two classes are one score and one sigmoid either way: ``[1 - p, p]``.
"""

from __future__ import annotations

import numpy as np

LINKS = ("softmax", "one-vs-rest", "independent")


def sigmoid(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(scores, -500, 500)))


def probabilities(scores: np.ndarray, link: str) -> np.ndarray:
    """Rows of class probabilities from decision scores ``(n, 1)`` or ``(n, n_classes)``."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape[1] == 1:
        p = sigmoid(scores[:, 0])
        return np.column_stack([1.0 - p, p])
    if link == "softmax":
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    if link == "one-vs-rest":
        p = sigmoid(scores)
        return p / np.maximum(p.sum(axis=1, keepdims=True), 1e-300)
    if link == "independent":
        return sigmoid(scores)
    raise ValueError(f"unknown link {link!r}; expected one of {', '.join(LINKS)}")


class LinearScorer:
    """``X @ coef.T + intercept`` through ``link``: a saved linear model, for prediction."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, link: str) -> None:
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.link = link

    def predict_proba(self, x) -> np.ndarray:
        return probabilities(self.scores(x), self.link)

    def predict_label_proba(self, x) -> np.ndarray:
        """Multi-label: each label's own probability."""
        return sigmoid(self.scores(x))

    def scores(self, x) -> np.ndarray:
        return np.asarray(x @ self.coef.T) + self.intercept


def link_of(model) -> str | None:
    """How ``model`` (fitted) turns scores into probabilities; None when we cannot tell."""
    link = getattr(model, "probability_link", None)
    if link in LINKS:
        return link
    if type(model).__name__ == "LogisticRegression":
        return "one-vs-rest" if model.solver == "liblinear" else "softmax"
    return None
