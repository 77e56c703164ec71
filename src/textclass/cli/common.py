"""Shared pieces of the ``textclass`` command: the app, exit codes, common options."""

from __future__ import annotations

import enum
import json
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Text classification with Keras 3: train, evaluate, predict.",
)


class ExitCode(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    DATA = 3
    INTERRUPTED = 130


# every run is seeded: without --seed, this one (printed, and stored in the run)
DEFAULT_SEED = 0
# Set by a command whose process holds nothing that needs a clean shutdown (``predict``
# of texts): the console script then ends with ``os._exit`` once its output is flushed,
# skipping the interpreter's teardown of Keras and JAX (about 0.5 s of a cold predict).
QUICK_EXIT = False


def _echo_err(message: str) -> None:
    typer.echo(message, err=True)


def _describe_seed(seed: int | None) -> tuple[int, str]:
    """(the seed to use, how to print it): ``seed``, or the default one, said so."""
    if seed is None:
        return DEFAULT_SEED, f"seed {DEFAULT_SEED} (the default; --seed N for another)"
    return seed, f"seed {seed}"


TextCol = Annotated[
    str | None,
    typer.Option(
        help="Column holding the text: a header name, or a number from 0 without header "
        "(default: text/sentence/review/..., else the column of longest strings)"
    ),
]
LabelCol = Annotated[
    str | None,
    typer.Option(
        help="Column holding the label: a header name, or a number from 0 without header "
        "(default: label/category/..., else the column of fewest distinct values)"
    ),
]
GroupCol = Annotated[
    str | None, typer.Option(help="Optional column of groups, reported separately (e.g. source)")
]
Format = Annotated[
    str | None,
    typer.Option(
        "--format", help="csv, tsv, jsonl, parquet, fasttext or folder (default: from the file)"
    ),
]
OnEmpty = Annotated[
    str, typer.Option(help="Rows with empty or missing text: error or drop (counted)")
]
Encoding = Annotated[str, typer.Option(help="Text encoding of the input file")]
TestFile = Annotated[
    str | None,
    typer.Option("--test", help="Separate labeled test data instead of a split of DATA"),
]
Stratify = Annotated[bool, typer.Option(help="Keep label proportions in the train/test split")]


LabelSep = Annotated[
    str | None,
    typer.Option(
        help="Multi-label: labels separated by this inside the label cell (e.g. , for 3,10)"
    ),
]
LabelCols = Annotated[
    str | None,
    typer.Option(
        help="Multi-label: 0/1 columns, one per label (a,b,c); their names are the labels"
    ),
]
ClassWeight = Annotated[
    str | None,
    typer.Option(
        help="Weigh classes in the loss: balanced, or JSON {label: weight} (default: equal)"
    ),
]
Threshold = Annotated[
    str | None,
    typer.Option(
        help="Binary / multi-label decision: a probability (0.7), max-f1 or precision=0.99 "
        "(tuned on validation data held out of training); default 0.5 / most probable"
    ),
]


def _data_options(
    text_col, label_col, group_col, fmt, encoding, on_empty, label_sep=None, label_cols=None
):
    from textclass.data.multilabel import parse_label_cols
    from textclass.workflow import DataOptions

    cols = parse_label_cols(label_cols)
    return DataOptions(
        text_col=text_col,
        label_col=label_col,
        group_col=group_col,
        format=fmt,
        encoding=encoding,
        on_empty=on_empty,
        label_sep=label_sep,
        label_cols=None if cols is None else tuple(cols),
    )


def _decision_params(class_weight: str | None, threshold: str | None) -> dict:
    """Estimator settings from --class-weight and --threshold (JSON where it parses)."""
    out = {}
    if class_weight is not None:
        try:
            out["class_weight"] = json.loads(class_weight)
        except json.JSONDecodeError:
            out["class_weight"] = class_weight
    if threshold is not None:
        try:
            out["threshold"] = float(threshold)
        except ValueError:
            out["threshold"] = threshold
    return out


def _parse_params(pairs: list[str]) -> dict:
    """``["units=16", "pooling=max"]`` -> typed values (JSON where it parses)."""
    params = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="--param")
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        params[key.strip()] = value
    return params


def _print_metrics(metrics: dict, title: str) -> None:
    from textclass.rendering.terminal import metrics_table

    typer.echo(metrics_table(metrics, title))


Epochs = Annotated[int | None, typer.Option(help="Training epochs (Keras families)")]
BatchSize = Annotated[int | None, typer.Option(help="Batch size")]
Maxlen = Annotated[
    int | None,
    typer.Option(
        help="Sequence length, longer texts cut (default: the family's: 100 words for the "
        "word-id networks, the checkpoint's for encoder, 256 for all-MiniLM-L6-v2)"
    ),
]
