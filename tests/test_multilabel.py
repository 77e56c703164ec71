"""Multi-label data: the three input forms, label sets through fit / save / load / CLI."""

import json

import numpy as np
import pytest

from textclass import DataError, TextClassifier
from textclass.cli import ExitCode, main
from textclass.data import read_dataset

ROWS = [
    ("great food here", ["pos", "food"]),
    ("rude staff", ["neg", "staff"]),
    ("great staff", ["pos", "staff"]),
    ("awful food", ["neg", "food"]),
    ("lovely place and food", ["pos", "food", "place"]),
    ("bad place", ["neg", "place"]),
    ("great value food", ["pos", "food"]),
    ("rude value", ["neg"]),
] * 3
TEXTS = [t for t, _ in ROWS]
SETS = [s for _, s in ROWS]
NAMES = ["food", "neg", "place", "pos", "staff"]


def write_forms(folder):
    jsonl = folder / "ml.jsonl"
    jsonl.write_text("".join(json.dumps({"text": t, "labels": s}) + "\n" for t, s in ROWS))
    csv = folder / "ml.csv"
    csv.write_text("text,labels\n" + "".join(f'"{t}","{",".join(s)}"\n' for t, s in ROWS))
    cols = folder / "cols.tsv"
    cols.write_text(
        "text\tfood\tneg\tplace\tpos\tstaff\n"
        + "".join(t + "\t" + "\t".join(str(int(n in s)) for n in NAMES) + "\n" for t, s in ROWS)
    )
    return jsonl, csv, cols


def test_three_input_forms_read_the_same_label_sets(tmp_path):
    jsonl, csv, cols = write_forms(tmp_path)
    expected = [tuple(s) for s in SETS]
    by_array = read_dataset(jsonl)
    by_sep = read_dataset(csv, label_sep=",")
    by_cols = read_dataset(cols, label_cols="food,neg,place,pos,staff")
    assert by_array.labels.tolist() == expected and by_sep.labels.tolist() == expected
    assert [tuple(sorted(s)) for s in by_cols.labels.tolist()] == [
        tuple(sorted(s)) for s in expected
    ]
    assert by_array.multilabel and by_array.label_counts()["food"] == 12
    assert by_array.summary()["labels_per_row"] == {"1": 3, "2": 18, "3": 3}


def test_integer_label_sets_come_back_as_integers(tmp_path):
    path = tmp_path / "ids.tsv"
    path.write_text("".join(f"{t}\t{i % 3},{3 + i % 2}\n" for i, t in enumerate(TEXTS)))
    ds = read_dataset(path, header=False, text_col=0, label_col=1, label_sep=",")
    assert ds.labels[0] == (0, 3)
    clf = TextClassifier(random_state=0).fit(ds.texts, ds.labels)
    assert clf.classes_.tolist() == [0, 1, 2, 3, 4]
    assert all(type(v) is int for labels in clf.predict(ds.texts[:4]) for v in labels)


@pytest.mark.parametrize(
    "content, options, message",
    [
        ("text\ta\tb\nhi\t1\t0\nho\t2\t1\n", {"label_cols": "a,b"}, r"column 'a', data row 2: '2'"),
        ("text\ta\tb\nhi\t1\t0\n", {"label_cols": "a,c"}, r"no label column 'c'"),
        ('text,labels\nhi,"x,,y"\n', {"label_sep": ","}, r"data row 1: 'x,,y' has an empty"),
    ],
)
def test_bad_label_sets_name_file_row_and_value(tmp_path, content, options, message):
    path = tmp_path / ("f.tsv" if "\t" in content else "f.csv")
    path.write_text(content)
    with pytest.raises(DataError, match=message):
        read_dataset(path, **options)


def test_scalar_among_jsonl_arrays_is_refused(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"text": "a", "labels": ["x"]}\n{"text": "b", "labels": "y"}\n')
    with pytest.raises(DataError, match=r"data row 2: 'y' is not a list"):
        read_dataset(path)


