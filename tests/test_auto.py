"""``--model auto`` (issue 33, first slice): the best candidate by cross-validation inside
the training part, within a time budget, saved as an ordinary run."""

from __future__ import annotations

import html
import json
import time

import numpy as np
import pytest

from textclass.errors import ConfigError
from textclass.evaluation.crossval import fold_indices
from textclass.experiments import auto, auto_board, auto_trial
from textclass.experiments.auto import Candidate, choose
from textclass.inference import Predictor
from textclass.jobs.notes import Notes
from textclass.jobs.requests import ClassifierSettings, TrainRequest
from textclass.jobs.train import train

GOOD = ["great food", "lovely staff", "great value", "friendly and great", "tasty food"]
BAD = ["awful food", "rude staff", "awful value", "bad and rude", "cold food"]


def corpus(n: int) -> tuple[list[str], list[int]]:
    """``n`` texts, each unique (a row number in it), half of each class."""
    texts, labels = [], []
    for i in range(n):
        source = GOOD if i % 2 else BAD
        texts.append(f"{source[i % 5]} row{i}")
        labels.append(i % 2)
    return texts, labels


def assert_same_choice(got, expected) -> None:
    """The same scores, and a winner as good: of the candidates within the noise of the
    best, auto takes the fastest, and fit times differ between runs."""
    scores = lambda result: {r["name"]: (r["score"], r["std"]) for r in result.leaderboard}  # noqa: E731
    board = scores(expected)
    assert scores(got) == board
    top = max(score for score, _ in board.values())
    assert board[got.best.name][0] >= top - max(std for _, std in board.values())


def test_choose_ranks_by_cv_and_skips_what_cannot_finish():
    texts, labels = corpus(60)
    chosen = choose(
        texts, labels, time_limit_s=1.0, cv=3,
        candidates=(Candidate("ngram", "ngram"), Candidate("logreg", "logreg"),
                    Candidate("cnn", "cnn", settings={"epochs": 2})),
    )  # fmt: skip
    board = {row["name"]: row for row in chosen.leaderboard}
    assert chosen.scoring == "accuracy" and chosen.cv == 3
    assert 0.5 < board["ngram"]["score"] <= 1 and board["logreg"]["std"] >= 0
    # a network's first fit alone outlasts a 1 s budget (0.7 s for the candidates)
    assert "estimated" in board["cnn"]["skipped"] or board["cnn"]["skipped"] == "no time left"
    assert chosen.best.name in ("ngram", "logreg")
    assert [r["name"] for r in chosen.leaderboard][-1] == "cnn"  # skipped ones last


def test_the_faster_of_two_within_the_noise_wins():
    rows = [
        {"name": "slow", "score": 0.90, "std": 0.02, "fit_seconds": 10.0},
        {"name": "fast", "score": 0.89, "std": 0.02, "fit_seconds": 0.1},
        {"name": "worse", "score": 0.80, "std": 0.01, "fit_seconds": 0.01},
    ]
    assert auto_board.winner(rows, cv=4)["name"] == "fast"  # 0.01 < 0.02 / sqrt(4)
    rows[1]["score"] = 0.85
    assert auto_board.winner(rows, cv=4)["name"] == "slow"


def test_auto_never_reads_the_test_part_and_saves_a_run_every_loader_takes(tmp_path, monkeypatch):
    texts, labels = corpus(80)
    train_file, test_file = tmp_path / "train.jsonl", tmp_path / "test.jsonl"
    train_file.write_text("".join(json.dumps({"text": t, "label": y}) + "\n"
                                  for t, y in zip(texts[:60], labels[:60])))  # fmt: skip
    test_file.write_text("".join(json.dumps({"text": t, "label": y}) + "\n"
                                 for t, y in zip(texts[60:], labels[60:])))  # fmt: skip
    seen = []
    real = auto.choose
    monkeypatch.setattr(auto, "choose", lambda t, *a, **k: seen.extend(t) or real(t, *a, **k))
    request = TrainRequest(
        data=str(train_file), test_data=str(test_file), seed=0, out=tmp_path / "run",
        classifier=ClassifierSettings(model="auto"), time_limit_s=4.0,
    )  # fmt: skip
    started = time.monotonic()
    result = train(request)
    assert time.monotonic() - started < 4.0 * 1.1 + 5  # the budget, plus start-up slack
    assert sorted(seen) == sorted(texts[:60])  # the training part, nothing of the test's
    assert not set(seen) & set(texts[60:])
    board = json.loads((tmp_path / "run" / "leaderboard.json").read_text())
    assert board["scoring"] == "accuracy" and board["candidates"][0]["score"] > 0.5
    scored = [r for r in board["candidates"] if "score" in r]
    assert all(r["latency_ms"] > 0 for r in scored)  # one text's predict_proba, in ms
    report = (tmp_path / "run" / "report.html").read_text()
    assert "How auto chose" in report
    assert all(html.escape(r["name"]) in report for r in board["candidates"])
    (note,) = [n for n in result.notes if n.startswith("note: auto: ")]
    (row,) = [r for r in board["candidates"] if note.startswith(f"note: auto: {r['name']} ")]
    params = result.classifier.get_params()
    assert result.classifier.family_.name == row["model"] and "score" in row
    for name, value in row["params"].items():
        got = params[f"model__{name}"]
        assert (list(got) if isinstance(value, list) else got) == value, name
    predicted = Predictor.load(tmp_path / "run").predict(["great food"])
    assert predicted[0] in (0, 1)


