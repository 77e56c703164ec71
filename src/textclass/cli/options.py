"""The options commands share, and the one place that turns options into job requests.

A command declares its options with the aliases below (one line each), then calls
:func:`data_options`, :func:`classifier_settings` and :func:`parse_pairs` to build its
request (:mod:`textclass.jobs.requests`): every command reads ``--param``, the decision
options and the data options the same way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from textclass.jobs.requests import ClassifierSettings, DataOptions

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


Epochs = Annotated[int | None, typer.Option(help="Training epochs (Keras families)")]
BatchSize = Annotated[int | None, typer.Option(help="Batch size")]
Maxlen = Annotated[
    int | None,
    typer.Option(
        help="Sequence length, longer texts cut (default: the family's own; "
        "`textclass models` lists them)"
    ),
]
NumWords = Annotated[int | None, typer.Option(help="Vocabulary limit (most frequent words)")]
Verbose = Annotated[int, typer.Option(help="0 quiet, 1 progress bar, 2 a line per epoch")]
RunDir = Annotated[Path, typer.Argument(help="A model directory written by `train --out`")]
LabeledData = Annotated[str, typer.Argument(help="A named dataset or a labeled file")]
ValidationSplit = Annotated[
    float | None, typer.Option(help="Fraction of training data for validation")
]
EarlyStopping = Annotated[
    int | None,
    typer.Option(
        help="Stop after N epochs without validation improvement (best weights kept; "
        "default 5 when --epochs is not given)"
    ),
]
Optimizer = Annotated[
    str | None, typer.Option(help="adam, rmsprop, sgd, adamw, adagrad (default: the family's)")
]
LearningRate = Annotated[float | None, typer.Option(help="Optimizer learning rate")]
Loss = Annotated[
    str | None, typer.Option(help="Keras loss override, e.g. mse (default: cross-entropy)")
]


def data_options(
    text_col, label_col, group_col, fmt, encoding, on_empty, label_sep=None, label_cols=None
) -> DataOptions:
    """The data options of a command (``--label-cols a,b,c`` as a tuple of names)."""
    from textclass.data.multilabel import parse_label_cols

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


def classifier_settings(
    *, class_weight: str | None = None, threshold: str | None = None, **given
) -> ClassifierSettings:
    """Classifier settings from a command's options; ``--class-weight`` and
    ``--threshold`` as JSON or a number where they parse, else as the word given."""
    return ClassifierSettings(
        class_weight=None if class_weight is None else _json_or_text(class_weight),
        threshold=None if threshold is None else _number_or_text(threshold),
        **given,
    )


def parse_pairs(pairs: list[str], *, typed: bool = True, form: str = "NAME=VALUE") -> dict:
    """``["units=16", "pooling=max"]`` -> ``{"units": 16, "pooling": "max"}``: values as
    JSON where they parse (``typed``), else as typed; a pair without ``=`` names ``form``."""
    params = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected {form}, got {pair!r}", param_hint="--param")
        params[key.strip()] = _json_or_text(raw) if typed else raw
    return params


def _json_or_text(raw: str):
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _number_or_text(raw: str):
    try:
        return float(raw)
    except ValueError:
        return raw
