"""Batch scoring: many (or large) files in, one scored file out per input.

:func:`textclass.batch.score_files` streams each input in chunks of ``chunk_rows``
(memory stays bounded by the chunk, not the file), adds the predicted label and its
probability to the input's own columns, and writes the output in the input's
format under ``output_dir`` (same file name). Guarantees:

- **Nothing dropped**: an output holds as many rows as its input (counted on the
  way in, on the way out and read back from the finished file); an empty text is
  a :class:`~textclass.errors.DataError` naming the file and its data row.
- **Atomic, resumable**: an output is written to a temporary file beside it and
  renamed when complete, so an output that exists is finished; a second run
  skips it (a killed run resumes where it stopped).
- **One model load per process**: :func:`cached_predictor` loads a run
  directory once (here, and on each Dask worker when ``cluster`` is given).

:func:`score_jobs` runs the jobs through a runner: :func:`score_locally` here, or
:func:`textclass.batch.on_cluster.score_on_cluster`, which imports this module (the
choice is made above both, in :mod:`textclass.batch.api`).
"""

from __future__ import annotations

import glob
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from textclass.data.formats import LABEL, PROBABILITY, detect_format, formats, get_format
from textclass.errors import DataError

DEFAULT_CHUNK_ROWS = 10_000


@dataclass
class BatchProgress:
    """What :func:`textclass.batch.score_files` reports: rows scored of (about) how many, files done."""

    rows: int
    total_rows: int
    files: int
    total_files: int
    current: str | None = None


@dataclass(frozen=True)
class Job:
    input: Path
    output: Path
    format: str


# ------------------------------------------------------------------ planning
def expand_inputs(inputs) -> list[Path]:
    """Files named by ``inputs``: paths, globs (``data/*.parquet``) and folders (their
    files of a known format, sorted). A pattern or path that names nothing is an error."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    found: list[Path] = []
    for item in inputs:
        text = str(item)
        if any(ch in text for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not matches:
                raise DataError(f"{text}: the pattern matches no file")
            found += matches
        elif Path(text).is_dir():
            suffixes = [s for fmt in formats(chunked=True) for s in fmt.suffixes]
            files = sorted(
                p
                for p in Path(text).iterdir()
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in suffixes
            )
            if not files:
                raise DataError(f"{text}: the folder has no {'/'.join(suffixes)} files")
            found += files
        elif Path(text).is_file():
            found.append(Path(text))
        else:
            raise DataError(f"{text}: no such file or folder")
    return list(dict.fromkeys(found))


def plan(inputs, output_dir, input_format: str | None = None) -> list[Job]:
    """One job per input file: where its output goes, checked before anything runs."""
    output_dir = Path(output_dir)
    jobs, seen = [], {}
    for path in expand_inputs(inputs):
        target = output_dir / path.name
        if target.name in seen:
            raise DataError(
                f"{path} and {seen[target.name]} would both be written to {target}; "
                "score them into different --output folders"
            )
        if target.resolve() == path.resolve():
            raise DataError(
                f"{path}: the output would overwrite the input; choose another --output"
            )
        seen[target.name] = path
        jobs.append(Job(path, target, file_format(path, input_format)))
    return jobs


def file_format(path: Path, given: str | None = None) -> str:
    """The format of ``path`` (``given``, or detected), if batch scoring reads it."""
    fmt = given or detect_format(path)
    names = [f.name for f in formats(chunked=True)]
    if fmt not in names:
        raise DataError(
            f"{path}: batch scoring reads {', '.join(names)} files, not {fmt}; "
            "convert it, or score it without --output"
        )
    return fmt


# ---------------------------------------------------------------- the model
_PREDICTORS: dict = {}
_LOCK = threading.Lock()


def cached_predictor(run_dir):
    """The run directory's :class:`~textclass.inference.Predictor`, loaded once per process
    (reloaded if the run directory was rewritten since)."""
    from textclass.inference import Predictor

    path = Path(run_dir).resolve()
    config = path / "config.json"
    stamp = config.stat().st_mtime_ns if config.exists() else None
    with _LOCK:
        entry = _PREDICTORS.get(path)
        if entry is None or entry[0] != stamp:
            entry = (stamp, Predictor.load(path))
            _PREDICTORS[path] = entry
        return entry[1]


# ----------------------------------------------------------------- one file
def score_file(
    predictor,
    job: Job,
    *,
    text_col=None,
    encoding: str = "utf-8",
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    on_rows: Callable[[int], None] | None = None,
    groups: tuple[int, int] | None = None,
) -> dict:
    """Score ``job.input`` into ``job.output`` (atomically); the file's summary.

    ``groups``: only Parquet row groups ``start, stop`` (a part of a large file scored
    on a cluster; ``job.output`` is then the part's own file)."""
    started = time.perf_counter()
    fmt = get_format(job.format)
    reader = _open(fmt, job, text_col, encoding)
    target, offset, expected_rows, chunks = job.output, 0, reader.rows, None
    if groups is not None:
        sizes = reader.group_rows()
        offset = sum(sizes[: groups[0]])
        expected_rows = sum(sizes[groups[0] : groups[1]])
        chunks = reader.chunks(chunk_rows, row_groups=range(*groups))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name.lstrip('.')}.{uuid.uuid4().hex[:8]}.tmp")
    writer = fmt.writer(tmp, reader)
    try:
        rows = 0
        for chunk in chunks or reader.chunks(chunk_rows):
            if not len(chunk):
                continue
            labels, proba = _score(predictor, chunk.texts, str(job.input), offset + rows + 1)
            writer.write(chunk, labels, proba)
            rows += len(chunk)
            if on_rows is not None:
                on_rows(len(chunk))
        written = writer.close()
        back = fmt.chunks.count_rows(tmp)
        expected = expected_rows if reader.exact_rows else rows
        if not rows == written == back == expected:
            raise DataError(
                f"{job.input}: read {rows} rows (the file says {expected_rows}) but wrote "
                f"{written} and {back} are in the output; nothing was saved"
            )
        os.replace(tmp, target)
    except BaseException:
        try:
            writer.close()
        except Exception:  # noqa: BLE001 (already failing; the first error is the one to show)
            pass
        tmp.unlink(missing_ok=True)
        raise
    return {
        "input": str(job.input),
        "output": str(target),
        "rows": rows,
        "skipped": False,
        "seconds": time.perf_counter() - started,
    }