def test_time_limit_is_checked_before_any_data_is_read():
    from textclass.errors import ConfigError
    from textclass.jobs.train import fit_and_score

    request = TrainRequest(data="no/such/file.csv", classifier=ClassifierSettings(model="auto"),
                           time_limit_s=0)  # fmt: skip
    with pytest.raises(ConfigError, match="time-limit"):
        fit_and_score(request, Notes())


def test_durations_parse():
    from textclass.cli.options import parse_duration
    from textclass.errors import ConfigError

    assert [parse_duration(t) for t in ("600", "90s", "10m", "1.5h")] == [600, 90, 600, 5400]
    for bad in ("soon", "-5m", "0"):
        with pytest.raises(ConfigError):
            parse_duration(bad)


def test_a_frozen_encoder_is_costed_as_encoding_each_text_once(monkeypatch):
    """Its vector cache serves every fold: k folds cost one pass of encoding plus k heads,
    not k passes (which skipped the encoder in budgets it fits)."""
    now = [0.0]

    class ThreeSeconds:
        def fit(self, texts, labels):
            now[0] += 3.0

    texts, labels = corpus(3000)
    trial = auto_trial.Trial(texts, np.asarray(labels), 5, 0, None, lambda: now[0], {})
    monkeypatch.setattr(auto_trial.Trial, "_classifier", lambda self, candidate: ThreeSeconds())
    once = trial._estimate(Candidate("frozen", "encoder", encodes_once=True))
    every_fold = trial._estimate(Candidate("net", "cnn"))
    sizes = []

    fitted = []

    class Dear:  # 20 s the first fit (loading, compiling), then 5 s + 0.1 s a text
        def fit(self, texts, labels):
            now[0] += (20.0 if not sizes else 5.0) + 0.1 * len(texts)
            sizes.append(len(texts))
            fitted.append(set(texts))

    monkeypatch.setattr(auto_trial.Trial, "_classifier", lambda self, candidate: Dear())
    dear = trial._estimate(Candidate("contrastive", "encoder", holdout=True))
    assert sizes == [32, 50, 100]  # the warm-up's one-off 20 s is not counted
    assert not fitted[0] & fitted[2] and fitted[1] < fitted[2]  # the warm-up on other texts
    # (scoring, final fit): the vectors are cached by then, so the final fit is a head's
    assert once == pytest.approx((3.0 * 3000 / 300 + 3.0 * 5, 6.0))  # 45 s
    assert every_fold == pytest.approx((3.0 * 2400 / 300 * 5, 3.0 * 3000 / 300))  # 120 s, 30 s
    # a dear one: one fit on 4/5 of the texts, its fixed part counted once
    assert dear == pytest.approx((5.0 + 0.1 * 2400, 5.0 + 0.1 * 3000))  # 245 s, 305 s
    frozen = [c.name for c in auto.CANDIDATES if c.encodes_once]
    assert frozen == ["encoder (frozen MiniLM)", "encoder (frozen MPNet)"]
    dear = [c.name for c in auto.CANDIDATES if c.holdout]
    assert dear == ["encoder (contrastive MiniLM)", "encoder (contrastive MPNet)"]
    assert auto.CANDIDATES[-2:] == tuple(c for c in auto.CANDIDATES if c.holdout)  # dear last


CHEAP = (Candidate("ngram", "ngram"), Candidate("logreg", "logreg"))


