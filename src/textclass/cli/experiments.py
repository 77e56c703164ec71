"""Commands that train many models: compare (a leaderboard) and search."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from textclass.cli.common import (
    BatchSize,
    ClassWeight,
    Encoding,
    Epochs,
    ExitCode,
    Format,
    GroupCol,
    LabelCol,
    LabelCols,
    LabelSep,
    Maxlen,
    OnEmpty,
    Stratify,
    TestFile,
    TextCol,
    Threshold,
    _data_options,
    _decision_params,
    _echo_err,
    _parse_params,
    app,
)
from textclass.errors import ConfigError


@app.command()
def compare(
    data: Annotated[str, typer.Argument(help="A named dataset or a labeled file")],
    models: Annotated[
        str, typer.Option(help="Comma-separated families")
    ] = "logreg,dense,embedding,cnn,rnn",
    param: Annotated[
        list[str],
        typer.Option(
            "--param", "-p", help="MODEL.NAME=VALUE hyperparameter for one family (repeatable)"
        ),
    ] = [],  # noqa: B006
    test_size: Annotated[
        float | None,
        typer.Option(help="Test fraction or rows (default 0.25, or the publisher's split)"),
    ] = None,
    test: TestFile = None,
    stratify: Stratify = False,
    seed: Annotated[int, typer.Option(help="Seed for the split/folds and the models")] = 0,
    cv: Annotated[
        int | None, typer.Option(help="K-fold cross-validation instead of a split")
    ] = None,
    epochs: Epochs = None,
    batch_size: BatchSize = None,
    maxlen: Maxlen = None,
    out: Annotated[Path, typer.Option(help="Directory for leaderboard.md/.csv/.html")] = Path(
        "runs/compare"
    ),
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
    from textclass import workflow
    from textclass.cli.progress import RichCompareReporter
    from textclass.data.splits import DEFAULT_TEST_SIZE, check_test_size, has_publisher_split
    from textclass.experiments.compare import compare_models, sort_rows, write_leaderboard
    from textclass.models.registry import family_class
    from textclass.rendering.markdown import to_markdown

    test_size = check_test_size(test_size)
    if test is not None and (test_size is not None or cv is not None):
        raise ConfigError("--test replaces --test-size and --cv: give one of them")
    names = [m.strip() for m in models.split(",") if m.strip()]
    for name in names:
        family_class(name)  # unknown names fail before any training
    model_params: dict = {}
    for key, value in _parse_params(param).items():
        family, dot, hyper = key.partition(".")
        if not dot:
            raise typer.BadParameter(
                f"expected MODEL.NAME=VALUE, got {key!r}", param_hint="--param"
            )
        model_params.setdefault(family, {})[hyper] = value
    estimator = {
        k: v
        for k, v in {"epochs": epochs, "batch_size": batch_size, "maxlen": maxlen}.items()
        if v is not None
    }
    estimator.update(_decision_params(class_weight, threshold))
    options = _data_options(
        text_col, label_col, group_col, fmt, encoding, on_empty, label_sep, label_cols
    ).check()
    dataset = workflow.load_data(data, options)
    test_set = None if test is None else workflow.load_data(test, options)
    for part, where in ((dataset, data), (test_set, test)):
        for note in [] if part is None else part.notes:
            _echo_err(f"note: {where}: {note}")
        for warning in [] if part is None else part.warnings:
            _echo_err(f"warning: {where}: {warning}")
    has_split = test_size is None and has_publisher_split(dataset)
    with RichCompareReporter(len(names)) as reporter:
        rows = compare_models(
            dataset,
            names,
            test_size=test_size,
            seed=seed,
            cv=cv,
            test=test_set,
            stratify=stratify,
            estimator_params=estimator,
            model_params=model_params,
            reporter=reporter,
        )
    rows = sort_rows(rows)
    how = (
        f"{cv}-fold CV"
        if cv
        else f"test {test}"
        if test
        else ("publisher's split" if has_split else f"test {test_size or DEFAULT_TEST_SIZE}")
    )
    title = f"Leaderboard: {data} ({how}, seed {seed})"
    typer.echo(to_markdown(rows, title))
    for path in write_leaderboard(rows, out, title):
        typer.echo(f"wrote {path}")
    if all(r.get("error") for r in rows):
        raise typer.Exit(ExitCode.ERROR)


@app.command()
def search(
    data: Annotated[str, typer.Argument(help="A named dataset or a labeled file")],
    model: Annotated[str, typer.Option(help="Model family (see `textclass models`)")] = "cnn",
    param: Annotated[
        list[str],
        typer.Option(
            "--param",
            "-p",
            help="NAME=V1,V2,... or NAME=loguniform(a,b) / uniform(a,b) / randint(a,b); "
            "model hyperparameters or classifier settings (learning_rate, epochs, ...)",
        ),
    ] = [],  # noqa: B006
    cv: Annotated[int, typer.Option(help="Folds of cross-validation")] = 5,
    n_iter: Annotated[int, typer.Option(help="Random candidates (ignored with --grid)")] = 10,
    grid: Annotated[bool, typer.Option(help="Every combination instead of random ones")] = False,
    seed: Annotated[int, typer.Option(help="Seed for candidates, folds and models")] = 0,
    split_seed: Annotated[
        int | None, typer.Option(help="Seed of the train/test split (default: --seed)")
    ] = None,
    test_size: Annotated[
        float | None,
        typer.Option(help="Held-out fraction (or rows) for the final test (default 0.25)"),
    ] = None,
    test: TestFile = None,
    stratify: Stratify = False,
    scoring: Annotated[
        str,
        typer.Option(
            help="scikit-learn scorer: accuracy, f1_macro, balanced_accuracy, ...; "
            "multi-label: f1_micro, f1_macro, f1_samples, accuracy (subset), neg_hamming_loss"
        ),
    ] = "accuracy",
    per_group: Annotated[bool, typer.Option(help="A separate search per group")] = False,
    epochs: Epochs = None,
    batch_size: BatchSize = None,
    maxlen: Maxlen = None,
    num_words: Annotated[int | None, typer.Option(help="Vocabulary limit")] = None,
    jobs: Annotated[int, typer.Option(help="Trials run in parallel processes")] = 1,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Run the trials on a Dask cluster: local, local:N (N worker processes) "
            "or a scheduler address (tcp://host:8786)"
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option(help="Continue the search in --out, skipping finished trials")
    ] = False,
    out: Annotated[Path, typer.Option(help="Directory for trials.jsonl and results")] = Path(
        "runs/search"
    ),
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
    from textclass import workflow
    from textclass.cli.progress import RichSearchProgress
    from textclass.experiments.search import SearchSettings, parse_space
    from textclass.rendering.markdown import search_markdown

    if test is not None and test_size is not None:
        raise ConfigError("--test replaces --test-size: give one of them")
    if jobs < 1:
        raise typer.BadParameter("must be at least 1", param_hint="--jobs")
    if cluster is not None:
        from textclass.cluster import check_address

        check_address(cluster)
        if jobs > 1:
            raise ConfigError("--jobs runs trials in local processes; with --cluster give local:N")
    raw = {}
    for pair in param:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected NAME=VALUES, got {pair!r}", param_hint="--param")
        raw[key.strip()] = value
    if not raw:
        raise typer.BadParameter(
            "give at least one --param NAME=VALUES to search", param_hint="--param"
        )
    estimator = {
        k: v
        for k, v in {
            "epochs": epochs,
            "batch_size": batch_size,
            "maxlen": maxlen,
            "num_words": num_words,
        }.items()
        if v is not None
    }
    estimator.update(_decision_params(class_weight, threshold))
    parse_space(raw)  # a malformed range fails here, before any data is read
    settings = SearchSettings(
        model=model,
        space=raw,  # as typed: the log's fingerprint; parsed again in each process
        cv=cv,
        grid=grid,
        n_iter=n_iter,
        seed=seed,
        scoring=scoring,
        estimator_params=estimator,
    ).check()  # unknown model or scorer, n_iter < 1, impossible values: before any data
    options = _data_options(
        text_col, label_col, group_col, fmt, encoding, on_empty, label_sep, label_cols
    )
    with _connected(cluster) as client, RichSearchProgress(scoring) as progress:
        report = workflow.search(
            data,
            settings,
            data_options=options,
            test_data=test,
            test_size=0.25 if test_size is None else test_size,
            split_seed=split_seed,
            stratify=stratify,
            per_group=per_group,
            out=out,
            resume=resume,
            jobs=jobs,
            on_progress=progress,
            report=_echo_err,
            cluster=client,  # one cluster for every group's search
        )
    typer.echo(search_markdown(report))
    typer.echo(f"wrote {out / 'results.md'}, {out / 'results.json'} and trials.jsonl")
    for group, entry in report["groups"].items():
        where = "" if group == "all" else f" ({group})"
        typer.echo(f"best model{where} saved to {entry['best_run']}")


def _connected(cluster: str | None):
    """A Dask client for ``--cluster`` (none without it)."""
    from contextlib import nullcontext

    if cluster is None:
        return nullcontext()
    from textclass.cluster import connect

    return connect(cluster)
