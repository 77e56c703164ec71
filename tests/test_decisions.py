"""Decision thresholds and class weights on tiny corpora."""

import json

import numpy as np
import pytest

from textclass import ConfigError, DataError, TextClassifier
from textclass.cli import ExitCode, main

# a skewed binary set: "okay food" is mostly negative, so only weighting flips it
NEG = ["bad food"] * 6 + ["okay food"] * 6 + ["okay staff"] * 4 + ["rude staff"] * 4
POS = ["great food"] * 3 + ["okay food"] * 3
TEXTS, LABELS = NEG + POS, ["neg"] * len(NEG) + ["pos"] * len(POS)
TEXTS3, LABELS3 = TEXTS * 3, LABELS * 3


@pytest.mark.parametrize("setting", ["precision=1.5", "max_f2", 1.0, 0, "precision=", True, [0.5]])
def test_impossible_thresholds_are_refused_before_training(setting):
    with pytest.raises(ConfigError, match="`threshold`"):
        TextClassifier(threshold=setting).fit(TEXTS, LABELS)


def test_a_threshold_needs_a_binary_or_multilabel_problem():
    with pytest.raises(ConfigError, match="3 classes"):
        TextClassifier(threshold=0.7).fit(["a b", "c d", "e f"] * 3, [1, 2, 3] * 3)


def test_fixed_threshold_decides_on_the_positive_probability(tmp_path):
    clf = TextClassifier(model="logreg", threshold=0.2).fit(TEXTS, LABELS)
    proba = clf.predict_proba(TEXTS)[:, 1]
    assert clf.thresholds_.tolist() == [0.2]
    expected = np.where(proba >= 0.2, "pos", "neg")
    assert clf.predict(TEXTS).tolist() == expected.tolist()
    default = TextClassifier(model="logreg").fit(TEXTS, LABELS)
    assert default.thresholds_ is None
    assert (clf.predict(TEXTS) == "pos").sum() > (default.predict(TEXTS) == "pos").sum()
    clf.save(tmp_path / "run")
    assert TextClassifier.load(tmp_path / "run").predict(TEXTS).tolist() == expected.tolist()


def test_tuned_threshold_reaches_its_precision_on_the_validation_data():
    val = (["great food", "okay food", "bad food", "okay staff"], ["pos", "pos", "neg", "neg"])
    clf = TextClassifier(model="logreg", threshold="precision=0.99")
    clf.fit(TEXTS, LABELS, validation_data=val)
    tuned = clf.decision_["tuned"]
    assert tuned["source"] == "validation data" and tuned["rows"] == 4
    assert tuned["per_label"][0]["precision"] >= 0.99
    predicted = clf.predict(val[0])
    assert all(t == "pos" for p, t in zip(predicted, val[1]) if p == "pos")


def test_tuned_threshold_without_validation_data_holds_out_training_texts():
    clf = TextClassifier(model="logreg", threshold="max-f1", random_state=0).fit(TEXTS, LABELS)
    assert clf.decision_["tuned"]["rows"] == 5  # 20 % of 25
    assert "held out of training" in clf.notes_["thresholds"][0]


@pytest.mark.parametrize(
    "model, settings",
    [
        ("ngram", {}),
        ("logreg", {}),
        ("dense", {"epochs": 8, "batch_size": 8, "learning_rate": 0.01}),
    ],
)
def test_balanced_class_weight_changes_the_decision(model, settings):
    """Linear families get sample weights, Keras ones class_weight: both flip "okay food".
    (``ngram`` balances its classes itself by default: unweighted here to compare.)"""
    plain = TextClassifier(model=model, random_state=0, **settings)
    if model == "ngram":
        plain.set_params(model__class_weight=None)
    plain.fit(TEXTS3, LABELS3)
    weighted = TextClassifier(model=model, random_state=0, class_weight="balanced", **settings)
    weighted.fit(TEXTS3, LABELS3)
    p_plain = plain.predict_proba(["okay food"])[0, 1]
    p_weighted = weighted.predict_proba(["okay food"])[0, 1]
    assert p_weighted > p_plain
    assert plain.predict(["okay food"]).tolist() == ["neg"]
    assert weighted.predict(["okay food"]).tolist() == ["pos"]


