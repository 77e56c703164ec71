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

import hashlib
import json
import os
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from textclass.errors import ConfigError, invalid

_DIST = re.compile(r"^(loguniform|uniform|randint)\(\s*([^,]+)\s*,\s*([^)]+)\s*\)$")


# ------------------------------------------------------------------ the space
def parse_space(pairs: dict[str, str]) -> dict:
    """``{"filters": "32,64", "learning_rate": "loguniform(1e-4,1e-2)"}`` -> lists/distributions."""
    from scipy import stats

    space = {}
    for name, raw in pairs.items():
        raw = str(raw).strip()
        match = _DIST.match(raw)
        if match:
            kind, low, high = match.group(1), float(match.group(2)), float(match.group(3))
            if kind == "loguniform":
                space[name] = stats.loguniform(low, high)
            elif kind == "uniform":
                space[name] = stats.uniform(low, high - low)
            else:
                space[name] = stats.randint(int(low), int(high) + 1)
            space[name].spec = raw
            continue
        values = [_typed(v) for v in _split_values(raw)]
        if not values:
            raise ConfigError(f"--param {name}: no values given")
        space[name] = values
    return space


def _split_values(raw: str) -> list[str]:
    """Split on commas outside brackets: ``units=[16,16],[32]`` is two values."""
    out, depth, current = [], 0, ""
    for ch in raw:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    return [v.strip() for v in [*out, current] if v.strip()]


def _typed(value: str):
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def candidates(space: dict, *, grid: bool, n_iter: int, seed: int | None) -> list[dict]:
    from sklearn.model_selection import ParameterGrid, ParameterSampler

    if grid:
        if any(not isinstance(v, list) for v in space.values()):
            raise ConfigError("--grid needs lists of values, not distributions")
        return list(ParameterGrid(space))
    with warnings.catch_warnings():  # fewer combinations than n_iter: each once (progress shows)
        warnings.filterwarnings("ignore", "The total space of parameters", UserWarning)
        params = list(ParameterSampler(space, n_iter=n_iter, random_state=seed))
    return [{k: _plain(v) for k, v in p.items()} for p in params]


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def trial_key(params: dict) -> str:
    text = json.dumps(params, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# ----------------------------------------------------------------- settings
@dataclass
class SearchSettings:
    model: str
    space: dict  # as described (JSON-ready)
    cv: int = 5
    grid: bool = False
    n_iter: int = 10
    seed: int | None = 0
    scoring: str = "accuracy"
    estimator_params: dict = field(default_factory=dict)

    def fingerprint(self) -> dict:
        return asdict(self)

    def check(self) -> SearchSettings:
        """ConfigError for impossible settings, before any data is read or trial runs."""
        from textclass.evaluation.scoring import scorer_names as get_scorer_names
        from textclass.models.registry import family_class

        family_class(self.model)
        if not self.grid and not (_is_int(self.n_iter) and self.n_iter >= 1):
            raise invalid("n_iter", "a positive integer (random candidates)", self.n_iter)
        if not (_is_int(self.cv) and self.cv >= 2):
            raise invalid("cv", "an integer >= 2 (folds)", self.cv)
        if self.scoring not in get_scorer_names():
            raise invalid(
                "scoring",
                "a scikit-learn scorer name (accuracy, f1_macro, balanced_accuracy, ...)",
                self.scoring,
                get_scorer_names(),
            )
        space = parse_space(self.space) if _needs_parse(self.space) else self.space
        for params in candidates(space, grid=self.grid, n_iter=self.n_iter, seed=self.seed):
            make_estimator(self, params).check_params()  # unknown names, impossible values
        return self


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def make_estimator(settings: SearchSettings, params: dict):
    """A TextClassifier with the trial's params (classifier-level names or model__ names)."""
    from textclass.estimator import TextClassifier

    clf = TextClassifier(model=settings.model, random_state=settings.seed)
    clf.set_params(**settings.estimator_params)
    own = set(clf.get_params(deep=False))
    clf.set_params(**{(k if k in own else f"model__{k}"): v for k, v in params.items()})
    return clf


# --------------------------------------------------------------- one trial
def run_trial(settings: SearchSettings, params: dict, texts: list[str], labels) -> dict:
    """Mean and spread of the CV score of one candidate (a fresh fit per fold)."""
    from textclass.evaluation.crossval import cross_validate
    from textclass.evaluation.scoring import get_scorer

    result = cross_validate(
        make_estimator(settings, params),
        texts,
        labels,
        cv=settings.cv,
        seed=settings.seed,
        scorer=get_scorer(settings.scoring),
    )
    scores = [fold["score"] for fold in result["folds"]]
    return {
        "key": trial_key(params),
        "params": params,
        "mean_score": float(np.mean(scores)),
        "std_score": float(np.std(scores)),
        "fold_scores": scores,
        "fit_seconds": float(sum(fold["train_seconds"] for fold in result["folds"])),
    }


# ---------------------------------------------------------- the trial log
class TrialLog:
    """``trials.jsonl`` plus ``search.json`` (the settings it belongs to)."""

    def __init__(self, folder: Path, settings: SearchSettings, *, resume: bool) -> None:
        self.folder = folder
        self.path = folder / "trials.jsonl"
        header = folder / "search.json"
        folder.mkdir(parents=True, exist_ok=True)
        fingerprint = json.loads(json.dumps(settings.fingerprint(), default=str))
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
    space = parse_space(settings.space) if _needs_parse(settings.space) else settings.space
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
    if cluster is not None and pending:
        from textclass.experiments.on_cluster import run_trials

        run_trials(cluster, settings, pending, texts, labels, record)
    elif jobs > 1 and len(pending) > 1:
        _run_parallel(settings, pending, texts, labels, jobs, record)
    else:
        for params in pending:
            record(run_trial(settings, params, texts, labels))
    ordered = [results[trial_key(p)] for p in todo_params]
    return {"trials": ordered, "best": _best(ordered, todo_params), "total": total}


def _needs_parse(space: dict) -> bool:
    return any(isinstance(v, str) for v in space.values())


def _best(trials, order: list[dict]) -> dict | None:
    """Highest mean score; ties go to the earlier candidate (as scikit-learn does)."""
    rank = {trial_key(p): i for i, p in enumerate(order)}
    trials = [t for t in trials if t["key"] in rank]
    if not trials:
        return None
    return max(trials, key=lambda t: (t["mean_score"], -rank[t["key"]]))


def _run_parallel(settings, pending, texts, labels, jobs, record) -> None:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    threads = max(1, (os.cpu_count() or 1) // jobs)
    context = mp.get_context("spawn")  # fresh interpreters: no forked JAX/TF state
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=limit_threads, initargs=(threads,)
    ) as pool:
        futures = [pool.submit(run_trial, settings, p, texts, labels) for p in pending]
        for future in as_completed(futures):
            record(future.result())


def limit_threads(threads: int) -> None:
    """Cap every numeric library's threads in this process (before they are imported)."""
    for var in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "TF_NUM_INTRAOP_THREADS",
    ):
        os.environ[var] = str(threads)
    os.environ["TF_NUM_INTEROP_THREADS"] = "1"
    os.environ["XLA_FLAGS"] = (
        os.environ.get("XLA_FLAGS", "")
        + f" --xla_cpu_multi_thread_eigen={'true' if threads > 1 else 'false'}"
        + f" intra_op_parallelism_threads={threads}"
    ).strip()
    try:  # torch reads no environment variable for this
        import importlib.util

        if os.environ.get("KERAS_BACKEND") == "torch" and importlib.util.find_spec("torch"):
            import torch

            torch.set_num_threads(threads)
            torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
