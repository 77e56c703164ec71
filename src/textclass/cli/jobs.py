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
    ClassWeight,
    EarlyStopping,
    Encoding,
    Epochs,
    Format,
    GroupCol,
    LabelCol,
    LabelCols,
    LabelSep,
    LearningRate,
    Loss,
    Maxlen,
    NumWords,
    OnEmpty,
    Optimizer,
    RunDir,
    Stratify,
    TestFile,
    TextCol,
    Threshold,
    ValidationSplit,
    Verbose,
    classifier_settings,
    data_options,
    parse_pairs,
)


@app.command()
def train(
    data: Annotated[
        str, typer.Argument(help="A named dataset (uci-sentiment:yelp) or a file/folder")
    ],
    model: Annotated[
        str, typer.Option(help="Model family (see `textclass models`; default ngram)")
    ] = "ngram",
    param: Annotated[
        list[str],
        typer.Option("--param", "-p", help="Model hyperparameter NAME=VALUE (repeatable)"),
    ] = [],  # noqa: B006
    test_size: Annotated[
        float | None,
        typer.Option(
            help="Fraction (0-1) or number of rows held out for testing "
            "(default 0.25; the publisher's split where one exists)"
        ),
    ] = None,
    test: TestFile = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed for the split and the model (default 0)")
    ] = None,
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
    out: Annotated[Path | None, typer.Option(help="Directory to save the trained model in")] = None,
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
) -> None:
    """Train a model, report its test metrics, and save it with --out."""
    from textclass.jobs.requests import TrainRequest
    from textclass.jobs.train import train as train_job

    seed, seed_text = _describe_seed(seed)
    settings = classifier_settings(
        model=model, epochs=epochs, batch_size=batch_size, maxlen=maxlen, num_words=num_words,
        validation_split=validation_split, early_stopping=early_stopping, optimizer=optimizer,
        learning_rate=learning_rate, loss=loss, class_weight=class_weight, threshold=threshold,
        verbose=verbose,
    )  # fmt: skip
    options = data_options(
        text_col, label_col, group_col, fmt, encoding, on_empty, label_sep, label_cols
    )
    request = TrainRequest(
        data=data, data_options=options, test_data=test, test_size=test_size, seed=seed,
        stratify=stratify, classifier=settings, model_params=parse_pairs(param), out=out,
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

    options = data_options(
        text_col, label_col, group_col, fmt, encoding, on_empty, label_sep, label_cols
    )
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
    run: Annotated[Path, typer.Argument(help="A model directory written by `train --out`")],
    out: Annotated[Path | None, typer.Option(help="HTML file (default RUN/report.html)")] = None,
) -> None:
    """Write the self-contained HTML report of a trained run."""
    from textclass.rendering.html import write_run_report

    typer.echo(f"wrote {write_run_report(run, out)}")


@app.command()
def predict(
    run: Annotated[Path, typer.Argument(help="A model directory written by `train --out`")],
    texts: Annotated[list[str] | None, typer.Argument(help="Texts to classify")] = None,
    input: Annotated[
        Path | None, typer.Option("--input", "-i", help="A file of texts to classify")
    ] = None,  # noqa: A002
    text_col: TextCol = None,
    input_format: Annotated[
        str | None, typer.Option(help="Format of --input (default: from the file)")
    ] = None,
    encoding: Encoding = "utf-8",
    output: Annotated[str, typer.Option("--format", help="Output: table, csv or jsonl")] = "table",
    explain: Annotated[
        bool, typer.Option(help="Also show the words or n-grams that pushed each prediction")
    ] = False,
    top: Annotated[int, typer.Option(help="With --explain: how many words per text")] = 5,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Score --input (a file, folder or quoted glob such as 'data/*.parquet') in "
            "chunks into this folder: one file per input, in its format, with the scores added; "
            "finished outputs are skipped on a rerun",
        ),
    ] = None,
    chunk_rows: Annotated[
        int, typer.Option(help="Rows scored at a time with --output (bounds the memory)")
    ] = 10_000,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="With --output: score the files on a Dask cluster: local, local:N "
            "(N worker processes) or a scheduler address (tcp://host:8786)"
        ),
    ] = None,
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


