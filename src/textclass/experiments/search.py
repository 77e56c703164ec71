"""Hyperparameter search (grid or random) with k-fold cross-validation.

Guarantees:

- **No leak**: every fold fits a fresh classifier (tokenizer included) on the
  fold's training part only (:mod:`textclass.evaluation.crossval`).
- **Nothing lost**: each trial is appended to ``trials.jsonl`` (flushed and
  fsynced) the moment it finishes; ``resume=True`` skips the trials already there,
  so a killed search loses at most the trials in flight and, resumed, ends with
  the same result as an uninterrupted run (trials are seeded, not order-dependent).
- **Progress**: a callback after each trial (done/total, elapsed, time left, best).
- **Parallel**: ``jobs=N`` runs trials in N processes, each limited to
  ``cpu_count // N`` threads for JAX/XLA, TensorFlow, PyTorch and BLAS.

Candidates come from scikit-learn's ``ParameterGrid`` / ``ParameterSampler``;
ranges are lists or scipy distributions (``loguniform(1e-4,1e-2)``).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textclass.errors import ConfigError
from textclass.experiments.space import candidates, needs_parse, parse_space, trial_key
from textclass.experiments.trials import SearchSettings, make_estimator, run_trial

__all__ = [
    "SearchSettings",
    "candidates",
    "make_estimator",
    "parse_space",
    "run_search",
    "run_trial",
    "trial_key",
]


# ---------------------------------------------------------- the trial log
class TrialLog:
    """``trials.jsonl`` plus ``search.json`` (the settings it belongs to)."""

    def __init__(self, folder: Path, settings: SearchSettings, *, resume: bool) -> None:
        self.folder = folder
        self.path = folder / "trials.jsonl"
        header = folder / "search.json"
        folder.mkdir(parents=True, exist_ok=True)
        fingerprint = json.loads(json.dumps(settings.fingerprint(), default=_as_text))
        if self.path.exists() and self.path.stat().st_size and not resume:
            raise ConfigError(
                f"{self.path} already holds trials: add --resume to continue that search, "
                "or choose another --out"
            )
        if resume and header.exists():
            saved = json.loads(header.read_text(encoding="utf-8"))
            if saved != fingerprint:
                changed = sorted(k for k in fingerprint if saved.get(k) != fingerprint[k])
                raise ConfigError(
                    f"cannot resume {folder}: the search settings differ ({', '.join(changed)})"
                )
        header.write_text(json.dumps(fingerprint, indent=2) + "\n", encoding="utf-8")

    def finished(self) -> dict[str, dict]:
        """Trials already written; a torn last line (killed mid-write) is ignored."""
        done = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    trial = json.loads(line)
                except json.JSONDecodeError:
                    continue
                done[trial["key"]] = trial
        return done

    def append(self, trial: dict) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            if f.tell() and not self._ends_with_newline():
                f.write("\n")  # after a torn line
            f.write(json.dumps(trial) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as f:
            f.seek(-1, os.SEEK_END)
            return f.read(1) == b"\n"


def _as_text(value) -> str:
    """A value JSON cannot hold, as text; a scipy distribution as its name and arguments
    (its ``str`` names a memory address, new for every copy: no resume would match it)."""
    dist = getattr(value, "dist", None)
    if getattr(dist, "name", None) and hasattr(value, "args"):
        kwds = "".join(f", {k}={v!r}" for k, v in getattr(value, "kwds", {}).items())
        return f"{dist.name}({', '.join(map(repr, value.args))}{kwds})".replace("(, ", "(")
    return str(value)


# --------------------------------------------------------------- progress
@dataclass
class Progress:
    done: int
    total: int
    elapsed: float
    remaining: float | None
    best: dict | None
    last: dict | None
    group: str | None = None


# ------------------------------------------------------------------ search
def run_search(
    settings: SearchSettings,
    texts: list[str],
    labels,
    folder: str | Path,
    *,
    resume: bool = False,
    jobs: int = 1,
    on_progress: Callable[[Progress], None] | None = None,
    group: str | None = None,
    cluster=None,
) -> dict:
    """Run (or finish) every trial; return all trials and the best one.

    ``cluster``: run the trials as tasks on a Dask cluster (an address, ``local``,
    ``local:N``, or a ``distributed.Client``; see :mod:`textclass.cluster`)."""
    if cluster is not None and jobs > 1:
        raise ConfigError("--jobs runs trials in local processes; with --cluster give local:N")
    space = parse_space(settings.space) if needs_parse(settings.space) else settings.space
    todo_params = candidates(space, grid=settings.grid, n_iter=settings.n_iter, seed=settings.seed)
    log = TrialLog(Path(folder), settings, resume=resume)
    done = log.finished()
    pending = [p for p in todo_params if trial_key(p) not in done]
    total, started = len(todo_params), time.perf_counter()
    wanted = {trial_key(p) for p in todo_params}
    results = {k: v for k, v in done.items() if k in wanted}
    fresh_seconds: list[float] = []

    def record(trial: dict) -> None:
        log.append(trial)
        results[trial["key"]] = trial
        fresh_seconds.append(trial["fit_seconds"])
        if on_progress is not None:
            left = total - len(results)
            # wall time per finished trial: with N trials running at once (processes or a
            # cluster) this settles at about a trial's time over N, so the time left is this
            # times the trials left (the first estimates run long, by up to N times)
            per_trial = (time.perf_counter() - started) / max(len(fresh_seconds), 1)
            on_progress(
                Progress(
                    len(results),
                    total,
                    time.perf_counter() - started,
                    per_trial * left if fresh_seconds else None,
                    _best(results.values(), todo_params),
                    trial,
                    group,
                )
            )

    if on_progress is not None:
        on_progress(
            Progress(
                len(results), total, 0.0, None, _best(results.values(), todo_params), None, group
            )
        )
    _run_pending(settings, pending, texts, labels, record, jobs=jobs, cluster=cluster)
    ordered = [results[trial_key(p)] for p in todo_params]
    return {"trials": ordered, "best": _best(ordered, todo_params), "total": total}


def _run_pending(settings, pending, texts, labels, record, *, jobs: int, cluster) -> None:
    """Every pending trial, ``record``-ed as it finishes: on the cluster, in ``jobs``
    processes (:mod:`.workers`), or one after the other here."""
    if (cluster is not None and pending) or (jobs > 1 and len(pending) > 1):
        from textclass.experiments.workers import run_elsewhere

        calls = [(settings, params) for params in pending]
        run_elsewhere(_trial, (list(texts), labels), calls, record, jobs=jobs, cluster=cluster,
                      name="trial")  # fmt: skip
    else:
        for params in pending:
            record(run_trial(settings, params, texts, labels))


def _trial(data: tuple, settings, params: dict) -> dict:
    """One trial as a task sent elsewhere: ``data`` is the (texts, labels) every task shares."""
    texts, labels = data
    return run_trial(settings, params, texts, labels)


def _best(trials, order: list[dict]) -> dict | None:
    """Highest mean score; ties go to the earlier candidate (as scikit-learn does)."""
    rank = {trial_key(p): i for i, p in enumerate(order)}
    trials = [t for t in trials if t["key"] in rank]
    if not trials:
        return None
    return max(trials, key=lambda t: (t["mean_score"], -rank[t["key"]]))
