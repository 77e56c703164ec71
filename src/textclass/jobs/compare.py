"""The compare job: several families trained on the same split(s), as a leaderboard."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from textclass.errors import ConfigError
from textclass.jobs.loading import load_noted
from textclass.jobs.notes import Notes
from textclass.jobs.requests import CompareRequest


@dataclass
class CompareResult:
    rows: list[dict]  # one per family, best accuracy first, failed ones last
    title: str
    written: list[Path]  # leaderboard.md, .csv, .html


def compare(
    request: CompareRequest, reporter=None, report: Callable[[str], None] | None = None
) -> CompareResult:
    """Train every family of ``request.models`` and write the leaderboard into ``request.out``.

    ``reporter`` follows the progress (:class:`textclass.experiments.compare.Reporter`;
    a context manager is entered around the training only, after the checks);
    ``report`` receives each note and warning about the data."""
    from textclass.data.splits import check_test_size
    from textclass.experiments.compare import compare_models, sort_rows, write_leaderboard
    from textclass.models.registry import family_class

    test_size = check_test_size(request.test_size)
    if request.test_data is not None and (test_size is not None or request.cv is not None):
        raise ConfigError("--test replaces --test-size and --cv: give one of them")
    for name in request.models:
        family_class(name)  # unknown names fail before any training
    options = request.data_options.check()
    notes = Notes(report)
    dataset = load_noted(request.data, options, notes)
    test = None if request.test_data is None else load_noted(request.test_data, options, notes)
    # a live progress display starts once the data are read and checked
    live = reporter if hasattr(reporter, "__enter__") else nullcontext()
    with live:
        rows = compare_models(
            dataset,
            list(request.models),
            test_size=test_size,
            seed=request.seed,
            cv=request.cv,
            test=test,
            stratify=request.stratify,
            estimator_params=request.classifier.params(),
            model_params=request.model_params,
            reporter=reporter,
        )
    rows = sort_rows(rows)
    title = (
        f"Leaderboard: {request.data} ({_how(request, dataset, test_size)}, seed {request.seed})"
    )
    return CompareResult(rows, title, write_leaderboard(rows, request.out, title))


def _how(request: CompareRequest, dataset, test_size) -> str:
    """How the models were scored, for the title."""
    from textclass.data.splits import DEFAULT_TEST_SIZE, has_publisher_split

    if request.cv:
        return f"{request.cv}-fold CV"
    if request.test_data:
        return f"test {request.test_data}"
    if test_size is None and has_publisher_split(dataset):
        return "publisher's split"
    return f"test {test_size or DEFAULT_TEST_SIZE}"