def test_class_weight_mapping_names_known_labels():
    clf = TextClassifier(model="logreg", class_weight={"pos": 10}).fit(TEXTS, LABELS)
    assert clf.predict(["okay food"]).tolist() == ["pos"]
    with pytest.raises(DataError, match=r"label 'poss' \(did you mean 'pos'\?\)"):
        TextClassifier(model="logreg", class_weight={"poss": 2}).fit(TEXTS, LABELS)
    with pytest.raises(ConfigError, match="`class_weight`"):
        TextClassifier(class_weight="equal").fit(TEXTS, LABELS)


def test_multilabel_class_weight_reaches_keras_and_linear_models():
    sets = [["food"] if "food" in t else [] for t in TEXTS]
    sets = [s + (["pos"] if y == "pos" else []) for s, y in zip(sets, LABELS)]
    for model, settings in (("logreg", {}), ("dense", {"epochs": 5})):
        plain = TextClassifier(model=model, random_state=0, **settings).fit(TEXTS, sets)
        weighted = TextClassifier(model=model, random_state=0, class_weight="balanced", **settings)
        weighted.fit(TEXTS, sets)
        pos = list(plain.classes_).index("pos")
        assert (
            weighted.predict_proba(["okay food"])[0, pos]
            > plain.predict_proba(["okay food"])[0, pos]
        ), model


def test_cli_threshold_and_class_weight_reach_the_run(tmp_path, capsys):
    path = tmp_path / "skewed.csv"
    path.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(TEXTS * 4, LABELS * 4)))
    run = tmp_path / "run"
    argv = ["train", str(path), "--model", "logreg", "--class-weight", "balanced"]
    assert main([*argv, "--threshold", "max-f1", "--out", str(run)]) == ExitCode.OK
    captured = capsys.readouterr()
    assert "balanced_accuracy" in captured.out and "threshold" in captured.out
    assert "tuned on" in captured.err
    metrics = json.loads((run / "metrics.json").read_text())
    decision = json.loads((run / "labels.json").read_text())["decision"]
    assert metrics["threshold"] == decision["thresholds"][0]
    assert "pr_auc" in metrics["per_class"]["pos"] and "pr_curve" in metrics
    report = (run / "report.html").read_text()
    assert "Threshold max-f1" in report and "precision-recall curve" in report
    assert (run / "pr.png").exists()
    # the confident mistakes are the run's own decisions (its threshold, not argmax)
    cut = decision["thresholds"][0]
    mistakes = json.loads((run / "mistakes.json").read_text())
    assert mistakes  # "okay food" carries both labels: some test rows must be wrong
    for mistake in mistakes:
        p_pos = (
            mistake["probability"] if mistake["predicted"] == "pos" else 1 - mistake["probability"]
        )
        assert (p_pos >= cut) == (mistake["predicted"] == "pos") and mistake["true"] != mistake[
            "predicted"
        ]


def test_a_tuned_threshold_shares_its_held_out_texts_with_early_stopping(tmp_path):
    from textclass.jobs import ClassifierSettings, TrainRequest
    from textclass.jobs.train import train

    path = tmp_path / "skewed.csv"
    path.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(TEXTS3, LABELS3)))
    settings = ClassifierSettings(model="dense", threshold="max-f1", batch_size=8)
    result = train(TrainRequest(str(path), classifier=settings))
    assert not any("10 % of the training texts held out" in n for n in result.notes), result.notes
    assert any("held out of training (20 %)" in n for n in result.notes), result.notes
    assert "val_loss" in result.classifier.history_  # early stopping watched the held-out part


def test_one_decision_gives_labels_indices_and_confidence_for_each_kind():
    from textclass.decisions import Decision

    proba = np.asarray([[0.7, 0.3], [0.45, 0.55], [0.1, 0.9]])
    classes = ["neg", "pos"]
    argmax = Decision.from_dict({}, classes)
    assert argmax.indices(proba).tolist() == [0, 1, 1] and argmax.cuts is None
    assert argmax.labels(proba).tolist() == ["neg", "pos", "pos"]
    assert argmax.confidence(proba).tolist() == [0.7, 0.55, 0.9]
    binary = Decision.from_dict({"thresholds": [0.6]}, classes)  # on P(second class)
    assert binary.labels(proba).tolist() == ["neg", "neg", "pos"]
    assert binary.confidence(proba).tolist() == [0.7, 0.45, 0.9]
    sets = {"multilabel": True, "thresholds": [0.5, 0.6]}
    label_sets = Decision.from_dict(sets, classes)
    assert label_sets.indices(proba).tolist() == [[True, False], [False, False], [False, True]]
    assert label_sets.labels(proba) == [["neg"], [], ["pos"]]
    assert label_sets.predict(proba) == [["neg"], [], ["pos"]]
    assert label_sets.confidence(proba).tolist() == [0.7, 0.0, 0.9]  # 0 for an empty set
    matrix = Decision.from_dict({**sets, "indicator": True}, [0, 1]).predict(proba)
    assert matrix.dtype == np.uint8 and matrix.tolist() == [[1, 0], [0, 0], [0, 1]]


