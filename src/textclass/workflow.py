"""The jobs behind the CLI: train, evaluate, predict, search. One function each, no printing.

Each job checks everything it can before any model trains: the settings, then
the data (columns, labels of a test file against the training labels). What it
decides or finds suspicious it passes on, one line each, as ``note: ...`` or
``warning: ...`` to the ``report`` callback as it happens (and keeps in the
result).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from textclass.data import Dataset, load, split_dataset
from textclass.data.checks import (
    check_classes,
    check_known_labels,
    check_split,
    rare_class_warning,
)
from textclass.data.readers import check_options
from textclass.data.splits import check_test_size, dev_part
from textclass.errors import ConfigError
from textclass.estimator import TextClassifier
from textclass.evaluation import evaluate, metrics_from_proba
from textclass.evaluation.metrics import mistakes_for
from textclass.inference import Predictions, check_predictable, predict_texts  # noqa: F401
from textclass.preprocessing.base import cut_warning

# below this many words a vocabulary is suspicious (warned, not refused)
SMALL_VOCABULARY = 100
# words or n-grams explaining each confident mistake in the report
MISTAKE_FEATURES = 5


@dataclass(frozen=True)
class DataOptions:
    """Which columns hold what, for files (named datasets have fixed columns)."""

    text_col: str | None = None
    label_col: str | None = None
    group_col: str | None = None
    format: str | None = None
    encoding: str = "utf-8"
    on_empty: str = "error"
    label_sep: str | None = None  # multi-label: labels separated in the label cell
    label_cols: tuple | None = None  # multi-label: 0/1 columns, one per label

    def to_dict(self) -> dict:
        out = asdict(self)
        out["label_cols"] = None if self.label_cols is None else list(self.label_cols)
        return out

    def check(self) -> DataOptions:
        """ConfigError for an unknown encoding, format or empty-text policy."""
        from textclass.data.multilabel import check_options as check_multilabel

        check_options(encoding=self.encoding, on_empty=self.on_empty, format=self.format)
        check_multilabel(self.label_sep, self.label_cols, self.label_col)
        return self


class Notes(list):
    """Lines for the user, ``note: ...`` or ``warning: ...``, passed to ``report`` at once."""

    def __init__(self, report: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.report = report

    def note(self, line: str) -> None:
        self._add(f"note: {line}")

    def warn(self, line: str) -> None:
        self._add(f"warning: {line}")

    def _add(self, line: str) -> None:
        self.append(line)
        if self.report is not None:
            self.report(line)


def load_data(ref: str, options: DataOptions = DataOptions()) -> Dataset:
    from textclass.data import registry

    if registry.is_dataset_name(ref):
        return load(ref)
    return load(
        ref,
        text_col=options.text_col,
        label_col=options.label_col,
        group_col=options.group_col,
        format=options.format,
        encoding=options.encoding,
        on_empty=options.on_empty,
        label_sep=options.label_sep,
        label_cols=None if options.label_cols is None else list(options.label_cols),
    )


@dataclass
class TrainResult:
    classifier: TextClassifier
    train: Dataset
    test: Dataset
    metrics: dict
    seconds: float
    out: Path | None = None
    notes: list[str] = field(default_factory=list)


def train(
    data: str,
    *,
    data_options: DataOptions = DataOptions(),
    test_data: str | None = None,
    test_size: float | int | None = None,
    seed: int | None = None,
    stratify: bool = False,
    estimator_params: dict | None = None,
    model_params: dict | None = None,
    out: str | Path | None = None,
    report: Callable[[str], None] | None = None,
) -> TrainResult:
    """Load ``data``, split it (or use ``test_data``), fit, evaluate on the test part, save.

    ``test_size=None``: the publisher's train/test split where the dataset has
    one (IMDB), else 25 % (see :func:`textclass.data.split_dataset`).
    ``model_params``: the family's hyperparameters (``estimator_params["model"]``
    names the family). ``report`` receives each note and warning as it arises.
    """
    notes = Notes(report)
    params = {"random_state": seed, **(estimator_params or {})}
    clf = TextClassifier(**params)
    if model_params:
        clf.set_params(**{f"model__{k}": v for k, v in model_params.items()})
    clf.check_params()  # impossible settings fail before any data is read
    data_options.check()
    test_size = check_test_size(test_size)
    if test_data is not None and test_size is not None:
        raise ConfigError("give either a test file (--test) or a test size (--test-size), not both")
    train_set, test_set, dev_set = _train_and_test(
        data, data_options, test_data, test_size, seed, stratify, notes
    )
    # With no validation split and no early stopping, the test set is scored after
    # each epoch for the history plot only (as the tutorials do); it never steers
    # training. With early stopping, only a validation split from training data is used.
    # A publisher's dev part is the validation data (early stopping, thresholds); a tuned
    # threshold never sees the test set.
    # a tuned threshold holds its own share of the training texts out (it also serves as
    # the validation data of early stopping), so no other split is made for it
    tuned = _tunes_threshold(clf)
    settings = clf.training_settings(n_samples=len(train_set), validation_data=tuned)
    monitor = None
    if dev_set is not None:
        monitor = (dev_set.texts, dev_set.labels)
        settings = clf.training_settings(n_samples=len(train_set), validation_data=True)
        notes.note(f"validation data: the {len(dev_set)} rows of the publisher's dev part")
    elif not settings["validation_split"] and not settings["early_stopping"] and not tuned:
        monitor = (test_set.texts, test_set.labels)
        settings = clf.training_settings(n_samples=len(train_set), validation_data=True)
    for line in settings["notes"]:
        notes.note(line)
    if clf.num_words is not None and clf.num_words - 1 < SMALL_VOCABULARY:
        notes.warn(
            f"num_words={clf.num_words} keeps only the {clf.num_words - 1} most frequent words"
        )
    started = time.perf_counter()
    clf.fit(train_set.texts, train_set.labels, validation_data=monitor)
    seconds = time.perf_counter() - started
    vocabulary = clf.describe_inputs().get("vocab_size")
    if vocabulary is not None and vocabulary - 1 < SMALL_VOCABULARY and clf.num_words is None:
        notes.warn(
            f"the vocabulary has only {vocabulary - 1} words (under {SMALL_VOCABULARY}): "
            "the training data may be too small"
        )
    cut = cut_warning(clf)
    if cut:
        notes.warn(cut)
    proba = clf.predict_proba(test_set.texts)
    metrics = metrics_from_proba(clf, test_set.labels, proba, test_set.groups)
    mistakes = mistakes_for(clf, test_set.texts, test_set.labels, proba)
    if mistakes:  # why the model was confident: shown beside each mistake in the report
        reasons = clf.explain([m["text"] for m in mistakes], top=MISTAKE_FEATURES)
        for mistake, reason in zip(mistakes, reasons):
            mistake["explanation"] = reason
    for line in clf.notes_.get("thresholds", []):
        notes.note(line)
    metrics["train_seconds"] = seconds
    metrics["history_validation"] = (
        "dev part"
        if dev_set is not None
        else "test set, monitoring only"
        if monitor is not None
        else "validation split"
    )
    metrics["data"] = {"train": train_set.summary(), "test": test_set.summary()}
    metrics["notes"] = list(notes)  # the report shows them: it outlives the terminal
    if out is not None:
        clf.save(
            out,
            metrics=metrics,
            extra={
                "data": {"source": data, "test": test_data, "test_size": test_size, "seed": seed}
            },
        )
        from textclass.persistence import RunDirectory
        from textclass.rendering import plots
        from textclass.rendering.html import write_run_report

        RunDirectory(out).write_mistakes(mistakes)
        write_run_report(out, redraw=True)  # also draws history.png and confusion.png
        if not plots.available():
            notes.note(plots.PLOTS_MISSING)
    return TrainResult(
        clf,
        train_set,
        test_set,
        metrics,
        seconds,
        None if out is None else Path(out),
        list(notes),
    )


def _load_noted(ref: str, options: DataOptions, notes: Notes) -> Dataset:
    """``load_data``, passing on what loading did and found (columns chosen, rows dropped)."""
    dataset = load_data(ref, options)
    for line in dataset.notes:
        notes.note(f"{ref}: {line}")
    for line in dataset.warnings:
        notes.warn(f"{ref}: {line}")
    return dataset


def _tunes_threshold(clf) -> bool:
    from textclass.decisions.thresholds import parse

    rule = parse(clf.threshold)
    return rule is not None and rule.tuned


def _train_and_test(data, options, test_data, test_size, seed, stratify, notes: Notes):
    """(train part, test part, dev part or None), checked against each other before training."""
    dataset = _load_noted(data, options, notes)
    dev_set = None
    if test_data is not None:
        train_set, test_set = dataset, _load_noted(test_data, options, notes)
        check_classes(train_set)
        check_known_labels(test_set.labels, train_set.labels, where=test_data)
    else:
        train_set, test_set = split_dataset(
            dataset, test_size=test_size, seed=seed, stratify=stratify
        )
        check_split(train_set, test_set)
        if test_size is None:
            dev_set = dev_part(dataset)
    warning = rare_class_warning(train_set)
    if warning:
        notes.warn(warning)
    return train_set, test_set, dev_set


def evaluate_run(run_dir: str | Path, data: str, data_options: DataOptions = DataOptions()) -> dict:
    """Score a saved model on every row of ``data`` (per group if it has groups)."""
    data_options.check()
    clf = TextClassifier.load(run_dir)
    dataset = load_data(data, data_options)
    check_known_labels(
        dataset.labels, clf.classes_, where=data, lacking="the model never saw in training"
    )
    result = evaluate(clf, dataset.texts, dataset.labels, dataset.groups)
    result["data"] = dataset.summary()
    return result


def cross_validate_run(
    run_dir: str | Path,
    data: str,
    data_options: DataOptions = DataOptions(),
    *,
    cv: int = 5,
    seed: int | None = 0,
    progress=None,
) -> dict:
    """Re-fit a saved run's settings on ``cv`` folds of ``data`` (see :mod:`textclass.evaluation.crossval`)."""
    from sklearn.base import clone

    from textclass.evaluation.crossval import cross_validate

    data_options.check()
    recipe = clone(TextClassifier.load(run_dir))
    dataset = load_data(data, data_options)
    warnings = []

    def inspect(fold, model, held_texts):  # the first fold's model speaks for all
        cut = cut_warning(model) if fold == 0 else None
        warnings.extend([f"fold 1: {cut}"] if cut else [])

    result = cross_validate(
        recipe,
        dataset.texts,
        dataset.labels,
        cv=cv,
        seed=seed,
        groups=dataset.groups,
        progress=progress,
        inspect=inspect,
    )
    result["data"] = dataset.summary()
    result["warnings"] = warnings
    return result


