"""Where an experiment's independent tasks run when not here, one after another: in
``jobs`` local processes (``--jobs N``) or as tasks on a Dask cluster (``--cluster``).
A search's trials and ``--model auto``'s candidates are both such tasks; this is the one
home of how they are sent out and come back.

- **Processes** are spawned, not forked (JAX and TensorFlow are not fork-safe), and each
  is capped at ``cpu_count // jobs`` threads for JAX/XLA, TensorFlow, PyTorch and BLAS
  (:func:`textclass.threads.limit_threads`), so N processes share the cores.
- **On a cluster** the ``shared`` part (the training texts and labels, or the trial
  settings that hold them) is scattered to every worker once (``client.scatter(...,
  broadcast=True)``); each task holds only its own arguments. A worker that dies mid-task
  is not an error: the scheduler runs the task again on another worker (up to Dask's
  ``distributed.scheduler.allowed-failures``, 3 by default).
- Results come back to the caller as they finish (``as_completed``) and only the caller
  writes its log, so the log stays the single source of truth: a killed caller loses at
  most the tasks in flight.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence

from textclass.threads import limit_threads


def run_elsewhere(task: Callable, shared, calls: Sequence[tuple], done: Callable, *,
                  jobs: int = 1, cluster=None, name: str = "task") -> None:  # fmt: skip
    """``done(task(shared, *args))`` for each ``args`` of ``calls``, as each finishes: on
    ``cluster`` when one is given, else in ``jobs`` spawned processes. ``task`` must be a
    module-level function (it is pickled by name); ``name`` prefixes the Dask task keys."""
    if cluster is not None:
        on_cluster(cluster, task, shared, calls, done, name=name)
    else:
        in_processes(jobs, task, shared, calls, done)


def in_processes(jobs: int, task: Callable, shared, calls: Sequence[tuple], done: Callable) -> None:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    threads = max(1, (os.cpu_count() or 1) // jobs)
    context = mp.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=max(1, min(jobs, len(calls))), mp_context=context,
        initializer=limit_threads, initargs=(threads,),
    ) as pool:  # fmt: skip
        futures = [pool.submit(task, shared, *args) for args in calls]
        for future in as_completed(futures):
            done(future.result())


def on_cluster(cluster, task: Callable, shared, calls: Sequence[tuple], done: Callable, *,
               name: str = "task") -> None:  # fmt: skip
    from textclass.cluster import connect

    with connect(cluster) as client:
        from distributed import as_completed

        [remote] = client.scatter([shared], broadcast=True, hash=False)
        run = uuid.uuid4().hex[:8]
        futures = [
            client.submit(task, remote, *args, pure=False, key=f"{name}-{i}-{run}")
            for i, args in enumerate(calls)
        ]
        try:
            for future in as_completed(futures):
                done(future.result())
        finally:
            client.cancel(futures + [remote])
