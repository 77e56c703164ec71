"""scikit-learn linear classifiers: fitted on the preprocessor's matrix, saved as arrays.

The family's ``build(random_state=...)`` returns an unfitted estimator with
``coef_`` / ``intercept_`` after fitting (LogisticRegression, SGDClassifier,
...). Only those arrays are saved (``linear.npz``, no pickle); loading builds a
fresh estimator from the family's hyperparameters and puts them back.

Multi-label targets (a ``(n, k)`` 0/1 matrix) are fitted one-vs-rest: one binary
model of the family per label, stacked into :class:`OneVsRestLinear` (one
coefficient row per label, independent sigmoid probabilities). ``class_weight``
reaches the models as sample weights.
``load_scorer`` reads the same arrays for prediction alone, without scikit-learn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from textclass.decisions.weights import sample_weights
from textclass.errors import ArtifactError, DataError
from textclass.persistence.files import load_npz
from textclass.runtimes.base import Runtime, TrainingSettings, normalized
from textclass.runtimes.linear_scores import LinearScorer, link_of, sigmoid

FITTED = ("coef", "intercept", "classes")


class SklearnRuntime(Runtime):
    name = "sklearn"
    files = ("linear.npz",)
    has_scorer = True

    def fit(
        self,
        x,
        codes,
        *,
        n_classes,
        inputs,
        settings: TrainingSettings,
        validation=None,
        callbacks=None,
    ) -> dict:
        weights = settings.class_weight
        if codes.ndim == 2:
            self.model = OneVsRestLinear.fit_columns(
                lambda: self.family.build(
                    random_state=settings.random_state, multilabel=True, **inputs
                ),
                x,
                codes,
                weights,
            )
            return {}
        self.model = self.family.build(random_state=settings.random_state, **inputs)
        if weights is None:
            self.model.fit(x, codes)
        else:
            self.model.fit(x, codes, sample_weight=sample_weights(weights, codes))
        return {}  # not trained in epochs

    def predict_proba(self, x) -> np.ndarray:
        return normalized(self.model.predict_proba(x))

    def predict_label_proba(self, x) -> np.ndarray:
        if not isinstance(self.model, OneVsRestLinear):
            return super().predict_label_proba(x)
        return self.model.predict_proba(x)

    def linear_weights(self, target: int) -> tuple[np.ndarray, float]:
        """(coefficients, intercept) of the score pushing towards output ``target``: a
        class (single-label) or a label (multi-label). A two-class model has one row, for
        the second class; the first class's score is its negation."""
        coef = np.asarray(self.model.coef_, dtype=np.float64)
        intercept = np.ravel(self.model.intercept_).astype(np.float64)
        if coef.shape[0] == 1 and not isinstance(self.model, OneVsRestLinear):
            sign = 1.0 if target == 1 else -1.0
            return sign * coef[0], sign * float(intercept[0])
        return coef[target], float(intercept[target])

    def count_params(self, *, trainable_only: bool = False) -> int:
        return int(self.model.coef_.size + self.model.intercept_.size)

    def summary(self, print_fn=print) -> None:
        n_out, n_features = self.model.coef_.shape
        print_fn(
            f"{type(self.model).__name__}: {n_features} features -> {n_out} output(s), "
            f"{self.count_params()} parameters"
        )

    def save(self, folder: Path) -> None:
        link = link_of(self.model)
        np.savez(
            Path(folder) / "linear.npz",
            coef=self.model.coef_,
            intercept=self.model.intercept_,
            classes=self.model.classes_,
            multilabel=np.asarray(isinstance(self.model, OneVsRestLinear)),
            # how scores become probabilities, so prediction needs numpy only
            **({"link": np.asarray(link)} if link else {}),
        )

    @classmethod
    def load_scorer(cls, folder: Path) -> LinearScorer | None:
        arrays = _read_arrays(folder)
        if "link" not in arrays:  # saved before links were recorded, or an unknown model
            return None
        return LinearScorer(arrays["coef"], arrays["intercept"], str(arrays["link"]))

    @classmethod
    def load(cls, folder: Path, family) -> SklearnRuntime:
        arrays = _read_arrays(folder)
        multilabel = "multilabel" in arrays and bool(arrays["multilabel"])
        model = OneVsRestLinear() if multilabel else family.build(random_state=None)
        model.coef_, model.intercept_ = arrays["coef"], arrays["intercept"]
        model.classes_ = arrays["classes"]
        return cls(family, model)

    @classmethod
    def sketch(cls, family, inputs: dict, n_classes: int) -> tuple[str, int, int]:
        n_features = inputs["n_features"]
        n_out = 1 if n_classes == 2 else n_classes
        total = n_features * n_out + n_out
        return f"{family.name}: {n_features} features -> {n_out} output(s)", total, total


def _read_arrays(folder: Path) -> dict:
    arrays = load_npz(Path(folder) / "linear.npz")
    missing = [k for k in FITTED if k not in arrays]
    if missing:
        raise ArtifactError(f"{Path(folder) / 'linear.npz'}: lacks {', '.join(missing)}")
    return arrays


class OneVsRestLinear:
    """One binary linear model per label: ``sigmoid(X @ coef_.T + intercept_)`` per column."""

    probability_link = "independent"  # one sigmoid per label, not normalized

    def __init__(self, coef=None, intercept=None) -> None:
        self.coef_, self.intercept_ = coef, intercept
        self.classes_ = None if coef is None else np.arange(coef.shape[0])

    @classmethod
    def fit_columns(cls, make, x, targets: np.ndarray, weights=None) -> OneVsRestLinear:
        """Fit ``make()`` on every column of ``targets``; each must hold both 0 and 1."""
        rows, intercepts = [], []
        for j in range(targets.shape[1]):
            column = targets[:, j].astype(np.int64)
            if column.min() == column.max():
                raise DataError(
                    f"label column {j}: every training text {'has' if column[0] else 'lacks'} "
                    "this label, so there is nothing to learn for it"
                )
            model = make()
            if weights is None:
                model.fit(x, column)
            else:
                model.fit(x, column, sample_weight=sample_weights(weights, targets, j))
            rows.append(np.asarray(model.coef_, dtype=np.float64).reshape(1, -1))
            intercepts.append(float(np.ravel(model.intercept_)[0]))
        return cls(np.vstack(rows), np.asarray(intercepts, dtype=np.float64))

    def decision_function(self, x) -> np.ndarray:
        return np.asarray(x @ self.coef_.T) + self.intercept_

    def predict_proba(self, x) -> np.ndarray:
        return sigmoid(self.decision_function(x))