def test_text_classifier_model_auto_chooses_in_fit_and_saves_the_winner(tmp_path, monkeypatch):
    from functools import partial

    from sklearn.base import clone

    from textclass import TextClassifier
    from textclass.errors import ConfigError

    texts, labels = corpus(60)
    seen = []
    real = auto.choose
    monkeypatch.setattr(auto, "choose", lambda t, *a, **k: seen.append((list(t), k)) or
                        partial(real, candidates=CHEAP, cv=3)(t, *a, **k))  # fmt: skip
    clf = clone(
        TextClassifier(model="auto", time_limit=30, random_state=0, class_weight="balanced")
    )
    assert clf.get_params()["time_limit"] == 30 and "model__C" not in clf.get_params()
    with pytest.raises(ConfigError, match="model__C"):
        clone(clf).set_params(model__C=2.0)
    with pytest.raises(ConfigError, match="time_limit"):
        TextClassifier(model="auto", time_limit=0).fit(texts, labels)
    clf.fit(texts, labels)
    (given, kwargs), = seen  # fmt: skip
    assert given == texts and kwargs["time_limit_s"] == 30 and kwargs["seed"] == 0
    assert kwargs["settings"]["class_weight"] == "balanced"  # the user's settings reach them
    assert clf.model == "auto" and clf.auto_["chosen"] in ("ngram", "logreg")
    assert {r["name"] for r in clf.auto_["candidates"]} == {"ngram", "logreg"}
    assert clf.family_.name == clf.auto_["chosen"] and clf.notes_["auto"][0].startswith("auto: ")
    winner = TextClassifier(model=clf.family_.name, random_state=0, class_weight="balanced")
    expected = winner.fit(texts, labels).predict_proba(["great food", "rude staff"])
    np.testing.assert_allclose(clf.predict_proba(["great food", "rude staff"]), expected)
    clf.save(tmp_path / "run")
    loaded = TextClassifier.load(tmp_path / "run")
    np.testing.assert_allclose(loaded.predict_proba(["great food", "rude staff"]), expected)


KILLED_RUN = """
import sys, time
from pathlib import Path
from textclass.experiments import auto, auto_trial
texts, labels = eval(sys.argv[2])
real = auto_trial.Trial.run
def run(self, candidate, deadline):
    if candidate.name == "logreg C=2":  # the third: say so, then hang until killed
        Path(sys.argv[1], "hanging").write_text("yes")
        time.sleep(120)
    return real(self, candidate, deadline)
auto_trial.Trial.run = run
cands = (auto.Candidate("ngram", "ngram"), auto.Candidate("logreg", "logreg"),
         auto.Candidate("logreg C=2", "logreg", {"C": 2.0}))
auto.choose(texts, labels, time_limit_s=60, cv=3, candidates=cands, log=Path(sys.argv[1], "log"))
"""


