"""The search job: hyperparameter search on the training part (per group if asked), the
best candidate refitted on all of it, scored on the held-out part and saved as a run.

Writes ``results.json`` / ``results.md`` and the refitted best model as a run
directory (``OUT/best``, or ``OUT/<group>/best``) ready for ``predict``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from textclass.data import Dataset
from textclass.errors import ConfigError
from textclass.evaluation import metrics_from_proba
from textclass.jobs.loading import load_noted, prepare_noted
from textclass.jobs.notes import Notes
from textclass.jobs.requests import SearchRequest
from textclass.preprocessing.base import cut_warning


def search(
    request: SearchRequest, on_progress=None, report: Callable[[str], None] | None = None
) -> dict:
    """Every split checked before any trial runs; then a search per split (see module)."""
    from textclass.rendering.markdown import search_markdown

    notes = Notes(report)
    settings = request.settings.check()
    splits = _splits(request, notes)
    seed = request.seed_of_split
    out = Path(request.out)
    results = {
        "data": request.data,
        "test": request.test_data,
        "settings": settings.fingerprint(),
        "split_seed": seed,
        "groups": {},
    }
    for group, (train_set, held) in splits.items():
        entry = _search_group(request, group, train_set, held, on_progress, notes)
        results["groups"][group or "all"] = entry
    out.mkdir(parents=True, exist_ok=True)
    results["notes"] = list(notes)
    text = json.dumps(results, indent=2, default=str) + "\n"
    (out / "results.json").write_text(text, encoding="utf-8")
    (out / "results.md").write_text(search_markdown(results), encoding="utf-8")
    return results


def _splits(request: SearchRequest, notes: Notes) -> dict:
    """``{group or None: (training part, held-out part)}``, every one checked."""
    from textclass.data.splits import check_test_size

    options = request.data_options.check()
    test_size = check_test_size(request.test_size)
    dataset = load_noted(request.data, options, notes)
    test = None if request.test_data is None else load_noted(request.test_data, options, notes)
    seed = request.seed_of_split
    if request.per_group and dataset.groups is None:
        raise ConfigError(f"--per-group needs groups: {request.data} has none (give --group-col)")
    if request.per_group and test is not None and test.groups is None:
        raise ConfigError(f"--per-group with --test needs groups in {request.test_data} too")
    parts = {None: (dataset, test)}
    if request.per_group:
        parts = {
            str(g): (_group(dataset, g), None if test is None else _group(test, g))
            for g in dict.fromkeys(dataset.groups.tolist())
        }
    splits = {}
    for group, (part, held) in parts.items():
        prepared = prepare_noted(
            part, notes, test=held, test_size=test_size, seed=seed, stratify=request.stratify
        )
        splits[group] = (prepared.train, prepared.test)
    return splits


def _group(dataset: Dataset, group) -> Dataset:
    return dataset.subset(dataset.groups == group, name=f"{dataset.name}[{group}]")


def _search_group(request, group, train_set, held, on_progress, notes: Notes) -> dict:
    """One group's search, its best candidate refitted, warned about and saved."""
    folder = Path(request.out) / group if group else Path(request.out)
    entry = _search_one(request, train_set, held, folder, on_progress, group)
    cut = cut_warning(entry["classifier"])
    if cut:
        notes.warn(f"the best candidate{f' for {group}' if group else ''}: {cut}")
    seed = request.seed_of_split
    best = _save_best(entry.pop("classifier"), folder / "best", train_set, held, request.data, seed)
    entry["best_run"] = str(best)
    notes.note(f"best candidate refitted on all {len(train_set)} training texts: {best}")
    return entry


def _search_one(request, train_set, test_set, folder, on_progress, group) -> dict:
    """Trials on ``train_set``; the best refitted on all of it and scored on ``test_set``."""
    from textclass.evaluation.scoring import get_scorer
    from textclass.experiments.search import make_estimator, run_search
    from textclass.rendering.markdown import format_trials

    settings = request.settings
    result = run_search(
        settings,
        train_set.texts,
        train_set.labels,
        folder,
        resume=request.resume,
        jobs=request.jobs,
        on_progress=on_progress,
        group=group,
        cluster=request.cluster,
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
