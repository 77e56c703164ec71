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


# ------------------------------------------- occlusion bounded whatever the text's length
WORDS = "great food lovely staff awful value rude really bad good and".split()


def _long_text(n_words: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    return " ".join(rng.choice(WORDS + ["!", "--"], size=n_words).tolist())


def _by_brute_force(clf, text: str) -> dict[int, float]:
    """Every word's weight from the whole text without it (the unbounded definition)."""
    words = text.split()
    proba = clf.predict_proba([text])
    target = int(np.argmax(proba[0])) if len(clf.classes_) > 2 else int(proba[0, 1] >= 0.5)
    variants = [" ".join(words[:j] + words[j + 1 :]) for j in range(len(words))]
    rows = clf.predict_proba(variants)
    return {j: float(proba[0, target] - rows[j, target]) for j in range(len(words))}


@pytest.mark.parametrize("truncating", ["post", "pre"])
def test_a_long_text_is_explained_on_the_words_the_model_reads_exactly(truncating):
    clf = TextClassifier(
        model="embedding", maxlen=8, truncating=truncating, epochs=3, batch_size=4, random_state=0
    ).fit(TEXTS, LABELS)
    text = _long_text(60)
    (found,) = clf.explain([text], top=1000)
    words = text.split()
    assert "of 60 occluded: the model reads 8 tokens" in found["note"]
    first, stop = (int(v) for v in found["note"].split()[1].split("-"))
    occluded = range(first - 1, stop)
    assert len(found["features"]) == len(occluded) < 60
    assert (occluded[-1] == 59) if truncating == "pre" else (occluded[0] == 0)
    # each weight is what removing that word from the whole text does
    expected = _by_brute_force(clf, text)
    got = sorted(w for _, w in found["features"])
    assert got == pytest.approx(sorted(expected[j] for j in occluded), abs=1e-6)
    # and the words left out change nothing the model reads
    assert all(abs(expected[j]) < 1e-6 for j in range(60) if j not in occluded)
    assert {n for n, _ in found["features"]} <= set(words)


def test_occlusion_scores_bounded_chunks_of_short_variants(monkeypatch):
    from textclass import explain as explain_module

    clf = TextClassifier(model="embedding", maxlen=10, epochs=2, batch_size=4, random_state=0)
    clf.fit(TEXTS, LABELS)
    monkeypatch.setattr(explain_module, "CHUNK_VARIANTS", 4)
    calls = []
    original = clf.predict_proba

    def spy(texts):
        calls.append((len(texts), max(len(t.split()) for t in texts)))
        return original(texts)

    monkeypatch.setattr(clf, "predict_proba", spy)
    clf.explain([_long_text(20_000)], top=3)
    variant_calls = calls[1:]  # the first scores the text itself
    assert variant_calls and all(n <= 4 for n, _ in variant_calls)
    # 20,000 words in, but each variant holds the words read (10 or 20) and a margin of 10
    assert max(words for _, words in variant_calls) <= 2 * 10 + 10
    assert sum(n for n, _ in variant_calls) <= 2 * 10


def test_a_bag_of_words_network_occludes_its_first_words_and_says_so(monkeypatch):
    from textclass import explain as explain_module

    monkeypatch.setattr(explain_module, "MAX_OCCLUDED", 5)
    clf = TextClassifier(model="dense", epochs=2, batch_size=4, random_state=0).fit(TEXTS, LABELS)
    (found,) = clf.explain(["great food and lovely staff but rude and awful"], top=100)
    assert len(found["features"]) == 5
    assert found["note"] == "words 1-5 of 9 occluded: at most 5"
    (short,) = clf.explain(["great food"], top=100)
    assert "note" not in short and len(short["features"]) == 2


def test_an_explanation_past_its_deadline_stops(monkeypatch):
    import time

    from textclass.errors import TimeLimitError

    clf = TextClassifier(model="dense", epochs=2, batch_size=4, random_state=0).fit(TEXTS, LABELS)
    with pytest.raises(TimeLimitError, match="time limit"):
        clf.explain(["great food and lovely staff"], deadline=time.monotonic() - 1)
    assert clf.explain(["great food"], deadline=time.monotonic() + 60)[0]["features"]


def test_a_lone_surrogate_in_a_text_gives_an_explanation_json_can_carry():
    clf = TextClassifier(model="dense", epochs=2, batch_size=4, random_state=0).fit(TEXTS, LABELS)
    (found,) = clf.explain(["great \ud800 food"], top=5)
    assert "\ufffd" in {name for name, _ in found["features"]}
    json.dumps(found, ensure_ascii=False).encode("utf-8")  # what the service sends
