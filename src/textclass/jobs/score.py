"""The score job: files scored in chunks into a folder, here or on a Dask cluster."""

from __future__ import annotations

from textclass.jobs.requests import ScoreRequest


def score(request: ScoreRequest, on_progress=None) -> list[dict]:
    """One result per input file (``output``, ``rows``, ``skipped``): see
    :func:`textclass.batch.score_files`."""
    from textclass.batch import score_files

    if request.cluster is not None:
        from textclass.cluster import check_address

        check_address(request.cluster)
    return score_files(
        request.run,
        list(request.inputs),
        request.output_dir,
        text_col=request.text_col,
        chunk_rows=request.chunk_rows,
        input_format=request.input_format,
        encoding=request.encoding,
        cluster=request.cluster,
        on_progress=on_progress,
    )
