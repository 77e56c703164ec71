"""From probabilities to labels: the one place a fitted classifier's answer is decided.

A :class:`Decision` is read from a run's saved decision (``labels.json``, the
estimator's and the :class:`~textclass.inference.Predictor`'s ``decision_``) and
its labels. Every caller that shows or scores a prediction asks it: ``predict``,
``predict_texts``, the service, batch scoring, explanations and metrics.

- single-label: the most probable class, or for a binary run with a threshold
  the second class when its probability reaches the threshold;
- multi-label: every label whose probability reaches its own threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from textclass.preprocessing.labels import MultiLabelEncoder


@dataclass(frozen=True, eq=False)
class Decision:
    """How probabilities (one column per entry of ``classes``) become labels.

    ``thresholds``: None (the most probable class), ``(t,)`` on P(second class)
    (binary), or one per label (multi-label). ``indicator``: a multi-label run fitted
    on a 0/1 matrix, whose ``predict`` answers with one.
    """

    classes: np.ndarray
    multilabel: bool = False
    thresholds: tuple | None = None
    indicator: bool = False

    @classmethod
    def from_dict(cls, decision: dict | None, classes) -> Decision:
        """The decision saved as ``{"multilabel", "thresholds", "indicator", ...}``."""
        decision = decision or {}
        cuts = decision.get("thresholds")
        return cls(
            np.asarray(classes),
            multilabel=bool(decision.get("multilabel")),
            thresholds=None if cuts is None else tuple(cuts),
            indicator=bool(decision.get("indicator")),
        )

    @classmethod
    def of(cls, model) -> Decision:
        """The decision of a fitted classifier or Predictor (``decision_``, ``classes_``)."""
        return cls.from_dict(getattr(model, "decision_", None), model.classes_)

    @property
    def cuts(self) -> np.ndarray | None:
        """The thresholds as a float64 array; None for the most probable class."""
        return None if self.thresholds is None else np.asarray(self.thresholds, dtype=np.float64)

    def indices(self, proba: np.ndarray) -> np.ndarray:
        """Single-label: each row's class (its column in ``proba``); multi-label: the
        ``(n, k)`` boolean matrix of the labels chosen."""
        if self.multilabel:
            return proba >= self.cuts[None, :]
        if self.thresholds is not None:  # a Python float: compared in proba's own dtype
            return (proba[:, 1] >= self.thresholds[0]).astype(np.int64)
        return np.argmax(proba, axis=1)

    def labels(self, proba: np.ndarray):
        """Each row's label (an array of ``classes``' values), or for multi-label its list
        of labels (in ``classes`` order, possibly empty)."""
        if self.multilabel:
            return MultiLabelEncoder(self.classes).inverse_transform(self.indices(proba))
        return self.classes[self.indices(proba)]

    def predict(self, proba: np.ndarray):
        """``labels`` in the form ``fit`` was given: a 0/1 matrix for an indicator run."""
        if self.multilabel and self.indicator:
            return MultiLabelEncoder(self.classes, indicator=True).inverse_transform(
                self.indices(proba)
            )
        return self.labels(proba)

    def confidence(self, proba: np.ndarray) -> np.ndarray:
        """Each row's probability of its label; for multi-label the highest of its chosen
        labels' probabilities (0 for an empty set)."""
        chosen = self.indices(proba)
        if self.multilabel:
            return np.where(chosen, proba, 0.0).max(axis=1)
        return proba[np.arange(len(chosen)), chosen]
