"""What ``fit`` decides: training targets from the user's labels, and the decision.

Used by :class:`textclass.TextClassifier`; no model code here. A fitted
classifier's *decision* is a small JSON-ready dict, saved in ``labels.json``
(:class:`textclass.decisions.Decision` applies it to probabilities)::

    {"multilabel": bool, "indicator": bool,    # label sets, given as lists or a 0/1 matrix
     "threshold": "max-f1" | "0.7" | None,     # the user's setting
     "thresholds": [t, ...] | None,            # one per label (multi-label) or [t] (binary)
     "tuned": {"rows": n, "source": ..., "per_label": [{precision, recall, f1, ...}]}}

Without a threshold a single-label problem takes the most probable class and a
multi-label one every label of probability >= 0.5.
"""

from __future__ import annotations

import numpy as np

from textclass.decisions import thresholds as th
from textclass.errors import DataError
from textclass.preprocessing.labels import LabelEncoder, MultiLabelEncoder, is_multilabel

# share of the training texts held out to tune thresholds when no validation data is given
TUNING_SPLIT = 0.2


def encode(y):
    """(encoder, targets): codes for single labels, a (n, k) 0/1 matrix for label sets."""
    if is_multilabel(y):
        encoder = MultiLabelEncoder().fit(y)
        targets = encoder.transform(y)
        if len(encoder.classes_) < 2:
            raise DataError(
                f"label sets need at least two distinct labels; these hold only "
                f"{encoder.classes_.tolist()!r}"
            )
        return encoder, targets
    encoder = LabelEncoder().fit(y)
    codes = encoder.transform(y)
    if len(encoder.classes_) < 2:
        raise DataError(
            f"cannot train a classifier on a single class ({encoder.classes_[0]!r}): "
            "the labels need at least two distinct values"
        )
    return encoder, codes


def encoder_for(decision: dict, classes) -> LabelEncoder | MultiLabelEncoder:
    if decision.get("multilabel"):
        return MultiLabelEncoder(classes, indicator=bool(decision.get("indicator")))
    return LabelEncoder(classes)


def holdout(n: int, seed) -> tuple[np.ndarray, np.ndarray]:
    """(rows to fit on, rows to tune thresholds on): a seeded ``TUNING_SPLIT`` of ``n``."""
    held = int(np.floor(n * TUNING_SPLIT))
    if held < 1 or n - held < 2:
        raise DataError(
            f"{n} training texts are too few to hold out {TUNING_SPLIT * 100:.0f} % of them for "
            "tuning the threshold; give validation data or a fixed threshold"
        )
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[held:]), np.sort(order[:held])


def validation_split(rule, texts, targets, validation_data, encoder, seed):
    """(texts to fit, their targets, (validation texts, targets) or None, what tunes).

    Given ``validation_data`` is encoded as the training labels were; a tuned
    threshold without it holds ``TUNING_SPLIT`` of the training texts out of training.
    """
    from textclass.preprocessing import check_texts

    if validation_data is not None:
        val_texts, val_labels = validation_data
        validation = (
            check_texts(val_texts, name="validation texts"),
            encoder.transform(val_labels),
        )
        return texts, targets, validation, "validation data"
    if rule is None or not rule.tuned:
        return texts, targets, None, ""
    fit_rows, held = holdout(len(texts), seed)
    validation = ([texts[i] for i in held], targets[held])
    source = f"{len(held)} training texts held out of training ({TUNING_SPLIT * 100:.0f} %)"
    return [texts[i] for i in fit_rows], targets[fit_rows], validation, source


def notes(decision: dict, classes) -> list[str]:
    """What tuning did, one line each (none for a fixed or default decision)."""
    unmet_lines = unmet(decision, classes)
    if "tuned" not in decision and not unmet_lines:
        return []
    source = decision.get("tuned", {}).get("source")
    return [f"threshold {decision['threshold']} tuned on {source}", *unmet_lines]


def positive_scores(proba: np.ndarray, multilabel: bool) -> np.ndarray:
    """What a threshold cuts: every column (multi-label) or P(second class), as a column."""
    return proba if multilabel else proba[:, 1:2]


def choose(
    rule, n_labels: int, *, multilabel: bool, targets=None, proba=None, source: str = ""
) -> dict:
    """The decision for a threshold ``rule`` (None: the default); a tuned rule is tuned on
    ``proba`` (the model's, on held-out texts) against ``targets`` (codes or a 0/1 matrix)."""
    decision = {"multilabel": multilabel, "threshold": None, "thresholds": None}
    k = n_labels if multilabel else 1
    if rule is None:
        if multilabel:
            decision["thresholds"] = [th.DEFAULT] * k
        return decision
    decision["threshold"] = rule.describe()
    if not rule.tuned:
        decision["thresholds"] = [rule.value] * k
        return decision
    truth = targets if multilabel else (np.asarray(targets) == 1).reshape(-1, 1)
    cuts, found = th.tune_columns(truth, positive_scores(proba, multilabel), rule)
    decision["thresholds"] = cuts.tolist()
    decision["tuned"] = {"rows": int(len(truth)), "source": source, "per_label": found}
    return decision


def unmet(decision: dict, classes) -> list[str]:
    """One line per label whose tuned threshold missed its goal (or had no positive row)."""
    tuned = decision.get("tuned") or {}
    lines = []
    names = classes.tolist() if decision.get("multilabel") else [classes.tolist()[-1]]
    for name, found in zip(names, tuned.get("per_label", [])):
        if not found["reached"]:
            lines.append(
                f"threshold {decision['threshold']} not reached for {name!r} on the "
                f"{tuned['rows']} tuning texts; using {found['threshold']:.4g}"
            )
    return lines
