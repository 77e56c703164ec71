"""Predicting with a saved run: labels as the run decides them, probabilities, reasons.

The CLI's ``predict`` and the job functions use these; an empty text is refused,
naming its rows, never given a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from textclass.errors import DataError
from textclass.estimator import TextClassifier, empty_rows


@dataclass
class Predictions:
    """What ``predict_texts`` found: a label (or a list of labels) per text, and why."""

    labels: list  # one label per text, or one list of labels (multi-label)
    confidence: np.ndarray  # probability of the predicted label (single-label)
    proba: np.ndarray  # every probability, columns in ``classes`` order
    classes: np.ndarray
    multilabel: bool = False
    explanations: list | None = None  # with ``explain``: clf.explain's dict per text

    def __iter__(self):  # (labels, confidence, classes), as before
        return iter((np.asarray(self.labels), self.confidence, self.classes))


def predict_texts(
    run_dir: str | Path, texts: list[str], *, source: str | None = None, explain: int = 0
) -> Predictions:
    """Labels for ``texts`` as the run decides them (its thresholds; label sets for a
    multi-label run), the probabilities, and with ``explain=k`` each text's k words or
    n-grams that pushed its prediction most (``TextClassifier.explain``).

    Empty texts are refused, naming their rows (``source``: the file they came
    from, whose data rows count from 1; else the texts given, counted from 1).
    """
    check_predictable(texts, source=source)
    clf = TextClassifier.load(run_dir)
    proba = clf.predict_proba(texts)
    labels = clf.predict(texts)
    multilabel = bool(getattr(clf, "multilabel_", False))
    if multilabel:
        confidence = np.zeros(len(texts))
        labels = [clf.classes_[row].tolist() for row in proba >= clf.thresholds_[None, :]]
    else:
        index = {c: i for i, c in enumerate(clf.classes_.tolist())}
        chosen = np.asarray([index[v] for v in np.asarray(labels).tolist()])
        confidence = proba[np.arange(len(chosen)), chosen]
        labels = list(labels)
    explanations = clf.explain(texts, top=explain) if explain else None
    return Predictions(labels, confidence, proba, clf.classes_, multilabel, explanations)


def check_predictable(texts: list[str], *, source: str | None = None) -> None:
    """DataError naming the empty texts: the policy for empty text at prediction."""
    empty = [i + 1 for i in empty_rows(list(texts))]
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
