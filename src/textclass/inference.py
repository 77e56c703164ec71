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

from pathlib import Path

import numpy as np

from textclass.errors import DataError
from textclass.preprocessing.validation import check_not_empty, check_texts, empty_rows


class Predictor:
    """``predict_proba`` / ``predict`` of a saved classifier; ``classes_`` its labels."""

    def __init__(self, classes_: np.ndarray, preprocessor, scorer, path: Path) -> None:
        self.classes_ = classes_
        self.preprocessor = preprocessor
        self.scorer = scorer  # predict_proba(model inputs); a whole TextClassifier as fallback
        self.path = path

    @classmethod
    def load(cls, path) -> Predictor:
        from textclass.persistence import RunDirectory
        from textclass.persistence.artifact import incompatible, read_preprocessor
        from textclass.preprocessing.labels import LabelEncoder
        from textclass.runtimes.base import runtime_class

        run = RunDirectory(path)
        run.check_exists()
        config = run.read_config()
        scorer = None
        if config.get("migrated_from") != 1:
            try:
                runtime_cls = runtime_class(config["runtime"]["name"])
                preprocessor = read_preprocessor(run)
                classes = LabelEncoder(run.read_labels()["classes"]).classes_
            except (KeyError, TypeError, ValueError) as exc:
                raise incompatible(run, exc) from None
            scorer = runtime_cls.load_scorer(run.path)
        if scorer is None:
            from textclass.estimator import TextClassifier

            clf = TextClassifier.load(path)
            return cls(clf.classes_, None, clf, run.path)
        return cls(classes, preprocessor, scorer, run.path)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, one column per entry of ``classes_``; rows sum to 1."""
        texts = check_texts(X, name="X")
        if self.preprocessor is None:  # the whole classifier: it checks and predicts
            return self.scorer.predict_proba(texts)
        check_not_empty(texts, name="X")
        return self.scorer.predict_proba(self.preprocessor.transform(texts))

    def predict(self, X) -> np.ndarray:
        """The most probable label of each text, as the labels the model was trained on."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

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


def predict_texts(
    run_dir: str | Path, texts: list[str], *, source: str | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(labels, probabilities of the predicted label, class list) for ``texts``.

    Empty texts are refused, naming their rows (``source``: the file they came
    from, whose data rows count from 1; else the texts given, counted from 1).
    """
    check_predictable(texts, source=source)
    predictor = Predictor.load(run_dir)
    proba = predictor.predict_proba(texts)
    best = np.argmax(proba, axis=1)
    return predictor.classes_[best], proba[np.arange(len(best)), best], predictor.classes_


def check_predictable(texts: list[str], *, source: str | None = None, first_row: int = 1) -> None:
    """DataError naming the empty texts: the policy for empty text at prediction.

    ``first_row``: the number of ``texts[0]`` (a chunk of a file read in parts)."""
    empty = [i + first_row for i in empty_rows(list(texts))]
    if not empty:
        return
    shown = ", ".join(map(str, empty[:5])) + (", ..." if len(empty) > 5 else "")
    where = (
        f"{source}: {len(empty)} row(s) with empty text (data rows {shown})"
        if source
        else (f"{len(empty)} of the {len(texts)} texts given are empty (text {shown})")
    )
    raise DataError(
        f"{where}: there is nothing to classify; remove them (empty texts get no label)"
    )
