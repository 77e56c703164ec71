"""The options commands share, and the one place that turns options into job requests.

A command declares its options with the aliases below (one line each) and builds its
request (:mod:`textclass.jobs.requests`) from its arguments by name
(``given = dict(locals())``): :func:`data_options` and :func:`classifier_settings` pick
the options the command declares, :func:`parse_pairs` reads ``--param``. Every command
reads them the same way, and a new classifier setting is one option and one field.
"""

from __future__ import annotations

import json
from dataclasses import fields
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


# ------------------------------------------------------------ train and the experiments
DataArg = Annotated[
    str, typer.Argument(help="A named dataset (uci-sentiment:yelp) or a file/folder")
]
Model = Annotated[
    str,
    typer.Option(
        help="Model family (see `textclass models`; default ngram), or auto: the best by "
        "cross-validation on the training part within --time-limit"
    ),
]
TimeLimit = Annotated[
    str, typer.Option(help="For --model auto: the whole run's time, e.g. 600, 90s, 10m, 1h")
]
ModelParam = Annotated[
    list[str], typer.Option("--param", "-p", help="Model hyperparameter NAME=VALUE (repeatable)")
]
TestSize = Annotated[
    float | None,
    typer.Option(
        help="Fraction (0-1) or number of rows held out for testing "
        "(default 0.25; the publisher's split where one exists)"
    ),
]
Seed = Annotated[int | None, typer.Option(help="Seed for the split and the model (default 0)")]
RunOut = Annotated[Path | None, typer.Option(help="Directory to save the trained model in")]
TrialCluster = Annotated[
    str | None,
    typer.Option(
        help="Run the trials on a Dask cluster: local, local:N (N worker processes) "
        "or a scheduler address (tcp://host:8786)"
    ),
]

# ------------------------------------------------------------------------ predict
Texts = Annotated[list[str] | None, typer.Argument(help="Texts to classify")]
InputFile = Annotated[
    Path | None, typer.Option("--input", "-i", help="A file of texts to classify")
]
InputFormat = Annotated[str | None, typer.Option(help="Format of --input (default: from the file)")]
Output = Annotated[str, typer.Option("--format", help="Output: table, csv or jsonl")]
Explain = Annotated[
    bool, typer.Option(help="Also show the words or n-grams that pushed each prediction")
]
Top = Annotated[int, typer.Option(help="With --explain: how many words per text")]
OutputDir = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Score --input (a file, folder or quoted glob such as 'data/*.parquet') in "
        "chunks into this folder: one file per input, in its format, with the scores added; "
        "finished outputs are skipped on a rerun",
    ),
]
ScoreCluster = Annotated[
    str | None,
    typer.Option(
        help="With --output: score the files on a Dask cluster: local, local:N "
        "(N worker processes) or a scheduler address (tcp://host:8786)"
    ),
]
ChunkRows = Annotated[
    int, typer.Option(help="Rows scored at a time with --output (bounds the memory)")
]

# the command options each request part is built from (``fmt`` is ``--format``)
_DATA_OPTIONS = {
    "text_col": "text_col",
    "label_col": "label_col",
    "group_col": "group_col",
    "fmt": "format",
    "encoding": "encoding",
    "on_empty": "on_empty",
    "label_sep": "label_sep",
    "label_cols": "label_cols",
}


def data_options(given: dict) -> DataOptions:
    """The data options among a command's options (``given``: its arguments by name;
    ``--label-cols a,b,c`` becomes a tuple of names)."""
    from textclass.data.multilabel import parse_label_cols

    values = {field: given[option] for option, field in _DATA_OPTIONS.items() if option in given}
    cols = parse_label_cols(values.get("label_cols"))
    values["label_cols"] = None if cols is None else tuple(cols)
    return DataOptions(**values)


def classifier_settings(given: dict) -> ClassifierSettings:
    """The classifier settings among a command's options (those it declares and the user
    gave); ``--class-weight`` and ``--threshold`` as JSON or a number where they parse."""
    names = {f.name for f in fields(ClassifierSettings)}
    values = {k: v for k, v in given.items() if k in names and v is not None}
    if "class_weight" in values:
        values["class_weight"] = _json_or_text(values["class_weight"])
    if "threshold" in values:
        values["threshold"] = _number_or_text(values["threshold"])
    return ClassifierSettings(**values)


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


def parse_duration(text: str) -> float:
    """``"10m"`` -> 600.0; a number alone is seconds; s, m and h suffixes."""
    from textclass.errors import invalid

    value = text.strip().lower()
    scale = {"s": 1, "m": 60, "h": 3600}.get(value[-1:], None)
    number = value[:-1] if scale else value
    try:
        seconds = float(number) * (scale or 1)
    except ValueError:
        raise invalid("--time-limit", "seconds, or a number with s, m or h", text) from None
    if not seconds > 0:
        raise invalid("--time-limit", "a positive duration", text)
    return seconds