@pytest.mark.parametrize("model", ["logreg", "dense"])  # one linear, one Keras runtime
def test_label_sets_round_trip_through_save_and_load(tmp_path, model):
    settings = {} if model == "logreg" else {"epochs": 60, "batch_size": 8}
    clf = TextClassifier(model=model, random_state=0, **settings).fit(TEXTS, SETS)
    assert clf.classes_.tolist() == NAMES and clf.multilabel_
    proba = clf.predict_proba(TEXTS)
    assert proba.shape == (len(TEXTS), 5) and not np.allclose(proba.sum(axis=1), 1)
    predicted = clf.predict(["great food here", "rude staff"])
    assert predicted[0] == ["food", "pos"]
    assert clf.thresholds_.tolist() == [0.5] * 5
    # score is subset accuracy: the share of texts whose whole predicted set is right
    predicted_sets = clf.predict(TEXTS)
    exact = np.mean([set(p) == set(t) for p, t in zip(predicted_sets, SETS)])
    assert clf.score(TEXTS, SETS) == pytest.approx(exact) and exact > 0
    if model == "logreg":  # 8 distinct texts, each seen 3 times: a linear model fits them all
        assert exact == 1.0
    clf.save(tmp_path / "run")
    loaded = TextClassifier.load(tmp_path / "run")
    assert loaded.predict(TEXTS) == clf.predict(TEXTS)
    assert np.array_equal(loaded.predict_proba(TEXTS), proba)


def test_multilabel_metric_values_match_hand_counts():
    """Every headline value of a label-set evaluation, counted by hand from the decisions."""
    from textclass.evaluation import evaluate

    clf = TextClassifier(random_state=0, threshold=0.7).fit(TEXTS, SETS)
    texts = [*TEXTS[:8], "great rude food", "lovely awful staff", "value"]
    truth = [*SETS[:8], ["pos", "food"], ["neg", "staff"], ["neg"]]
    got = evaluate(clf, texts, truth)
    picked = clf.predict(texts)
    t = np.array([[n in s for n in NAMES] for s in truth])
    p = np.array([[n in s for n in NAMES] for s in picked])
    assert 0 < (p != t).sum() < t.size  # some decisions wrong, some right: values mean something
    tp, fp, fn = (p & t).sum(), (p & ~t).sum(), (~p & t).sum()
    assert got["n"] == len(texts)
    assert got["subset_accuracy"] == got["accuracy"] == pytest.approx((p == t).all(axis=1).mean())
    assert got["hamming_loss"] == pytest.approx((p != t).mean())
    assert got["precision_micro"] == pytest.approx(tp / (tp + fp))
    assert got["recall_micro"] == pytest.approx(tp / (tp + fn))
    assert got["f1_micro"] == pytest.approx(2 * tp / (2 * tp + fp + fn))
    assert got["labels_per_text"] == pytest.approx(t.sum(axis=1).mean())
    assert got["predicted_labels_per_text"] == pytest.approx(p.sum(axis=1).mean())
    per_label_f1 = []
    for j, name in enumerate(NAMES):
        row = got["per_class"][name]
        tp_j, fp_j, fn_j = (
            (p[:, j] & t[:, j]).sum(),
            (p[:, j] & ~t[:, j]).sum(),
            (~p[:, j] & t[:, j]).sum(),
        )
        f1 = 2 * tp_j / (2 * tp_j + fp_j + fn_j) if tp_j + fp_j + fn_j else 0.0
        per_label_f1.append(f1)
        assert row["f1"] == pytest.approx(f1), name
        assert row["support"] == t[:, j].sum() and row["predicted"] == p[:, j].sum(), name
    assert got["f1_macro"] == pytest.approx(np.mean(per_label_f1))
    samples = [
        2 * (pi & ti).sum() / (pi.sum() + ti.sum()) if pi.sum() + ti.sum() else 0.0
        for pi, ti in zip(p, t)
    ]
    assert got["f1_samples"] == pytest.approx(np.mean(samples))
    # evaluate passes the probabilities (ranking metrics) and the run's thresholds on
    assert [row["threshold"] for row in got["per_class"].values()] == clf.thresholds_.tolist()
    assert "roc_auc" in got and "pr_auc_macro" in got


def test_indicator_matrix_in_indicator_matrix_out():
    y = np.array([[int(n in s) for n in NAMES] for s in SETS])
    clf = TextClassifier(random_state=0).fit(TEXTS, y)
    assert clf.classes_.tolist() == [0, 1, 2, 3, 4]
    out = clf.predict(TEXTS)
    assert isinstance(out, np.ndarray) and out.shape == y.shape
    assert clf.score(TEXTS, y) == pytest.approx(np.mean((out == y).all(axis=1)))