def _every_cut(truth, scores):
    """(threshold, precision, recall, f1) at each distinct score, lowest first: the
    brute-force reference for tune."""
    rows = []
    for cut in np.unique(scores):
        predicted = scores >= cut
        tp = np.sum(predicted & truth)
        precision, recall = tp / predicted.sum(), tp / truth.sum()
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        rows.append((float(cut), precision, recall, f1))
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_tune_picks_the_cut_each_rule_asks_for(seed):
    from textclass.decisions.thresholds import ThresholdRule, tune

    rng = np.random.default_rng(seed)
    truth = rng.random(40) < 0.4
    scores = np.clip(truth * 0.25 + rng.random(40) * 0.75, 0, 1)  # overlapping classes
    cuts = _every_cut(truth, scores)

    def check(found, row, reached=True):
        assert found["threshold"] == row[0] and found["reached"] is reached
        assert (found["precision"], found["recall"], found["f1"]) == pytest.approx(row[1:])

    best_f1 = max(cuts, key=lambda r: r[3])  # the first (lowest) of equal F1s
    check(tune(truth, scores, ThresholdRule("max-f1")), best_f1)
    for level in (0.6, 0.8, 0.95):
        ok = [r for r in cuts if r[1] >= level]  # the lowest cut reaching it: most recall
        if ok:
            check(tune(truth, scores, ThresholdRule("precision", level)), ok[0])
        else:  # out of reach: the most precise cut, reported as not reached
            check(
                tune(truth, scores, ThresholdRule("precision", level)),
                max(cuts, key=lambda r: r[1]),
                False,
            )
        kept = [r for r in cuts if r[2] >= level]  # the highest cut keeping the recall
        check(tune(truth, scores, ThresholdRule("recall", level)), kept[-1])
    # a negative scores highest: no cut is 99 % precise; the most precise (and lowest) is 0.2
    top_wrong, top_scores = np.array([0, 1, 0, 1], bool), np.array([0.9, 0.8, 0.3, 0.2])
    unreachable = tune(top_wrong, top_scores, ThresholdRule("precision", 0.99))
    check(unreachable, (0.2, 0.5, 1.0, 2 / 3), reached=False)
    check(
        tune(truth, scores, ThresholdRule("fixed", 0.5)), (0.5, *_at_reference(truth, scores, 0.5))
    )
    for one_class in (np.ones(40, bool), np.zeros(40, bool)):  # nothing to tune on
        found = tune(one_class, scores, ThresholdRule("max-f1"))
        assert found["threshold"] == 0.5 and found["reached"] is False


def _at_reference(truth, scores, cut):
    predicted = scores >= cut
    tp = np.sum(predicted & truth)
    precision, recall = tp / max(predicted.sum(), 1), tp / max(truth.sum(), 1)
    return (precision, recall, 2 * precision * recall / (precision + recall) if tp else 0.0)


@pytest.mark.parametrize(
    ("setting", "hint"),
    [("max-f2", "(did you mean 'max-f1'?)"), ("precision=x", "(did you mean 'precision=0.99'?)")],
)
def test_a_mistyped_threshold_names_the_value_and_the_nearest_form(setting, hint):
    from textclass.decisions.thresholds import EXPECTED, parse

    with pytest.raises(ConfigError) as caught:
        parse(setting)
    assert str(caught.value) == (
        f"Received an invalid value for `threshold`, expected {EXPECTED}. "
        f"Received: threshold={setting!r} {hint}"
    )


