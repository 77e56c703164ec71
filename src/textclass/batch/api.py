"""The batch scoring entry point: :func:`score_files` checks its options and chooses where
the files are scored (this process, or a Dask cluster).

The choice is made here, above both runners, so that :mod:`textclass.batch.scoring` does
not import :mod:`textclass.batch.on_cluster` (which imports it).
"""

from __future__ import annotations

from collections.abc import Callable

from textclass.batch.on_cluster import score_on_cluster
from textclass.batch.scoring import (
    DEFAULT_CHUNK_ROWS,
    BatchProgress,
    Runner,
    score_jobs,
    score_locally,
)
from textclass.errors import ConfigError


def score_files(
    run_dir,
    inputs,
    output_dir,
    *,
    text_col=None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    input_format: str | None = None,
    encoding: str = "utf-8",
    cluster=None,
    part_rows: int = 200_000,
    on_progress: Callable[[BatchProgress], None] | None = None,
) -> list[dict]:
    """Score every file of ``inputs`` (paths, globs, folders) with the model in ``run_dir``
    into ``output_dir``; one summary per file (``skipped``: finished by an earlier run).

    ``cluster``: a Dask address (``local``, ``local:N``, ``tcp://host:8786``) or a
    ``distributed.Client``; each file is then scored on a worker, which loads the
    model once and writes the output itself (``output_dir`` and the inputs must be
    reachable by the same paths there). A Parquet file of more than ``part_rows``
    rows is split into parts of whole row groups, scored on several workers and
    joined in order by the caller (parts already scored are kept for a rerun).
    """
    for name, value in (("chunk_rows", chunk_rows), ("part_rows", part_rows)):
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
            raise ConfigError(f"{name} must be a positive integer, got {value!r}")
    runner: Runner
    if cluster is None:

        def runner(todo, report):
            return score_locally(run_dir, todo, text_col, encoding, chunk_rows, report)

    else:

        def runner(todo, report):
            return score_on_cluster(
                cluster, run_dir, todo, text_col, encoding, chunk_rows, part_rows, report
            )

    return score_jobs(
        run_dir,
        inputs,
        output_dir,
        runner=runner,
        input_format=input_format,
        on_progress=on_progress,
    )
