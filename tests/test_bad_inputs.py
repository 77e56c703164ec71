"""The bad-input battery: what a new user hits in the first hour, through the real CLI.

Every error case exits with the status the README documents (3: data, 2: usage),
prints one ``error:`` line that names the problem (besides ``note:`` lines), no
traceback, and never reaches training. The cases with documented behaviour
instead of an error (CRLF, a 1 MB text, an empty class folder, early stopping
without a validation split, ...) train and say what they did.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from textclass import TextClassifier
from textclass.cli import ExitCode, main

DATA, USAGE = ExitCode.DATA, ExitCode.USAGE
GOOD = ["great", "lovely", "good", "fine", "superb"]
BAD = ["awful", "rude", "bad", "poor", "dreadful"]


def reviews(n: int = 40) -> list[tuple[str, str]]:
    """Separable (text, label) rows: a good or a bad word plus a word of its own."""
    rows = []
    for i in range(n):
        words, label = (GOOD, "pos") if i % 2 == 0 else (BAD, "neg")
        rows.append((f"the food was {words[i % 5]} and {words[(i + 2) % 5]} item{i}", label))
    return rows


def csv_text(rows, header=("text", "label"), sep=",", newline="\n") -> str:
    lines = [sep.join(header)] if header else []
    lines += [sep.join(row) for row in rows]
    return newline.join(lines) + newline


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """Every input of the battery, written once; tiny, so each case runs in well under 1 s."""
    root = tmp_path_factory.mktemp("battery")
    rows = reviews()
    files = {
        "csv": csv_text(rows),
        "tiny": csv_text(rows[:4]),
        "empty": "",
        "header_only": "text,label\n",
        "nan_texts": csv_text(rows[:6] + [("", "pos"), ("   ", "neg")]),
        "one_class": csv_text([(t, "pos") for t, _ in rows[:6]]),
        "test_unseen": csv_text(rows[:4] + [("so so", "meh"), ("whatever", "meh")]),
        "one_column": "\n".join(t for t, _ in rows) + "\n",
        "no_labels": csv_text([(t, f"id {i} of the file") for i, (t, _) in enumerate(rows)], None),
        "text_labels": csv_text([(t, f"note {i}") for i, (t, _) in enumerate(rows)]),
        "predict_empty": "text,id\nlovely place,1\n,2\nawful,3\n",
        "bad_jsonl": '{"text": "good", "label": 1}\n{"text": "bad", "label": 0\n',
    }
    paths = {}
    for name, text in files.items():
        suffix = ".jsonl" if name == "bad_jsonl" else (".txt" if name == "one_column" else ".csv")
        paths[name] = root / f"{name}{suffix}"
        paths[name].write_text(text, encoding="utf-8")
    paths["latin"] = root / "latin.tsv"
    paths["latin"].write_bytes("ok\t1\ncost \u00a3600\t0\n".encode("latin-1"))
    paths["dir"] = root
    # a trained linear run, and damaged copies of it
    paths["run"] = root / "run"
    assert main(["train", str(paths["csv"]), "--out", str(paths["run"])]) == 0
    for name, damage in {
        "config_truncated": lambda run: (run / "config.json").write_text('{"format": "tex'),
        "labels_missing": lambda run: (run / "labels.json").unlink(),
        "linear_truncated": lambda run: _cut(run / "linear.npz"),
    }.items():
        paths[name] = root / name
        shutil.copytree(paths["run"], paths[name])
        damage(paths[name])
    # a Keras run with its model.keras cut short
    paths["keras_cut"] = root / "keras_cut"
    clf = TextClassifier(model="embedding", epochs=1, random_state=0)
    clf.fit([t for t, _ in rows[:8]], [lab for _, lab in rows[:8]])
    clf.save(paths["keras_cut"])
    _cut(paths["keras_cut"] / "model.keras")
    return paths


def _cut(path: Path) -> None:
    """Keep the first half of a file, as an interrupted copy does."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