def test_a_killed_auto_run_resumes_from_its_trial_log(tmp_path, monkeypatch):
    import os
    import shutil
    import signal
    import subprocess
    import sys

    texts, labels = corpus(60)
    script = tmp_path / "killed.py"
    script.write_text(KILLED_RUN)
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path), repr((texts, labels))])
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "hanging").exists():
            assert proc.poll() is None and time.monotonic() < deadline, "never reached C=2"
            time.sleep(0.05)
    finally:  # killed whatever happened: a failing test leaves no process behind
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    cands = (Candidate("ngram", "ngram"), Candidate("logreg", "logreg"),
             Candidate("logreg C=2", "logreg", {"C": 2.0}))  # fmt: skip
    ran = []
    real = auto_trial.Trial.run
    monkeypatch.setattr(
        auto_trial.Trial, "run", lambda self, c, d: ran.append(c.name) or real(self, c, d)
    )
    with pytest.raises(ConfigError, match="--resume"):  # the log is not overwritten unasked
        choose(texts, labels, time_limit_s=60, cv=3, candidates=cands, log=tmp_path / "log")
    with pytest.raises(ConfigError, match="differ"):  # nor resumed on other data
        choose(texts[:-1], labels[:-1], time_limit_s=60, cv=3, candidates=cands,
               log=tmp_path / "log", resume=True)  # fmt: skip
    spent = tmp_path / "spent"  # the same log, as if the killed run had used 59 s of 60
    shutil.copytree(tmp_path / "log", spent)
    rows = [json.loads(line) for line in (spent / "trials.jsonl").read_text().splitlines()]
    rows[0]["spent_s"] = 59.0
    (spent / "trials.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    late = choose(texts, labels, time_limit_s=60, cv=3, candidates=cands, log=spent, resume=True)
    assert {r["name"]: r.get("skipped") for r in late.leaderboard}["logreg C=2"] == "no time left"
    ran.clear()
    resumed = choose(texts, labels, time_limit_s=60, cv=3, candidates=cands,
                     log=tmp_path / "log", resume=True)  # fmt: skip
    assert ran == ["logreg C=2"]  # the two the killed run finished came from its log
    fresh = choose(texts, labels, time_limit_s=60, cv=3, candidates=cands)
    assert_same_choice(resumed, fresh)


def test_train_resume_takes_the_logged_candidates_and_a_new_run_replaces_them(
    tmp_path, monkeypatch
):
    from functools import partial

    from textclass.cli import main

    texts, labels = corpus(60)
    data = tmp_path / "train.jsonl"
    data.write_text(
        "".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in zip(texts, labels))
    )
    monkeypatch.setattr(auto, "choose", partial(auto.choose, candidates=CHEAP, cv=3))
    base = ["train", str(data), "--model", "auto", "--time-limit", "60", "--seed", "0",
            "--out", str(tmp_path / "run")]  # fmt: skip

    def from_log(run) -> list[bool]:
        notes = json.loads((tmp_path / "run" / "metrics.json").read_text())["notes"]
        return [n.endswith("(trial log)") for n in notes if n.startswith("note: ngram: ") or
                n.startswith("note: logreg: ")]  # fmt: skip

    assert main(base) == 0 and from_log(tmp_path / "run") == [False, False]
    assert main([*base, "--resume"]) == 0 and from_log(tmp_path / "run") == [True, True]
    assert main(base) == 0 and from_log(tmp_path / "run") == [False, False]  # a new run
    assert main(["train", str(data), "--model", "auto", "--resume"]) == 2  # no --out to resume


@pytest.mark.parametrize("where", [{"jobs": 2}, {"cluster": "local:1"}])
def test_candidates_run_in_processes_or_on_a_cluster_with_the_same_result(where):
    texts, labels = corpus(60)
    cands = (*CHEAP, Candidate("logreg C=2", "logreg", {"C": 2.0}))
    here = choose(texts, labels, time_limit_s=60, cv=3, candidates=cands)
    seen = []
    elsewhere = choose(texts, labels, time_limit_s=60, cv=3, candidates=cands,
                       progress=seen.append, **where)  # fmt: skip
    assert_same_choice(elsewhere, here)
    assert len(seen) == len(cands)


def test_auto_options_are_refused_without_auto_and_checked_before_any_data_is_read():
    from textclass.jobs.train import fit_and_score

    for options, message in [
        ({"jobs": 2}, "--model auto"), ({"resume": True}, "--model auto"),
        ({"jobs": 0, "classifier": ClassifierSettings(model="auto")}, "--jobs"),
        ({"jobs": 2, "cluster": "local:2", "classifier": ClassifierSettings(model="auto")}, "local:N"),
        ({"cluster": "nowhere", "classifier": ClassifierSettings(model="auto")}, "nowhere"),
    ]:  # fmt: skip
        with pytest.raises(ConfigError, match=message):
            fit_and_score(TrainRequest(data="no/such/file.csv", **options), Notes())


def test_label_sets_get_an_ensemble_scored_with_tuned_thresholds():
    """Two candidates, each right on one label and guessing on the other: their mean is
    right on both once each label's threshold is tuned, so the ensemble must win."""
    from textclass.experiments.ensemble_selection import label_set_scorer

    rng = np.random.default_rng(0)
    n = 200
    has_a, has_b = rng.random(n) < 0.3, rng.random(n) < 0.3
    labels = [tuple(x for x, on in (("a", ha), ("b", hb)) if on) for ha, hb in zip(has_a, has_b)]
    knows_a = np.column_stack([has_a.astype(float), rng.random(n)])
    knows_b = np.column_stack([rng.random(n), has_b.astype(float)])
    score = label_set_scorer("f1_macro", ["a", "b"], labels)
    assert score(np.column_stack([has_a, has_b]).astype(float)) == 1.0
    assert score(knows_a) < 0.9 and score(knows_b) < 0.9
    trial = auto_trial.Trial([f"t{i}" for i in range(n)], np.array(labels + [()], dtype=object)[:-1],
                        5, 0, "f1_macro", time.monotonic, {})  # fmt: skip
    assert trial.multilabel and trial.classes.tolist() == ["a", "b"]
    rows = [{"name": name, "candidate": Candidate(name, "ngram"), "oof": oof, "score": score(oof),
             "std": 0.01, "fit_seconds": 0.1, "fit_all_seconds": 0.1}
            for name, oof in (("A", knows_a), ("B", knows_b))]  # fmt: skip
    best = max(rows, key=lambda r: r["score"])
    row = trial.ensemble(rows, best, time_left=60)
    assert row is not None and row["score"] == 1.0
    assert row["candidate"].params["weights"] == [0.5, 0.5]


