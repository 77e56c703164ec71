"""End to end: the installed console script, in fresh processes, on shared/data and on
tiny files (the data-free tests run wherever ../shared/data is absent)."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from textclass import ArtifactError, TextClassifier
from textclass.cli import ExitCode, main

SCRIPT = shutil.which("textclass", path=str(Path(sys.executable).parent)) or "textclass"


def run(*args, check=True):
    proc = subprocess.run(
        [SCRIPT, *map(str, args)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=600,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def yelp_run(tmp_path_factory, shared_data):
    out = tmp_path_factory.mktemp("runs") / "yelp"
    proc = run(
        "train",
        "uci-sentiment:yelp",
        "--model",
        "logreg",
        "--test-size",
        "0.25",
        "--seed",
        "1000",
        "--out",
        out,
    )
    return out, proc.stdout


def sklearn_test_accuracy(out, data="uci-sentiment:yelp", test_size=0.25, seed=1000) -> float:
    """The saved model's accuracy on the test rows, recomputed without textclass' split or
    metrics: scikit-learn's train_test_split (which split_dataset promises to equal) and
    accuracy_score on the reloaded model's predictions."""
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    from textclass.data import load

    dataset = load(data)
    _, texts, _, truth = train_test_split(
        list(dataset.texts), list(dataset.labels), test_size=test_size, random_state=seed
    )
    return accuracy_score(truth, TextClassifier.load(out).predict(texts))


def test_train_reproduces_tutorial_baseline(yelp_run):
    out, stdout = yelp_run
    (printed,) = re.findall(r"^test accuracy (\d\.\d{4})$", stdout, flags=re.M)
    metrics = json.loads((out / "metrics.json").read_text())
    assert printed == f"{metrics['accuracy']:.4f}"  # the line says what the run saved
    assert metrics["accuracy"] == pytest.approx(sklearn_test_accuracy(out), abs=1e-12)
    assert printed == "0.7960"  # the tutorial's figure


def test_predict_in_a_new_process_matches_library(yelp_run, tmp_path):
    out, _ = yelp_run
    texts = ["The food was great", "Terrible service, never again"]
    proc = run("predict", out, *texts)
    labels = [line.split("\t")[0] for line in proc.stdout.splitlines()]
    assert labels == [str(v) for v in TextClassifier.load(out).predict(texts)] == ["1", "0"]
    new = tmp_path / "new.csv"
    new.write_text("review,id\nlovely place,1\nawful,2\n", encoding="utf-8")
    proc = run("predict", out, "--input", new, "--text-col", "review", "--format", "csv")
    lines = proc.stdout.splitlines()
    assert lines[0] == "review,id,predicted,probability" and len(lines) == 3


def test_evaluate_on_another_source(yelp_run):
    out, _ = yelp_run
    proc = run("evaluate", out, "uci-sentiment:amazon")
    assert "accuracy" in proc.stdout and "group amazon" in proc.stdout


def test_datasets_command(shared_data):
    listed = run("datasets").stdout
    assert "uci-sentiment" in listed and "verified" in listed


def test_models_command():  # data-free: runs wherever ../shared/data is absent
    out = run("models").stdout
    assert "logreg" in out and "embedding" in out and "pooling = 'max'" in out
    # a family whose modes train differently lists each mode's defaults
    assert "with -p mode=finetune: epochs 4, batch_size 16, optimizer adamw" in out
    # a hyperparameter that changes the training defaults shows them
    tuned = run("models", "encoder", "-p", 'mode="finetune"').stdout
    assert "epochs 4, batch_size 16, optimizer adamw" in tuned


