"""A saved classifier loaded for prediction only: what ``textclass predict`` runs.

:class:`Predictor` reads a run directory's preprocessor, labels and model, and
predicts, with the same results as ``TextClassifier.load(run).predict_proba``
(a test holds every family to it; a linear model's to 1e-6, as its arithmetic is
numpy's float64 where scikit-learn's solver may have kept float32). It needs neither scikit-learn nor the model
families' training code, so a cold ``textclass predict`` does not wait for
them: a linear model is numpy arrays, a network is Keras. Artifacts whose
runtime has no such path (or that predate it) load the whole classifier instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from textclass.decisions import Decision
from textclass.preprocessing.validation import check_predictable, texts_to_predict


class Predictor:
    """``predict_proba`` / ``predict`` of a saved classifier; ``classes_`` its labels.

    Predictions follow the run's decision as ``TextClassifier.predict`` does: its
    thresholds, and label sets for a multi-label run (``multilabel_``).
    """

    def __init__(
        self, classes_: np.ndarray, preprocessor, scorer, path: Path, decision: dict
    ) -> None:
        self.classes_ = classes_
        self.preprocessor = preprocessor
        self.scorer = scorer  # predict_proba(model inputs); a whole TextClassifier as fallback
        self.path = path
        self.decision_ = decision
        self.multilabel_ = bool(decision.get("multilabel"))

    @classmethod
    def load(cls, path) -> Predictor:
        from textclass.artifact import read_run

        saved = read_run(path)
        scorer = None
        if not saved.migrated and saved.runtime_cls.has_scorer:
            scorer = saved.runtime_cls.load_scorer(saved.run.path)
        if scorer is None:
            from textclass.estimator import TextClassifier

            clf = TextClassifier.load(path)
            return cls(clf.classes_, None, clf, saved.run.path, clf.decision_)
        return cls(saved.classes_, saved.preprocessor, scorer, saved.run.path, saved.decision)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, one column per entry of ``classes_``; rows sum to 1."""
        texts = texts_to_predict(X)
        if self.preprocessor is None:  # the whole classifier
            return self.scorer.predict_proba(texts)
        x = self.preprocessor.transform(texts)
        if self.multilabel_:
            return self.scorer.predict_label_proba(x)
        return self.scorer.predict_proba(x)

    def predict(self, X):
        """Each text's label as the run decides it (``TextClassifier.predict``)."""
        proba = self.predict_proba(X)
        return Decision.of(self).predict(proba)

    def warm_up(self, texts: list[str]) -> None:
        """Predict ``texts`` and compile every batch shape later calls will use (a server
        does this before it reports ready)."""
        self.predict_proba(texts)
        if self.preprocessor is None:  # the whole classifier
            runtime, inputs = self.scorer.runtime_, self.scorer.transform_texts(texts[:1])
        else:
            runtime, inputs = self.scorer, self.preprocessor.transform(texts[:1])
        if hasattr(runtime, "warm_up"):
            runtime.warm_up(inputs)


@dataclass
class Predictions:
    """What ``predict_texts`` found: a label (or a list of labels) per text, and why."""

    labels: list  # one label per text, or one list of labels (multi-label)
    confidence: np.ndarray  # probability of the predicted label (single-label)
    proba: np.ndarray  # every probability, columns in ``classes`` order
    classes: np.ndarray
    multilabel: bool = False
    explanations: list | None = None  # with ``explain``: clf.explain's dict per text


def predict_texts(
    run_dir: str | Path, texts: list[str], *, source: str | None = None, explain: int = 0
) -> Predictions:
    """Labels for ``texts`` as the run decides them (its thresholds; label sets for a
    multi-label run), the probabilities, and with ``explain=k`` each text's k words or
    n-grams that pushed its prediction most (``TextClassifier.explain``, which needs the
    whole classifier; without it the light :class:`Predictor` predicts).

    Empty texts are refused, naming their rows (``source``: the file they came
    from, whose data rows count from 1; else the texts given, counted from 1).
    """
    check_predictable(texts, source=source)
    if explain:
        from textclass.estimator import TextClassifier

        model = TextClassifier.load(run_dir)
    else:
        model = Predictor.load(run_dir)
    proba = model.predict_proba(texts)
    multilabel = bool(getattr(model, "multilabel_", False))
    decision = Decision.of(model)
    labels, confidence = list(decision.labels(proba)), decision.confidence(proba)
    explanations = model.explain(texts, top=explain) if explain else None
    return Predictions(labels, confidence, proba, model.classes_, multilabel, explanations)
