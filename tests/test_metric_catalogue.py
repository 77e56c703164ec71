"""The metric catalogue says the truth about the metrics dicts, and every view reads it."""

import numpy as np
import pytest
from sklearn.metrics import get_scorer_names

from textclass import TextClassifier, metric_catalogue
from textclass.evaluation import classification_metrics, evaluate
from textclass.evaluation.crossval import summarize
from textclass.evaluation.multilabel import multilabel_metrics
from textclass.evaluation.scoring import multilabel_scorers, scorer_names
from textclass.metric_catalogue import BINARY, METRICS, MULTICLASS, MULTILABEL, Metric
from textclass.rendering.html import metrics_html
from textclass.rendering.terminal import format_summary, metrics_table

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


def test_a_binary_threshold_is_shown_as_the_catalogue_says():
    texts = ["great food", "awful food", "lovely staff", "rude staff"] * 3
    labels = ["pos", "neg", "pos", "neg"] * 3
    clf = TextClassifier(model="logreg", threshold=0.6, random_state=0).fit(texts, labels)
    metrics = evaluate(clf, texts, labels)
    assert metrics["threshold"] == 0.6
    assert "  threshold         0.6000" in metrics_table(metrics, "test").splitlines()


def test_multilabel_scorers_are_the_catalogues():
    assert list(multilabel_scorers()) == [
        m.scorer for m in METRICS if m.scorer and MULTILABEL in m.tasks
    ]
    assert multilabel_scorers()["neg_hamming_loss"].name == "hamming_loss"
    assert "neg_hamming_loss" not in get_scorer_names()  # textclass' own: label sets only


def test_a_new_metric_is_one_entry(monkeypatch):
    """Terminal, report, CV summary, card and scorers all pick up one new catalogue entry."""
    new = Metric(
        "brier",
        metric_catalogue.ALL,
        higher_is_better=False,
        label="Brier score",
        fmt=".2f",
        headline=True,
        summary=True,
        card=True,
        scorer="neg_brier",
    )
    monkeypatch.setattr(metric_catalogue, "METRICS", (*METRICS, new))
    metrics = {"labels": ["neg", "pos"], "accuracy": 0.75, "brier": 0.125}
    assert metrics_table(metrics, "test").splitlines()[1:] == [
        "  accuracy          0.7500",
        "  Brier score       0.12",
    ]
    assert "<td class='text'>Brier score</td><td>0.12</td>" in metrics_html(metrics)[0]
    summary = summarize([{"brier": 0.1}, {"brier": 0.2}])
    assert summary["brier"]["mean"] == pytest.approx(0.15)
    assert "  Brier score    0.15 ± 0.05" in format_summary(summary, "cv")
    assert multilabel_scorers()["neg_brier"] is new
    assert [m.name for m in metric_catalogue.on_card()][-1] == "brier"
