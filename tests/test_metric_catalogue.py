"""The metric catalogue says the truth about the metrics dicts, and every view reads it."""

import numpy as np
import pytest

from textclass import metric_catalogue
from textclass.evaluation import classification_metrics
from textclass.evaluation.multilabel import multilabel_metrics
from textclass.evaluation.scoring import scorer_names
from textclass.metric_catalogue import BINARY, METRICS, MULTICLASS, MULTILABEL

RNG = np.random.default_rng(0)


def _proba(n, k):
    p = RNG.random((n, k))
    return p / p.sum(axis=1, keepdims=True)


def _single(classes):
    y = np.array(classes)[np.arange(60) % len(classes)]
    proba = _proba(60, len(classes))
    return classification_metrics(y, np.array(classes)[proba.argmax(1)], proba, classes)


def _label_sets():
    truth = (RNG.random((60, 4)) < 0.4).astype(int)
    proba = _proba(60, 4)
    return multilabel_metrics(truth, (proba > 0.25).astype(int), proba, list("abcd"), [0.25] * 4)


def test_names_and_scorers_are_unique_and_scorers_follow_scikit_learns_sign():
    names = [m.name for m in METRICS]
    scorers = [m.scorer for m in METRICS if m.scorer]
    assert len(set(names)) == len(names) and len(set(scorers)) == len(scorers)
    for m in METRICS:
        if m.scorer:  # scikit-learn scorers: larger is better, "neg_" for losses
            assert m.higher_is_better is not None, m
            assert m.scorer.startswith("neg_") == (not m.higher_is_better), m
            assert m.scorer in scorer_names()
        assert m.tasks and m.tasks <= metric_catalogue.ALL, m
        assert m.show(0.5)  # the format spec formats a number


@pytest.mark.parametrize(
    "task, metrics",
    [
        (BINARY, lambda: _single(["neg", "pos"])),
        (MULTICLASS, lambda: _single(["a", "b", "c"])),
        (MULTILABEL, _label_sets),
    ],
)
def test_tasks_say_which_metrics_dicts_have_a_metric(task, metrics):
    keys = set(metrics())
    declared = {m.name for m in METRICS if task in m.tasks} - {"threshold"}
    assert declared <= keys  # every metric of the task is computed
    assert keys & {m.name for m in METRICS} <= declared  # and none of another task
