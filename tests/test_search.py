"""Hyperparameter search: scikit-learn compatibility, no leak, nothing lost, progress, jobs."""

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

from textclass import ConfigError, TextClassifier
from textclass.cli import ExitCode, main
from textclass.experiments.search import SearchSettings, candidates, parse_space, run_search

SCRIPT = shutil.which("textclass", path=str(Path(sys.executable).parent)) or "textclass"

# every text carries one word of its own, so a fold's held-out words are known exactly
WORDS = ["good", "great", "fine", "bad", "awful", "poor"]
TEXTS = [f"{WORDS[i % 6]} item{i} thing" for i in range(36)]
LABELS = ["pos" if i % 6 < 3 else "neg" for i in range(36)]


def test_parse_space_lists_brackets_and_distributions():
    space = parse_space(
        {"filters": "32,64,128", "units": "[16,16],[32]", "learning_rate": "loguniform(1e-4,1e-2)"}
    )
    assert space["filters"] == [32, 64, 128] and space["units"] == [[16, 16], [32]]
    draws = space["learning_rate"].rvs(size=200, random_state=0)
    assert draws.min() >= 1e-4 and draws.max() <= 1e-2
    assert candidates(space, grid=False, n_iter=5, seed=1) == candidates(
        space, grid=False, n_iter=5, seed=1
    )
    with pytest.raises(ConfigError, match="--grid needs lists"):
        candidates(space, grid=True, n_iter=5, seed=1)


def vocabulary_guard(estimator, X_val, y_val):
    """A scorer that fails the search if the fold's model knows a held-out-only word."""
    held_only = {w for t in X_val for w in t.split() if w.startswith("item")}
    leaked = held_only & set(estimator.preprocessor_.tokenizer.word_index)
    assert not leaked, f"vocabulary leak: {sorted(leaked)[:5]}"
    return estimator.score(X_val, y_val)


@pytest.mark.parametrize(
    "search_class", [GridSearchCV, pytest.param(RandomizedSearchCV, marks=pytest.mark.slow)]
)
def test_sklearn_searches_fit_the_vocabulary_inside_each_fold(search_class):
    # any family with a word vocabulary will do: embedding compiles fastest
    clf = TextClassifier(model="embedding", epochs=1, maxlen=4, random_state=0)
    space = {"model__embedding_dim": [2, 4]}
    extra = {"n_iter": 2, "random_state": 0} if search_class is RandomizedSearchCV else {}
    search = search_class(clf, space, cv=2, scoring=vocabulary_guard, error_score="raise", **extra)
    search.fit(TEXTS, LABELS)
    assert search.best_params_["model__embedding_dim"] in (2, 4)
    assert search.best_estimator_.preprocessor_.tokenizer.word_index.keys() >= {"item0", "item35"}


def test_our_search_never_leaks_held_out_words(tmp_path, monkeypatch):
    """Each fold's classifier is fitted on exactly that fold's training texts, and its
    vocabulary holds every word of those and none of the fold's held-out-only words."""
    from textclass.evaluation import crossval

    seen = []
    original = crossval.fold_indices

    def spy(labels, k, seed):
        folds = original(labels, k, seed)
        seen.append(folds)
        return folds

    monkeypatch.setattr(crossval, "fold_indices", spy)
    fitted = []
    real_fit = TextClassifier.fit

    def recording_fit(self, X, y, **kw):
        fitted.append((list(X), self))
        return real_fit(self, X, y, **kw)

    monkeypatch.setattr(TextClassifier, "fit", recording_fit)
    settings = SearchSettings(model="logreg", space={"C": [0.5, 2.0]}, cv=3, grid=True)
    run_search(settings, TEXTS, LABELS, tmp_path)
    assert len(seen) == 2 and all(len(folds) == 3 for folds in seen)  # a 3-fold CV per trial
    assert len(fitted) == 6
    for (train_texts, model), (train, held) in zip(fitted, [f for folds in seen for f in folds]):
        assert sorted(train_texts) == sorted(TEXTS[i] for i in train)
        held_texts = {TEXTS[i] for i in held}
        assert held_texts and not held_texts & set(train_texts)
        vocab = set(model.preprocessor_.tokenizer.word_index)
        own = {w for t in train_texts for w in t.split()}
        held_only = {w for t in held_texts for w in t.split()} - own
        assert len(held_only) == len(held_texts)  # each held-out text's item<i>
        assert vocab == own and not vocab & held_only


