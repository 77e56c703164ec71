"""``--write-clean FILE``: a new file without the flagged rows, and beside it what was
removed and why (``FILE.removed.jsonl``). The input is only read, never written.

A file keeps every column it had (read again with the readers' table reader, so its data
rows are the rows the findings name); a named dataset, or a format without a plain table
(fastText, class folders), is written as text and label columns. The output's format
follows its suffix: .csv, .tsv, .jsonl or .parquet.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from textclass.audit.core import AuditResult
from textclass.audit.report import removals
from textclass.errors import ConfigError

WRITERS = (".csv", ".tsv", ".jsonl", ".parquet")


def write_clean(
    result: AuditResult, out, *, source: str | None = None, format=None, encoding="utf-8"
) -> dict:
    """Write the training parts' rows less :func:`removals` to ``out``; ``source``: the
    file they were read from (its other columns are kept). Returns what was written."""
    out = Path(out)
    if out.suffix.lower() not in WRITERS:
        raise ConfigError(f"{out}: --write-clean writes {', '.join(WRITERS)} files; name one")
    inputs = [Path(p.name) for p in result.corpus.parts] + ([Path(source)] if source else [])
    if out.exists() and any(p.exists() and p.resolve() == out.resolve() for p in inputs):
        raise ConfigError(f"{out}: is an input of the audit; the input is never modified")
    removed = removals(result)
    corpus = result.corpus
    train_parts = [k for k, p in enumerate(corpus.parts) if p.role == "train"]
    frame = _source_frame(source, format, encoding) if len(train_parts) == 1 else None
    gone = {(int(corpus.part[i]), int(corpus.rows[i])) for i in removed}
    if frame is not None:
        part = corpus.parts[train_parts[0]]
        dropped = set(part.dataset.dropped_rows)
        keep = [
            r not in dropped and (train_parts[0], r) not in gone for r in range(1, len(frame) + 1)
        ]
        kept = frame[pd.Series(keep, index=frame.index)]
    else:
        kept = _dataset_frame(result, train_parts, gone)
    _write(kept, out, header=frame is None or not _numbered(frame))
    side = out.with_name(out.name + ".removed.jsonl")
    with open(side, "w", encoding="utf-8") as fh:
        for i, reasons in removed.items():
            entry = {**corpus.where(i), "reasons": reasons, "text": corpus.texts[i]}
            fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
    return {"out": out, "rows": len(kept), "removed": len(removed), "side": side}


def _source_frame(source, format, encoding) -> pd.DataFrame | None:
    """The input file as a table (every column), or None where it is no plain table."""
    from textclass.data.readers import read_frame
    from textclass.errors import DataError

    if source is None or not Path(source).is_file():
        return None
    try:
        return read_frame(source, format=format, encoding=encoding)
    except DataError:  # fastText and class folders: labeled-only formats
        return None


def _dataset_frame(result: AuditResult, train_parts: list[int], gone: set) -> pd.DataFrame:
    corpus = result.corpus
    records = []
    for i in range(len(corpus.texts)):
        k, row = int(corpus.part[i]), int(corpus.rows[i])
        if k in train_parts and (k, row) not in gone:
            label = corpus.labels[i]
            label = list(label) if isinstance(label, tuple) else label
            records.append({"text": corpus.texts[i], "label": label, "part": corpus.parts[k].name})
    return pd.DataFrame.from_records(records, columns=["text", "label", "part"])


def _numbered(frame: pd.DataFrame) -> bool:
    """True for a file read without header (its columns are numbered)."""
    return all(isinstance(c, int) for c in frame.columns)


def _write(frame: pd.DataFrame, out: Path, *, header: bool) -> None:
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".jsonl":
        frame.to_json(out, orient="records", lines=True, force_ascii=False)
    elif suffix == ".parquet":
        frame.to_parquet(out, index=False)
    else:
        sep = "\t" if suffix == ".tsv" else ","
        if "label" in frame.columns and frame["label"].map(lambda v: isinstance(v, list)).any():
            frame = frame.assign(label=frame["label"].map(lambda v: ",".join(map(str, v))))
        frame.to_csv(out, sep=sep, index=False, header=header)