def test_tuned_thresholds_are_per_label_and_saved(tmp_path):
    clf = TextClassifier(random_state=0, threshold="max-f1").fit(TEXTS, SETS)
    cuts = clf.thresholds_
    assert cuts.shape == (5,) and len(set(cuts.tolist())) > 1
    assert "20 %" in clf.notes_["thresholds"][0]
    clf.save(tmp_path / "run")
    saved = json.loads((tmp_path / "run" / "labels.json").read_text())["decision"]
    assert saved["thresholds"] == cuts.tolist() and saved["threshold"] == "max-f1"
    # a higher fixed threshold predicts fewer labels
    low = TextClassifier(random_state=0, threshold=0.2).fit(TEXTS, SETS).predict(TEXTS)
    high = TextClassifier(random_state=0, threshold=0.8).fit(TEXTS, SETS).predict(TEXTS)
    assert sum(map(len, high)) < sum(map(len, low))


def test_cli_trains_and_predicts_label_sets(tmp_path, capsys):
    _, csv, _ = write_forms(tmp_path)
    run = tmp_path / "run"
    assert main(["train", str(csv), "--label-sep", ",", "--out", str(run)]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "f1_micro" in out and "hamming_loss" in out and "subset_accuracy" in out
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["task"] == "multilabel" and set(metrics["per_class"]) == set(NAMES)
    # the pooled values agree with the per-label counts they come from
    rows = metrics["per_class"].values()
    tp = sum(round(r["recall"] * r["support"]) for r in rows)
    fp = sum(r["predicted"] for r in rows) - tp
    fn = sum(r["support"] for r in rows) - tp
    assert metrics["f1_micro"] == pytest.approx(2 * tp / (2 * tp + fp + fn))
    assert metrics["hamming_loss"] == pytest.approx((fp + fn) / (metrics["n"] * len(NAMES)))
    assert "Per label" in (run / "report.html").read_text()
    assert main(["predict", str(run), "great food here"]) == ExitCode.OK
    first = capsys.readouterr().out.splitlines()[0].split("\t")
    assert first[0] == "food,pos" and first[2] == "great food here"
    assert main(["predict", str(run), "great food here", "--format", "jsonl"]) == ExitCode.OK
    row = json.loads(capsys.readouterr().out.splitlines()[0])
    assert row["predicted"] == ["food", "pos"] and set(row["probabilities"]) == set(NAMES)
    assert main(["evaluate", str(run), str(csv), "--label-sep", ","]) == ExitCode.OK
    assert "hamming_loss" in capsys.readouterr().out
    argv = ["evaluate", str(run), str(csv), "--label-sep", ",", "--cv", "2"]
    assert main(argv) == ExitCode.OK
    assert "f1_micro" in capsys.readouterr().out  # k-fold summary of label-set metrics


def test_search_and_compare_score_label_sets(tmp_path, capsys):
    _, csv, _ = write_forms(tmp_path)
    common = ["--label-sep", ","]
    argv = ["search", str(csv), *common, "--model", "ngram", "--param", "C=0.1,1", "--cv", "2"]
    assert main([*argv, "--scoring", "f1_micro", "--out", str(tmp_path / "s")]) == ExitCode.OK
    results = json.loads((tmp_path / "s" / "results.json").read_text())["groups"]["all"]
    assert 0 < results["best_cv_score"] <= 1 and results["test_score"] > 0
    argv = ["compare", str(csv), *common, "--models", "ngram,logreg"]
    assert main([*argv, "--out", str(tmp_path / "c")]) == ExitCode.OK
    assert "f1_micro" in (tmp_path / "c" / "leaderboard.md").read_text()


def test_goemotions_loads_as_published(shared_data):
    from textclass.data import load_dataset

    ds = load_dataset("goemotions")
    assert len(ds) == 54263 and ds.multilabel
    assert {p: int((ds.split == p).sum()) for p in ("train", "dev", "test")} == {
        "train": 43410,
        "dev": 5426,
        "test": 5427,
    }
    train = ds.subset(ds.split == "train")
    counts = train.label_counts()
    assert len(counts) == 28 and counts["neutral"] == 14219 and counts["grief"] == 77
    # default quoting: a quoted text loses its wrapping quotes and doubled inner quotes
    assert 'Three words, no subtlety. "Dude. Stop. Seriously." ' in train.texts


def test_multilabel_metrics_without_names_with_thresholds_and_lopsided_labels():
    """What the hand-count test does not reach: default label names, per-label
    thresholds, labels never predicted nor true, and which labels get ranking metrics."""
    from textclass.evaluation.multilabel import multilabel_metrics

    truth = np.array([[1, 0, 1, 0], [1, 0, 0, 1], [1, 0, 0, 0], [1, 0, 0, 0]])
    predicted = np.array([[1, 0, 1, 0], [1, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]])
    proba = np.array([[0.9, 0.1, 0.8, 0.2], [0.7, 0.2, 0.1, 0.4], [0.6, 0.1, 0.6, 0.1]])
    proba = np.vstack([proba, [0.4, 0.3, 0.2, 0.3]])
    got = multilabel_metrics(truth, predicted, proba, thresholds=[0.5, 0.5, 0.55, 0.45])
    assert got["labels"] == [0, 1, 2, 3] and list(got["per_class"]) == ["0", "1", "2", "3"]
    assert [row["threshold"] for row in got["per_class"].values()] == [0.5, 0.5, 0.55, 0.45]
    never = got["per_class"]["1"]  # never true, never predicted: 0, not 1 (zero_division=0)
    assert never["precision"] == never["recall"] == never["f1"] == 0.0
    assert got["f1_macro"] == pytest.approx(np.mean([r["f1"] for r in got["per_class"].values()]))
    # ranking metrics only where a label has positives and negatives: not label 0 (all
    # true) nor 1 (none); label 3 (a single positive) and 2 have them
    ranked = [name for name, row in got["per_class"].items() if "roc_auc" in row]
    assert ranked == ["2", "3"]
    assert got["per_class"]["3"]["roc_auc"] == pytest.approx(1.0)  # its positive ranks first
    assert got["roc_auc"] == pytest.approx(
        np.mean([got["per_class"][n]["roc_auc"] for n in ranked])
    )
    plain = multilabel_metrics(truth, predicted)  # without probabilities: no ranking at all
    assert not any("roc_auc" in row or "threshold" in row for row in plain["per_class"].values())
    assert "roc_auc" not in plain


def test_multilabel_mistakes_are_wrong_sets_by_their_most_confident_wrong_label():
    from textclass.decisions import Decision
    from textclass.evaluation.multilabel import multilabel_mistakes

    names = ["food", "neg", "pos"]
    decision = Decision(np.array(names), multilabel=True, thresholds=(0.5, 0.5, 0.4))
    texts = ["a", "b", "c", "d"]
    truth = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1]])
    proba = np.array(
        [
            [0.9, 0.1, 0.8],  # right: {food, pos}
            [0.2, 0.45, 0.3],  # neg missed by 0.05
            [0.95, 0.6, 0.05],  # right: {food, neg}
            [0.0, 0.9, 0.1],  # neg given by 0.4, pos missed by 0.3: worst is neg
        ]
    )
    found = multilabel_mistakes(texts, truth, proba, decision)
    assert [m["text"] for m in found] == ["d", "b"]  # the most confident mistake first
    assert found[0] == {
        "text": "d",
        "true": ["pos"],
        "predicted": ["neg"],
        "label": "neg",
        "probability": 0.9,
    }
    assert (
        found[1]["true"] == ["neg"] and found[1]["predicted"] == [] and found[1]["label"] == "neg"
    )
    assert multilabel_mistakes(texts, truth, proba, decision, k=1) == found[:1]


