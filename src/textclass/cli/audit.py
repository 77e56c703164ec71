"""``textclass audit``: likely label errors, duplicates, leakage and data health.

The command maps its options to an :class:`~textclass.jobs.requests.AuditRequest`,
calls the audit job (:mod:`textclass.jobs.audit`) and prints one line per finding
kind, then the top rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from textclass.cli.common import _echo_err, app
from textclass.cli.options import (
    DataArg,
    Encoding,
    Format,
    LabelCol,
    LabelCols,
    LabelSep,
    ModelParam,
    TextCol,
    data_options,
    parse_pairs,
)

AuditTest = Annotated[
    str | None,
    typer.Option(
        "--test",
        help="Labeled test data: checked for duplicates and for leakage (its texts in DATA)",
    ),
]
AuditModel = Annotated[
    str, typer.Option(help="Model family scoring each row out of fold (default ngram)")
]
Folds = Annotated[int, typer.Option(help="Folds of the out-of-fold probabilities")]
AuditSeed = Annotated[int, typer.Option(help="Seed of the folds and the model")]
NearThreshold = Annotated[
    float, typer.Option(help="Near-duplicates: Jaccard similarity of word 3-gram sets")
]
Labels = Annotated[
    bool, typer.Option(help="Run the label audit (fits one model per fold); --no-labels skips it")
]
AuditOut = Annotated[
    Path | None, typer.Option(help="Folder for audit.json (every finding) and audit.html")
]
WriteClean = Annotated[
    Path | None,
    typer.Option(
        help="Write the data without the flagged rows here (.csv, .tsv, .jsonl, .parquet); "
        "what was removed and why goes to FILE.removed.jsonl; the input is never modified"
    ),
]
Top = Annotated[int, typer.Option(help="Rows shown per finding kind")]
AuditOnEmpty = Annotated[
    str, typer.Option(help="Rows with empty or missing text: drop (and report) or error")
]


@app.command()
def audit(
    data: DataArg,
    test: AuditTest = None,
    out: AuditOut = None,
    model: AuditModel = "ngram",
    param: ModelParam = [],  # noqa: B006
    folds: Folds = 5,
    seed: AuditSeed = 0,
    near_threshold: NearThreshold = 0.8,
    labels: Labels = True,
    write_clean: WriteClean = None,
    top: Top = 10,
    text_col: TextCol = None,
    label_col: LabelCol = None,
    fmt: Format = None,
    encoding: Encoding = "utf-8",
    on_empty: AuditOnEmpty = "drop",
    label_sep: LabelSep = None,
    label_cols: LabelCols = None,
) -> None:
    """Find likely label errors, duplicates, train/test leakage and unhealthy labels or texts."""
    from textclass.audit import top_rows
    from textclass.jobs.audit import run_audit
    from textclass.jobs.requests import AuditRequest

    request = AuditRequest(
        data=data, data_options=data_options(dict(locals())), test_data=test, model=model,
        model_params=parse_pairs(param), folds=folds, seed=seed, near_threshold=near_threshold,
        labels=labels, out=out, write_clean=write_clean,
    )  # fmt: skip
    outcome = run_audit(request, report=_echo_err)
    for line in outcome.summary_lines():
        typer.echo(line)
    for line in top_rows(outcome.found, top):
        typer.echo(line)
    for what, path in outcome.written.items():
        if what == "clean":
            typer.echo(
                f"wrote {path['out']} ({path['rows']} rows; {path['removed']} removed, "
                f"listed in {path['side']})"
            )
        else:
            typer.echo(f"wrote {path}")
