"""Commands that train many models: compare (a leaderboard) and search.

Each maps its options to a job request and calls the job (:mod:`textclass.jobs`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from textclass.cli.common import ExitCode, _echo_err, app
from textclass.cli.options import (
    BatchSize,
    ClassWeight,
    Encoding,
    Epochs,
    Format,
    GroupCol,
    LabelCol,
    LabelCols,
    LabeledData,
    LabelSep,
    Maxlen,
    NumWords,
    OnEmpty,
    Stratify,
    TestFile,
    TextCol,
    Threshold,
    TrialCluster,
    classifier_settings,
    data_options,
    parse_pairs,
)
from textclass.errors import ConfigError

Models = Annotated[str, typer.Option(help="Comma-separated families")]
FamilyParam = Annotated[
    list[str],
    typer.Option(
        "--param", "-p", help="MODEL.NAME=VALUE hyperparameter for one family (repeatable)"
    ),
]
CompareTestSize = Annotated[
    float | None,
    typer.Option(help="Test fraction or rows (default 0.25, or the publisher's split)"),
]
CompareSeed = Annotated[int, typer.Option(help="Seed for the split/folds and the models")]
CompareCV = Annotated[int | None, typer.Option(help="K-fold cross-validation instead of a split")]
LeaderboardOut = Annotated[Path, typer.Option(help="Directory for leaderboard.md/.csv/.html")]

SearchModel = Annotated[str, typer.Option(help="Model family (see `textclass models`)")]
SearchParam = Annotated[
    list[str],
    typer.Option(
        "--param",
        "-p",
        help="NAME=V1,V2,... or NAME=loguniform(a,b) / uniform(a,b) / randint(a,b); "
        "model hyperparameters or classifier settings (learning_rate, epochs, ...)",
    ),
]
Folds = Annotated[int, typer.Option(help="Folds of cross-validation")]
NIter = Annotated[int, typer.Option(help="Random candidates (ignored with --grid)")]
Grid = Annotated[bool, typer.Option(help="Every combination instead of random ones")]
SearchSeed = Annotated[int, typer.Option(help="Seed for candidates, folds and models")]
SplitSeed = Annotated[
    int | None, typer.Option(help="Seed of the train/test split (default: --seed)")
]
HeldOut = Annotated[
    float | None,
    typer.Option(help="Held-out fraction (or rows) for the final test (default 0.25)"),
]
Scoring = Annotated[
    str,
    typer.Option(
        help="scikit-learn scorer: accuracy, f1_macro, balanced_accuracy, ...; "
        "multi-label: f1_micro, f1_macro, f1_samples, accuracy (subset), neg_hamming_loss"
    ),
]
PerGroup = Annotated[bool, typer.Option(help="A separate search per group")]
Jobs = Annotated[int, typer.Option(help="Trials run in parallel processes")]
Resume = Annotated[
    bool, typer.Option(help="Continue the search in --out, skipping finished trials")
]
SearchOut = Annotated[Path, typer.Option(help="Directory for trials.jsonl and results")]


@app.command()
def compare(
    data: LabeledData,
    models: Models = "logreg,dense,embedding,cnn,rnn",
    param: FamilyParam = [],  # noqa: B006
    test_size: CompareTestSize = None,
    test: TestFile = None,
    stratify: Stratify = False,
    seed: CompareSeed = 0,
    cv: CompareCV = None,
    epochs: Epochs = None,
    batch_size: BatchSize = None,
    maxlen: Maxlen = None,
    out: LeaderboardOut = Path("runs/compare"),
    text_col: TextCol = None,
    label_col: LabelCol = None,
    group_col: GroupCol = None,
    fmt: Format = None,
    encoding: Encoding = "utf-8",
    on_empty: OnEmpty = "error",
    label_sep: LabelSep = None,
    label_cols: LabelCols = None,
    class_weight: ClassWeight = None,
    threshold: Threshold = None,
) -> None:
    """Train several model families on the same split(s) and print a leaderboard."""
    from textclass.cli.progress import RichCompareReporter
    from textclass.jobs.compare import compare as compare_job
    from textclass.jobs.requests import CompareRequest
    from textclass.rendering.markdown import to_markdown

    given = dict(locals())
    names = tuple(m.strip() for m in models.split(",") if m.strip())
    request = CompareRequest(
        data=data, models=names, data_options=data_options(given), test_data=test,
        test_size=test_size, seed=seed, cv=cv, stratify=stratify,
        classifier=classifier_settings(given), model_params=_family_params(param), out=out,
    )  # fmt: skip
    reporter = RichCompareReporter(len(names))  # shown once the data are checked
    result = compare_job(request, reporter=reporter, report=_echo_err)
    typer.echo(to_markdown(result.rows, result.title))
    for path in result.written:
        typer.echo(f"wrote {path}")
    if all(r.get("error") for r in result.rows):
        raise typer.Exit(ExitCode.ERROR)


def _family_params(param: list[str]) -> dict:
    """``-p cnn.filters=64`` -> ``{"cnn": {"filters": 64}}``."""
    params: dict = {}
    for key, value in parse_pairs(param, form="MODEL.NAME=VALUE").items():
        family, dot, name = key.partition(".")
        if not dot:
            raise typer.BadParameter(
                f"expected MODEL.NAME=VALUE, got {key!r}", param_hint="--param"
            )
        params.setdefault(family, {})[name] = value
    return params


@app.command()
def search(
    data: LabeledData,
    model: SearchModel = "cnn",
    param: SearchParam = [],  # noqa: B006
    cv: Folds = 5,
    n_iter: NIter = 10,
    grid: Grid = False,
    seed: SearchSeed = 0,
    split_seed: SplitSeed = None,
    test_size: HeldOut = None,
    test: TestFile = None,
    stratify: Stratify = False,
    scoring: Scoring = "accuracy",
    per_group: PerGroup = False,
    epochs: Epochs = None,
    batch_size: BatchSize = None,
    maxlen: Maxlen = None,
    num_words: NumWords = None,
    jobs: Jobs = 1,
    cluster: TrialCluster = None,
    resume: Resume = False,
    out: SearchOut = Path("runs/search"),
    text_col: TextCol = None,
    label_col: LabelCol = None,
    group_col: GroupCol = None,
    fmt: Format = None,
    encoding: Encoding = "utf-8",
    on_empty: OnEmpty = "error",
    label_sep: LabelSep = None,
    label_cols: LabelCols = None,
    class_weight: ClassWeight = None,
    threshold: Threshold = None,
) -> None:
    """Grid or random hyperparameter search with k-fold CV; every trial is saved as it finishes.

    The best candidate is refitted on all the training data and saved as a run
    directory (OUT/best) that `predict` and `evaluate` take.
    """
    from dataclasses import replace

    from textclass.cli.progress import RichSearchProgress
    from textclass.jobs.requests import SearchRequest
    from textclass.jobs.search import search as search_job
    from textclass.rendering.markdown import search_markdown

    given = dict(locals())
    request = SearchRequest(
        data=data, settings=_search_settings(given), data_options=data_options(given),
        test_data=test, test_size=0.25 if test_size is None else test_size,
        split_seed=split_seed, stratify=stratify, per_group=per_group, out=out, resume=resume,
        jobs=jobs,
    )  # fmt: skip
    with _connected(cluster) as client, RichSearchProgress(scoring) as progress:
        request = replace(request, cluster=client)  # one cluster for every group's search
        report = search_job(request, on_progress=progress, report=_echo_err)
    typer.echo(search_markdown(report))
    typer.echo(f"wrote {out / 'results.md'}, {out / 'results.json'} and trials.jsonl")
    for group, entry in report["groups"].items():
        where = "" if group == "all" else f" ({group})"
        typer.echo(f"best model{where} saved to {entry['best_run']}")


def _search_settings(given: dict):
    """The search's settings from its options, every one checked before any data is read."""
    from textclass.experiments.search import SearchSettings, parse_space

    if given["test"] is not None and given["test_size"] is not None:
        raise ConfigError("--test replaces --test-size: give one of them")
    if given["jobs"] < 1:
        raise typer.BadParameter("must be at least 1", param_hint="--jobs")
    if given["cluster"] is not None:
        from textclass.cluster import check_address

        check_address(given["cluster"])
        if given["jobs"] > 1:
            raise ConfigError("--jobs runs trials in local processes; with --cluster give local:N")
    space = parse_pairs(given["param"], typed=False, form="NAME=VALUES")
    if not space:
        raise typer.BadParameter(
            "give at least one --param NAME=VALUES to search", param_hint="--param"
        )
    parse_space(space)  # a malformed range fails here, before any data is read
    settings = classifier_settings({k: v for k, v in given.items() if k != "model"})
    return SearchSettings(
        model=given["model"],
        space=space,
        cv=given["cv"],
        grid=given["grid"],
        n_iter=given["n_iter"],
        seed=given["seed"],
        scoring=given["scoring"],
        estimator_params=settings.params(),
    ).check()  # unknown model or scorer, n_iter < 1, impossible values: before any data


def _connected(cluster: str | None):
    """A Dask client for ``--cluster`` (none without it)."""
    from contextlib import nullcontext

    if cluster is None:
        return nullcontext()
    from textclass.cluster import connect

    return connect(cluster)
