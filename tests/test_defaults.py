"""Defaults that win (issue 33): multi-label thresholds tuned when there is something to
tune them on, and a rare-label warning that stays one short line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from textclass import TextClassifier
from textclass.data import Dataset
from textclass.data.checks import rare_class_warning
from textclass.decisions.thresholds import TUNED_BY_DEFAULT_MIN_TEXTS, ThresholdRule, rule_for
from textclass.jobs.notes import Notes
from textclass.jobs.requests import ClassifierSettings, TrainRequest
from textclass.jobs.train import fit_and_score


def label_sets(n: int, seed: int = 0) -> tuple[list[str], list[tuple[str, ...]]]:
    """Texts whose words say their labels; 'rare' is in 5 % of them."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(n):
        chosen = [
            name for name, p in (("food", 0.5), ("staff", 0.4), ("rare", 0.05)) if rng.random() < p
        ]
        words = [f"{name}{rng.integers(3)}" for name in chosen] + ["filler"] * 3
        texts.append(" ".join(rng.permutation(words)))
        labels.append(tuple(chosen))
    return texts, labels


def test_rule_for_the_default_threshold():
    tuned = ThresholdRule("max-f1")
    assert rule_for(None, multilabel=True, n_texts=10, has_validation=True) == tuned
    assert (
        rule_for(None, multilabel=True, n_texts=TUNED_BY_DEFAULT_MIN_TEXTS, has_validation=False)
        == tuned
    )
    assert rule_for(None, multilabel=True, n_texts=999, has_validation=False) is None
    assert rule_for(None, multilabel=False, n_texts=10**6, has_validation=True) is None
    assert rule_for(0.5, multilabel=True, n_texts=10**6, has_validation=True) == ThresholdRule(
        "fixed", 0.5
    )


def test_label_sets_tune_their_thresholds_by_default_and_a_number_keeps_them():
    texts, labels = label_sets(1200)
    tuned = TextClassifier(model="logreg", random_state=0).fit(texts, labels)
    assert tuned.decision_["threshold"] == "max-f1"
    assert tuned.decision_["tuned"]["rows"] == 240  # 20 % held out of 1,200
    assert len(set(tuned.decision_["thresholds"])) > 1  # one per label
    fixed = TextClassifier(model="logreg", threshold=0.5, random_state=0).fit(texts, labels)
    assert fixed.decision_["thresholds"] == [0.5, 0.5, 0.5] and "tuned" not in fixed.decision_
    small = TextClassifier(model="logreg", random_state=0).fit(texts[:200], labels[:200])
    assert small.decision_["thresholds"] == [0.5, 0.5, 0.5]
    given = TextClassifier(model="logreg", random_state=0).fit(
        texts[:200], labels[:200], validation_data=(texts[200:400], labels[200:400])
    )
    assert given.decision_["tuned"] == {
        **given.decision_["tuned"],
        "rows": 200,
        "source": "validation data",
    }


@pytest.mark.parametrize("model", ["logreg", "embedding"])
def test_the_train_job_never_tunes_on_the_test_set(tmp_path, model):
    """A small multi-label set without a dev part keeps 0.5 (pinned in the run's config),
    even for a network that is shown the test set for its history plot."""
    texts, labels = label_sets(120)
    data = tmp_path / "tags.jsonl"
    data.write_text(
        "".join(json.dumps({"text": t, "label": list(y)}) + "\n" for t, y in zip(texts, labels))
    )
    settings = ClassifierSettings(model=model, epochs=1 if model == "embedding" else None)
    request = TrainRequest(data=str(data), seed=0, classifier=settings)
    result = fit_and_score(request, Notes())
    assert result.classifier.threshold == 0.5
    assert result.classifier.decision_["thresholds"] == [0.5, 0.5, 0.5]


def test_the_rare_label_warning_is_one_short_line():
    names = [f"emotion{i:02d}" for i in range(28)]
    labels = []
    for i, name in enumerate(names):
        labels += [(name,)] * (3 + 20 * i)
    tuples = np.empty(len(labels), dtype=object)
    tuples[:] = labels
    dataset = Dataset(texts=["x"] * len(labels), labels=tuples, name="emotions")
    line = rare_class_warning(dataset)
    assert line.count("\n") == 0 and len(line) < 200, line
    assert "rarest emotion00 (3 rows), emotion01 (23 rows), emotion02 (43 rows)" in line


def test_ngram_balances_classes_by_default_for_one_label_per_text(monkeypatch):
    """'auto': balanced for one label per text (unweighted, IMDB with 10 % positives fell to
    minority F1 0.372), none for label sets or when the classifier weighs the rows."""
    from textclass.models.ngram import NBLinear

    used = []
    real = NBLinear._linear_model
    monkeypatch.setattr(
        NBLinear, "_linear_model", lambda self, cw: used.append(cw) or real(self, cw)
    )
    texts = ["great food", "lovely staff", "awful food", "rude staff", "bad", "good"] * 4
    labels = [1, 1, 0, 0, 0, 1] * 4
    TextClassifier(model="ngram", random_state=0).fit(texts, labels)
    assert used == ["balanced"]
    TextClassifier(model="ngram", class_weight="balanced", random_state=0).fit(texts, labels)
    assert used[1:] == [None]  # the classifier's sample weights, not both
    tags = [("food",), ("staff",), ("food",), ("staff",), (), ("food", "staff")] * 4
    TextClassifier(model="ngram", random_state=0).fit(texts, tags)
    assert used[2:] == [None, None]  # one per label
    TextClassifier(model="ngram", random_state=0).set_params(model__class_weight=None).fit(
        texts, labels
    )
    assert used[4:] == [None]


def test_label_sets_split_and_fold_with_each_labels_share_kept():
    """--stratify on label sets: iterative stratification, each label's share in the test
    part and in every fold within one row of its exact share (no longer a refusal)."""
    from textclass.data import split_dataset
    from textclass.evaluation.crossval import fold_indices

    texts, labels = label_sets(203, seed=3)
    tuples = np.empty(len(labels), dtype=object)
    tuples[:] = labels
    dataset = Dataset(texts=texts, labels=tuples, name="tags")
    names = ("food", "staff", "rare")
    counts = {name: sum(name in y for y in labels) for name in names}
    train, test = split_dataset(dataset, test_size=0.25, seed=0, stratify=True)
    assert len(test) == 51 and len(train) == 152
    for name in names:
        assert abs(sum(name in y for y in test.labels) - counts[name] * 51 / 203) <= 1, name
    folds = fold_indices(tuples, 4, seed=0)
    for _, held in folds:
        for name in names:
            expected = counts[name] * len(held) / 203
            assert abs(sum(name in labels[i] for i in held) - expected) <= 1, name
    assert sorted(np.concatenate([held for _, held in folds]).tolist()) == list(range(203))
