"""CLI options that no other test passes: each one must reach what it sets (data-free)."""

import json

import numpy as np
import pytest

from textclass import TextClassifier
from textclass.cli import ExitCode, main

POS = [f"great lovely thing {i}" for i in range(12)]
NEG = [f"awful rude thing {i}" for i in range(12)]


def write_csv(path, extra_col=None):
    rows = ["text,label" + (",src" if extra_col else "")]
    for i, text in enumerate(POS + NEG):
        label = "pos" if i < len(POS) else "neg"
        rows.append(f"{text},{label}" + (f",{'ab'[i % 2]}" if extra_col else ""))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_train_validation_split_batch_size_and_group_col(tmp_path, monkeypatch, capsys):
    import keras

    fits = []
    real_fit = keras.Model.fit

    def spying_fit(self, x=None, y=None, **kw):
        fits.append({"rows": len(y), "batch": kw["batch_size"], "val": kw["validation_data"]})
        return real_fit(self, x, y, **kw)

    monkeypatch.setattr(keras.Model, "fit", spying_fit)
    data = write_csv(tmp_path / "d.csv", extra_col=True)
    argv = ["train", str(data), "--model", "embedding", "--epochs", "2", "--seed", "0"]
    argv += ["--validation-split", "0.25", "--batch-size", "3", "--group-col", "src"]
    assert main([*argv, "--out", str(tmp_path / "run")]) == ExitCode.OK
    # 24 rows: 18 train (the default 25 % test), of which floor(18 * 0.25) = 4 validate
    [fit] = fits
    assert fit["batch"] == 3 and fit["rows"] == 14 and len(fit["val"][1]) == 4
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    assert len(history["val_loss"]) == 2
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    groups = metrics["per_group"]
    assert set(groups) == {"a", "b"} and groups["a"]["n"] + groups["b"]["n"] == metrics["n"] == 6
    assert "group a" in capsys.readouterr().out


def test_train_label_cols_reads_indicator_columns(tmp_path):
    path = tmp_path / "cols.csv"
    rows = ["text,food,staff"]
    rows += [f"great food {i},1,0" for i in range(6)] + [f"rude staff {i},0,1" for i in range(6)]
    rows += [f"great food and staff {i},1,1" for i in range(6)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    argv = ["train", str(path), "--label-cols", "food,staff", "--model", "logreg", "--seed", "0"]
    assert main([*argv, "--out", str(tmp_path / "run")]) == ExitCode.OK
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["task"] == "multilabel" and set(metrics["per_class"]) == {"food", "staff"}
    clf = TextClassifier.load(tmp_path / "run")
    assert clf.classes_.tolist() == ["food", "staff"]
    assert clf.predict(["great food and staff 99"]) == [["food", "staff"]]


def test_models_summary_builds_the_family_with_the_given_sizes(capsys):
    argv = ["models", "dense", "--summary", "--vocab-size", "50", "--classes", "3"]
    assert main([*argv, "-p", "units=[7]"]) == ExitCode.OK
    out = capsys.readouterr().out
    # bag of words (49 words: index 0 is padding) -> Dense(7) -> Dense(3)
    total = (49 * 7 + 7) + (7 * 3 + 3)
    assert f"total parameters {total:,}, trainable {total:,}" in out
    assert "(None, 49)" in out and "(None, 3)" in out


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    clf = TextClassifier(model="logreg", random_state=0).fit(POS + NEG, ["pos"] * 12 + ["neg"] * 12)
    clf.save(folder / "run")
    return folder / "run"


def test_predict_input_format_overrides_the_file_suffix(run_dir, tmp_path, capsys):
    texts = ["great lovely", "awful rude"]
    path = tmp_path / "texts.csv"  # JSON lines in a file named .csv: the option decides
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    argv = ["predict", str(run_dir), "--input", str(path), "--input-format", "jsonl"]
    assert main([*argv, "--format", "jsonl"]) == ExitCode.OK
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in rows] == texts  # each line's text field, not the raw line
    assert [r["predicted"] for r in rows] == TextClassifier.load(run_dir).predict(texts).tolist()


def _score(run_dir, tmp_path, name, *extra):
    folder = tmp_path / name
    argv = ["predict", str(run_dir), "--input", str(tmp_path / "in.csv"), "--output", str(folder)]
    assert main([*argv, *extra]) == ExitCode.OK
    return (folder / "in.csv").read_text()


def test_predict_chunk_rows_and_a_tcp_scheduler(run_dir, tmp_path, monkeypatch):
    """--chunk-rows reaches the reader, and --cluster tcp://... (a scheduler this test
    starts, with an in-process worker) writes the same file as a local run."""
    distributed = pytest.importorskip("distributed")
    from textclass.data.formats.delimited import CsvChunks

    texts = [f"{w} {i}" for i, w in enumerate(["great", "awful", "lovely", "rude"] * 4)]
    (tmp_path / "in.csv").write_text("text\n" + "\n".join(texts) + "\n", encoding="utf-8")
    sizes = []
    real_chunks = CsvChunks.chunks

    def noting(self, chunk_rows):
        for chunk in real_chunks(self, chunk_rows):
            sizes.append(len(chunk))
            yield chunk

    monkeypatch.setattr(CsvChunks, "chunks", noting)
    whole = _score(run_dir, tmp_path, "whole")
    assert sizes == [16]
    sizes.clear()
    assert _score(run_dir, tmp_path, "chunked", "--chunk-rows", "5") == whole
    assert sizes == [5, 5, 5, 1]
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0"
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        assert _score(run_dir, tmp_path, "dask", "--cluster", address) == whole
        assert "score" in cluster.scheduler.task_prefixes  # the file was a task there
    expected = TextClassifier.load(run_dir).predict(texts).tolist()
    assert [line.split(",")[1] for line in whole.splitlines()[1:]] == expected
    assert np.isfinite([float(line.split(",")[2]) for line in whole.splitlines()[1:]]).all()
