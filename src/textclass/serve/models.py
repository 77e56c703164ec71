"""The served models: loaded once at start-up, warmed up, described by a model card."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from textclass import metric_catalogue
from textclass.errors import ConfigError

# texts of growing length: warm-up compiles what real requests will hit
WARM_UP_TEXTS = ["ok", "a short text to warm up", "a longer text " * 40]


@dataclass
class ServedModel:
    name: str
    path: Path
    classifier: object
    card: dict = field(default_factory=dict)
    _explainer: object = field(default=None, repr=False)  # the whole classifier, on demand

    @property
    def labels(self) -> list:
        return self.classifier.classes_.tolist()

    def predict(self, texts: list[str], top_k: int | None = None) -> list[dict]:
        """Per text: the label and each label's probability (most probable first)."""
        return self._described(self.classifier.predict_proba(texts), top_k)

    def predict_explained(
        self,
        texts: list[str],
        top_k: int | None,
        explain: int,
        deadline: float | None = None,
        model_thread: Executor | None = None,
    ) -> list[dict]:
        """``predict`` plus, per text, the ``explain`` words or n-grams that pushed its
        prediction most (:func:`textclass.explain.explain`; the whole classifier loads on
        the first such request). ``deadline`` (``time.monotonic()``) stops the work once
        the request's time limit is past. ``model_thread``: where each model call runs (the
        service's prediction thread, which owns every model: an encoder's backbone is one
        object shared by every load of it), so the calls of a long explanation take turns
        with plain requests while the rest of its work runs on the caller's thread."""
        from textclass.explain import explain as explain_texts

        calls = _ModelCalls(model_thread)
        if self._explainer is None:
            from textclass.estimator import TextClassifier

            self._explainer = calls.run(TextClassifier.load, self.path)
        explainer = _CallsOn(self._explainer, calls)
        out = self._described(explainer.predict_proba(texts), top_k)
        reasons = explain_texts(explainer, texts, top=explain, deadline=deadline)
        for item, reason in zip(out, reasons):
            item["explanation"] = reason
        return out

    def predict_batch(self, requests: list[tuple[list[str], int | None]]) -> list[list[dict]]:
        """``predict`` for several requests ``(texts, top_k)`` in one model call."""
        proba = self.classifier.predict_proba([t for texts, _ in requests for t in texts])
        out, start = [], 0
        for texts, top_k in requests:
            out.append(self._described(proba[start : start + len(texts)], top_k))
            start += len(texts)
        return out

    def _described(self, proba: np.ndarray, top_k: int | None) -> list[dict]:
        """Per row: the label as the run decides it (its threshold; for a multi-label run
        ``labels``, every label whose probability reaches its threshold) and the
        probabilities, most probable first."""
        from textclass.decisions import Decision  # the same decision as textclass predict

        labels = self.labels
        decision = Decision.of(self.classifier)
        chosen = decision.labels(proba)
        key = "labels" if decision.multilabel else "label"
        out = []
        for row, picked in zip(proba, chosen):
            order = np.argsort(-row, kind="stable")[: top_k or len(labels)]
            item: dict = {key: picked.tolist() if hasattr(picked, "tolist") else picked}
            item["probabilities"] = [
                {"label": labels[int(i)], "probability": round(float(row[i]), 6)} for i in order
            ]
            out.append(item)
        return out

    def warm_up(self) -> None:
        """Compile the shapes requests will use (every batch bucket of a Keras model)."""
        self.classifier.warm_up(WARM_UP_TEXTS)


class _ModelCalls:
    """Runs a call on ``executor`` and waits for it (here, without one)."""

    def __init__(self, executor: Executor | None) -> None:
        self.executor = executor

    def run(self, call, *args):
        if self.executor is None:
            return call(*args)
        return self.executor.submit(call, *args).result()