def test_a_dear_candidate_is_scored_on_a_holdout_and_joins_the_ensemble_on_its_rows():
    texts, labels = corpus(100)
    dear = Candidate("logreg, held out", "logreg", holdout=True)
    chosen = choose(texts, labels, time_limit_s=60, cv=5, candidates=(*CHEAP, dear))
    row = {r["name"]: r for r in chosen.leaderboard}[dear.name]
    assert row["scored_on"] == "a holdout of 20 texts" and row["std"] is None
    assert 0 < row["se"] <= 0.5 / np.sqrt(20) + 1e-9  # binomial, floored at 1 / n
    # its probabilities cover only the holdout: the ensemble is selected on those rows.
    # The dear one is sure on the first half of the holdout, the cheap one on the second
    # half (and guesses everywhere else): together they are right on all 20.
    y = np.asarray(labels)
    trial = auto_trial.Trial(texts, y, 5, 0, "accuracy", time.monotonic, {})
    held = fold_indices(y, 5, 0)[0][1]
    sure = np.eye(2)[y] * 0.8 + 0.1
    cheap = np.full((100, 2), 0.5)
    cheap[held[10:]] = sure[held[10:]]
    dear_proba = np.full((100, 2), np.nan)
    dear_proba[held] = 0.5
    dear_proba[held[:10]] = sure[held[:10]]
    rows = [
        {"name": "cheap", "candidate": CHEAP[0], "oof": cheap, "score": 0.6, "std": 0.01,
         "fit_seconds": 0.1, "fit_all_seconds": 0.1},
        {"name": "dear", "candidate": dear, "oof": dear_proba, "score": 0.75, "std": None,
         "se": 0.1, "fit_seconds": 1.0, "fit_all_seconds": 1.2},
    ]  # fmt: skip
    ensemble = trial.ensemble(rows, rows[1], time_left=600)
    assert ensemble["score"] == 1.0
    assert ensemble["scored_on"] == "the out-of-fold probabilities of 20 texts"
    assert ensemble["fit_all_seconds"] == pytest.approx(1.3)


@pytest.mark.parametrize("small_fails", ["for time", "to run"])
def test_a_candidate_dearer_than_one_that_did_not_fit_is_not_estimated(monkeypatch, small_fails):
    """On 25k IMDB reviews frozen MiniLM was estimated at 1,180 s with 292 s left; then
    estimating frozen MPNet took 90 s and contrastive MiniLM's minutes, only to skip them.
    A candidate that always costs more than one that did not fit the time is skipped
    without an estimate; one that could not run at all says nothing of the time."""
    estimated = []

    def estimate(self, candidate, deadline):
        estimated.append(candidate.name)
        if candidate.name == "small frozen" and small_fails == "to run":
            raise OSError("no weights")
        return (1e6 if candidate.name == "small frozen" else 0.0), 0.0

    monkeypatch.setattr(auto_trial.Trial, "_estimate", estimate)
    texts, labels = corpus(40)
    chosen = choose(
        texts, labels, time_limit_s=60, cv=2,
        candidates=(
            Candidate("ngram", "ngram"),
            Candidate("small frozen", "logreg"),
            Candidate("big frozen", "logreg", {"C": 2.0}, dearer_than=("small frozen",)),
            Candidate("small trained", "logreg", {"C": 3.0}, dearer_than=("small frozen",)),
            Candidate("big trained", "logreg", {"C": 4.0},
                      dearer_than=("big frozen", "small trained")),
            Candidate("unrelated", "logreg", {"C": 5.0}),
        ),
    )  # fmt: skip
    board = {row["name"]: row for row in chosen.leaderboard}
    if small_fails == "to run":
        assert estimated == ["ngram", "small frozen", "big frozen", "small trained",
                             "big trained", "unrelated"]  # fmt: skip
        assert "score" in board["big trained"]
        return
    assert estimated == ["ngram", "small frozen", "unrelated"]
    assert board["small frozen"]["skipped"].startswith("estimated 1000000 s")
    assert board["big frozen"]["skipped"] == "costs more than small frozen, which did not fit"
    assert board["big trained"]["skipped"] == "costs more than big frozen, which did not fit"
    # every relation among the real candidates names one tried before it
    names = [c.name for c in auto.CANDIDATES]
    for i, candidate in enumerate(auto.CANDIDATES):
        assert set(candidate.dearer_than) <= set(names[:i])
    assert auto.CANDIDATES[-1].dearer_than == (
        "encoder (frozen MPNet)",
        "encoder (contrastive MiniLM)",
    )