def test_train_a_csv_with_named_columns(tmp_path):
    path = tmp_path / "reviews.csv"
    rows = (
        ["review,stars"]
        + [f"great thing {i},good" for i in range(10)]
        + [f"awful thing {i},bad" for i in range(10)]
    )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = run(
        "train",
        path,
        "--text-col",
        "review",
        "--label-col",
        "stars",
        "--model",
        "logreg",
        "--out",
        tmp_path / "r",
        "--seed",
        "0",
    )
    assert "test accuracy" in proc.stdout
    assert (tmp_path / "r" / "linear.npz").exists()


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["train", "missing.csv"], "missing.csv: no such file or directory", ExitCode.DATA),
        (
            ["train", "{csv}", "--text-col", "body"],
            "no text column 'body'; columns are: text, label",
            ExitCode.DATA,
        ),
        (["train", "{single}"], "single class", ExitCode.DATA),
        (["train", "{latin}"], "line 2: byte 0xa3", ExitCode.DATA),
        (["train", "{empty}"], "empty or missing text", ExitCode.DATA),
        (["train", "{csv}", "--model", "nope"], "expected one of", ExitCode.USAGE),
        (["predict", "{run}", "hello"], "missing", ExitCode.DATA),
    ],
)
def test_bad_input_gets_one_line_and_an_exit_status(tmp_path, capsys, args, message, code):
    (tmp_path / "d.csv").write_text("text,label\ngood,1\nbad,0\nfine,1\nmeh,0\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("text,label\ngood,1\nfine,1\n", encoding="utf-8")
    (tmp_path / "l.tsv").write_bytes("ok\t1\ncost \u00a3600\t0\n".encode("latin-1"))
    (tmp_path / "e.csv").write_text("text,label\ngood,1\n,0\n", encoding="utf-8")
    (tmp_path / "run").mkdir()
    paths = {
        "csv": tmp_path / "d.csv",
        "single": tmp_path / "s.csv",
        "latin": tmp_path / "l.tsv",
        "empty": tmp_path / "e.csv",
        "run": tmp_path / "run",
    }
    argv = [a.format(**paths) for a in args]
    status = main(argv)
    err = capsys.readouterr().err
    assert status == code
    assert message in err
    assert err.startswith("error:") and "Traceback" not in err


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """A logreg run on a 20-row CSV: for the tests that need a run, not the real data."""
    folder = tmp_path_factory.mktemp("tiny")
    path = folder / "d.csv"
    rows = [f"great thing {i},1" for i in range(10)] + [f"awful thing {i},0" for i in range(10)]
    path.write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    argv = ["train", str(path), "--model", "logreg", "--seed", "0", "--out", str(folder / "run")]
    assert main(argv) == ExitCode.OK
    return folder / "run"


def test_unseen_labels_at_evaluate(tiny_run, tmp_path, capsys):
    out = tiny_run
    path = tmp_path / "t.csv"
    path.write_text("text,label\ngood,1\nbad,2\n", encoding="utf-8")
    assert main(["evaluate", str(out), str(path)]) == ExitCode.DATA
    assert "never saw in training: 2" in capsys.readouterr().err


def test_corrupt_artifacts_name_the_file(tiny_run, tmp_path):
    out = tiny_run
    broken = tmp_path / "broken"
    shutil.copytree(out, broken)
    (broken / "preprocessor.json").write_text('{"config": {', encoding="utf-8")
    with pytest.raises(ArtifactError, match=r"preprocessor\.json: corrupt or truncated JSON"):
        TextClassifier.load(broken)
    shutil.copytree(out, tmp_path / "v2")
    config = json.loads((tmp_path / "v2" / "config.json").read_text())
    config["format_version"] = 99
    (tmp_path / "v2" / "config.json").write_text(json.dumps(config))
    with pytest.raises(ArtifactError, match="format version 99 is not supported"):
        TextClassifier.load(tmp_path / "v2")


def test_truncated_keras_model_names_the_file(tmp_path):
    clf = TextClassifier(model="embedding", epochs=1, random_state=0).fit(
        ["good", "bad", "fine", "awful"], [1, 0, 1, 0]
    )
    clf.save(tmp_path / "run")
    model = tmp_path / "run" / "model.keras"
    model.write_bytes(model.read_bytes()[:200])
    with pytest.raises(ArtifactError, match=r"model\.keras: cannot load the Keras model"):
        TextClassifier.load(tmp_path / "run")


def test_version_flag_prints_the_installed_version(capsys):
    from importlib.metadata import version

    from textclass.cli import main

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"textclass {version('textclass')}"
