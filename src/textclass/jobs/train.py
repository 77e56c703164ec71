"""The train job: load and split the data, fit, score on the test part; write the run.

:func:`fit_and_score` checks everything it can before any model trains (the
settings, then the data: columns, labels of a test file against the training
labels), fits and scores; :func:`write_run` saves the model, its metrics, its
confident mistakes and the HTML report. :func:`train` is both.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from textclass.data import Dataset
from textclass.data.splits import check_test_size
from textclass.errors import ConfigError
from textclass.estimator import TextClassifier
from textclass.estimator.auto import AUTO
from textclass.evaluation import metrics_from_proba
from textclass.evaluation.metrics import mistakes_for
from textclass.experiments.auto_runners import check_jobs
from textclass.jobs.loading import load_noted, prepare_noted
from textclass.jobs.notes import Notes
from textclass.jobs.requests import TrainRequest
from textclass.preprocessing.base import cut_warning

# below this many words a vocabulary is suspicious (warned, not refused)
SMALL_VOCABULARY = 100
# words or n-grams explaining each confident mistake in the report
MISTAKE_FEATURES = 5


@dataclass
class TrainResult:
    classifier: TextClassifier
    train: Dataset
    test: Dataset
    metrics: dict
    seconds: float
    out: Path | None = None
    notes: list[str] = field(default_factory=list)
    mistakes: list[dict] = field(default_factory=list)


def train(request: TrainRequest, report: Callable[[str], None] | None = None) -> TrainResult:
    """Fit and score (:func:`fit_and_score`), then write the run if ``request.out`` is set.

    ``report`` receives each note and warning as it arises."""
    notes = Notes(report)
    request = checked(request)
    result = fit_and_score(request, notes)
    if request.out is not None:
        write_run(result, request, notes)
    result.notes = list(notes)
    return result


def fit_and_score(request: TrainRequest, notes: Notes) -> TrainResult:
    """Load ``request.data``, split it (or use ``request.test_data``), fit, score the test part.

    ``test_size=None``: the publisher's train/test split where the dataset has one
    (IMDB), else 25 % (see :func:`textclass.data.split_dataset`).
    """
    request = checked(request)
    auto = request.classifier.model == AUTO
    clf = _classifier(request, auto=auto)  # settings checked before any data is read
    data = load_noted(request.data, request.data_options, notes)
    test = None
    if request.test_data is not None:
        test = load_noted(request.test_data, request.data_options, notes)
    prepared = prepare_noted(
        data, notes, test=test, test_size=request.test_size, seed=request.seed,
        stratify=request.stratify, where=request.test_data,
    )  # fmt: skip
    if request.audit:
        audit_notes(prepared, notes)
    leaderboard = None
    if auto:  # chosen inside the training part only: the test part is never read
        request, leaderboard = choose_model(request, prepared.train, notes)
        clf = _classifier(request)
    monitor, watched = _validation(clf, prepared, notes)
    started = time.perf_counter()
    clf.fit(prepared.train.texts, prepared.train.labels, validation_data=monitor)
    seconds = time.perf_counter() - started
    _warn_after_fit(clf, notes)
    metrics, mistakes = _score(clf, prepared.test)
    for line in clf.notes_.get("thresholds", []):
        notes.note(line)
    metrics["train_seconds"] = seconds
    metrics["history_validation"] = watched
    metrics["data"] = {"train": prepared.train.summary(), "test": prepared.test.summary()}
    if leaderboard is not None:
        metrics["auto"] = leaderboard
    metrics["notes"] = list(notes)  # the report shows them: it outlives the terminal
    return TrainResult(
        clf, prepared.train, prepared.test, metrics, seconds, request.out, list(notes), mistakes
    )


def write_run(result: TrainResult, request: TrainRequest, notes: Notes) -> Path:
    """The run directory: model, metrics, confident mistakes, report and figures."""
    from textclass.persistence import RunDirectory
    from textclass.rendering import plots
    from textclass.rendering.html import write_run_report

    source = {
        "source": request.data,
        "test": request.test_data,
        "test_size": request.test_size,
        "seed": request.seed,
    }
    out = Path(request.out)
    result.classifier.save(out, metrics=result.metrics, extra={"data": source})
    if "auto" in result.metrics:  # every candidate's CV score, or why it was skipped
        text = json.dumps(result.metrics["auto"], indent=2, default=str)
        (out / "leaderboard.json").write_text(text + "\n", encoding="utf-8")
    RunDirectory(out).write_mistakes(result.mistakes)
    write_run_report(out, redraw=True)  # also draws history.png and confusion.png
    if not plots.available():
        notes.note(plots.PLOTS_MISSING)
    result.out = out
    return out


def checked(request: TrainRequest) -> TrainRequest:
    """``request`` with its test size as ``split_dataset`` takes it (``200.0`` -> 200 rows)."""
    return replace(request, test_size=check_test_size(request.test_size))


def audit_notes(prepared, notes: Notes) -> None:
    """``train --audit``: the audit's cheap checks (no model fitted), one line per kind
    found; test rows that also appear in training are a warning."""
    from textclass.audit import audit
    from textclass.audit.report import LEAKAGE

    report = audit(prepared.train, prepared.test, label_errors=False)
    for kind, count in report.counts().items():
        if count and kind == LEAKAGE:
            notes.warn(f"audit: {count} {kind}: the test score counts them (textclass audit)")
        elif count:
            notes.note(f"audit: {count} {kind}")


AUTO_LOG = "auto"  # the run directory's folder of auto's trial log (resume after a kill)


def choose_model(request: TrainRequest, train: Dataset, notes: Notes):
    """``(request for the winner, leaderboard)``: :func:`textclass.experiments.auto.choose`
    on the training part, within the request's time limit."""
    from textclass.experiments.auto import choose

    started = time.perf_counter()
    log = None if request.out is None else Path(request.out) / AUTO_LOG
    if log is not None and not request.resume and (Path(request.out) / "config.json").exists():
        shutil.rmtree(log, ignore_errors=True)  # a finished run is being replaced, log too
    chosen = choose(
        train.texts, train.labels, time_limit_s=request.time_limit_s,
        seed=request.seed if request.seed is not None else 0, progress=notes.note,
        settings={k: v for k, v in request.classifier.params().items() if k != "model"},
        log=log, resume=request.resume, jobs=request.jobs, cluster=request.cluster,
    )  # fmt: skip
    best = chosen.best
    notes.note(
        f"auto: {best.name} chosen by {chosen.cv}-fold CV ({chosen.scoring}) on the training "
        f"part in {time.perf_counter() - started:.0f} s"
    )
    classifier = replace(request.classifier, model=best.model, **best.settings)
    params = {**best.params, **request.model_params}
    board = {"scoring": chosen.scoring, "cv": chosen.cv, "candidates": chosen.leaderboard}
    # the winner's request: a fixed family, without auto's own options
    winner = replace(request, classifier=classifier, model_params=params, resume=False, jobs=1,
                     cluster=None)  # fmt: skip
    return winner, board