ERRORS = [
    # data errors: the file, column, row or value at fault
    ("empty-file", ["train", "{empty}"], DATA, "the file is empty"),
    ("header-only", ["train", "{header_only}"], DATA, "no data rows"),
    ("missing-file", ["train", "{dir}/missing.csv"], DATA, "missing.csv: no such file"),
    ("missing-column", ["train", "{csv}", "--text-col", "body"], DATA, "no text column 'body'"),
    ("column-typo", ["train", "{csv}", "--label-col", "lable"], DATA, "did you mean 'label'"),
    ("nan-texts", ["train", "{nan_texts}"], DATA, "2 row(s) with empty or missing text"),
    ("one-class", ["train", "{one_class}"], DATA, "single class ('pos'"),
    ("non-utf8", ["train", "{latin}"], DATA, "line 2: byte 0xa3"),
    ("malformed-jsonl", ["train", "{bad_jsonl}"], DATA, "line 2: invalid JSON"),
    ("one-column", ["train", "{one_column}"], DATA, "one column only (column 0)"),
    ("no-label-column", ["train", "{no_labels}"], DATA, "no column looks like labels: column 1"),
    ("label-looks-like-text", ["train", "{text_labels}"], DATA, "'label' has 40 distinct values"),
    (
        "unseen-test-labels",
        ["train", "{csv}", "--test", "{test_unseen}"],
        DATA,
        "2 row(s) carry 1 label(s) the training data lacks: meh",
    ),
    ("dataset-typo", ["train", "uci-sentimnt"], DATA, "did you mean 'uci-sentiment'"),
    ("dataset-part-typo", ["train", "uci-sentiment:yelpp"], DATA, "did you mean 'yelp'"),
    ("predict-empty", ["predict", "{run}", "fine", ""], DATA, "texts given are empty (text 2)"),
    ("predict-empty-row", ["predict", "{run}", "-i", "{predict_empty}"], DATA, "(data rows 2)"),
    ("evaluate-unseen", ["evaluate", "{run}", "{test_unseen}"], DATA, "never saw in training: meh"),
    ("no-run", ["predict", "{dir}/norun", "hi"], DATA, "no such model directory"),
    ("config-truncated", ["predict", "{config_truncated}", "hi"], DATA, "config.json: corrupt"),
    ("labels-missing", ["predict", "{labels_missing}", "hi"], DATA, "labels.json: missing"),
    (
        "linear-truncated",
        ["predict", "{linear_truncated}", "hi"],
        DATA,
        "linear.npz: corrupt or truncated",
    ),
    ("keras-truncated", ["predict", "{keras_cut}", "hi"], DATA, "model.keras: cannot load"),
    ("keras-truncated-wording", ["predict", "{keras_cut}", "hi"], DATA, "corrupt or truncated"),
    # usage errors: the option, what it expects, the value given
    ("model-typo", ["train", "{csv}", "--model", "ngrm"], USAGE, "did you mean 'ngram'"),
    ("param-typo", ["train", "{csv}", "-p", "ngram_rnge=[1,2]"], USAGE, "'ngram_range'"),
    ("encoding", ["train", "{csv}", "--encoding", "klingon"], USAGE, "unknown encoding 'klingon'"),
    (
        "loss",
        ["train", "{csv}", "--model", "dense", "--loss", "foo"],
        USAGE,
        "Received: loss='foo'",
    ),
    ("optimizer", ["train", "{csv}", "--model", "cnn", "--optimizer", "adm"], USAGE, "'adam'"),
    ("test-size-0", ["train", "{csv}", "--test-size", "0"], USAGE, "test_size=0.0"),
    ("test-size-1.5", ["train", "{csv}", "--test-size", "1.5"], USAGE, "test_size=1.5"),
    ("test-size-rows", ["train", "{csv}", "--test-size", "40"], DATA, "leaves none of its 40"),
    ("learning-rate", ["train", "{csv}", "--learning-rate", "-1"], USAGE, "learning_rate=-1.0"),
    ("num-words", ["train", "{csv}", "--num-words", "1"], USAGE, "num_words=1"),
    ("on-empty", ["train", "{csv}", "--on-empty", "skip"], USAGE, "on_empty='skip'"),
    ("format-typo", ["train", "{csv}", "--format", "jsnl"], USAGE, "did you mean 'jsonl'"),
    (
        "test-and-size",
        ["train", "{csv}", "--test", "{csv}", "--test-size", ".2"],
        USAGE,
        "not both",
    ),
    (
        "early-stopping-no-room",
        ["train", "{tiny}", "--model", "dense", "--epochs", "2", "--early-stopping", "1"],
        USAGE,
        "early stopping needs validation data: 3 training texts",
    ),
    (
        "search-n-iter-0",
        ["search", "{csv}", "--model", "ngram", "-p", "C=1,2", "--n-iter", "0", "--out", "{dir}/s"],
        USAGE,
        "n_iter=0",
    ),
    (
        "search-cv-1",
        ["search", "{csv}", "--model", "ngram", "-p", "C=1,2", "--cv", "1", "--out", "{dir}/s"],
        USAGE,
        "cv=1",
    ),
    (
        "search-scoring",
        ["search", "{csv}", "--model", "ngram", "-p", "C=1", "--scoring", "acuracy"],
        USAGE,
        "did you mean 'accuracy'",
    ),
    (
        "search-test-typo",
        ["search", "{csv}", "--model", "ngram", "-p", "C=1", "--test", "{dir}/tst.csv"],
        DATA,
        "tst.csv: no such file",
    ),
    (
        "compare-test-size",
        ["compare", "{csv}", "--models", "ngram", "--test-size", "0"],
        USAGE,
        "0.0",
    ),
    ("compare-typo", ["compare", "{csv}", "--models", "ngram,lgreg"], USAGE, "'logreg'"),
    (
        "compare-test-and-cv",
        ["compare", "{csv}", "--models", "ngram", "--test", "{csv}", "--cv", "2"],
        USAGE,
        "--test replaces",
    ),
]


