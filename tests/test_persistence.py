"""The run directory: format 2 records its parts; format 1 runs of textclass 0.1 still load."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from textclass import ArtifactError, TextClassifier
from textclass.persistence import RunDirectory, read_json

V1 = Path(__file__).with_name("fixtures") / "v1"
EXPECTED = json.loads((V1 / "expected.json").read_text())
# the probe's empty text is refused at prediction since the empty-text policy (README,
# Errors); every other probe text must still predict exactly as textclass 0.1 did
KEEP = [i for i, text in enumerate(EXPECTED["probe"]) if text.strip()]
PROBE = [EXPECTED["probe"][i] for i in KEEP]


@pytest.mark.parametrize("name", sorted(EXPECTED["runs"]))
def test_format_1_runs_load_and_predict_identically(name):
    clf = TextClassifier.load(V1 / name)
    expected = EXPECTED["runs"][name]
    assert np.array_equal(clf.predict_proba(PROBE), np.asarray(expected["proba"])[KEEP])
    assert clf.predict(PROBE).tolist() == [expected["predicted"][i] for i in KEEP]


def test_format_1_run_resaves_as_format_2_and_predicts_the_same(tmp_path):
    clf = TextClassifier.load(V1 / "dense-tfidf")
    clf.save(tmp_path / "v2")
    config = read_json(tmp_path / "v2" / "config.json")
    assert config["format_version"] == 2
    assert config["preprocessor"]["name"] == "bag_of_words"
    assert config["runtime"] == {"name": "keras", "files": ["model.keras"]}
    assert (tmp_path / "v2" / "preprocessor.npz").exists()  # the TF-IDF weights
    again = TextClassifier.load(tmp_path / "v2")
    assert np.array_equal(again.predict_proba(PROBE), clf.predict_proba(PROBE))


def test_format_1_report_still_renders(tmp_path):
    from textclass.rendering.html import write_run_report

    run = tmp_path / "embedding"
    shutil.copytree(V1 / "embedding", run)
    page = write_run_report(run).read_text(encoding="utf-8")
    assert "vocab_size" in page and "maxlen 6" in page


def test_artifact_records_preprocessor_and_runtime(tmp_path):
    clf = TextClassifier(model="logreg", random_state=0).fit(
        ["good", "bad", "good good", "bad bad"], ["p", "n", "p", "n"]
    )
    clf.save(tmp_path / "run")
    run = RunDirectory(tmp_path / "run")
    config = run.read_config()
    assert config["preprocessor"]["name"] == "bag_of_words"
    assert config["runtime"]["name"] == "sklearn"
    assert read_json(run.preprocessor)["name"] == "bag_of_words"
    assert run.read_history() == {}


def test_unknown_format_version_names_the_file(tmp_path):
    run = tmp_path / "run"
    shutil.copytree(V1 / "logreg", run)
    config = read_json(run / "config.json")
    config["format_version"] = 99
    (run / "config.json").write_text(json.dumps(config))
    with pytest.raises(ArtifactError, match=r"config\.json: format version 99"):
        TextClassifier.load(run)


def test_estimator_and_persistence_have_no_import_cycle():
    import ast

    source = Path(__file__).parents[1] / "src" / "textclass" / "persistence"
    for module in source.glob("*.py"):
        tree = ast.parse(module.read_text())
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert "textclass.estimator" not in imported, module.name
