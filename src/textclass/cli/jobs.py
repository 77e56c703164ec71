"""Commands on one model: train, evaluate, report, predict; and the catalog listings.

Each command maps its options to a job request (:mod:`textclass.cli.options`), calls
the job (:mod:`textclass.jobs`) and prints its result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from textclass.cli import common
from textclass.cli.common import _describe_seed, _echo_err, _print_metrics, app
from textclass.cli.options import (
    BatchSize,
    ChunkRows,
    ClassWeight,
    DataArg,
    EarlyStopping,
    Encoding,
    Epochs,
    Explain,
    Format,
    GroupCol,
    InputFile,
    InputFormat,
    LabelCol,
    LabelCols,
    LabelSep,
    LearningRate,
    Loss,
    Maxlen,
    Model,
    ModelParam,
    NumWords,
    OnEmpty,
    Optimizer,
    Output,
    OutputDir,
    RunDir,
    RunOut,
    ScoreCluster,
    Seed,
    Stratify,
    TestFile,
    TestSize,
    TextCol,
    Texts,
    Threshold,
    TimeLimit,
    Top,
    ValidationSplit,
    Verbose,
    classifier_settings,
    data_options,
    parse_duration,
    parse_pairs,
)


@app.command()
def train(
    data: DataArg,
    model: Model = "ngram",
    param: ModelParam = [],  # noqa: B006
    test_size: TestSize = None,
    test: TestFile = None,
    seed: Seed = None,
    stratify: Stratify = False,
    epochs: Epochs = None,
    batch_size: BatchSize = None,
    maxlen: Maxlen = None,
    num_words: NumWords = None,
    validation_split: ValidationSplit = None,
    early_stopping: EarlyStopping = None,
    optimizer: Optimizer = None,
    learning_rate: LearningRate = None,
    loss: Loss = None,
    out: RunOut = None,
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
    verbose: Verbose = 0,
    time_limit: TimeLimit = "10m",
    audit: Annotated[bool, typer.Option(help="The data audit's cheap checks first")] = False,
    resume: Annotated[
        bool, typer.Option(help="--model auto: continue the killed run in --out (its trial log)")
    ] = False,
    jobs: Annotated[int, typer.Option(help="--model auto: candidates run in N processes")] = 1,
    cluster: Annotated[
        str | None,
        typer.Option(help="--model auto: candidates run on a Dask cluster (local:N, tcp://...)"),
    ] = None,
) -> None:
    """Train a model, report its test metrics, and save it with --out."""
    from textclass.jobs.requests import TrainRequest
    from textclass.jobs.train import train as train_job

    given = dict(locals())
    seed, seed_text = _describe_seed(seed)
    request = TrainRequest(
        data=data, data_options=data_options(given), test_data=test, test_size=test_size,
        seed=seed, stratify=stratify, classifier=classifier_settings(given),
        model_params=parse_pairs(param), out=out, time_limit_s=parse_duration(time_limit),
        audit=audit, resume=resume, jobs=jobs, cluster=cluster,
    )  # fmt: skip
    _print_trained(train_job(request, report=_echo_err), seed_text)


def _print_trained(result, seed_text: str) -> None:
    from textclass.rendering.terminal import format_inputs

    clf = result.classifier
    if clf.coverage_:
        from textclass.pretrained import describe_coverage

        typer.echo(describe_coverage(clf.coverage_))
    inputs = format_inputs(clf.describe_inputs())
    typer.echo(
        f"model {clf.family_.name}: trained on {len(result.train)} texts in "
        f"{result.seconds:.1f}s, {seed_text}, {clf.count_params():,} parameters, {inputs}"
    )
    _print_metrics(result.metrics, f"test ({len(result.test)} texts)")
    if result.metrics.get("task") == "multilabel":
        m = result.metrics
        typer.echo(
            f"test f1_micro {m['f1_micro']:.4f}, f1_macro {m['f1_macro']:.4f}, "
            f"subset accuracy {m['subset_accuracy']:.4f}"
        )
    else:
        typer.echo(f"test accuracy {result.metrics['accuracy']:.4f}")
    if result.out is not None:
        typer.echo(f"saved to {result.out}")


@app.command()
def evaluate(
    run: RunDir,
    data: Annotated[str, typer.Argument(help="Labeled data: a named dataset or a file")],
    cv: Annotated[
        int | None,
        typer.Option(
            help="Instead of scoring the saved model, re-fit its settings on K folds of DATA "
            "(vocabulary fitted inside each fold) and report mean ± std"
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for the --cv folds")] = 0,
    text_col: TextCol = None,
    label_col: LabelCol = None,
    group_col: GroupCol = None,
    fmt: Format = None,
    encoding: Encoding = "utf-8",
    on_empty: OnEmpty = "error",
    label_sep: LabelSep = None,
    label_cols: LabelCols = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the metrics as JSON here")
    ] = None,
) -> None:
    """Score a saved model on labeled data (or cross-validate its settings with --cv)."""
    from textclass.jobs.evaluate import cross_validate_run, evaluate_run
    from textclass.jobs.requests import EvaluateRequest

    options = data_options(dict(locals()))
    request = EvaluateRequest(run=run, data=data, data_options=options, cv=cv, seed=seed)
    if cv is not None:
        from textclass.rendering.terminal import format_summary

        metrics = cross_validate_run(request, progress=_fold_echo)
        typer.echo(format_summary(metrics["summary"], f"{data}: {cv}-fold cross-validation"))
        for warning in metrics["warnings"]:
            _echo_err(f"warning: {warning}")
    else:
        metrics = evaluate_run(request)
        _print_metrics(metrics, f"{data} ({metrics['n']} texts)")
    if json_out:
        json_out.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")


def _fold_echo(fold: int, folds: int) -> None:
    _echo_err(f"fold {fold + 1}/{folds} ...")


@app.command()
def report(
    run: RunDir,
    out: Annotated[Path | None, typer.Option(help="HTML file (default RUN/report.html)")] = None,
) -> None:
    """Write the self-contained HTML report of a trained run."""
    from textclass.rendering.html import write_run_report

    typer.echo(f"wrote {write_run_report(run, out)}")


@app.command()
def predict(
    run: RunDir,
    texts: Texts = None,
    input: InputFile = None,  # noqa: A002
    text_col: TextCol = None,
    input_format: InputFormat = None,
    encoding: Encoding = "utf-8",
    output: Output = "table",
    explain: Explain = False,
    top: Top = 5,
    output_dir: OutputDir = None,
    chunk_rows: ChunkRows = 10_000,
    cluster: ScoreCluster = None,
) -> None:
    """Predict labels for texts given as arguments or in a file (--input)."""
    # the light loader (no scikit-learn, no training code): a cold start is mostly imports
    from textclass.jobs.predict import predict as predict_job
    from textclass.jobs.predict import read_texts
    from textclass.jobs.requests import PredictRequest
    from textclass.rendering.predictions import OUTPUTS, write_predictions

    if output not in OUTPUTS:
        raise typer.BadParameter("choose table, csv or jsonl", param_hint="--format")
    if output_dir is not None or cluster is not None:
        _score_to_folder(
            run, texts, input, output_dir, output, text_col, input_format, encoding, chunk_rows,
            cluster,
        )  # fmt: skip
        return
    if explain and top < 1:
        raise typer.BadParameter("must be at least 1", param_hint="--top")
    request = PredictRequest(
        run=run, texts=tuple(texts or ()), input=input, text_col=text_col,
        input_format=input_format, encoding=encoding, explain=top if explain else 0,
    )  # fmt: skip
    texts, frame = read_texts(request)
    if not texts:
        raise typer.BadParameter("give texts as arguments or a file with --input")
    found = predict_job(request, texts)
    common.QUICK_EXIT = True  # nothing left to shut down cleanly: printing is all that remains
    write_predictions(found, texts, output, frame=frame)


def _score_to_folder(
    run, texts, input, output_dir, fmt, text_col, input_format, encoding, chunk_rows, cluster
) -> None:
    """``predict --input ... --output DIR``: the score job (:mod:`textclass.jobs.score`)."""
    from textclass.cli.progress import RichBatchProgress
    from textclass.jobs.requests import ScoreRequest
    from textclass.jobs.score import score

    if output_dir is None:
        raise typer.BadParameter("--cluster scores files: give --input and --output")
    if input is None or texts:
        raise typer.BadParameter(
            "--output scores files: give them with --input (not as arguments)",
            param_hint="--output",
        )
    if fmt != "table":
        raise typer.BadParameter(
            "--output writes each file in its input's format; --format is for stdout",
            param_hint="--format",
        )
    request = ScoreRequest(
        run=run, inputs=(str(input),), output_dir=output_dir, text_col=text_col,
        input_format=input_format, encoding=encoding, chunk_rows=chunk_rows, cluster=cluster,
    )  # fmt: skip
    with RichBatchProgress() as progress:
        results = score(request, on_progress=progress)
    fresh = [r for r in results if not r["skipped"]]
    for r in fresh:
        typer.echo(f"wrote {r['output']} ({r['rows']} rows)")
    skipped = len(results) - len(fresh)
    if skipped:
        typer.echo(f"skipped {skipped} finished output(s) already in {output_dir}")