def _check_auto_options(request: TrainRequest, auto: bool) -> None:
    if not auto:
        if request.resume or request.jobs != 1 or request.cluster is not None:
            raise ConfigError("--resume, --jobs and --cluster are --model auto's (its candidates)")
        return
    if not request.time_limit_s > 0:
        raise ConfigError(f"--time-limit must be positive, got {request.time_limit_s:g} s")
    if request.resume and request.out is None:
        raise ConfigError("--resume continues the auto run saved in --out: give --out")
    check_jobs(request.jobs, request.cluster)
    if request.cluster is not None:
        from textclass.cluster import check_address

        check_address(request.cluster)


def _classifier(request: TrainRequest, *, auto: bool = False) -> TextClassifier:
    """The unfitted classifier; impossible settings fail before any data is read (for
    ``auto``, every setting but the family's)."""
    _check_auto_options(request, auto)
    if auto:
        request = replace(request, classifier=replace(request.classifier, model="ngram"))
    clf = TextClassifier(**{"random_state": request.seed, **request.classifier.params()})
    if request.model_params:
        clf.set_params(**{f"model__{k}": v for k, v in request.model_params.items()})
    clf.check_params()
    request.data_options.check()
    if request.test_data is not None and request.test_size is not None:
        raise ConfigError("give either a test file (--test) or a test size (--test-size), not both")
    return clf


