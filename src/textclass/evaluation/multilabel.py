"""Metrics of label sets (multi-label), computed with scikit-learn on 0/1 matrices.

``f1_micro`` pools every (text, label) decision, ``f1_macro`` averages the
labels' F1 (rare labels count as much as common ones), ``f1_samples`` averages
each text's F1; Hamming loss is the share of wrong (text, label) decisions,
subset accuracy the share of texts whose whole set is right (also reported as
``accuracy``, so leaderboards rank multi-label runs too).
"""

from __future__ import annotations

import numpy as np
from sklearn import metrics as skm


def multilabel_metrics(truth, predicted, proba=None, classes=None, thresholds=None) -> dict:
    """Metrics of a ``(n, k)`` 0/1 ``predicted`` matrix against ``truth``; ``proba`` adds
    ranking metrics (ROC-AUC and average precision, per label where it has positives)."""
    truth, predicted = np.asarray(truth).astype(int), np.asarray(predicted).astype(int)
    k = truth.shape[1]
    labels = list(range(k)) if classes is None else np.asarray(classes).tolist()
    subset = float(skm.accuracy_score(truth, predicted))
    out = {
        "task": "multilabel",
        "n": int(truth.shape[0]),
        "labels": labels,
        "accuracy": subset,
        "subset_accuracy": subset,
        "hamming_loss": float(skm.hamming_loss(truth, predicted)),
        "labels_per_text": float(truth.sum(axis=1).mean()) if len(truth) else 0.0,
        "predicted_labels_per_text": float(predicted.sum(axis=1).mean()) if len(truth) else 0.0,
    }
    for average in ("micro", "macro", "weighted", "samples"):
        p, r, f, _ = skm.precision_recall_fscore_support(
            truth, predicted, average=average, zero_division=0
        )
        out.update(
            {
                f"precision_{average}": float(p),
                f"recall_{average}": float(r),
                f"f1_{average}": float(f),
            }
        )
    p, r, f, s = skm.precision_recall_fscore_support(truth, predicted, zero_division=0)
    per_class = {}
    for j, name in enumerate(labels):
        row = {
            "precision": float(p[j]),
            "recall": float(r[j]),
            "f1": float(f[j]),
            "support": int(s[j]),
            "predicted": int(predicted[:, j].sum()),
        }
        if thresholds is not None:
            row["threshold"] = float(thresholds[j])
        if proba is not None and 0 < truth[:, j].sum() < len(truth):
            row["pr_auc"] = float(skm.average_precision_score(truth[:, j], proba[:, j]))
            row["roc_auc"] = float(skm.roc_auc_score(truth[:, j], proba[:, j]))
        per_class[str(name)] = row
    out["per_class"] = per_class
    if proba is not None:
        ranked = [m for m in per_class.values() if "pr_auc" in m]
        if ranked:
            out["pr_auc_macro"] = float(np.mean([m["pr_auc"] for m in ranked]))
            out["roc_auc"] = float(np.mean([m["roc_auc"] for m in ranked]))
    return out


def multilabel_mistakes(texts, truth, proba, decision, k: int = 20) -> list[dict]:
    """The ``k`` texts whose predicted set (as ``decision`` chooses it) is wrong, by the
    most confident wrong label."""
    truth = np.asarray(truth).astype(bool)
    predicted = decision.indices(proba)
    wrong = predicted != truth
    margin = np.where(wrong, np.abs(proba - decision.cuts[None, :]), -1.0)
    worst = np.argmax(margin, axis=1)
    rows = np.flatnonzero(wrong.any(axis=1))
    order = rows[np.argsort(-margin[rows, worst[rows]], kind="stable")][:k]
    names = decision.classes
    return [
        {
            "text": texts[i],
            "true": names[truth[i]].tolist(),
            "predicted": names[predicted[i]].tolist(),
            "label": names[worst[i]].item(),
            "probability": round(float(proba[i, worst[i]]), 6),
        }
        for i in order.tolist()
    ]
