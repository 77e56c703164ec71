"""Where ``--model auto``'s candidates run: here one after another, in ``jobs`` local
processes, or as tasks on a Dask cluster (``--cluster``).

Each candidate is one task: estimate its cost, then cross-validate it if it fits in the
time left (:meth:`textclass.experiments.auto._Trial.run`). Elsewhere, the deadline
travels as wall-clock time (``time.time()``: comparable between processes and, clocks
kept by NTP, between machines; a monotonic clock is not). The candidates' rows come back
as they finish and only this process writes the trial log, so a killed run loses at most
the candidates in flight.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable

from textclass.errors import ConfigError


def check_jobs(jobs, cluster) -> None:
    from textclass.checks import is_int

    if not (is_int(jobs) and jobs >= 1):
        raise ConfigError(f"--jobs must be a positive integer, got {jobs!r}")
    if cluster is not None and jobs > 1:
        raise ConfigError("--jobs runs candidates in local processes; with --cluster give local:N")


def run_candidates(trial, todo: list, deadline: float, done: Callable, *, jobs: int = 1,
                   cluster=None) -> None:  # fmt: skip
    """``done(row, seconds)`` for each candidate of ``todo`` as it finishes; ``deadline``
    on ``trial.clock``."""
    if cluster is None and (jobs <= 1 or len(todo) <= 1):
        for candidate in todo:
            began = trial.clock()
            row = trial.run(candidate, deadline)
            done(row, trial.clock() - began)
        return
    wall = time.time() + (deadline - trial.clock())
    plain = dataclasses.replace(trial, clock=time.time)  # picklable, and the clock of `wall`
    if cluster is not None:
        _on_cluster(cluster, plain, todo, wall, done)
    else:
        _in_processes(jobs, plain, todo, wall, done)


def run_one(trial, candidate, deadline: float) -> tuple[dict, float]:
    """A task: the candidate's row and the seconds it took (``deadline``: ``time.time()``)."""
    began = time.time()
    row = trial.run(candidate, deadline)
    return row, time.time() - began


def _in_processes(jobs: int, trial, todo: list, deadline: float, done: Callable) -> None:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from textclass.threads import limit_threads

    threads = max(1, (os.cpu_count() or 1) // jobs)
    context = mp.get_context("spawn")  # fresh interpreters: no forked JAX/TF state
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(todo)), mp_context=context, initializer=limit_threads,
        initargs=(threads,),
    ) as pool:  # fmt: skip
        futures = [pool.submit(run_one, trial, c, deadline) for c in todo]
        for future in as_completed(futures):
            done(*future.result())


def _on_cluster(cluster, trial, todo: list, deadline: float, done: Callable) -> None:
    import uuid

    from textclass.cluster import connect

    with connect(cluster) as client:
        from distributed import as_completed

        [remote] = client.scatter([trial], broadcast=True, hash=False)
        run = uuid.uuid4().hex[:8]
        futures = [
            client.submit(run_one, remote, c, deadline, pure=False, key=f"auto-{i}-{run}")
            for i, c in enumerate(todo)
        ]
        try:
            for future in as_completed(futures):
                done(*future.result())
        finally:
            client.cancel(futures + [remote])