@app.command()
def datasets() -> None:
    """List the named datasets, where they are cached, and whether they verified."""
    from textclass.data import registry

    for name in registry.dataset_names():
        spec = registry.get_spec(name)
        state = registry.status(spec)
        mark = "verified" if state["verified"] else "; ".join(state["problems"])
        parts = f" (parts: {', '.join(spec.parts)})" if spec.parts else ""
        typer.echo(
            f"{name}{parts}\n  {spec.description}\n  source: {spec.url}\n"
            f"  location: {state['location'] or '-'}: {mark}"
        )


@app.command()
def models(
    names: Annotated[
        list[str] | None, typer.Argument(help="Families to show (default: all)")
    ] = None,
    summary: Annotated[
        bool, typer.Option(help="Build each family and print its layers and parameter counts")
    ] = False,
    param: Annotated[
        list[str],
        typer.Option(
            "--param",
            "-p",
            help="Hyperparameter NAME=VALUE: the training defaults it implies, and --summary's "
            "model (repeatable)",
        ),
    ] = [],  # noqa: B006
    vocab_size: Annotated[
        int, typer.Option(help="Embedding rows / vocabulary for --summary (yelp split: 1747)")
    ] = 1747,
    maxlen: Annotated[int, typer.Option(help="Sequence length for --summary")] = 100,
    classes: Annotated[int, typer.Option(help="Number of classes for --summary")] = 2,
) -> None:
    """List the model families and their hyperparameters; --summary adds layers and parameters."""
    from textclass.errors import did_you_mean
    from textclass.models.registry import build_summary, describe, resolve

    params = parse_pairs(param)
    families = describe()
    if names:
        known = {f["name"] for f in families}
        unknown = [n for n in names if n not in known]
        if unknown:
            hints = "".join(did_you_mean(n, known) for n in unknown)
            raise typer.BadParameter(
                f"unknown model {', '.join(unknown)}{hints}; known: {', '.join(sorted(known))}",
                param_hint="NAMES",
            )
        families = [f for f in families if f["name"] in names]
    for family in families:
        own = {k: v for k, v in params.items() if k in family["hyperparameters"]}
        # a hyperparameter may change the training defaults (the encoder's mode does)
        defaults = (
            dict(resolve(family["name"], own).training_defaults) if own else family["training"]
        )
        typer.echo(
            f"{family['name']}: {family['description']}\n"
            f"    preprocessor {family['preprocessor']}, runtime {family['runtime']}; "
            f"training defaults: {_training_line(defaults)}"
        )
        if not own:
            for setting, variant in family["training_variants"].items():
                typer.echo(f"    with -p {setting}: {_training_line(variant)}")
        for key, info in family["hyperparameters"].items():
            typer.echo(f"    {key} = {info['default']!r}  {info['help']}")
        if summary:
            table, total, trainable = build_summary(
                family["name"], own, vocab_size=vocab_size, maxlen=maxlen, n_classes=classes
            )
            typer.echo(table)
            typer.echo(f"    total parameters {total:,}, trainable {trainable:,}\n")


def _training_line(defaults: dict) -> str:
    """``epochs 4, batch_size 16, ...`` and what the epochs mean (early stopping or not)."""
    from textclass.runtimes.base import DEFAULT_PATIENCE, DEFAULT_VALIDATION_SPLIT

    training = ", ".join(f"{k} {v}" for k, v in defaults.items()) or "none"
    if "epochs" in defaults:
        patience = defaults.get("early_stopping", DEFAULT_PATIENCE)
        training += (
            f" (epochs at most: without --epochs it stops after {patience} without "
            f"improvement on {DEFAULT_VALIDATION_SPLIT * 100:.0f} % held out)"
            if patience is not None
            else " (exactly these epochs: no early stopping unless --early-stopping N)"
        )
    return training
