"""scikit-learn linear classifiers: fitted on the preprocessor's matrix, saved as arrays.

The family's ``build(random_state=...)`` returns an unfitted estimator with
``coef_`` / ``intercept_`` after fitting (LogisticRegression, SGDClassifier,
...). Only those arrays are saved (``linear.npz``, no pickle); loading builds a
fresh estimator from the family's hyperparameters and puts them back.
``load_scorer`` reads the same arrays for prediction alone, without scikit-learn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from textclass.errors import ArtifactError
from textclass.persistence.files import load_npz
from textclass.runtimes.base import Runtime, TrainingSettings, normalized, register_runtime
from textclass.runtimes.linear_scores import LinearScorer, link_of

FITTED = ("coef", "intercept", "classes")


@register_runtime
class SklearnRuntime(Runtime):
    name = "sklearn"
    files = ("linear.npz",)

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
        self.model = self.family.build(random_state=settings.random_state, **inputs)
        self.model.fit(x, codes)
        return {}  # not trained in epochs

    def predict_proba(self, x) -> np.ndarray:
        return normalized(self.model.predict_proba(x))

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
        model = family.build(random_state=None)
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