@pytest.fixture
def no_training(monkeypatch):
    """Every check must come before training: a fit here fails the case."""

    def refuse(self, *args, **kwargs):
        raise AssertionError("training started before the input was checked")

    monkeypatch.setattr(TextClassifier, "fit", refuse)


CASES = [pytest.param(*case, id=case[0]) if type(case) is tuple else case for case in ERRORS]


@pytest.mark.parametrize(("name", "args", "code", "message"), CASES)
def test_bad_input_is_one_line_before_training(
    corpus, no_training, capsys, name, args, code, message
):
    argv = [a.format(**{k: str(v) for k, v in corpus.items()}) for a in args]
    status = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, err
    assert all(line.startswith(("error:", "note:", "warning:")) for line in lines), err
    assert message in errors[0], err
    assert status == code, err


def test_typer_usage_errors_name_the_option(corpus, no_training, capsys):
    """Malformed options are Typer's (click's) usage errors: exit 2, the option named."""
    assert main(["train", str(corpus["csv"]), "--epochs", "many"]) == USAGE
    assert main(["models", "embeding"]) == USAGE
    err = capsys.readouterr().err
    assert "'--epochs'" in err and "did you mean 'embedding'" in err and "Traceback" not in err


def test_the_installed_script_exits_with_a_line_not_a_traceback(corpus):
    script = shutil.which("textclass", path=str(Path(sys.executable).parent)) or "textclass"
    proc = subprocess.run(
        [script, "predict", str(corpus["run"]), ""],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )
    assert proc.returncode == DATA
    assert proc.stderr.startswith("error: ") and "empty" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


