"""Decision thresholds: parsed from the user's setting, tuned on validation data.

A prediction is positive when its probability is at least the threshold. A
tuned threshold is one of the validation scores (the precision-recall curve's
breakpoints), as scikit-learn's ``TunedThresholdClassifierCV`` picks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from textclass.errors import ConfigError, invalid

DEFAULT = 0.5
GOALS = ("max-f1", "precision=P", "recall=R")
_TARGET = re.compile(r"^(precision|recall)\s*=\s*([0-9.]+)$")
EXPECTED = "a number in (0, 1), 'max-f1', 'precision=P' or 'recall=R' (P, R in (0, 1])"


@dataclass(frozen=True)
class ThresholdRule:
    """``kind`` is "fixed" (``value`` the threshold), "max-f1", "precision" or "recall"
    (``value`` the level to reach on validation data)."""

    kind: str
    value: float | None = None

    @property
    def tuned(self) -> bool:
        return self.kind != "fixed"

    def describe(self) -> str:
        if self.kind == "fixed":
            return f"{self.value:g}"
        return self.kind if self.value is None else f"{self.kind}={self.value:g}"


def parse(setting) -> ThresholdRule | None:
    """The rule for a ``threshold`` setting (None: no rule, the default decision)."""
    if setting is None:
        return None
    if isinstance(setting, (int, float)) and not isinstance(setting, bool):
        value = float(setting)
    elif isinstance(setting, str):
        text = setting.strip().lower()
        if text in ("max-f1", "max_f1", "f1"):
            return ThresholdRule("max-f1")
        match = _TARGET.match(text)
        if match:
            level = _number(match.group(2), setting)
            if not 0 < level <= 1:
                raise invalid("threshold", EXPECTED, setting)
            return ThresholdRule(match.group(1), level)
        value = _number(text, setting)
    else:
        raise invalid("threshold", EXPECTED, setting)
    if not 0 < value < 1:
        raise invalid("threshold", EXPECTED, setting)
    return ThresholdRule("fixed", value)


# a multi-label problem without validation data tunes its thresholds on a held-out share
# of its training texts only from this many texts on (fewer leave too few to tune
# a rare label's threshold on; they keep 0.5)
TUNED_BY_DEFAULT_MIN_TEXTS = 1_000


def rule_for(setting, *, multilabel: bool, n_texts: int, has_validation: bool):
    """The rule a ``threshold`` setting means for this problem. ``None`` (the default):
    for a multi-label problem, one threshold per label tuned for F1 (``max-f1``) when
    there are validation data or at least ``TUNED_BY_DEFAULT_MIN_TEXTS`` training texts;
    with 0.5 per label, rare labels are almost never predicted (GoEmotions' macro-F1:
    0.33 against 0.45 tuned). Otherwise (and for single-label problems) as ``parse``."""
    rule = parse(setting)
    if rule is None and multilabel and (has_validation or n_texts >= TUNED_BY_DEFAULT_MIN_TEXTS):
        return ThresholdRule("max-f1")
    return rule


def _number(text: str, setting) -> float:
    try:
        return float(text)
    except ValueError:
        raise invalid("threshold", EXPECTED, setting, ["max-f1", "precision=0.99"]) from None


def tune(truth, scores, rule: ThresholdRule) -> dict:
    """The threshold for one binary column, and what it reaches on these data.

    ``truth``: 0/1 (or bool) per row; ``scores``: the positive probability.
    Returns ``{"threshold", "precision", "recall", "f1", "reached"}``; without a
    positive row the default threshold is kept (``reached`` False).
    """
    from sklearn.metrics import precision_recall_curve

    truth = np.asarray(truth).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    if rule.kind == "fixed":
        return {"threshold": rule.value, **_at(truth, scores, rule.value), "reached": True}
    if not truth.any() or truth.all():
        return {"threshold": DEFAULT, **_at(truth, scores, DEFAULT), "reached": False}
    precision, recall, cuts = precision_recall_curve(truth, scores)
    precision, recall = precision[:-1], recall[:-1]  # the last point has no threshold
    f1 = np.divide(
        2 * precision * recall,
        precision + recall,
        out=np.zeros_like(precision),
        where=precision + recall > 0,
    )
    reached = True
    if rule.kind == "max-f1":
        best = int(np.argmax(f1))
    elif rule.kind == "precision":
        ok = np.flatnonzero(precision >= rule.value - 1e-12)
        reached = ok.size > 0
        # the lowest threshold reaching the precision keeps the most recall
        best = int(ok[np.argmax(recall[ok])]) if reached else int(np.argmax(precision))
    else:  # recall: the highest threshold keeping the recall
        ok = np.flatnonzero(recall >= rule.value - 1e-12)
        best = int(ok[np.argmax(cuts[ok])])
    return {
        "threshold": float(cuts[best]),
        "precision": float(precision[best]),
        "recall": float(recall[best]),
        "f1": float(f1[best]),
        "reached": bool(reached),
    }


def _at(truth: np.ndarray, scores: np.ndarray, threshold: float) -> dict:
    predicted = scores >= threshold
    tp = float(np.sum(predicted & truth))
    precision = tp / max(float(predicted.sum()), 1.0)
    recall = tp / max(float(truth.sum()), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def tune_columns(truth, scores, rule: ThresholdRule) -> tuple[np.ndarray, list[dict]]:
    """One threshold per column of a 0/1 matrix, and what each reaches."""
    truth, scores = np.asarray(truth), np.asarray(scores)
    found = [tune(truth[:, j], scores[:, j], rule) for j in range(truth.shape[1])]
    return np.asarray([f["threshold"] for f in found], dtype=np.float64), found


def check_task(rule: ThresholdRule | None, n_classes: int, multilabel: bool) -> None:
    """Thresholds are for binary and multi-label problems (a multi-class one takes argmax)."""
    if rule is not None and not multilabel and n_classes > 2:
        raise ConfigError(
            f"threshold={rule.describe()!r} needs a binary or multi-label problem; this one has "
            f"{n_classes} classes, each text getting the most probable (drop the threshold)"
        )