def _validation(clf: TextClassifier, prepared, notes: Notes):
    """``(validation data or None, what the history's validation curve shows)``.

    A publisher's dev part is the validation data (early stopping, thresholds). A tuned
    threshold holds its own share of the training texts out (it also serves early
    stopping), so no other split is made for it, and it never sees the test set. With
    neither a validation split nor early stopping, the test set is scored after each
    epoch for the history plot only (as the tutorials do); it never steers training.
    """
    n = len(prepared.train)
    tuned = _pin_threshold(clf, prepared)
    settings = clf.training_settings(n_samples=n, validation_data=tuned)
    monitor, watched = None, "validation split"
    if prepared.dev is not None:
        monitor, watched = (prepared.dev.texts, prepared.dev.labels), "dev part"
        settings = clf.training_settings(n_samples=n, validation_data=True)
        notes.note(f"validation data: the {len(prepared.dev)} rows of the publisher's dev part")
    elif not settings["validation_split"] and not settings["early_stopping"] and not tuned:
        monitor = (prepared.test.texts, prepared.test.labels)
        watched = "test set, monitoring only"
        settings = clf.training_settings(n_samples=n, validation_data=True)
    for line in settings["notes"]:
        notes.note(line)
    if clf.num_words is not None and clf.num_words - 1 < SMALL_VOCABULARY:
        notes.warn(
            f"num_words={clf.num_words} keeps only the {clf.num_words - 1} most frequent words"
        )
    return monitor, watched


def _pin_threshold(clf, prepared) -> bool:
    """Whether the threshold is tuned; a multi-label default is pinned to what it means
    here (tuned on the dev part or a held-out share, or 0.5), so the test set, which a
    network may be shown for its history plot, never tunes it."""
    from textclass.decisions.thresholds import rule_for

    multilabel = prepared.train.multilabel
    rule = rule_for(
        clf.threshold, multilabel=multilabel, n_texts=len(prepared.train),
        has_validation=prepared.dev is not None,
    )  # fmt: skip
    if clf.threshold is None and multilabel:
        clf.set_params(threshold=rule.describe() if rule is not None else 0.5)
    return rule is not None and rule.tuned


def _warn_after_fit(clf: TextClassifier, notes: Notes) -> None:
    vocabulary = clf.describe_inputs().get("vocab_size")
    if vocabulary is not None and vocabulary - 1 < SMALL_VOCABULARY and clf.num_words is None:
        notes.warn(
            f"the vocabulary has only {vocabulary - 1} words (under {SMALL_VOCABULARY}): "
            "the training data may be too small"
        )
    cut = cut_warning(clf)
    if cut:
        notes.warn(cut)


def _score(clf: TextClassifier, test: Dataset) -> tuple[dict, list[dict]]:
    """Test metrics, and the confident mistakes with the words that made them."""
    proba = clf.predict_proba(test.texts)
    metrics = metrics_from_proba(clf, test.labels, proba, test.groups)
    mistakes = mistakes_for(clf, test.texts, test.labels, proba)
    if mistakes:  # why the model was confident: shown beside each mistake in the report
        reasons = clf.explain([m["text"] for m in mistakes], top=MISTAKE_FEATURES)
        for mistake, reason in zip(mistakes, reasons):
            mistake["explanation"] = reason
    return metrics, mistakes
