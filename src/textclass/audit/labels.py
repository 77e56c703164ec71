"""Likely label errors: out-of-fold probabilities, then confident learning.

Every training row is scored by a classifier that never saw it (k folds, stratified for
single labels); cleanlab's ``find_label_issues`` (Northcutt et al., "Confident Learning:
Estimating Uncertainty in Dataset Labels", JAIR 2021) then flags the rows whose given
label disagrees with what the other rows teach, ranked by cleanlab's label quality score
(self-confidence: the probability of the given label; lowest first). Multi-label rows
go through cleanlab's multi-label support (``multi_label=True``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import KFold, StratifiedKFold

from textclass.errors import DataError

FOLDS = 5
MULTILABEL_CUT = 0.5  # a label is suggested for a multi-label row at this probability


@dataclass(frozen=True)
class LabelAudit:
    issues: list[dict]  # {"index", "given", "suggested", "confidence", "quality"}, worst first
    classes: list  # the columns of ``proba``
    proba: np.ndarray  # out-of-fold probabilities of the audited rows
    index: np.ndarray  # corpus positions of the audited rows
    skipped: dict  # labels left out of the audit (too few rows), with their row counts
    folds: int
    quality: np.ndarray  # cleanlab's label quality score of each audited row


def out_of_fold_proba(estimator, texts, targets, classes, *, folds: int, seed: int | None):
    """Each row's probabilities from a clone of ``estimator`` fitted on the other folds;
    columns follow ``classes`` (a class a fold's training rows lack scores 0 there)."""
    multilabel = isinstance(targets[0], tuple)
    if multilabel:
        splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
        strata = np.zeros(len(texts))
    else:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        strata = np.asarray(targets)
    proba = np.zeros((len(texts), len(classes)))
    position = {c: k for k, c in enumerate(classes)}
    targets = _column(targets) if multilabel else np.asarray(targets)
    for fit_rows, score_rows in splitter.split(np.zeros(len(texts)), strata):
        clf = clone(estimator)
        clf.fit([texts[i] for i in fit_rows], targets[fit_rows])
        columns = [position[c] for c in clf.classes_]
        proba[np.ix_(score_rows, columns)] = clf.predict_proba([texts[i] for i in score_rows])
    return proba


def find_label_errors(
    estimator, texts: list[str], labels: list, *, folds: int = FOLDS, seed: int | None = 0
) -> LabelAudit:
    """Rows whose label is likely wrong (see the module); ``labels`` are single labels or
    tuples of labels. Labels on fewer than 2 rows cannot be checked and are left out."""
    from textclass.audit.extras import require

    multilabel = len(labels) > 0 and isinstance(labels[0], tuple)
    if multilabel:  # cleanlab's own home for multi-label (filter's multi_label=True is deprecated)
        find_label_issues = require("cleanlab.multilabel_classification.filter").find_label_issues
    else:
        find_label_issues = require("cleanlab.filter").find_label_issues
    counts = Counter(label for row in labels for label in (row if multilabel else [row]))
    skipped = {} if multilabel else {k: v for k, v in counts.items() if v < 2}
    index = np.array([i for i, y in enumerate(labels) if multilabel or y not in skipped], int)
    targets = [labels[i] for i in index]
    classes = sorted({c for c in counts if c not in skipped}, key=str)
    if len(classes) < 2:
        raise DataError("the label audit needs at least two labels with 2 or more rows each")
    smallest = min(v for k, v in counts.items() if k not in skipped)
    folds = max(2, min(folds, len(index) if multilabel else smallest))
    proba = out_of_fold_proba(
        estimator, [texts[i] for i in index], targets, classes, folds=folds, seed=seed
    )
    position = {c: k for k, c in enumerate(classes)}
    if multilabel:
        given = [[position[c] for c in row] for row in targets]
    else:
        given = np.array([position[c] for c in targets])
    flagged = find_label_issues(given, proba, return_indices_ranked_by="self_confidence", n_jobs=1)
    quality = _quality(given, proba, multilabel)
    issues = [_issue(int(k), index, targets, proba, quality, classes, multilabel) for k in flagged]
    return LabelAudit(issues, classes, proba, index, skipped, folds, quality)


def _quality(given, proba, multilabel: bool) -> np.ndarray:
    """cleanlab's label quality score of every row (0 to 1; low: the label looks wrong)."""
    if multilabel:
        from cleanlab.multilabel_classification import get_label_quality_scores

        return get_label_quality_scores(given, proba)
    from cleanlab.rank import get_label_quality_scores

    return get_label_quality_scores(given, proba, method="self_confidence")


def _issue(k, index, targets, proba, quality, classes, multilabel) -> dict:
    row = proba[k]
    if multilabel:
        suggested = [c for c, p in zip(classes, row) if p >= MULTILABEL_CUT]
        given = list(targets[k])
        confidence = float(np.mean([max(p, 1 - p) for p in row]))
    else:
        suggested = classes[int(np.argmax(row))]
        given = targets[k]
        confidence = float(row.max())
    return {
        "index": int(index[k]),
        "given": _plain(given),
        "suggested": _plain(suggested),
        "confidence": round(confidence, 4),  # the model's probability of its suggestion
        "quality": round(float(quality[k]), 4),
    }


def _column(sets: list) -> np.ndarray:
    """Label sets as a 1-D object array (``np.asarray`` would make equal-sized sets 2-D)."""
    out = np.empty(len(sets), dtype=object)
    for i, labels in enumerate(sets):
        out[i] = labels
    return out


def _plain(value):
    """A label as JSON holds it (numpy integers as ints)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.item() if isinstance(value, np.generic) else value