def test_class_weight_labels_match_as_given_or_as_their_text():
    from textclass import DataError
    from textclass.decisions import weights

    classes = np.array([0, 1, 2])
    codes = np.array([0, 1, 2, 2])
    assert weights.resolve({"1": 3.0, np.int64(2): 0.5}, classes, codes) == {0: 1.0, 1: 3.0, 2: 0.5}
    many = np.array([f"label{i:02d}" for i in range(21)])
    with pytest.raises(DataError) as caught:
        weights.resolve({"nope": 2.0}, many, np.arange(21))
    listed = ", ".join(f"label{i:02d}" for i in range(20))  # the first 20, comma-separated
    assert str(caught.value).endswith(f"training data lacks; labels: {listed}")
    # multi-label: a label's positive texts get its weight, the others their side's weight
    table = weights.resolve("balanced", np.array(["a", "b"]), np.array([[1, 0], [0, 0], [0, 1]]))
    assert table.tolist() == [[0.75, 1.5], [0.75, 1.5]]  # 3 / (2 * 2) and 3 / (2 * 1)
    per_row = weights.sample_weights(np.array([[0.5, 2.0]]), np.array([[1], [0], [1]]), column=0)
    assert per_row.tolist() == [2.0, 0.5, 2.0]
    assert weights.sample_weights({0: 1.0, 1: 3.0}, np.array([1, 0, 1])).tolist() == [3.0, 1.0, 3.0]


def test_the_tuning_holdout_is_a_seeded_fifth():
    from textclass import DataError
    from textclass.decisions.decide import holdout

    with pytest.raises(DataError, match="4 training texts are too few"):
        holdout(4, seed=0)  # a fifth of 4 is no text
    fit, tune_on = holdout(5, seed=0)  # the smallest that works: 4 and 1
    assert len(fit) == 4 and len(tune_on) == 1 and sorted([*fit, *tune_on]) == list(range(5))
    fit, tune_on = holdout(50, seed=3)
    assert len(tune_on) == 10 and not set(fit) & set(tune_on)
    again = holdout(50, seed=3)
    assert fit.tolist() == again[0].tolist() and tune_on.tolist() == again[1].tolist()
    others = {tuple(holdout(50, seed=s)[1].tolist()) for s in range(5)}
    assert len(others) == 5  # the seed decides which texts


def test_choose_and_its_notes_for_each_kind_of_rule():
    from textclass.decisions import Decision
    from textclass.decisions import thresholds as th
    from textclass.decisions.decide import choose, notes, validation_split

    classes = np.array(["neg", "pos"])
    assert choose(None, 2, multilabel=False) == {
        "multilabel": False,
        "threshold": None,
        "thresholds": None,
    }
    assert choose(None, 3, multilabel=True)["thresholds"] == [0.5, 0.5, 0.5]
    fixed = choose(th.parse(0.7), 2, multilabel=False)
    assert fixed["threshold"] == "0.7" and fixed["thresholds"] == [0.7]
    assert notes(fixed, classes) == []  # nothing was tuned
    proba = np.array([[0.1, 0.9], [0.2, 0.8], [0.7, 0.3], [0.8, 0.2]])
    targets = np.array([0, 1, 0, 1])  # a negative scores highest: 100 % is out of reach
    missed = choose(
        th.parse("precision=1"), 2, multilabel=False, targets=targets, proba=proba, source="S"
    )
    assert missed["thresholds"] == [0.2] and missed["tuned"]["rows"] == 4
    assert notes(missed, classes) == [
        "threshold precision=1 tuned on S",
        "threshold precision=1 not reached for 'pos' on the 4 tuning texts; using 0.2",
    ]
    # without validation data, a fifth of the training texts tune, named so in the notes
    texts, codes = [f"t{i}" for i in range(10)], np.array([0, 1] * 5)
    kept, kept_codes, (held, _), source = validation_split(
        th.parse("max-f1"), texts, codes, None, None, seed=0
    )
    assert len(kept) == 8 and len(held) == 2 and len(kept_codes) == 8
    assert source == "2 training texts held out of training (20 %)"
    assert validation_split(None, texts, codes, None, None, seed=0)[2:] == (None, "")
    # a multi-label label is chosen at exactly its threshold
    at_cut = Decision(np.array(["a", "b"]), multilabel=True, thresholds=(0.5, 0.25))
    assert at_cut.indices(np.array([[0.5, 0.25]])).tolist() == [[True, True]]


def test_bad_validation_texts_are_named_as_such():
    from textclass import DataError

    clf = TextClassifier(model="logreg", threshold="max-f1")
    with pytest.raises(DataError, match="^`validation texts` must hold strings; row 1 is int"):
        clf.fit(TEXTS, LABELS, validation_data=(["great", 3], ["pos", "neg"]))
