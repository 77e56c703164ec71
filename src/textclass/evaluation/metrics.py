"""Metrics on predictions, computed with scikit-learn, overall and per group."""

from __future__ import annotations

import numpy as np
from sklearn import metrics as skm


def classification_metrics(y_true, y_pred, proba=None, classes=None) -> dict:
    """Accuracy, precision, recall, F1, confusion matrix and per-class report.

    Binary problems report precision/recall/F1 of the positive class (the
    second of ``classes``, e.g. 1 or "pos"); multi-class ones report macro and
    weighted averages. ``proba`` (columns in ``classes`` order) adds ROC-AUC and
    log loss.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    classes = (
        np.unique(np.concatenate([y_true, y_pred])) if classes is None else np.asarray(classes)
    )
    labels = classes.tolist()
    out = {
        "n": int(len(y_true)),
        "accuracy": float(skm.accuracy_score(y_true, y_pred)),
        "balanced_accuracy": _balanced_accuracy(y_true, y_pred, labels),
        "mcc": float(skm.matthews_corrcoef(y_true, y_pred)),
        "labels": labels,
        "confusion_matrix": skm.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
    if len(labels) == 2:
        p, r, f, _ = skm.precision_recall_fscore_support(
            y_true, y_pred, labels=labels, pos_label=labels[1], average="binary", zero_division=0
        )
        out.update(positive_label=labels[1], precision=float(p), recall=float(r), f1=float(f))
    for average in ("macro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=average, zero_division=0
        )
        out.update(
            {
                f"precision_{average}": float(p),
                f"recall_{average}": float(r),
                f"f1_{average}": float(f),
            }
        )
    p, r, f, s = skm.precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    out["per_class"] = {
        str(c): {
            "precision": float(p[i]),
            "recall": float(r[i]),
            "f1": float(f[i]),
            "support": int(s[i]),
        }
        for i, c in enumerate(labels)
    }
    if proba is not None and len(np.unique(y_true)) == len(labels):
        out.update(_probability_metrics(y_true, np.asarray(proba), labels, out["per_class"]))
    return out


def _probability_metrics(y_true, proba, labels: list, per_class: dict) -> dict:
    """Log loss and ROC-AUC from probabilities (columns in ``labels`` order); each class's
    precision-recall AUC against the rest goes into ``per_class``."""
    for i, c in enumerate(labels):
        positive = y_true == c
        if 0 < positive.sum() < len(y_true):
            per_class[str(c)]["pr_auc"] = float(skm.average_precision_score(positive, proba[:, i]))
    out = {"log_loss": float(skm.log_loss(y_true, proba, labels=labels))}
    if len(labels) == 2:
        out["roc_auc"] = float(skm.roc_auc_score(y_true == labels[1], proba[:, 1]))
    else:
        out["roc_auc"] = float(skm.roc_auc_score(y_true, proba, labels=labels, multi_class="ovr"))
    return out


def pr_curve(truth, scores, points: int = 200) -> dict:
    """The precision-recall curve of the positive class, at most ``points`` thresholds,
    and its area (average precision)."""
    precision, recall, thresholds = skm.precision_recall_curve(truth, scores)
    keep = np.unique(np.linspace(0, len(thresholds) - 1, min(points, len(thresholds))).astype(int))
    return {
        "precision": precision[keep].round(6).tolist(),
        "recall": recall[keep].round(6).tolist(),
        "thresholds": thresholds[keep].round(6).tolist(),
        "average_precision": float(skm.average_precision_score(truth, scores)),
    }


def _balanced_accuracy(y_true, y_pred, labels) -> float:
    """Mean recall over the classes present in ``y_true`` (scikit-learn's definition)."""
    present = [c for c in labels if np.any(y_true == c)]
    _, recall, _, _ = skm.precision_recall_fscore_support(
        y_true, y_pred, labels=present, zero_division=0
    )
    return float(np.mean(recall)) if len(present) else 0.0


def evaluate(clf, texts, labels, groups=None) -> dict:
    """Score a fitted classifier on labeled texts (``groups``: one report per group too)."""
    return metrics_from_proba(clf, labels, clf.predict_proba(texts), groups)


def metrics_from_proba(clf, labels, proba, groups=None) -> dict:
    """Metrics of predicted probabilities ``proba`` (columns in ``clf.classes_`` order),
    decided as ``clf`` decides (its thresholds; label sets for a multi-label model)."""
    from textclass.decisions import Decision
    from textclass.preprocessing import LabelEncoder

    decision = Decision.of(clf)
    if decision.multilabel:
        return _multilabel_from_proba(clf, labels, proba, decision, groups)
    labels = np.asarray(labels)
    LabelEncoder(clf.classes_).transform(labels)  # refuses labels the model never saw
    predicted = decision.labels(proba)
    result = classification_metrics(labels, predicted, proba, clf.classes_)
    if decision.thresholds is not None:
        result["threshold"] = float(decision.thresholds[0])
    if len(clf.classes_) == 2 and 0 < np.sum(labels == clf.classes_[1]) < len(labels):
        result["pr_curve"] = pr_curve(labels == clf.classes_[1], proba[:, 1])
    if groups is not None:
        groups = np.asarray(groups)
        result["per_group"] = {
            str(g): classification_metrics(
                labels[groups == g], predicted[groups == g], proba[groups == g], clf.classes_
            )
            for g in dict.fromkeys(groups.tolist())
        }
    return result


def _multilabel_from_proba(clf, labels, proba, decision, groups=None) -> dict:
    from textclass.evaluation.multilabel import multilabel_metrics

    truth = clf._encoder().transform(labels)  # refuses labels the model never saw
    predicted = decision.indices(proba).astype(int)
    result = multilabel_metrics(truth, predicted, proba, clf.classes_, decision.cuts)
    if groups is not None:
        groups = np.asarray(groups)
        result["per_group"] = {
            str(g): multilabel_metrics(
                truth[groups == g], predicted[groups == g], proba[groups == g], clf.classes_
            )
            for g in dict.fromkeys(groups.tolist())
        }
    return result


def mistakes_for(clf, texts, labels, proba, k: int = 20) -> list[dict]:
    """The most confident mistakes of ``clf`` (label sets for a multi-label model)."""
    from textclass.decisions import Decision

    decision = Decision.of(clf)
    if getattr(clf, "multilabel_", False):
        from textclass.evaluation.multilabel import multilabel_mistakes

        truth = clf._encoder().transform(labels)
        return multilabel_mistakes(texts, truth, proba, decision, k)
    chosen = decision.indices(proba)
    return confident_mistakes(texts, labels, proba, clf.classes_, k, chosen=chosen)


def confident_mistakes(texts, labels, proba, classes, k: int = 20, chosen=None) -> list[dict]:
    """The ``k`` wrong predictions made with the highest probability, most confident first.

    ``chosen``: the class index predicted for each text (default: the most probable; a
    binary run with a threshold passes its own decisions)."""
    from textclass.decisions import Decision

    labels = np.asarray(labels)
    best = Decision(np.asarray(classes)).indices(proba) if chosen is None else np.asarray(chosen)
    confidence = proba[np.arange(len(best)), best]
    wrong = np.flatnonzero(classes[best] != labels)
    order = wrong[np.argsort(-confidence[wrong], kind="stable")][:k]
    return [
        {
            "text": texts[i],
            "true": labels[i].item() if hasattr(labels[i], "item") else labels[i],
            "predicted": classes[best[i]].item()
            if hasattr(classes[best[i]], "item")
            else classes[best[i]],
            "probability": round(float(confidence[i]), 6),
        }
        for i in order.tolist()
    ]
