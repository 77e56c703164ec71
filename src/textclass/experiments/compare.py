"""A leaderboard: many model families trained on the same split(s) of one dataset.

Each row: accuracy, macro F1, train seconds, prediction throughput, parameter
count, artifact size, and accuracy per group. A family that fails gets a row
with its error; the others still run.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from textclass.data import Dataset
from textclass.data.preparation import prepare
from textclass.errors import ConfigError, TextclassError
from textclass.persistence import RunDirectory


def compare_models(
    dataset: Dataset,
    models: list[str],
    *,
    test_size: float | None = 0.25,
    seed: int | None = 0,
    cv: int | None = None,
    test: Dataset | None = None,
    stratify: bool = False,
    estimator_params: dict | None = None,
    model_params: dict | None = None,
    reporter=None,
) -> list[dict]:
    """Train and score every model on ``dataset``; one result row per model.

    ``cv=None``: one train/test split (``test_size``, ``seed``, label proportions
    kept with ``stratify``; the publisher's split when ``test_size`` is None), or
    all of ``dataset`` for training and ``test`` for testing. ``cv=K``: K
    stratified folds, metrics as means (with ``*_std``). ``model_params`` maps a
    family name to its hyperparameters. ``reporter`` (see :class:`Reporter`)
    follows the progress.
    """
    reporter = reporter or Reporter()
    for name in models:  # impossible settings fail here, before any model trains
        _make(name, seed, estimator_params, model_params).check_params()
    if cv and test is not None:
        raise ConfigError("cross-validation (cv) and a separate test set exclude each other")
    rows = []
    prepared = prepare(
        dataset, test=test, test_size=test_size, seed=seed, stratify=stratify, cv=bool(cv)
    )
    split = None if cv else (prepared.train, prepared.test)
    for name in models:
        reporter.start_model(name)
        try:
            row = _run_one(name, dataset, split, cv, seed, estimator_params, model_params, reporter)
        except (TextclassError, ValueError, RuntimeError, MemoryError) as exc:
            row = {"model": name, "error": f"{type(exc).__name__}: {exc}"}
        reporter.end_model(name, row)
        rows.append(row)
    return rows


class Reporter:
    """Progress hooks; the CLI draws them with rich, the library ignores them."""

    def start_model(self, name: str) -> None: ...

    def start_fold(self, fold: int, folds: int) -> None: ...

    def keras_callbacks(self) -> list:
        return []

    def end_model(self, name: str, row: dict) -> None: ...


def _make(name, seed, estimator_params, model_params):
    from textclass.estimator import TextClassifier
    from textclass.models.registry import resolve

    clf = TextClassifier(random_state=seed, **(estimator_params or {}))
    clf.set_params(model=resolve(name, (model_params or {}).get(name)))
    return clf


def _run_one(name, dataset, split, cv, seed, estimator_params, model_params, reporter) -> dict:
    from textclass.evaluation import evaluate
    from textclass.evaluation.crossval import cross_validate

    clf = _make(name, seed, estimator_params, model_params)
    row: dict = {"model": name, "error": None}
    if cv:
        measured = {}

        def inspect(fold, model, held_texts):
            if fold == 0:
                measured.update(_measure(model, held_texts))
                measured.update(_warnings(model))

        result = cross_validate(
            clf,
            dataset.texts,
            dataset.labels,
            cv=cv,
            seed=seed,
            groups=dataset.groups,
            progress=reporter.start_fold,
            fit_kwargs={"callbacks": reporter.keras_callbacks()},
            inspect=inspect,
        )
        summary = result["summary"]
        for key in ("accuracy", "f1_macro", "train_seconds"):
            row[key] = summary[key]["mean"]
            row[f"{key}_std"] = summary[key]["std"]
        for group, stats in summary.get("per_group", {}).items():
            row[f"accuracy[{group}]"] = stats["accuracy"]["mean"]
        row.update(measured)
        return row
    train, test = split
    started = time.perf_counter()
    clf.fit(train.texts, train.labels, callbacks=reporter.keras_callbacks())
    row["train_seconds"] = time.perf_counter() - started
    metrics = evaluate(clf, test.texts, test.labels, test.groups)
    row["accuracy"], row["f1_macro"] = metrics["accuracy"], metrics["f1_macro"]
    if "f1_micro" in metrics:  # multi-label: accuracy is subset accuracy
        row["f1_micro"] = metrics["f1_micro"]
    for group, result in metrics.get("per_group", {}).items():
        row[f"accuracy[{group}]"] = result["accuracy"]
    row.update(_measure(clf, test.texts))
    row.update(_warnings(clf))
    return row


def _warnings(clf) -> dict:
    """``{"warnings": [...]}`` about a fitted model's training (texts cut at maxlen), or {}."""
    from textclass.preprocessing.base import cut_warning

    cut = cut_warning(clf)
    return {"warnings": [cut]} if cut else {}


def _measure(clf, texts: list[str]) -> dict:
    """Throughput of ``predict_proba`` on ``texts``, parameters, artifact size."""
    sample = list(texts[:2000]) or ["a"]
    clf.predict_proba(sample[:8])  # warm-up: compilation is not throughput
    started = time.perf_counter()
    clf.predict_proba(sample)
    seconds = max(time.perf_counter() - started, 1e-9)
    with tempfile.TemporaryDirectory() as tmp:
        clf.save(Path(tmp) / "model")
        size = RunDirectory(Path(tmp) / "model").size_bytes()
    return {
        "texts_per_second": len(sample) / seconds,
        "parameters": clf.count_params(),
        "artifact_bytes": size,
    }


def sort_rows(rows: list[dict]) -> list[dict]:
    """Best accuracy first; failed models last."""
    return sorted(rows, key=lambda r: (r.get("error") is not None, -(r.get("accuracy") or 0)))


def write_leaderboard(rows: list[dict], out: str | Path, title: str) -> list[Path]:
    """leaderboard.md, leaderboard.csv and leaderboard.html (with a bar chart) in ``out``."""
    import pandas as pd

    from textclass.rendering.html import write_leaderboard_html
    from textclass.rendering.markdown import cell, leaderboard_columns, to_markdown
    from textclass.rendering.plots import PlotsUnavailable, plot_leaderboard

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    columns = leaderboard_columns(rows)
    md = out / "leaderboard.md"
    md.write_text(to_markdown(rows, title), encoding="utf-8")
    csv = out / "leaderboard.csv"
    pd.DataFrame([{c: r.get(c) for c in columns} for r in rows]).to_csv(csv, index=False)
    chart = None
    if any(r.get("error") is None for r in rows):
        try:
            chart = plot_leaderboard(rows, out / "leaderboard.png")
        except PlotsUnavailable:
            pass  # the page and tables do without the chart
    formatted = [{c: cell(c, r.get(c)) for c in columns} for r in rows]
    html = write_leaderboard_html(formatted, columns, title, chart, out / "leaderboard.html")
    return [md, csv, html]
