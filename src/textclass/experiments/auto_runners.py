"""Where ``--model auto``'s candidates run: here one after another, in ``jobs`` local
processes, or as tasks on a Dask cluster (``--cluster``), sent out by :mod:`.workers`.

Each candidate is one task: estimate its cost, then cross-validate it if it fits in the
time left (:meth:`textclass.experiments.auto_trial.Trial.run`). Elsewhere, the deadline
travels as wall-clock time (``time.time()``: comparable between processes and, clocks
kept by NTP, between machines; a monotonic clock is not).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from textclass.errors import ConfigError
from textclass.experiments.auto_board import outpriced


def check_jobs(jobs, cluster) -> None:
    from textclass.checks import is_int

    if not (is_int(jobs) and jobs >= 1):
        raise ConfigError(f"--jobs must be a positive integer, got {jobs!r}")
    if cluster is not None and jobs > 1:
        raise ConfigError("--jobs runs candidates in local processes; with --cluster give local:N")


def run_candidates(trial, todo: list, deadline: float, done: Callable, *, jobs: int = 1,
                   cluster=None, known: dict | None = None) -> None:  # fmt: skip
    """``done(row, seconds)`` for each candidate of ``todo`` as it finishes; ``deadline``
    on ``trial.clock``. One after another, a candidate is not tried when one it always
    costs more than did not fit (``known``: the rows so far by name, kept up to date by
    ``done``); candidates that run at once cannot wait for each other's rows."""
    if cluster is None and (jobs <= 1 or len(todo) <= 1):
        for candidate in todo:
            began = trial.clock()
            row = outpriced(candidate, {} if known is None else known)
            row = row or trial.run(candidate, deadline)
            done(row, trial.clock() - began)
        return
    from textclass.experiments.workers import run_elsewhere

    wall = time.time() + (deadline - trial.clock())
    plain = dataclasses.replace(trial, clock=time.time)  # picklable, and the clock of `wall`
    calls = [(candidate, wall) for candidate in todo]
    run_elsewhere(run_one, plain, calls, lambda result: done(*result), jobs=jobs,
                  cluster=cluster, name="auto")  # fmt: skip


def run_one(trial, candidate, deadline: float) -> tuple[dict, float]:
    """A task: the candidate's row and the seconds it took (``deadline``: ``time.time()``)."""
    began = time.time()
    row = trial.run(candidate, deadline)
    return row, time.time() - began