def test_multilabel_mistakes_rank_by_distance_from_the_cut_keep_ties_and_default_to_twenty():
    """A missed label far below its cut is worse than a wrong one just above it; equal
    margins keep row order (a stable sort); twenty by default."""
    from textclass.decisions import Decision
    from textclass.evaluation.multilabel import multilabel_mistakes

    decision = Decision(np.array(["a", "b"]), multilabel=True, thresholds=(0.5, 0.5))
    # a is true but at 0.05 (0.45 below its cut); b is false but given at 0.6 (0.1 above)
    proba = np.array([[0.0512345678, 0.6]])
    (found,) = multilabel_mistakes(["x"], np.array([[1, 0]]), proba, decision)
    assert (found["label"], found["probability"], found["predicted"]) == ("a", 0.051235, ["b"])
    n = 40  # every row wrong, margins 0.4 and 0.1 in turn
    proba = np.tile([[0.9, 0.0], [0.6, 0.0]], (n // 2, 1))
    found = multilabel_mistakes(list(range(n)), np.zeros((n, 2)), proba, decision)
    assert [m["text"] for m in found] == list(range(0, n, 2))


def test_mistakes_for_a_label_set_model_are_its_wrong_sets():
    from textclass.decisions import Decision
    from textclass.evaluation.metrics import mistakes_for
    from textclass.evaluation.multilabel import multilabel_mistakes

    clf = TextClassifier(random_state=0, threshold=0.7).fit(TEXTS, SETS)
    texts = ["great rude food", "lovely awful staff", "value", *TEXTS[:3]]
    truth = [["pos", "food"], ["neg", "staff"], ["neg"], *SETS[:3]]
    proba = clf.predict_proba(texts)
    every = multilabel_mistakes(
        texts, clf._encoder().transform(truth), proba, Decision.of(clf), k=len(texts)
    )
    assert len(every) >= 2 and all(set(m["true"]) != set(m["predicted"]) for m in every)
    assert mistakes_for(clf, texts, truth, proba) == every
    assert mistakes_for(clf, texts, truth, proba, k=1) == every[:1]


def picked_and_true(clf, texts, truth):
    """The (n, labels) boolean matrices of a label-set model's choices and of the truth."""
    p = np.array([[n in s for n in NAMES] for s in clf.predict(texts)])
    return p, np.array([[n in s for n in NAMES] for s in truth])


def test_label_set_metrics_per_group():
    from textclass.evaluation import evaluate

    clf = TextClassifier(random_state=0, threshold=0.7).fit(TEXTS, SETS)
    texts = ["great rude food", "lovely awful staff", "value", *TEXTS[:5]]
    truth = [["pos", "food"], ["neg", "staff"], ["neg"], *SETS[:5]]
    groups = np.array(["a", "b"] * 4)
    got = evaluate(clf, texts, truth, groups)["per_group"]
    p, t = picked_and_true(clf, texts, truth)
    assert list(got) == ["a", "b"]
    for g in ("a", "b"):
        m = groups == g
        assert got[g]["n"] == 4 and got[g]["hamming_loss"] == pytest.approx((p[m] != t[m]).mean())


def test_scorers_for_label_sets_and_for_any_classifier():
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.pipeline import make_pipeline

    from textclass.evaluation.scoring import get_scorer

    clf = TextClassifier(random_state=0, threshold=0.7).fit(TEXTS, SETS)
    texts = ["great rude food", "lovely awful staff", "value", *TEXTS[:5]]
    truth = [["pos", "food"], ["neg", "staff"], ["neg"], *SETS[:5]]
    p, t = picked_and_true(clf, texts, truth)
    hamming = get_scorer("neg_hamming_loss")  # textclass' own name: label sets only
    assert hamming.name == "neg_hamming_loss" and (p != t).mean() > 0
    assert hamming(clf, texts, truth) == pytest.approx(-(p != t).mean())  # larger is better
    assert get_scorer("f1_micro")(clf, texts, truth) == pytest.approx(
        f1_score(t, p, average="micro")
    )
    # no label both present and absent in these rows: no ROC-AUC to score, so nan
    assert np.isnan(get_scorer("roc_auc")(clf, TEXTS[:1] * 3, SETS[:1] * 3))
    # any scikit-learn classifier: scikit-learn's scorer
    labels = [s[0] for s in SETS]
    plain = make_pipeline(CountVectorizer(), LogisticRegression()).fit(TEXTS, labels)
    assert get_scorer("accuracy")(plain, TEXTS, labels) == plain.score(TEXTS, labels)
    with pytest.raises(ValueError, match="neg_hamming_loss scores multi-label models only"):
        hamming(plain, TEXTS, labels)


def test_folds_of_label_sets_are_k_seeded_and_need_k_texts():
    from textclass.evaluation.crossval import fold_indices

    folds = fold_indices(SETS, 4, seed=0)
    assert len(folds) == 4 and sorted(np.concatenate([h for _, h in folds])) == list(range(24))
    again = fold_indices(SETS, 4, seed=0)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, again))  # seeded
    assert len(fold_indices(SETS[:2], 2, seed=0)) == 2  # k texts are enough for k folds
    with pytest.raises(DataError, match="cv=3 folds need at least 3 texts; there are 2"):
        fold_indices(SETS[:2], 3, seed=0)
    with pytest.raises(DataError, match="at least 2 folds, got cv=1"):
        fold_indices(SETS, 1, seed=0)
