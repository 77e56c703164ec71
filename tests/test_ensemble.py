"""The ``ensemble`` family and auto's greedy ensemble selection (issue 33)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from textclass import ConfigError, TextClassifier
from textclass.experiments import auto, auto_trial
from textclass.experiments.ensemble_selection import proba_scorer, select
from textclass.inference import Predictor

POS = ["great food", "lovely staff", "great value", "really lovely", "good and great",
       "good food", "lovely place", "great staff"]  # fmt: skip
NEG = ["awful food", "rude staff", "awful value", "really bad", "bad and awful", "bad food",
       "rude place", "awful staff"]  # fmt: skip
TEXTS, LABELS = POS + NEG, ["pos"] * 8 + ["neg"] * 8
MEMBERS = [{"model": "ngram"}, {"model": "cnn", "settings": {"epochs": 2, "maxlen": 6}}]


def test_probabilities_are_the_weighted_members_and_survive_a_reload(tmp_path):
    clf = TextClassifier(model="ensemble", random_state=0)
    clf.set_params(model__members=MEMBERS, model__weights=[3, 1]).fit(TEXTS, LABELS)
    ngram = TextClassifier(model="ngram", random_state=0).fit(TEXTS, LABELS)
    cnn = TextClassifier(model="cnn", epochs=2, maxlen=6, random_state=0).fit(TEXTS, LABELS)
    expected = 0.75 * ngram.predict_proba(TEXTS) + 0.25 * cnn.predict_proba(TEXTS)
    assert np.allclose(clf.predict_proba(TEXTS), expected, atol=1e-12)
    clf.save(tmp_path / "run")
    assert sorted(p.name for p in (tmp_path / "run" / "members").iterdir()) == ["0", "1"]
    for loaded in (TextClassifier.load(tmp_path / "run"), Predictor.load(tmp_path / "run")):
        assert np.array_equal(loaded.predict_proba(TEXTS), clf.predict_proba(TEXTS))
    (why,) = clf.explain(["great food but rude staff"], top=2)
    assert why["method"] == "leave-one-word-out" and len(why["features"]) == 2


def test_label_sets_average_each_label():
    sets = [["food", "pos"] if "food" in t else ["pos"] for t in POS]
    sets += [["food", "neg"] if "food" in t else ["neg"] for t in NEG]
    clf = TextClassifier(model="ensemble", random_state=0, threshold=0.5).fit(TEXTS, sets)
    members = [TextClassifier(model=m, random_state=0, threshold=0.5).fit(TEXTS, sets)
               for m in ("ngram", "logreg")]  # fmt: skip
    expected = np.mean([m.predict_proba(TEXTS) for m in members], axis=0)
    assert np.allclose(clf.predict_proba(TEXTS), expected, atol=1e-12)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"members": [{"model": "ensemble"}]}, "other than ensemble"),
        ({"members": [{"model": "ngram", "prams": {}}]}, "member 1"),
        ({"members": [{"model": "ngram", "params": {"C": -1}}]}, "`C`"),
        ({"members": [{"model": "nope"}]}, "nope"),
        ({"weights": [1, 2, 3]}, "3 weights for 2 members"),
        ({"weights": [0, 0]}, "not all 0"),
        ({"members": [{"model": "cnn", "settings": {"epoch": 2}}]}, "unknown setting epoch"),
    ],
)
def test_bad_members_and_weights_are_refused_before_training(params, message):
    clf = TextClassifier(model="ensemble").set_params(
        **{f"model__{k}": v for k, v in params.items()}
    )
    with pytest.raises(ConfigError, match=message):
        clf.fit(TEXTS, LABELS)


def complementary(n: int = 16):
    """Two candidates each right on half the rows (confidently) and wrong on the other
    half (barely), and a third no better than chance: only their mean is right everywhere."""
    labels = np.array([0, 1] * (n // 2))
    first = np.arange(n) < n // 2

    def proba(right_on):
        p = np.where(right_on, 0.9, 0.45)  # probability of the true class
        out = np.empty((n, 2))
        out[np.arange(n), labels] = p
        out[np.arange(n), 1 - labels] = 1 - p
        return out

    return labels, {"a": proba(first), "b": proba(~first), "c": np.full((n, 2), 0.5)}


def test_greedy_selection_finds_the_complementary_pair():
    from sklearn.metrics import get_scorer

    labels, oof = complementary()
    score = proba_scorer(get_scorer("accuracy"), np.array([0, 1]), labels)
    assert score(oof["a"]) == score(oof["b"]) == 0.5
    shares, value = select(oof, score)
    assert value == 1.0 and shares == {"a": 0.5, "b": 0.5}


def fake_cross_validation(oof_by_name: dict, scores: dict, std: float = 0.01):
    def cross_validate(self, candidate):
        return {"score": scores[candidate.name], "std": std, "fit_seconds": 0.1,
                "fit_all_seconds": 0.2, "cv_seconds": 0.1, "oof": oof_by_name[candidate.name]}  # fmt: skip

    return cross_validate


def test_auto_keeps_an_ensemble_only_when_it_beats_the_best_single(monkeypatch, tmp_path):
    labels, oof = complementary()
    texts = [f"{'great' if y else 'awful'} thing {i}" for i, y in enumerate(labels)]
    candidates = (auto.Candidate("a", "ngram"), auto.Candidate("b", "logreg"),
                  auto.Candidate("c", "ngram", {"weighting": "tfidf"}))  # fmt: skip
    monkeypatch.setattr(auto_trial.Trial, "_estimate", lambda self, c, deadline: (0.0, 0.0))
    monkeypatch.setattr(auto_trial.Trial, "_cross_validate",
                        fake_cross_validation(oof, {"a": 0.5, "b": 0.5, "c": 0.5}))  # fmt: skip
    chosen = auto.choose(texts, labels, candidates=candidates, cv=2, time_limit_s=60)
    assert chosen.best.model == "ensemble"
    members = chosen.best.params["members"]
    assert [m["model"] for m in members] == ["ngram", "logreg"]
    assert chosen.best.params["weights"] == [0.5, 0.5]
    top = chosen.leaderboard[0]
    assert top["model"] == "ensemble" and top["score"] == 1.0 and "oof" not in top
    json.dumps(chosen.leaderboard)  # leaderboard.json takes it
    # the chosen ensemble trains, saves and loads as any run
    clf = TextClassifier(model="ensemble", random_state=0).set_params(
        **{f"model__{k}": v for k, v in chosen.best.params.items()}
    )
    clf.fit(texts, labels).save(tmp_path / "run")
    assert Predictor.load(tmp_path / "run").predict(["great thing"]).tolist() == [1]
    # folds so noisy that 1.0 against 0.5 is within one standard error: the single one
    monkeypatch.setattr(auto_trial.Trial, "_cross_validate",
                        fake_cross_validation(oof, {"a": 0.5, "b": 0.5, "c": 0.5}, std=0.8))  # fmt: skip
    assert auto.choose(texts, labels, candidates=candidates, cv=2, time_limit_s=60).best.name == "a"
    # refitting the members would not fit in the time left: the single one
    slow = fake_cross_validation(oof, {"a": 0.5, "b": 0.5, "c": 0.5})
    monkeypatch.setattr(auto_trial.Trial, "_cross_validate",
                        lambda self, c: {**slow(self, c), "fit_all_seconds": 100.0})  # fmt: skip
    assert auto.choose(texts, labels, candidates=candidates, cv=2, time_limit_s=60).best.name == "a"
    # the same candidates, one already right everywhere: the single one wins
    oof["a"] = np.eye(2)[labels] * 0.8 + 0.1
    monkeypatch.setattr(auto_trial.Trial, "_cross_validate",
                        fake_cross_validation(oof, {"a": 1.0, "b": 0.5, "c": 0.5}))  # fmt: skip
    assert auto.choose(texts, labels, candidates=candidates, cv=2, time_limit_s=60).best.name == "a"
