"""The audit job: load the data (and a test file), audit it, write what it found.

A named dataset with a publisher's split (IMDB, GoEmotions) is audited as its training
part, with its test part checked for leakage; any other data is audited whole, against
``--test`` when given. ``--write-clean FILE`` writes a copy of the audited rows without the
flagged ones (JSONL, or CSV for one label per text), and ``FILE.removed.jsonl`` beside it
with each removed row and why; the input is only read.
"""

from __future__ import annotations

import json
from pathlib import Path

from textclass.audit import AuditReport, audit, clean_rows
from textclass.data import Dataset
from textclass.errors import ConfigError
from textclass.jobs.loading import load_noted
from textclass.jobs.notes import Notes
from textclass.jobs.requests import AuditRequest


def run_audit(request: AuditRequest, notes: Notes | None = None) -> AuditReport:
    notes = notes or Notes()
    _check(request)
    train, test = _parts(request, notes)
    report = audit(
        train, test, model=request.model, folds=request.folds, seed=request.seed,
        near_threshold=request.near_threshold, label_errors=request.label_errors,
    )  # fmt: skip
    if request.out is not None:
        report.write(Path(request.out))
    if request.write_clean is not None:
        write_clean(train, report, Path(request.write_clean))
    return report


def write_clean(train: Dataset, report: AuditReport, path: Path) -> tuple[Path, Path]:
    """The audited rows without the flagged ones, and a side file of what was removed."""
    removed = clean_rows(report)
    position = {int(row): i for i, row in enumerate(train.row_numbers())}
    kept = [i for i in range(len(train)) if int(train.row_numbers()[i]) not in removed]
    rows = [(train.texts[i], _plain(train.labels[i])) for i in kept]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        import pandas as pd

        pd.DataFrame(rows, columns=["text", "label"]).to_csv(path, index=False)
    else:
        with path.open("w", encoding="utf-8") as fh:
            for text, label in rows:
                fh.write(json.dumps({"text": text, "label": label}, ensure_ascii=False) + "\n")
    side = path.with_name(path.name + ".removed.jsonl")
    with side.open("w", encoding="utf-8") as fh:
        for row, why in removed.items():
            i = position[row]
            item = {"row": row, "why": why, "text": train.texts[i],
                    "label": _plain(train.labels[i])}  # fmt: skip
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path, side


def _check(request: AuditRequest) -> None:
    """Settings refused before any data is read."""
    if not 0 < request.near_threshold <= 1:
        raise ConfigError(f"--near-threshold must be in (0, 1], got {request.near_threshold}")
    if request.folds is not None and request.folds < 2:
        raise ConfigError(f"--folds must be at least 2, got {request.folds}")
    clean = request.write_clean
    if clean is not None and Path(clean).suffix.lower() not in (".jsonl", ".csv"):
        raise ConfigError(f"--write-clean {clean}: give a .jsonl or .csv file name")
    if clean is not None and Path(clean).resolve() == Path(request.data).resolve():
        raise ConfigError(f"--write-clean {clean} is the input file: the input is never modified")


def _parts(request: AuditRequest, notes: Notes) -> tuple[Dataset, Dataset | None]:
    from textclass.data.splits import has_publisher_split

    data = load_noted(request.data, request.data_options, notes)
    if request.test_data is not None:
        return data, load_noted(request.test_data, request.data_options, notes)
    if has_publisher_split(data):
        train = data.subset(data.split == "train", data.name + "[train]")
        return train, data.subset(data.split == "test", data.name + "[test]")
    return data, None


def _plain(label):
    if isinstance(label, tuple):
        return [_plain(x) for x in label]
    return label.item() if hasattr(label, "item") else label
