"""``--model auto``: the best candidate for these training texts, chosen within a time budget.

Candidates run from cheap to dear (:data:`CANDIDATES`): the ``ngram`` variants, ``logreg``,
the word-id networks and the frozen encoders (MiniLM, then MPNet where its packages are
installed). Each is first fitted on a subsample to estimate what its k-fold
cross-validation would cost on all the texts (a frozen encoder encodes each text once,
its vector cache serving every fold); one that would not
finish in the time left is skipped, with the reason. The others are scored by stratified
k-fold cross-validation **inside the training texts given** (auto never sees a test
split), and the best mean score wins; of two within one standard error of each other, the
faster. A share of the budget is kept for the winner's final fit on all the texts.

For single-label data, the candidates' out-of-fold probabilities then feed greedy
ensemble selection (:mod:`.ensemble_selection`); the weighted ``ensemble`` of the chosen
candidates replaces the single winner only when its out-of-fold score beats the best
single candidate's by more than that candidate's standard error, and when fitting all its
members again fits in the time left.

:func:`choose` returns the winner and a leaderboard (every candidate's score ± std, fit
seconds, or why it was skipped); the train job fits the winner and saves an ordinary run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textclass.experiments.auto_board import (
    Candidate,
    describe,
    nothing_fits,
    public,
    winner,
)
from textclass.experiments.auto_runners import check_jobs, run_candidates
from textclass.experiments.auto_trial import Trial

# the share of the time limit the candidates may use; the rest is the winner's final fit
SEARCH_SHARE = 0.7


MINILM, MPNET = "encoder (frozen MiniLM)", "encoder (frozen MPNet)"
CANDIDATES = (
    Candidate("ngram (NB 1-3)", "ngram"),
    Candidate("ngram tf-idf 1-2", "ngram", {"weighting": "tfidf", "ngram_range": (1, 2), "C": 1.0}),
    Candidate("ngram NB 1-3 + char 2-5", "ngram", {"char_ngram_range": (2, 5)}),
    Candidate("logreg", "logreg"),
    Candidate("cnn", "cnn"),
    Candidate("embedding", "embedding"),
    Candidate(MINILM, "encoder", encodes_once=True),
    Candidate(
        MPNET, "encoder", {"weights": "all-mpnet-base-v2"}, encodes_once=True, dearer_than=(MINILM,)
    ),  # fmt: skip
    Candidate(
        "encoder (contrastive MiniLM)",
        "encoder",
        {"mode": "contrastive"},
        holdout=True,
        dearer_than=(MINILM,),
    ),  # fmt: skip
    Candidate(
        "encoder (contrastive MPNet)",
        "encoder",
        {"mode": "contrastive", "weights": "all-mpnet-base-v2"},
        holdout=True,
        dearer_than=(MPNET, "encoder (contrastive MiniLM)"),
    ),  # fmt: skip
)


@dataclass
class AutoResult:
    best: Candidate
    leaderboard: list[dict]  # one row per candidate, best first, skipped ones last
    scoring: str
    cv: int


def choose(
    texts,
    labels,
    *,
    time_limit_s: float = 600.0,
    cv: int | None = None,
    seed: int | None = 0,
    scoring: str | None = None,
    settings: dict | None = None,
    candidates: tuple[Candidate, ...] = CANDIDATES,
    progress: Callable[[str], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    log: str | Path | None = None,
    resume: bool = False,
    jobs: int = 1,
    cluster=None,
) -> AutoResult:
    """The best of ``candidates`` for ``texts`` and ``labels`` by cross-validation, within
    ``SEARCH_SHARE`` of ``time_limit_s``. ``cv``: folds (None: 5 up to 2,000 texts, else 3);
    ``scoring``: a scorer name (None: accuracy, or f1_macro for label sets); ``settings``:
    ``TextClassifier`` settings every candidate gets (a threshold, class weights).
    ``log``: a folder where each candidate's row is written as it finishes;
    ``resume=True`` takes the rows already there (:mod:`.auto_log`). ``jobs``: candidates
    run in that many processes; ``cluster``: as Dask tasks (:mod:`.auto_runners`)."""
    from textclass.evaluation.crossval import indexable_labels
    from textclass.preprocessing.labels import is_multilabel

    check_jobs(jobs, cluster)
    texts, labels = list(texts), indexable_labels(labels)
    scoring = scoring or ("f1_macro" if is_multilabel(labels) else "accuracy")
    cv = cv or (5 if len(texts) <= 2000 else 3)
    final_budget = time_limit_s * (1 - SEARCH_SHARE)
    trial = Trial(texts, labels, cv, seed, scoring, clock, settings or {}, final_budget)
    journal = _journal(log, resume, trial, time_limit_s, candidates)
    spent = journal.spent if journal else 0.0  # by the candidates a killed run finished
    deadline_all = clock() + time_limit_s - spent
    deadline = clock() + time_limit_s * SEARCH_SHARE - spent
    rows = _rows(trial, candidates, deadline, journal, progress, jobs=jobs, cluster=cluster)
    scored = [r for r in rows if "score" in r]
    if not scored:
        raise nothing_fits(rows, time_limit_s)
    best = winner(scored, cv)
    ensemble = trial.ensemble(scored, best, time_left=deadline_all - clock())
    if ensemble is not None:
        if progress is not None:
            progress(describe(ensemble))
        scored, best = [ensemble, *scored], ensemble
    board = sorted(scored, key=lambda r: -r["score"]) + [r for r in rows if "score" not in r]
    return AutoResult(best["candidate"], [public(r) for r in board], scoring, cv)


def _rows(trial, candidates, deadline, journal, progress, *, jobs, cluster) -> list[dict]:
    """Each candidate's row, in the candidates' order: from the trial log of a killed run,
    or run now (here, in processes or on a cluster), logged as it finishes."""
    found = {c.name: journal.restore(c) for c in candidates} if journal else {}

    def done(row: dict, seconds: float) -> None:
        found[row["name"]] = row
        if journal:
            journal.append(row, seconds)
        if progress is not None:
            progress(describe(row))

    for row in filter(None, found.values()):
        if progress is not None:
            progress(describe(row))
    todo = [c for c in candidates if found.get(c.name) is None]
    run_candidates(trial, todo, deadline, done, jobs=jobs, cluster=cluster, known=found)
    return [found[c.name] for c in candidates]


def _journal(log, resume: bool, trial: Trial, time_limit_s: float, candidates):
    """The run's :class:`~.auto_log.AutoLog` (None without ``log``), fingerprinted by
    everything its rows depend on: the data, the trial's settings, the budget, the
    candidates."""
    if log is None:
        return None
    from textclass.experiments.auto_log import AutoLog, digest

    fields = {
        "data": digest(trial.texts, trial.labels), "time_limit_s": time_limit_s,
        "cv": trial.cv, "seed": trial.seed, "scoring": trial.scoring,
        "settings": trial.settings, "candidates": [c.name for c in candidates],
    }  # fmt: skip
    return AutoLog(Path(log), fields, resume=resume)