def start_cli(*args):
    return subprocess.Popen(
        [SCRIPT, *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def run_cli(*args):
    return subprocess.run([SCRIPT, *map(str, args)], capture_output=True, text=True, timeout=600)


SEARCH = [
    "search",
    "uci-sentiment:yelp",
    "--model",
    "dense",
    "--param",
    "units=2,4,8,16,32,64",
    "--grid",
    "--cv",
    "2",
    "--epochs",
    "3",
    "--seed",
    "1",
]


def trials(folder: Path) -> list[dict]:
    path = folder / "trials.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


@pytest.mark.slow  # three real CLI searches, ~70 s; test_resume_refuses_changed_settings... is fast
def test_killed_search_resumes_without_losing_or_repeating_trials(tmp_path, shared_data):
    killed = tmp_path / "killed"
    proc = start_cli(*SEARCH, "--out", killed)
    deadline = time.time() + 300
    while len(trials(killed)) < 2 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the search ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    before = trials(killed)
    assert 2 <= len(before) < 6

    refused = run_cli(*SEARCH, "--out", killed)
    assert refused.returncode == ExitCode.USAGE and "--resume" in refused.stderr

    resumed = run_cli(*SEARCH, "--out", killed, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    after = trials(killed)
    keys = [t["key"] for t in after]
    assert len(keys) == len(set(keys)) == 6  # none repeated, none missing
    assert after[: len(before)] == before  # finished trials untouched

    whole = tmp_path / "whole"
    assert run_cli(*SEARCH, "--out", whole).returncode == 0
    by_key = {t["key"]: t["fold_scores"] for t in trials(whole)}
    assert {t["key"]: t["fold_scores"] for t in after} == by_key
    ours = json.loads((killed / "results.json").read_text())["groups"]["all"]
    theirs = json.loads((whole / "results.json").read_text())["groups"]["all"]
    assert ours["best_params"] == theirs["best_params"]
    assert ours["test_score"] == theirs["test_score"]


# a CLI search that holds its second trial until it is killed: the kill always lands
# after one trial is logged and before the next one is
HELD = """
import signal, sys
from textclass.experiments import search
real, calls = search.run_trial, []

def held(*args, **kwargs):
    calls.append(1)
    if len(calls) == 2:
        signal.pause()
    return real(*args, **kwargs)

search.run_trial = held
from textclass.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_killed_cli_search_resumes_to_the_uninterrupted_result(tmp_path, capsys):
    csv = tmp_path / "d.csv"
    csv.write_text("text,label\n" + "\n".join(f"{t},{y}" for t, y in zip(TEXTS, LABELS)))
    argv = ["search", str(csv), "--model", "logreg", "-p", "C=0.1,1,10", "--grid", "--cv", "3"]
    argv += ["--seed", "1"]
    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, "-c", HELD, *argv, "--out", str(killed)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not trials(killed) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the search ended before it could be killed"
        assert len(trials(killed)) == 1
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    before = trials(killed)
    assert main([*argv, "--out", str(killed)]) == ExitCode.USAGE
    assert "--resume" in capsys.readouterr().err
    assert main([*argv, "--out", str(killed), "--resume"]) == ExitCode.OK
    after = trials(killed)
    assert after[:1] == before  # the finished trial untouched, not run again
    assert sorted(t["key"] for t in after) == sorted({t["key"] for t in after})
    whole = tmp_path / "whole"
    assert main([*argv, "--out", str(whole)]) == ExitCode.OK
    by_key = {t["key"]: t["fold_scores"] for t in trials(whole)}
    assert len(by_key) == 3 and {t["key"]: t["fold_scores"] for t in after} == by_key
    ours = json.loads((killed / "results.json").read_text())["groups"]["all"]
    theirs = json.loads((whole / "results.json").read_text())["groups"]["all"]
    assert ours["best_params"] == theirs["best_params"]
    assert ours["test_score"] == theirs["test_score"]


def test_resume_refuses_changed_settings_and_skips_torn_lines(tmp_path):
    space = {"C": [0.5, 1.0, 2.0]}
    settings = SearchSettings(model="logreg", space=space, cv=3, grid=True, n_iter=2)
    first = run_search(settings, TEXTS, LABELS, tmp_path)
    # the whole grid, in order (n_iter is for random candidates)
    assert [t["params"]["C"] for t in first["trials"]] == [0.5, 1.0, 2.0]
    with pytest.raises(ConfigError, match="already holds trials: add --resume"):
        run_search(settings, TEXTS, LABELS, tmp_path)  # resume is asked for, never assumed
    log = tmp_path / "trials.jsonl"
    lines = log.read_text().splitlines()
    log.write_text(lines[0] + "\n" + lines[1][:20])  # killed while writing trial 2
    progress = []
    again = run_search(settings, TEXTS, LABELS, tmp_path, resume=True, on_progress=progress.append)
    assert [t["key"] for t in again["trials"]] == [t["key"] for t in first["trials"]]
    assert again["best"]["params"] == first["best"]["params"]
    assert progress[0].done == 1 and progress[-1].done == 3 and progress[-1].best is not None
    assert progress[0].total == 3 and progress[0].best == first["trials"][0]  # before any run
    # the torn line stays in the middle of the log; a second resume reads past it: nothing
    # left to run, every trial once
    assert len(log.read_text().splitlines()) == 4
    progress.clear()
    third = run_search(settings, TEXTS, LABELS, tmp_path, resume=True, on_progress=progress.append)
    assert [p.done for p in progress] == [3] and third["trials"] == again["trials"]
    other = SearchSettings(model="logreg", space={"C": [5.0]}, cv=3, grid=True, n_iter=2)
    with pytest.raises(ConfigError, match=r"search settings differ \(space\)"):
        run_search(other, TEXTS, LABELS, tmp_path, resume=True)


def test_parallel_jobs_give_the_same_trials(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from textclass.experiments import search

    settings = SearchSettings(model="logreg", space={"C": [0.1, 1.0, 10.0]}, cv=3, grid=True)
    serial = run_search(settings, TEXTS, LABELS, tmp_path / "one")
    # a fake clock for the search's own reads: 7 s pass between two progress reports
    clock = SimpleNamespace(now=100.0)
    monkeypatch.setattr(search, "time", SimpleNamespace(perf_counter=lambda: clock.now))
    progress = []

    def report(p):
        progress.append(p)
        clock.now += 7.0

    parallel = run_search(settings, TEXTS, LABELS, tmp_path / "two", jobs=2, on_progress=report)
    assert [t["fold_scores"] for t in parallel["trials"]] == [
        t["fold_scores"] for t in serial["trials"]
    ]
    # the time left follows the wall clock's pace (7 s a trial here, whatever the trials'
    # own fit seconds), which already counts both processes
    assert [(p.done, p.elapsed, p.remaining) for p in progress] == [
        (0, 0.0, None),
        (1, 7.0, 14.0),
        (2, 14.0, 7.0),
        (3, 21.0, 0.0),
    ]


def test_cli_search_per_group_writes_results(tmp_path, shared_data):
    out = tmp_path / "s"
    code = main(
        [
            "search",
            "uci-sentiment",
            "--model",
            "logreg",
            "--param",
            "C=0.5,2",
            "--grid",
            "--cv",
            "3",
            "--per-group",
            "--scoring",
            "f1_macro",
            "--out",
            str(out),
        ]
    )
    assert code == ExitCode.OK
    report = json.loads((out / "results.json").read_text())
    assert set(report["groups"]) == {"yelp", "amazon", "imdb"}
    for group in ("yelp", "amazon", "imdb"):
        assert len(trials(out / group)) == 2
        assert 0.5 < report["groups"][group]["test_score"] <= 1
    assert "| yelp |" in (out / "results.md").read_text()


def test_cli_search_refuses_bad_scoring_and_per_group_without_groups(tmp_path, capsys):
    csv = tmp_path / "plain.csv"
    csv.write_text("text,label\n" + "\n".join(f"{t},{y}" for t, y in zip(TEXTS, LABELS)))
    assert (
        main(
            [
                "search",
                str(csv),
                "--model",
                "logreg",
                "--param",
                "C=1",
                "--scoring",
                "nope",
                "--out",
                str(tmp_path / "x"),
            ]
        )
        == ExitCode.USAGE
    )
    assert "Received: scoring='nope'" in capsys.readouterr().err
    assert (
        main(
            [
                "search",
                str(csv),
                "--model",
                "logreg",
                "--param",
                "C=1",
                "--per-group",
                "--out",
                str(tmp_path / "y"),
            ]
        )
        == ExitCode.USAGE
    )
    assert "--per-group needs groups" in capsys.readouterr().err


def test_bad_ranges_are_clear_errors():
    with pytest.raises(ConfigError, match="no values"):
        parse_space({"filters": ""})
    assert np.isclose(parse_space({"lr": "uniform(0.1,0.3)"})["lr"].rvs(random_state=0), 0.2097627)


@pytest.fixture
def pool(monkeypatch):
    """A stand-in for --jobs' process pool: records how each pool was made and runs the
    submitted trials here; the trials themselves are stand-ins (score: C, or score)."""
    import concurrent.futures

    from textclass.experiments import search
    from textclass.experiments.space import trial_key

    made, ran = [], []

    def trial(settings, params, texts, labels):
        assert settings.model == "logreg" and texts == TEXTS and labels == LABELS
        ran.append(params["C"])
        score = params.get("score", params["C"])
        return {"key": trial_key(params), "params": params, "mean_score": score,
                "fit_seconds": 0.0}  # fmt: skip

    class Pool:
        def __init__(self, **kwargs):
            made.append(kwargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, *args):
            future = concurrent.futures.Future()
            future.set_result(fn(*args))
            return future

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(search, "run_trial", trial)
    return made, ran


@pytest.mark.parametrize(("cores", "jobs", "threads"), [(8, 3, 2), (4, 3, 1), (None, 2, 1)])
def test_parallel_trials_run_in_spawned_processes_with_a_share_of_the_cores(
    pool, monkeypatch, cores, jobs, threads
):
    """--jobs N: N fresh (spawned, not forked: JAX is not fork-safe) processes, each capped
    at cores // N threads (at least 1)."""
    import multiprocessing

    from textclass.experiments import search, workers
    from textclass.threads import limit_threads

    made, ran = pool
    monkeypatch.setattr(workers.os, "cpu_count", lambda: cores)
    settings = SearchSettings(model="logreg", space={"C": [1, 2, 3]}, cv=2, grid=True)
    recorded = []
    pending = [{"C": 1}, {"C": 2}]
    search._run_pending(settings, pending, TEXTS, LABELS, recorded.append, jobs=jobs, cluster=None)
    assert sorted(t["params"]["C"] for t in recorded) == sorted(ran) == [1, 2]
    ((kwargs),) = made
    # never more processes than trials: two trials, two processes even for --jobs 3
    assert kwargs["max_workers"] == min(jobs, 2) and kwargs["initargs"] == (threads,)
    assert kwargs["initializer"] is limit_threads
    assert kwargs["mp_context"] is multiprocessing.get_context("spawn")


def test_jobs_send_two_pending_trials_or_more_to_the_pool(pool, tmp_path):
    made, ran = pool
    two = SearchSettings(model="logreg", space={"C": [2, 1]}, cv=2, grid=True)
    progress = []
    result = run_search(two, TEXTS, LABELS, tmp_path / "a", jobs=2, on_progress=progress.append,
                        group="g")  # fmt: skip
    assert [m["max_workers"] for m in made] == [2] and sorted(ran) == [1, 2]
    assert [t["params"]["C"] for t in result["trials"]] == [2, 1]
    assert result["best"]["params"] == {"C": 2} and result["total"] == 2
    assert [(p.done, p.total, p.group) for p in progress] == [(0, 2, "g"), (1, 2, "g"), (2, 2, "g")]
    assert sorted(p.last["params"]["C"] for p in progress[1:]) == [1, 2]  # each as it ends
    assert progress[0].last is None
    made.clear()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "search.json").write_text("{}")  # settings but no trial: not resumed
    run_search(two, TEXTS, LABELS, tmp_path / "b", jobs=1)  # one process: no pool
    one = SearchSettings(model="logreg", space={"C": [1]}, cv=2, grid=True)
    run_search(one, TEXTS, LABELS, tmp_path / "c", jobs=2)  # one trial: no pool either
    assert made == [] and len(ran) == 5
    tie = SearchSettings(model="logreg", space={"C": [2, 1], "score": [0.5]}, cv=2, grid=True)
    best = run_search(tie, TEXTS, LABELS, tmp_path / "d")["best"]
    assert best["params"] == {"C": 2, "score": 0.5}  # a tie goes to the earlier candidate


def test_a_search_keeps_its_settings_in_search_json_distributions_as_text(tmp_path):
    """search.json beside trials.jsonl holds the settings a resume is checked against;
    values JSON cannot hold are kept as text, a scipy distribution as its name and arguments,
    so that the same settings match on resume."""
    from scipy.stats import loguniform

    settings = SearchSettings(
        model="logreg", space={"C": loguniform(0.1, 10)}, cv=2, n_iter=1, seed=0
    )
    first = run_search(settings, TEXTS, LABELS, tmp_path)
    saved = json.loads((tmp_path / "search.json").read_text())
    assert saved["model"] == "logreg" and saved["n_iter"] == 1
    assert saved["space"] == {"C": "loguniform(0.1, 10)"}  # not its str(): an address
    again = run_search(settings, TEXTS, LABELS, tmp_path, resume=True)
    assert again["trials"] == first["trials"]
    # random candidates are drawn with the settings' seed: the same in another run
    other = run_search(settings, TEXTS, LABELS, tmp_path / "other")
    assert [t["params"] for t in other["trials"]] == [t["params"] for t in first["trials"]]
    assert [t["params"] for t in first["trials"]] == candidates(
        settings.space, grid=False, n_iter=1, seed=0
    )
