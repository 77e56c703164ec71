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

import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from textclass.experiments.auto_runners import check_jobs, run_candidates

# the share of the time limit the candidates may use; the rest is the winner's final fit
SEARCH_SHARE = 0.7
SUBSAMPLE_TEXTS = 300  # texts of the fit that estimates a candidate's cost


@dataclass(frozen=True)
class Candidate:
    name: str  # as the leaderboard shows it
    model: str  # the family
    params: dict = field(default_factory=dict)  # the family's hyperparameters
    settings: dict = field(default_factory=dict)  # TextClassifier settings (epochs, ...)
    # a frozen encoder: each text is encoded once (the vector cache), folds train heads only
    encodes_once: bool = False


CANDIDATES = (
    Candidate("ngram (NB 1-3)", "ngram"),
    Candidate("ngram tf-idf 1-2", "ngram", {"weighting": "tfidf", "ngram_range": (1, 2), "C": 1.0}),
    Candidate("ngram NB 1-3 + char 2-5", "ngram", {"char_ngram_range": (2, 5)}),
    Candidate("logreg", "logreg"),
    Candidate("cnn", "cnn"),
    Candidate("embedding", "embedding"),
    Candidate("encoder (frozen MiniLM)", "encoder", encodes_once=True),
    Candidate(
        "encoder (frozen MPNet)", "encoder", {"weights": "all-mpnet-base-v2"}, encodes_once=True
    ),
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
    journal = _journal(log, resume, texts, labels, time_limit_s, cv, seed, scoring, settings,
                       candidates)  # fmt: skip
    spent = journal.spent if journal else 0.0  # by the candidates a killed run finished
    deadline_all = clock() + time_limit_s - spent
    deadline = clock() + time_limit_s * SEARCH_SHARE - spent
    trial = _Trial(texts, labels, cv, seed, scoring, clock, settings or {})
    rows = _rows(trial, candidates, deadline, journal, progress, jobs=jobs, cluster=cluster)
    scored = [r for r in rows if "score" in r]
    if not scored:
        raise _nothing_fits(rows, time_limit_s)
    best = _winner(scored, cv)
    ensemble = trial.ensemble(scored, best, time_left=deadline_all - clock())
    if ensemble is not None:
        if progress is not None:
            progress(_describe(ensemble))
        scored, best = [ensemble, *scored], ensemble
    board = sorted(scored, key=lambda r: -r["score"]) + [r for r in rows if "score" not in r]
    return AutoResult(best["candidate"], [_public(r) for r in board], scoring, cv)


def _rows(trial, candidates, deadline, journal, progress, *, jobs, cluster) -> list[dict]:
    """Each candidate's row, in the candidates' order: from the trial log of a killed run,
    or run now (here, in processes or on a cluster), logged as it finishes."""
    found = {c.name: journal.restore(c) for c in candidates} if journal else {}

    def done(row: dict, seconds: float) -> None:
        found[row["name"]] = row
        if journal:
            journal.append(row, seconds)
        if progress is not None:
            progress(_describe(row))

    for row in filter(None, found.values()):
        if progress is not None:
            progress(_describe(row))
    todo = [c for c in candidates if found.get(c.name) is None]
    run_candidates(trial, todo, deadline, done, jobs=jobs, cluster=cluster)
    return [found[c.name] for c in candidates]


def _journal(log, resume, texts, labels, time_limit_s, cv, seed, scoring, settings, candidates):
    """The run's :class:`~.auto_log.AutoLog` (None without ``log``), fingerprinted by
    everything its rows depend on."""
    if log is None:
        return None
    from textclass.experiments.auto_log import AutoLog, digest

    fields = {
        "data": digest(texts, labels), "time_limit_s": time_limit_s, "cv": cv, "seed": seed,
        "scoring": scoring, "settings": settings or {}, "candidates": [c.name for c in candidates],
    }  # fmt: skip
    return AutoLog(Path(log), fields, resume=resume)


@dataclass
class _Trial:
    texts: list
    labels: np.ndarray
    cv: int
    seed: int | None
    scoring: str  # a scorer name (the scorer itself is a closure: not picklable)
    clock: Callable[[], float]
    settings: dict

    def run(self, candidate: Candidate, deadline: float) -> dict:
        row = {"candidate": candidate, "name": candidate.name}
        if self.clock() >= deadline:
            return {**row, "skipped": "no time left"}
        try:
            estimate = self._estimate(candidate)
        except Exception as exc:  # a family that cannot run here (no weights, too few texts)
            return {**row, "skipped": f"cannot run: {type(exc).__name__}: {exc}"}
        left = deadline - self.clock()
        if estimate > left:
            return {**row, "skipped": f"estimated {estimate:.0f} s, {max(left, 0):.0f} s left"}
        return {**row, **self._cross_validate(candidate)}

    def _classifier(self, candidate: Candidate):
        from textclass.estimator import TextClassifier

        given = {**self.settings, **candidate.settings}
        clf = TextClassifier(model=candidate.model, random_state=self.seed, **given)
        return clf.set_params(**{f"model__{k}": v for k, v in candidate.params.items()})

    def _estimate(self, candidate: Candidate) -> float:
        """Seconds for the whole cross-validation, from one fit on a subsample (linear in
        the texts: a fold fits on (k-1)/k of them; a frozen encoder's texts are encoded
        once, then each fold's head costs about the subsample's fit)."""
        n = len(self.texts)
        rows = np.random.default_rng(self.seed).permutation(n)[: min(n, SUBSAMPLE_TEXTS)]
        started = self.clock()
        self._classifier(candidate).fit([self.texts[i] for i in rows], self.labels[rows])
        seconds = self.clock() - started
        if candidate.encodes_once:
            return seconds * n / len(rows) + seconds * self.cv
        return seconds * (n * (self.cv - 1) / self.cv) / len(rows) * self.cv

    def _cross_validate(self, candidate: Candidate) -> dict:
        from textclass.evaluation.crossval import cross_validate, fold_indices

        started = self.clock()
        held = [rows for _, rows in fold_indices(self.labels, self.cv, self.seed)]
        oof = {}  # out-of-fold probabilities, in the sorted classes' (or labels') columns
        latency = []

        def keep(fold, model, held_texts):
            if fold == 0:
                latency.append(single_text_ms(model, held_texts[0]))
            columns = np.searchsorted(self.classes, model.classes_)
            proba = np.zeros((len(held_texts), len(self.classes)))
            proba[:, columns] = model.predict_proba(held_texts)
            oof[fold] = proba

        done = cross_validate(
            self._classifier(candidate), self.texts, self.labels, cv=self.cv, seed=self.seed,
            scorer=self.scorer, inspect=keep,
        )  # fmt: skip
        summary = done["summary"]
        out = {
            "score": summary["score"]["mean"],
            "std": summary["score"]["std"],
            "fit_seconds": summary["train_seconds"]["mean"],
            "cv_seconds": self.clock() - started,
            "latency_ms": latency[0] if latency else None,
        }
        if len(oof) == self.cv:
            out["oof"] = np.zeros((len(self.texts), len(self.classes)))
            for fold, rows in enumerate(held):
                out["oof"][rows] = oof[fold]
        return out

    @property
    def scorer(self) -> Callable:
        from textclass.evaluation.scoring import get_scorer

        return get_scorer(self.scoring)

    @functools.cached_property
    def multilabel(self) -> bool:
        return self.labels.dtype == object and isinstance(self.labels[0], tuple)

    @functools.cached_property
    def classes(self) -> np.ndarray:
        """The sorted classes, or for label sets the sorted labels."""
        if self.multilabel:
            return np.array(sorted({x for labels in self.labels for x in labels}))
        return np.unique(self.labels)

    def ensemble(self, scored: list[dict], best: dict, *, time_left: float) -> dict | None:
        """The greedy ensemble's row when it beats ``best`` by more than ``best``'s standard
        error and refitting its members fits in ``time_left``; else None."""
        from textclass.experiments.ensemble_selection import label_set_scorer, proba_scorer, select

        with_oof = [r for r in scored if "oof" in r]
        if len(with_oof) < 2:
            return None
        if self.multilabel:  # thresholds tuned per label, as fit tunes them
            score = label_set_scorer(self.scoring, self.classes, self.labels)
        else:
            score = proba_scorer(self.scorer, self.classes, self.labels)
        shares, value = select({r["name"]: r["oof"] for r in with_oof}, score)
        single = score(best["oof"]) if "oof" in best else best["score"]
        members = [r for r in with_oof if r["name"] in shares]
        refit = sum(r["fit_seconds"] for r in members) * self.cv / max(self.cv - 1, 1)
        if len(members) < 2 or value <= single + best["std"] / math.sqrt(self.cv):
            return None
        if refit > time_left:
            return None
        return _ensemble_row(members, shares, value, refit)


def _ensemble_row(members: list[dict], shares: dict, value: float, refit: float) -> dict:
    specs = [{"model": r["candidate"].model, "params": dict(r["candidate"].params),
              "settings": dict(r["candidate"].settings)} for r in members]  # fmt: skip
    weights = [round(shares[r["name"]], 4) for r in members]
    name = "ensemble (" + ", ".join(f"{r['name']} {w:.2f}" for r, w in zip(members, weights)) + ")"
    candidate = Candidate(name, "ensemble", {"members": specs, "weights": weights})
    # its score is the out-of-fold one it was selected on: no folds, no std
    latencies = [r.get("latency_ms") for r in members]
    latency = sum(latencies) if None not in latencies else None  # members run one by one
    return {"candidate": candidate, "name": name, "score": value, "std": None,
            "fit_seconds": refit, "cv_seconds": 0.0, "latency_ms": latency,
            "scored_on": "out-of-fold probabilities"}  # fmt: skip


def _winner(scored: list[dict], cv: int) -> dict:
    """The best mean score; among those within one standard error of it (its folds' std
    over the square root of their number), the fastest to fit."""
    top = max(scored, key=lambda r: r["score"])
    margin = top["std"] / math.sqrt(cv)
    close = [r for r in scored if r["score"] >= top["score"] - margin]
    return min(close, key=lambda r: r["fit_seconds"])


def _public(row: dict) -> dict:
    candidate = row["candidate"]
    out = {k: v for k, v in row.items() if k not in ("candidate", "oof", "resumed")}
    return {**out, "model": candidate.model, "params": candidate.params}


def _describe(row: dict) -> str:
    if row.get("resumed"):
        return _describe({k: v for k, v in row.items() if k != "resumed"}) + " (trial log)"
    latency = "" if row.get("latency_ms") is None else f", {row['latency_ms']:.1f} ms a text"
    if row.get("std") is None and "score" in row:
        return f"{row['name']}: {row['score']:.4f} on the out-of-fold probabilities{latency}"
    if "score" in row:
        return (f"{row['name']}: {row['score']:.4f} ± {row['std']:.4f} "
                f"({row['cv_seconds']:.0f} s{latency})")  # fmt: skip
    return f"{row['name']}: skipped ({row['skipped']})"


def single_text_ms(model, text: str, repeats: int = 5) -> float:
    """Median milliseconds of ``model.predict_proba([text])`` after one call to warm up
    (what one request to the service costs the model)."""
    model.predict_proba([text])
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        model.predict_proba([text])
        times.append(time.perf_counter() - started)
    return round(float(np.median(times)) * 1000, 2)


def _nothing_fits(rows: list[dict], time_limit_s: float):
    from textclass.errors import ConfigError

    reasons = "; ".join(f"{r['name']}: {r['skipped']}" for r in rows)
    return ConfigError(
        f"--model auto: no candidate fits in --time-limit {time_limit_s:g} s ({reasons})"
    )