class _CallsOn:
    """A classifier whose ``predict_proba`` runs through ``calls``; the rest is its own."""

    def __init__(self, classifier, calls: _ModelCalls) -> None:
        self._classifier, self._calls = classifier, calls

    def predict_proba(self, texts):
        return self._calls.run(self._classifier.predict_proba, texts)

    def __getattr__(self, name: str):
        return getattr(self._classifier, name)


class ModelStore:
    """Every served model by name, plus readiness (all loaded and warmed up)."""

    def __init__(self, models: list[ServedModel], default: str | None = None) -> None:
        self.models = {m.name: m for m in models}
        check_default(default, list(self.models))
        self.default = default or (models[0].name if len(models) == 1 else None)
        self.ready = threading.Event()
        self.warm_error: str | None = None
        # seconds per model and stage ("load", "warm_up"), for /metrics
        self.seconds: dict[tuple[str, str], float] = {}

    @classmethod
    def load(cls, run_dirs, names=None, default=None) -> ModelStore:
        from textclass.inference import Predictor

        run_dirs = [Path(p) for p in run_dirs]
        names = served_names(run_dirs, names, default)
        models, seconds = [], {}
        for name, path in zip(names, run_dirs):
            started = time.perf_counter()
            clf = Predictor.load(path)
            seconds[name, "load"] = time.perf_counter() - started
            models.append(ServedModel(name, path, clf, model_card(name, path, clf)))
        store = cls(models, default)
        store.seconds.update(seconds)
        return store

    def warm_up(self) -> None:
        try:
            for model in self.models.values():
                started = time.perf_counter()
                model.warm_up()
                self.seconds[model.name, "warm_up"] = time.perf_counter() - started
        except Exception as exc:  # a model that cannot predict must not report ready
            self.warm_error = f"{type(exc).__name__}: {exc}"
            return
        self.ready.set()


def served_names(run_dirs, names=None, default=None) -> list[str]:
    """Each run's name (its folder's, or ``names``), checked: one per run, no two alike, and
    ``default`` one of them."""
    if not run_dirs:
        raise ConfigError("serve needs at least one run directory")
    if names and len(names) != len(run_dirs):
        raise ConfigError(f"{len(names)} --name for {len(run_dirs)} run directories")
    names = list(names) if names else [Path(p).resolve().name for p in run_dirs]
    if len(set(names)) != len(names):
        raise ConfigError(f"two served models share a name: {', '.join(names)} (use --name)")
    check_default(default, names)
    return names


def check_default(default: str | None, names: list[str]) -> None:
    if default is not None and default not in names:
        raise ConfigError(
            f"--default {default!r} is not a served model; serving: {', '.join(names)}"
        )


def model_card(name: str, path: Path, clf) -> dict:
    """What a colleague asks about a model: family, labels, settings, data, metrics, versions."""
    from textclass.persistence import RunDirectory

    run = RunDirectory(path)
    config = run.read_config()
    metrics = run.read_metrics() or {}
    shown = ["n", *(m.name for m in metric_catalogue.on_card())]  # n: how many test texts
    headline = {k: metrics[k] for k in shown if k in metrics}
    return {
        "name": name,
        "family": config["model"]["name"],
        "labels": clf.classes_.tolist(),
        "hyperparameters": config["model"]["params"],
        "settings": config.get("estimator", {}),
        "inputs": (config.get("preprocessor") or {}).get("inputs", {}),
        "parameters": config.get("parameters"),
        "training_data": file_names({**config.get("data", {}), **metrics.get("data", {})}),
        "metrics": headline,
        "decision": {
            "multilabel": bool(clf.decision_.get("multilabel")),
            "thresholds": clf.decision_.get("thresholds"),
        },
        "versions": config.get("versions", {}),
    }


def file_names(value):
    """``value`` with every file path shown as its file name (``/home/me/data/x.csv`` ->
    ``x.csv``): a model card says which data, not where a colleague's disk keeps it."""
    if isinstance(value, dict):
        return {k: file_names(v) for k, v in value.items()}
    if isinstance(value, list):
        return [file_names(v) for v in value]
    if isinstance(value, str) and ("/" in value or "\\" in value):
        return value.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return value
