"""The jobs behind the CLI: train, evaluate, predict. One function each, no printing."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from textclass.data import Dataset, load, split_dataset
from textclass.errors import ConfigError
from textclass.estimator import TextClassifier
from textclass.evaluation import evaluate


@dataclass(frozen=True)
class DataOptions:
    """Which columns hold what, for files (named datasets have fixed columns)."""

    text_col: str | None = None
    label_col: str | None = None
    group_col: str | None = None
    format: str | None = None
    encoding: str = "utf-8"
    on_empty: str = "error"

    def to_dict(self) -> dict:
        return asdict(self)


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
    test_size: float | None = 0.25,
    seed: int | None = None,
    stratify: bool = False,
    estimator_params: dict | None = None,
    out: str | Path | None = None,
) -> TrainResult:
    """Load ``data``, split it (or use ``test_data``), fit, evaluate on the test part, save."""
    dataset = load_data(data, data_options)
    if test_data is not None:
        train_set, test_set = dataset, load_data(test_data, data_options)
    else:
        if test_size is None and dataset.split is None:
            raise ConfigError(f"{data} has no predefined split: give --test-size or --test")
        train_set, test_set = split_dataset(
            dataset, test_size=test_size, seed=seed, stratify=stratify
        )
    params = {"random_state": seed, **(estimator_params or {})}
    clf = TextClassifier(**params)
    started = time.perf_counter()
    clf.fit(train_set.texts, train_set.labels)
    seconds = time.perf_counter() - started
    metrics = evaluate(clf, test_set.texts, test_set.labels, test_set.groups)
    metrics["train_seconds"] = seconds
    metrics["data"] = {"train": train_set.summary(), "test": test_set.summary()}
    if out is not None:
        clf.save(
            out,
            metrics=metrics,
            extra={
                "data": {"source": data, "test": test_data, "test_size": test_size, "seed": seed}
            },
        )
    return TrainResult(
        clf,
        train_set,
        test_set,
        metrics,
        seconds,
        None if out is None else Path(out),
        dataset.notes,
    )


def evaluate_run(run_dir: str | Path, data: str, data_options: DataOptions = DataOptions()) -> dict:
    """Score a saved model on every row of ``data`` (per group if it has groups)."""
    clf = TextClassifier.load(run_dir)
    dataset = load_data(data, data_options)
    result = evaluate(clf, dataset.texts, dataset.labels, dataset.groups)
    result["data"] = dataset.summary()
    return result


def predict_texts(
    run_dir: str | Path, texts: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(labels, probabilities of the predicted label, class list) for ``texts``."""
    clf = TextClassifier.load(run_dir)
    proba = clf.predict_proba(texts)
    best = np.argmax(proba, axis=1)
    return clf.classes_[best], proba[np.arange(len(best)), best], clf.classes_