# ------------------------------------------------------ documented behaviour
def train(capsys, *args) -> tuple[int, str, str]:
    status = main(["train", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_headerless_label_first_tsv_trains_with_no_options(tmp_path, capsys):
    path = tmp_path / "sms.tsv"
    rows = [("spam" if lab == "neg" else "ham", text) for text, lab in reviews(80)]
    path.write_text(csv_text(rows, None, sep="\t"), encoding="utf-8")
    status, out, err = train(capsys, path, "--out", tmp_path / "run")
    assert status == 0, err
    assert "columns chosen by content: text = column 1" in err
    assert "label = column 0 (2 distinct values)" in err
    assert "trained on 60 texts" in out and "test accuracy 1.0000" in out
    assert TextClassifier.load(tmp_path / "run").classes_.tolist() == ["ham", "spam"]


def test_default_seed_is_printed_and_stored(corpus, tmp_path, capsys):
    status, out, err = train(capsys, corpus["csv"], "--out", tmp_path / "run")
    assert status == 0 and "seed 0 (the default; --seed N for another)" in out, err
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["data"]["seed"] == 0 and config["estimator"]["random_state"] == 0
    status, out, _ = train(capsys, corpus["csv"], "--seed", "7")
    assert status == 0 and "seed 7," in out


def test_crlf_and_a_one_megabyte_text_train(tmp_path, capsys):
    path = tmp_path / "crlf.csv"
    rows = reviews()
    rows[0] = ("lovely " * 150_000 + "end", "pos")  # a 1 MB review
    path.write_bytes(csv_text(rows, newline="\r\n").encode("utf-8"))
    status, out, err = train(capsys, path)
    assert status == 0, err
    assert "trained on 30 texts" in out


def test_empty_class_folder_is_dropped_with_a_warning(tmp_path, capsys):
    for label, rows in (("pos", reviews()[0::2]), ("neg", reviews()[1::2])):
        (tmp_path / "tree" / label).mkdir(parents=True)
        for i, (text, _) in enumerate(rows):
            (tmp_path / "tree" / label / f"{i}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "tree" / "neutral").mkdir()
    status, _, err = train(capsys, tmp_path / "tree")
    assert status == 0, err
    assert "warning: " in err and "dropped 1 class folder(s) without .txt files: neutral" in err


def test_suspicious_data_gets_one_warning_line_each(tmp_path, capsys):
    path = tmp_path / "rare.csv"
    rows = [(text, "pos" if i < 58 else "neg") for i, (text, _) in enumerate(reviews(60))]
    path.write_text(csv_text(rows), encoding="utf-8")
    status, _, err = train(capsys, path, "--stratify", "--model", "logreg", "--num-words", "20")
    assert status == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert any("classes have under 5 %" in w and "neg (1 rows)" in w for w in warnings), err
    assert any("keeps only the 19 most frequent words" in w for w in warnings), err


def test_early_stopping_without_validation_holds_some_out_and_says_so(corpus, capsys):
    status, _, err = train(
        capsys, corpus["csv"], "--model", "dense", "--epochs", "3", "--early-stopping", "1"
    )
    assert status == 0, err
    assert "10 % of the training texts held out as validation data for early stopping" in err


def test_search_takes_a_test_file_and_saves_its_best_model(corpus, tmp_path, capsys):
    test = tmp_path / "test.csv"
    test.write_text(csv_text(reviews(12)), encoding="utf-8")
    out = tmp_path / "search"
    argv = ["search", str(corpus["csv"]), "--model", "ngram", "-p", "C=0.5,2", "--grid"]
    argv += ["--cv", "2", "--test", str(test), "--stratify", "--out", str(out)]
    assert main(argv) == 0
    stdout = capsys.readouterr().out
    assert f"best model saved to {out / 'best'}" in stdout
    results = json.loads((out / "results.json").read_text())
    assert results["groups"]["all"]["test_rows"] == 12
    assert main(["predict", str(out / "best"), "lovely food"]) == 0
    assert capsys.readouterr().out.startswith("pos\t")
    assert json.loads((out / "best" / "metrics.json").read_text())["accuracy"] == 1.0


def test_search_warns_when_its_best_model_reads_texts_cut_at_maxlen(corpus, tmp_path, capsys):
    out = tmp_path / "search"
    argv = ["search", str(corpus["csv"]), "--model", "embedding", "-p", "pooling=max,average"]
    argv += ["--grid", "--cv", "2", "--epochs", "1", "--maxlen", "1", "--out", str(out)]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "warning: the best candidate:" in err and "longer than 1 tokens and were cut" in err
    assert any("were cut" in n for n in json.loads((out / "results.json").read_text())["notes"])


def test_compare_takes_a_test_file(corpus, tmp_path, capsys):
    test = tmp_path / "test.csv"
    test.write_text(csv_text(reviews(12)), encoding="utf-8")
    argv = ["compare", str(corpus["csv"]), "--models", "ngram,logreg", "--test", str(test)]
    assert main([*argv, "--out", str(tmp_path / "cmp")]) == 0
    assert f"test {test}" in capsys.readouterr().out


# ------------------------------------------------------------ the library side
def test_neural_defaults_stop_early_and_fixed_epochs_do_not():
    auto = TextClassifier(model="dense").training_settings(n_samples=100)
    assert (auto["epochs"], auto["early_stopping"], auto["validation_split"]) == (20, 5, 0.1)
    assert auto["notes"][0].startswith("epochs not set: up to 20 epochs, stopping after 5")
    given = TextClassifier(model="dense", validation_split=0.2).training_settings(n_samples=100)
    assert (given["early_stopping"], given["validation_split"]) == (5, 0.2)
    fixed = TextClassifier(model="dense", epochs=20).training_settings(n_samples=100)
    assert (fixed["early_stopping"], fixed["validation_split"], fixed["notes"]) == (None, 0.0, [])
    tiny = TextClassifier(model="dense").training_settings(n_samples=5)
    assert tiny["early_stopping"] is None and "too few to hold out" in tiny["notes"][0]
    linear = TextClassifier(model="ngram", epochs=3).training_settings()
    assert linear["notes"] == ["ngram is not trained in epochs: epochs ignored"]


def test_default_epochs_train_on_a_validation_split_with_early_stopping():
    rows = reviews(40)
    clf = TextClassifier(model="dense", random_state=0).set_params(model__units=4)
    clf.fit([t for t, _ in rows], [lab for _, lab in rows])
    assert "val_loss" in clf.history_ and 1 <= len(clf.history_["loss"]) <= 20
    assert any("held out as validation data" in n for n in clf.notes_["training"])


def test_library_refuses_empty_texts_at_prediction():
    from textclass import DataError

    rows = reviews(12)
    clf = TextClassifier(model="logreg").fit([t for t, _ in rows], [lab for _, lab in rows])
    with pytest.raises(DataError, match=r"2 empty text\(s\) \(rows 0, 2, counted from 0\)"):
        clf.predict(["", "fine", "\t "])


def test_columns_by_content_in_a_headerless_news_file(tmp_path):
    """AG News layout: class index, title, description; the title is left out, and said so."""
    from textclass import read_dataset

    path = tmp_path / "news.csv"
    rows = [
        (str(1 + i % 4), f"Title {i}", f"a longer description of story {i} with {GOOD[i % 5]}")
        for i in range(40)
    ]
    path.write_text(csv_text(rows, None), encoding="utf-8")
    ds = read_dataset(path)
    assert ds.labels.tolist()[:4] == [1, 2, 3, 4] and ds.texts[0].startswith("a longer")
    assert ds.notes == [
        "columns chosen by content: text = column 2 (mean 43 characters), "
        "label = column 0 (4 distinct values); unused: column 1"
    ]


def test_a_header_of_unknown_names_is_recognised_and_said(tmp_path):
    from textclass import read_dataset

    path = tmp_path / "sms.csv"
    path.write_text(csv_text(reviews(40), header=("message", "kind")), encoding="utf-8")
    ds = read_dataset(path)
    assert len(ds) == 40 and set(ds.labels.tolist()) == {"pos", "neg"}
    assert ds.notes[0] == "line 1 read as the header (message, kind)"


def test_a_split_that_leaves_a_class_out_of_training_is_refused():
    from textclass import DataError
    from textclass.data import Dataset
    from textclass.data.checks import check_split

    train = Dataset(["a", "b"], np.array(["x", "y"]), name="d[train]")
    test = Dataset(["c"], np.array(["z"]), name="d[test]")
    with pytest.raises(DataError, match=r"every row of 1 label\(s\) into the test part .*: z"):
        check_split(train, test)


@pytest.mark.parametrize(
    ("typed", "choices", "hint"),
    [
        ("uci-sentimnt", ["uci-sentiment", "imdb"], " (did you mean 'uci-sentiment'?)"),
        ("bbc", ["bbc-news", "imdb"], " (did you mean 'bbc-news'?)"),
        ("CNN", ["cnn", "rnn"], " (did you mean 'cnn'?)"),
        ("zebra", ["cnn", "rnn"], ""),
    ],
)
def test_suggestions(typed, choices, hint):
    from textclass.errors import did_you_mean

    assert did_you_mean(typed, choices) == hint


def test_texts_cut_at_maxlen_are_counted_and_warned(tmp_path, capsys):
    path = tmp_path / "long.csv"
    rows = [(f"{text} " + "and more words " * (i % 3), label) for i, (text, label) in
            enumerate(reviews(40))]  # fmt: skip
    path.write_text(csv_text(rows), encoding="utf-8")
    run = tmp_path / "run"
    status, out, err = train(
        capsys, path, "--model", "embedding", "--maxlen", "4", "--epochs", "1", "--out", run
    )
    assert status == 0, err
    assert "cut_at_maxlen 30 of 30 texts" in out  # every review has more than 4 words
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    cut = "30 of 30 training texts (100%) are longer than 4 tokens"
    assert any(cut in w for w in warnings)
    page = (run / "report.html").read_text()  # and the report, which outlives the terminal
    assert ">Warnings and notes<" in page and cut in page
    assert main(["evaluate", str(run), str(path), "--cv", "2"]) == 0  # its recipe re-fitted
    assert "warning: fold 1: 20 of 20 training texts (100%) are longer than 4" in (
        capsys.readouterr().err
    )
    status, out, err = train(capsys, path, "--model", "embedding", "--epochs", "1")
    assert status == 0 and "longer than" not in err  # the default maxlen (100): none cut


def test_the_cut_warning_says_which_end_is_kept():
    from textclass.preprocessing.base import cut_warning

    texts, labels = [text for text, _ in reviews(20)], [label for _, label in reviews(20)]
    clf = TextClassifier(model="embedding", maxlen=2, truncating="pre", epochs=1).fit(texts, labels)
    assert "the model sees only their end; a larger --maxlen keeps more" in cut_warning(clf)
