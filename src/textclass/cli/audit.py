"""``textclass audit``: label errors, duplicates, leakage and data health, before training."""

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
    OnEmpty,
    TestFile,
    TextCol,
    data_options,
)

AuditOut = Annotated[Path | None, typer.Option(help="Folder for audit.json and audit.html")]
AuditModel = Annotated[
    str, typer.Option(help="Family whose out-of-fold probabilities find label errors")
]
Folds = Annotated[
    int | None,
    typer.Option(help="Folds of the out-of-fold probabilities (default 5; 3 above 10,000 texts)"),
]
NearThreshold = Annotated[
    float, typer.Option(help="Estimated Jaccard similarity of near duplicates (word 3-grams)")
]
LabelErrors = Annotated[
    bool, typer.Option(help="Look for label errors (fits a model per fold; off: cheap checks)")
]
WriteClean = Annotated[
    Path | None,
    typer.Option(help="Write the data without the flagged rows here (.jsonl or .csv)"),
]


@app.command()
def audit(
    data: DataArg,
    test: TestFile = None,
    out: AuditOut = None,
    model: AuditModel = "ngram",
    folds: Folds = None,
    seed: Annotated[int, typer.Option(help="Seed of the folds and the model")] = 0,
    near_threshold: NearThreshold = 0.8,
    label_errors: LabelErrors = True,
    write_clean: WriteClean = None,
    text_col: TextCol = None,
    label_col: LabelCol = None,
    fmt: Format = None,
    encoding: Encoding = "utf-8",
    on_empty: OnEmpty = "error",
    label_sep: LabelSep = None,
    label_cols: LabelCols = None,
) -> None:
    """Find likely label errors, duplicates, train/test leakage and unhealthy labels or texts."""
    from textclass.jobs.audit import run_audit
    from textclass.jobs.notes import Notes
    from textclass.jobs.requests import AuditRequest

    given = dict(locals())
    request = AuditRequest(
        data=data, data_options=data_options(given), test_data=test, model=model,
        folds=folds, seed=seed, near_threshold=near_threshold, label_errors=label_errors,
        out=out, write_clean=write_clean,
    )  # fmt: skip
    report = run_audit(request, Notes(_echo_err))
    typer.echo("\n".join(report.summary_lines()))
    if out is not None:
        typer.echo(f"wrote {out / 'audit.json'} and {out / 'audit.html'}")
    if write_clean is not None:
        typer.echo(f"wrote {write_clean} and {write_clean}.removed.jsonl")
