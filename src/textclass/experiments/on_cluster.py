"""Search trials as Dask tasks (``run_search(..., cluster=ADDRESS)``).

The training texts and labels are scattered to every worker once
(``client.scatter(..., broadcast=True)``); each trial is one task holding only
its settings and parameters. Results come back to the client as they finish
(``as_completed``), and only the client writes the trial log, so the log stays
the single source of truth: a killed client loses at most the trials in flight
and ``--resume`` skips the rest. A worker that dies mid-trial is not an error:
the scheduler runs its trial again on another worker (up to Dask's
``distributed.scheduler.allowed-failures`` times, 3 by default).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable


def run_trials(cluster, settings, pending: list[dict], texts, labels, record: Callable) -> None:
    """Run every candidate of ``pending`` on ``cluster``; ``record(trial)`` as each finishes."""
    from textclass.cluster import connect
    from textclass.experiments.space import trial_key

    with connect(cluster) as client:
        from distributed import as_completed

        [data] = client.scatter([(list(texts), labels)], broadcast=True, hash=False)
        run = uuid.uuid4().hex[:8]
        futures = [
            client.submit(_trial, settings, params, data, pure=False, key=f"trial-{trial_key(params)}-{run}")
            for params in pending
        ]  # fmt: skip
        try:
            for future in as_completed(futures):
                record(future.result())
        finally:
            client.cancel(futures + [data])


def _trial(settings, params: dict, data) -> dict:
    from textclass.experiments.trials import run_trial

    texts, labels = data
    return run_trial(settings, params, texts, labels)