def _open(fmt, job: Job, text_col, encoding: str):
    """The chunk reader of ``job.input``, refused if its columns hold the scores' names."""
    reader = fmt.chunks(job.input, text_col, encoding)
    taken = [c for c in (LABEL, PROBABILITY) if c in reader.columns]
    if taken:
        raise DataError(
            f"{job.input}: already has column(s) {', '.join(taken)}, which the scores would "
            "replace; rename them first"
        )
    return reader


def _score(predictor, texts: list[str], source: str, first_row: int):
    from textclass.preprocessing.validation import check_predictable

    check_predictable(texts, source=source, first_row=first_row)
    from textclass.decisions import Decision

    decision = Decision.from_dict(predictor.decision_, predictor.classes_)
    proba = predictor.predict_proba(texts)
    labels, confidence = decision.labels(proba), decision.confidence(proba)
    if predictor.multilabel_:  # one cell per text: the label set joined by ","
        labels = np.asarray([",".join(map(str, chosen)) for chosen in labels], dtype=object)
    return labels, confidence


# ------------------------------------------------------------- many files
Runner = Callable[[list[Job], Callable[..., None]], list[dict]]
"""Scores the unfinished jobs: ``runner(todo, report)``, one summary per job; ``report(rows,
current, file_done)`` as rows and files finish (:func:`score_locally`, or on a cluster)."""


def score_jobs(
    run_dir,
    inputs,
    output_dir,
    *,
    runner: Runner,
    input_format: str | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None,
) -> list[dict]:
    """Plan ``inputs`` into ``output_dir``, skip the outputs that exist, score the rest with
    ``runner``; one summary per file in the order of ``inputs``
    (:func:`textclass.batch.score_files` with the options checked and a runner chosen)."""
    from textclass.persistence import RunDirectory

    RunDirectory(run_dir).check_exists()  # a wrong path fails before any file is read
    jobs = plan(inputs, output_dir, input_format)
    Path(output_dir).mkdir(parents=True, exist_ok=True)
    done = [_finished(j) for j in jobs if j.output.exists()]
    todo = [j for j in jobs if not j.output.exists()]
    estimate = sum(get_format(j.format).chunks.estimate_rows(j.input) for j in todo)
    state = BatchProgress(0, estimate, len(done), len(jobs))  # exact where a file says (Parquet)

    def report(rows: int = 0, current: str | None = None, file_done: bool = False) -> None:
        state.rows += rows
        state.files += file_done
        state.current = current
        if on_progress is not None:
            on_progress(state)

    report()
    results = list(done)
    if todo:
        results += runner(todo, report)
    order = {str(j.input): i for i, j in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r["input"]])


def score_locally(run_dir, todo, text_col, encoding, chunk_rows, report) -> list[dict]:
    """Score the jobs ``todo`` one after the other in this process (the model loaded once)."""
    predictor = cached_predictor(run_dir)
    results = []
    for job in todo:
        report(current=str(job.input))
        result = score_file(
            predictor,
            job,
            text_col=text_col,
            encoding=encoding,
            chunk_rows=chunk_rows,
            on_rows=lambda n, name=str(job.input): report(n, name),
        )
        results.append(result)
        report(file_done=True)
    return results


def _finished(job: Job) -> dict:
    return {"input": str(job.input), "output": str(job.output), "rows": None, "skipped": True}
