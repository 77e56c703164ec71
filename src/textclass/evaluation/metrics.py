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
        proba = np.asarray(proba)
        out["log_loss"] = float(skm.log_loss(y_true, proba, labels=labels))
        if len(labels) == 2:
            out["roc_auc"] = float(skm.roc_auc_score(y_true == labels[1], proba[:, 1]))
        else:
            out["roc_auc"] = float(
                skm.roc_auc_score(y_true, proba, labels=labels, multi_class="ovr")
            )
    return out


def evaluate(clf, texts, labels, groups=None) -> dict:
    """Score a fitted classifier on labeled texts (``groups``: one report per group too)."""
    return metrics_from_proba(clf, labels, clf.predict_proba(texts), groups)


def metrics_from_proba(clf, labels, proba, groups=None) -> dict:
    """Metrics of predicted probabilities ``proba`` (columns in ``clf.classes_`` order)."""
    from textclass.preprocessing import LabelEncoder

    labels = np.asarray(labels)
    LabelEncoder(clf.classes_).transform(labels)  # refuses labels the model never saw
    predicted = clf.classes_[np.argmax(proba, axis=1)]
    result = classification_metrics(labels, predicted, proba, clf.classes_)
    if groups is not None:
        groups = np.asarray(groups)
        result["per_group"] = {
            str(g): classification_metrics(
                labels[groups == g], predicted[groups == g], proba[groups == g], clf.classes_
            )
            for g in dict.fromkeys(groups.tolist())
        }
    return result


def confident_mistakes(texts, labels, proba, classes, k: int = 20) -> list[dict]:
    """The ``k`` wrong predictions made with the highest probability, most confident first."""
    labels = np.asarray(labels)
    best = np.argmax(proba, axis=1)
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