@pytest.mark.parametrize("dear_is", ["no better", "better"])
def test_an_ensemble_on_every_row_stands_unless_the_holdouts_one_beats_it_there(dear_is):
    """A dear candidate's probabilities cover only the holdout (20 of 100 rows). The
    k-fold candidates' ensemble, selected on all 100 rows, is kept unless the ensemble
    selected on the holdout beats it there by more than the holdout's standard error (on
    UCI imdb the holdout's ensemble had lost 0.008 on the test part)."""
    texts, labels = corpus(100)
    y = np.asarray(labels)
    trial = auto_trial.Trial(texts, y, 5, 0, "accuracy", time.monotonic, {})
    held = fold_indices(y, 5, 0)[0][1]
    rest = np.setdiff1d(np.arange(100), held)
    sure, guess = np.eye(2)[y] * 0.8 + 0.1, np.full((100, 2), 0.5)
    a, b = guess.copy(), guess.copy()  # each sure on half the rows: together right on all
    a[rest[::2]], b[rest[1::2]] = sure[rest[::2]], sure[rest[1::2]]
    a[held[:10]], b[held[10:]] = sure[held[:10]], sure[held[10:]]
    if dear_is == "better":  # the k-fold pair guesses on the holdout; the dear one knows it
        a[held], b[held] = guess[held], guess[held]
    dear = np.full((100, 2), np.nan)
    dear[held] = sure[held] if dear_is == "better" else guess[held]
    row = lambda name, oof, score, **more: {  # noqa: E731
        "name": name, "candidate": Candidate(name, "logreg"), "oof": oof, "score": score,
        "std": 0.01, "fit_seconds": 0.1, "fit_all_seconds": 0.1, **more}  # fmt: skip
    rows = [row("a", a, 0.75), row("b", b, 0.75),
            row("dear", dear, 1.0 if dear_is == "better" else 0.5, std=None, se=0.05)]  # fmt: skip
    best = auto_board.winner(rows, 5)
    ensemble = trial.ensemble(rows, best, time_left=600)
    if dear_is == "no better":
        assert ensemble["score"] == 1.0 and "dear" not in ensemble["name"]
        assert ensemble["scored_on"] == "the out-of-fold probabilities of 100 texts"
    else:  # the dear one alone is right on the holdout, where the pair guesses: it stands
        assert ensemble is None and best["name"] == "dear"


def test_a_dear_candidates_estimate_stops_when_its_next_fit_would_pass_the_deadline(monkeypatch):
    """On BBC's articles contrastive MiniLM's three estimating fits took about 200 s,
    begun with 86 s left, and the run ended at 619 s of 600. A fit on more texts takes at
    least as long as the last one, so the estimate stops when that would pass the deadline."""
    now, sizes = [0.0], []

    class Dear:  # 30 s the warm-up, then 5 s + 0.1 s a text
        def fit(self, texts, labels):
            now[0] += (30.0 if not sizes else 5.0) + 0.1 * len(texts)
            sizes.append(len(texts))

    monkeypatch.setattr(auto_trial.Trial, "_classifier", lambda self, candidate: Dear())
    texts, labels = corpus(1000)
    trial = auto_trial.Trial(texts, np.asarray(labels), 5, 0, "accuracy", lambda: now[0], {})
    dear = Candidate("contrastive", "encoder", holdout=True)
    row = trial.run(dear, deadline=50.0)  # the warm-up ends at 33.2 s: 16.8 s left < 33.2 s
    assert sizes == [32] and row["too_dear"]
    assert row["skipped"] == "no time left to estimate it: a fit on 32 texts took 33 s, 17 s left"
    now[0], sizes[:] = 0.0, []
    row = trial.run(dear, deadline=80.0)  # each next fit fits: the three run, then the estimate
    assert sizes == [32, 50, 100] and row["skipped"] == "estimated 85 s, 22 s left"