def search(
    data: str,
    settings,
    *,
    data_options: DataOptions = DataOptions(),
    test_data: str | None = None,
    test_size: float | int | None = 0.25,
    split_seed: int | None = None,
    stratify: bool = False,
    per_group: bool = False,
    out: str | Path = "runs/search",
    resume: bool = False,
    jobs: int = 1,
    on_progress=None,
    report: Callable[[str], None] | None = None,
    cluster=None,
) -> dict:
    """Search on the training part of ``data`` (per group if asked), refit the best
    candidate on all of it and score it on the held-out part (or ``test_data``).

    Writes results.json / results.md, and the refitted best model as a run
    directory (``OUT/best``, or ``OUT/<group>/best``) ready for ``predict``.
    """
    import json

    from textclass.rendering.markdown import search_markdown

    notes = Notes(report)
    settings.check()
    data_options.check()
    test_size = check_test_size(test_size)
    dataset = _load_noted(data, data_options, notes)
    test_set = None if test_data is None else _load_noted(test_data, data_options, notes)
    seed = settings.seed if split_seed is None else split_seed
    if per_group and dataset.groups is None:
        raise ConfigError(f"--per-group needs groups: {data} has none (give --group-col)")
    if per_group and test_set is not None and test_set.groups is None:
        raise ConfigError(f"--per-group with --test needs groups in {test_data} too")
    parts = {None: (dataset, test_set)}
    if per_group:
        parts = {
            str(g): (_group(dataset, g), None if test_set is None else _group(test_set, g))
            for g in dict.fromkeys(dataset.groups.tolist())
        }
    splits = {}
    for group, (part, held) in parts.items():  # every split checked before any trial runs
        if held is None:
            train_set, held = split_dataset(part, test_size=test_size, seed=seed, stratify=stratify)
            check_split(train_set, held)
        else:
            train_set = part
            check_classes(train_set)
            check_known_labels(held.labels, train_set.labels, where=held.name)
        warning = rare_class_warning(train_set)
        if warning:
            notes.warn(warning)
        splits[group] = (train_set, held)
    out = Path(out)
    report_data = {
        "data": data,
        "test": test_data,
        "settings": settings.fingerprint(),
        "split_seed": seed,
        "groups": {},
    }
    for group, (train_set, held) in splits.items():
        folder = out / group if group else out
        entry = _search_one(
            settings, train_set, held, folder, resume, jobs, on_progress, group, cluster
        )
        cut = cut_warning(entry["classifier"])
        if cut:
            notes.warn(f"the best candidate{f' for {group}' if group else ''}: {cut}")
        entry["best_run"] = str(
            _save_best(entry.pop("classifier"), folder / "best", train_set, held, data, seed)
        )
        notes.note(
            f"best candidate refitted on all {len(train_set)} training texts: {entry['best_run']}"
        )
        report_data["groups"][group or "all"] = entry
    out.mkdir(parents=True, exist_ok=True)
    report_data["notes"] = list(notes)
    (out / "results.json").write_text(
        json.dumps(report_data, indent=2, default=str) + "\n", encoding="utf-8"
    )
    (out / "results.md").write_text(search_markdown(report_data), encoding="utf-8")
    return report_data


