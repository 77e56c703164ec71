"""A fitted classifier's parts, written to and read back from a run directory.

The estimator hands over its parts (:class:`SavedParts`) and rebuilds itself
from the parts read back; this module never imports the estimator. It sits between
the estimator and the families: the run directory's layout and files are
:mod:`textclass.persistence`'s, the parts are found by name among the families. The artifact
records which preprocessor and which runtime it holds, so loading asks the
registries for them by name and never by the family's kind.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from importlib import metadata

import numpy as np

from textclass.errors import ArtifactError
from textclass.persistence.files import load_npz, read_json, write_json
from textclass.persistence.run_directory import RunDirectory


@dataclass
class SavedParts:
    """What a fitted classifier is made of, besides its code."""

    estimator_params: dict  # TextClassifier settings (``model`` is the family name)
    family: object  # a ModelFamily with its hyperparameters
    preprocessor: object  # a fitted Preprocessor
    runtime: object  # a Runtime holding the fitted model
    classes: np.ndarray
    history: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)  # e.g. {"pretrained": coverage}
    # how probabilities become labels: multi-label, thresholds (textclass.decisions.decide)
    decision: dict = field(default_factory=dict)


def library_versions() -> dict:
    versions = {"python": platform.python_version()}
    for dist in ("textclass", "keras", "numpy", "scikit-learn", "jax", "tensorflow", "torch"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    try:
        import keras

        versions["keras_backend"] = keras.backend.backend()
    except ImportError:
        pass
    return versions


def save_parts(parts: SavedParts, path, *, extra: dict | None = None) -> RunDirectory:
    run = RunDirectory(path).create()
    family, preprocessor, runtime = parts.family, parts.preprocessor, parts.runtime
    run.write_config(
        {
            "estimator": {**parts.estimator_params, "model": family.name},
            "model": {"name": family.name, "params": family.get_params()},
            "preprocessor": {"name": preprocessor.name, "inputs": preprocessor.describe()},
            "runtime": {"name": runtime.name, "files": list(runtime.files)},
            "parameters": runtime.count_params(),
            "trainable_parameters": runtime.count_params(trainable_only=True),
            "notes": parts.notes,
            "versions": library_versions(),
            **(extra or {}),
        }
    )
    write_json(run.preprocessor, {"name": preprocessor.name, "config": preprocessor.get_config()})
    arrays = preprocessor.get_arrays()
    if arrays:
        np.savez(run.preprocessor_arrays, **arrays)
    run.write_labels(parts.classes, parts.decision)
    runtime.save(run.path)
    run.write_history(parts.history)
    return run


@dataclass
class SavedRun:
    """What every reader of a run needs, read once: by :func:`load_parts` (the whole
    classifier) and by ``inference.Predictor`` (prediction only, no family imported for
    a generic runtime)."""

    run: RunDirectory
    config: dict
    preprocessor: object  # the fitted Preprocessor
    runtime_cls: type  # the Runtime class that saved the model
    classes: np.ndarray  # as saved (label sets: the labels)
    decision: dict  # how probabilities become labels; {} before thresholds and label sets
    classes_: np.ndarray  # the classifier's ``classes_`` (what ``predict`` answers in)

    @property
    def migrated(self) -> bool:
        """Written by textclass 0.1 (format 1) and read as format 2."""
        return self.config.get("migrated_from") == 1


def read_run(path) -> SavedRun:
    """A run directory's config, preprocessor, labels and runtime class; ArtifactError
    naming the run when a part is missing or does not fit this textclass."""
    from textclass.decisions import decide
    from textclass.preprocessing import from_v1

    run = path if isinstance(path, RunDirectory) else RunDirectory(path)
    run.check_exists()
    config = run.read_config()
    try:
        if config.get("migrated_from") == 1:
            preprocessor = from_v1.read_preprocessor(run, config)
        else:
            preprocessor = read_preprocessor(run)
        labels = run.read_labels()
        classes = np.asarray(labels["classes"])
        decision = labels.get("decision") or {}
        runtime_cls = runtime_class(config["runtime"]["name"])
        classes_ = decide.encoder_for(decision, classes).classes_
    except (KeyError, TypeError, ValueError) as exc:
        raise incompatible(run, exc) from None
    return SavedRun(run, config, preprocessor, runtime_cls, classes, decision, classes_)


def load_parts(path) -> SavedParts:
    """Every part of a saved classifier, its model loaded (:func:`read_run` + the family)."""
    from textclass.models.registry import resolve

    saved = read_run(path)
    run, config = saved.run, saved.config
    try:
        family = resolve(config["model"]["name"], config["model"]["params"])
        params = dict(config["estimator"])
    except (KeyError, TypeError, ValueError) as exc:
        raise incompatible(run, exc) from None
    return SavedParts(
        estimator_params=params,
        family=family,
        preprocessor=saved.preprocessor,
        runtime=saved.runtime_cls.load(run.path, family),
        classes=saved.classes,
        history=run.read_history(),
        notes=config.get("notes") or {},
        decision=saved.decision,
    )


def read_preprocessor(run: RunDirectory):
    """The fitted preprocessor of a (format 2) run directory, from its config and arrays."""
    saved = read_json(run.preprocessor)
    arrays = load_npz(run.preprocessor_arrays) if run.preprocessor_arrays.exists() else {}
    return preprocessor_class(saved["name"]).from_config(saved["config"], arrays)


def incompatible(run: RunDirectory, exc: Exception) -> ArtifactError:
    return ArtifactError(f"{run.path}: incompatible or incomplete model files ({exc})")


def runtime_class(name: str) -> type:
    """The runtime a saved run names: a generic one (``textclass.runtimes``, found without
    importing any family, so the light prediction path stays light) or a family's own."""
    from textclass.runtimes.base import Runtime

    return _part(Runtime, "runtime", name, "textclass.runtimes")


def preprocessor_class(name: str) -> type:
    """The preprocessor a saved run names (``textclass.preprocessing``, or a family's own)."""
    from textclass.preprocessing.base import Preprocessor

    return _part(Preprocessor, "preprocessor", name, "textclass.preprocessing")


def _part(base: type, kind: str, name: str, generic: str) -> type:
    from textclass.discovery import find_named, subclasses

    found = find_named(base, name, (generic, "textclass.models"))
    if found is None:
        known = sorted({cls.name for cls in subclasses(base) if cls.name})
        raise ArtifactError(f"unknown {kind} {name!r} (this textclass knows {', '.join(known)})")
    return found
