"""Explanations: exact for linear models, leave-one-word-out for networks."""

import json

import numpy as np
import pytest

from textclass import TextClassifier
from textclass.cli import ExitCode, main

POS = ["great food", "lovely staff", "great value", "really lovely", "good and great", "good food"]
NEG = ["awful food", "rude staff", "awful value", "really bad", "bad and awful", "bad food"]
TEXTS, LABELS = (POS + NEG) * 2, (["pos"] * 6 + ["neg"] * 6) * 2


@pytest.mark.parametrize("model", ["logreg", "ngram"])
def test_linear_explanation_is_the_coefficient_contributions(model):
    clf = TextClassifier(model=model, random_state=0).fit(TEXTS, LABELS)
    text = "great food and lovely staff, not awful"
    (found,) = clf.explain([text], top=100)
    assert found["method"] == "coefficient x value" and found["label"] == clf.predict([text])[0]
    x = clf.transform_texts([text]).toarray()[0]
    coef = np.ravel(clf.model_.coef_)  # one row: the score of the second class ("pos")
    sign = 1.0 if found["label"] == "pos" else -1.0
    expected = sorted((sign * coef * x)[x != 0].tolist(), key=abs, reverse=True)
    assert [w for _, w in found["features"]] == pytest.approx(
        [w for w in expected if w != 0], abs=1e-12
    )
    # the contributions and the intercept add up to the model's score (the logit)
    logit = sign * np.log(found["probability"] / (1 - found["probability"]))
    intercept = float(np.ravel(clf.model_.intercept_)[0])
    assert sum(w for _, w in found["features"]) * sign + intercept == pytest.approx(logit, abs=1e-6)
    names = [n for n, _ in found["features"]]
    assert "great" in names and "awful" in names
    assert dict(found["features"])["great"] > 0 > dict(found["features"])["awful"] * sign


def test_network_top_word_is_the_one_whose_removal_matters_most():
    clf = TextClassifier(model="dense", epochs=15, batch_size=4, random_state=0).fit(TEXTS, LABELS)
    text = "really great food and lovely staff"
    (found,) = clf.explain([text], top=3)
    assert found["method"] == "leave-one-word-out" and len(found["features"]) == 3
    column = list(clf.classes_).index(found["label"])
    words = text.split()
    base = clf.predict_proba([text])[0, column]
    drops = [
        base - clf.predict_proba([" ".join(words[:j] + words[j + 1 :])])[0, column]
        for j in range(len(words))
    ]
    top_word, top_weight = found["features"][0]
    assert top_word == words[int(np.argmax(np.abs(drops)))]
    assert abs(top_weight) == pytest.approx(max(np.abs(drops)), abs=1e-6)
    assert all(abs(top_weight) >= abs(d) - 1e-9 for d in drops)


def test_predict_explain_on_the_command_line_and_in_the_report(tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(TEXTS * 2, LABELS * 2)))
    test = tmp_path / "test.csv"  # two confident mistakes for the report
    test.write_text("text,label\nawful food,pos\ngreat value,neg\ngood food,pos\n")
    run = tmp_path / "run"
    argv = ["train", str(path), "--test", str(test), "--model", "logreg", "--out", str(run)]
    assert main(argv) == ExitCode.OK
    capsys.readouterr()
    assert main(["predict", str(run), "great food", "--explain", "--top", "2"]) == ExitCode.OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "pos\tgreat food" and out[1].startswith("    why pos (")
    assert "great +" in out[1]
    argv = ["predict", str(run), "awful food", "--explain", "--format", "jsonl"]
    assert main(argv) == ExitCode.OK
    row = json.loads(capsys.readouterr().out)
    assert row["predicted"] == "neg" and row["explanation"]["features"][0][0] == "awful"
    mistakes = json.loads((run / "mistakes.json").read_text())
    assert {m["text"] for m in mistakes} == {"awful food", "great value"}
    assert mistakes[0]["explanation"]["features"][0][0] in ("awful", "great")
    report = (run / "report.html").read_text()
    assert "why (weights)" in report and "coefficient x value" in report