def _group(dataset: Dataset, group) -> Dataset:
    return dataset.subset(dataset.groups == group, name=f"{dataset.name}[{group}]")


def _search_one(
    settings, train_set, test_set, folder, resume, jobs, on_progress, group, cluster=None
) -> dict:
    """Trials on ``train_set``; the best refitted on all of it and scored on ``test_set``."""
    from textclass.evaluation.scoring import get_scorer
    from textclass.experiments.search import make_estimator, run_search
    from textclass.rendering.markdown import format_trials

    result = run_search(
        settings,
        train_set.texts,
        train_set.labels,
        folder,
        resume=resume,
        jobs=jobs,
        on_progress=on_progress,
        group=group,
        cluster=cluster,
    )
    best = result["best"]
    clf = make_estimator(settings, best["params"]).fit(train_set.texts, train_set.labels)
    scorer = get_scorer(settings.scoring)
    return {
        "trials": result["trials"],
        "best_params": best["params"],
        "best_cv_score": best["mean_score"],
        "best_cv_std": best["std_score"],
        "test_score": float(scorer(clf, test_set.texts, test_set.labels)),
        "test_accuracy": float(clf.score(test_set.texts, test_set.labels)),  # subset, multi-label
        "train_rows": len(train_set),
        "test_rows": len(test_set),
        "trials_table": format_trials(result, settings.scoring),
        "classifier": clf,
    }


def _save_best(clf, path: Path, train_set, test_set, data, seed) -> Path:
    """The refitted best candidate as a normal run directory, with its test metrics."""
    metrics = metrics_from_proba(
        clf, test_set.labels, clf.predict_proba(test_set.texts), test_set.groups
    )
    metrics["data"] = {"train": train_set.summary(), "test": test_set.summary()}
    clf.save(path, metrics=metrics, extra={"data": {"source": data, "seed": seed, "search": True}})
    return path
