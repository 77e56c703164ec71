"""Batch scoring on a Dask cluster (``score_files(..., cluster=...)``); a runner for
:func:`textclass.batch.scoring.score_jobs`.

Each input file is a task; a Parquet file of more than ``part_rows`` rows is
split into parts of whole row groups, each a task, scored to a hidden part file
beside the output and joined in order by the client (streamed, row count
checked, renamed into place). A part file that exists is finished (it was
renamed into place too), so a rerun after an interruption scores only the
missing parts. Workers load the model once each (:func:`cached_predictor`) and
read and write the files themselves: the paths must be the same there.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from pathlib import Path

from textclass.batch.scoring import Job, cached_predictor, score_file
from textclass.data.formats import get_format
from textclass.errors import DataError


def score_on_cluster(cluster, run_dir, todo, text_col, encoding, chunk_rows, part_rows, report):
    """Score the jobs ``todo`` on ``cluster``: one summary per file, ``report`` as parts end."""
    from textclass.cluster import connect

    run_dir = str(Path(run_dir).resolve())
    results, parts = [], {}
    with connect(cluster) as client:
        from distributed import as_completed

        futures = {}
        for job in todo:
            parts[job] = split_parts(job, part_rows)
            for groups in parts[job]:
                if groups is not None and part_path(job, groups).exists():
                    continue  # scored by an earlier, interrupted run
                key = f"score-{job.input.name}-{groups}-{uuid.uuid4().hex[:8]}"
                args = (run_dir, job, text_col, encoding, chunk_rows, groups)
                futures[client.submit(score_file_task, *args, pure=False, key=key)] = job
        waiting = {job: sum(1 for j in futures.values() if j is job) for job in todo}
        for job in todo:  # every part already there
            if not waiting[job]:
                results.append(join_parts(job, parts[job], chunk_rows))
                report(results[-1]["rows"], str(job.input), file_done=True)
        for future in as_completed(list(futures)):
            result, job = future.result(), futures[future]
            waiting[job] -= 1
            whole = parts[job] == [None]
            report(result["rows"], result["input"], file_done=whole)
            if whole:
                results.append(result)
            elif not waiting[job]:
                results.append(join_parts(job, parts[job], chunk_rows))
                report(file_done=True)
    return results


def score_file_task(run_dir, job: Job, text_col, encoding: str, chunk_rows: int, groups) -> dict:
    """:func:`score_file` as a Dask task: the worker's cached model, its own summary (a part
    of a file, ``groups`` not None, is written to its :func:`part_path`)."""
    if groups is not None:
        job = replace(job, output=part_path(job, groups))
    result = score_file(
        cached_predictor(run_dir),
        job,
        text_col=text_col,
        encoding=encoding,
        chunk_rows=chunk_rows,
        groups=groups,
    )
    result["worker"] = f"{os.uname().nodename}:{os.getpid()}"
    return result


def part_path(job: Job, groups: tuple[int, int]) -> Path:
    """Where row groups ``groups`` of ``job.input`` are scored to before they are joined."""
    return job.output.with_name(f".{job.output.name}.rg{groups[0]:06d}-{groups[1]:06d}.part")


def split_parts(job: Job, part_rows: int) -> list[tuple[int, int] | None]:
    """Consecutive row groups of about ``part_rows`` rows (``[None]``: the file whole)."""
    if job.format != "parquet":
        return [None]
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(job.input).metadata
    if meta.num_rows <= part_rows or meta.num_row_groups < 2:
        return [None]
    parts, start, rows = [], 0, 0
    for i in range(meta.num_row_groups):
        rows += meta.row_group(i).num_rows
        if rows >= part_rows:
            parts.append((start, i + 1))
            start, rows = i + 1, 0
    if start < meta.num_row_groups:
        parts.append((start, meta.num_row_groups))
    return parts


def join_parts(job: Job, parts: list[tuple[int, int]], chunk_rows: int) -> dict:
    """The scored parts of a Parquet file, streamed into its output (checked, atomic)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = job.output.with_name(f".{job.output.name}.{uuid.uuid4().hex[:8]}.tmp")
    writer, rows = None, 0
    try:
        for groups in parts:
            part = pq.ParquetFile(part_path(job, groups))
            for batch in part.iter_batches(batch_size=chunk_rows):
                if writer is None:
                    writer = pq.ParquetWriter(tmp, batch.schema)
                writer.write_table(pa.Table.from_batches([batch]))
                rows += batch.num_rows
        writer.close()
        expected = pq.ParquetFile(job.input).metadata.num_rows
        if rows != expected or get_format("parquet").chunks.count_rows(tmp) != expected:
            raise DataError(f"{job.input}: the scored parts hold {rows} of {expected} rows")
        os.replace(tmp, job.output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for groups in parts:
        part_path(job, groups).unlink(missing_ok=True)
    return {"input": str(job.input), "output": str(job.output), "rows": rows, "skipped": False}
