"""The runtime interface, the training settings every runtime receives, and the registry.

A runtime holds one model of one family::

    runtime = family.runtime_cls(family)
    runtime.seed(random_state)
    history = runtime.fit(x, codes, n_classes=..., inputs=..., settings=..., validation=...)
    runtime.predict_proba(x)        # (n, n_classes), rows sum to 1
    runtime.count_params(); runtime.summary(print)
    runtime.save(folder); Runtime.load(folder, family)
    Runtime.sketch(family, inputs, n_classes)   # an untrained model's size
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from textclass.errors import ArtifactError

_RUNTIMES: dict[str, type[Runtime]] = {}


@dataclass(frozen=True)
class TrainingSettings:
    """The classifier's training settings with the family's defaults filled in."""

    epochs: int | None  # None for runtimes not trained in epochs
    batch_size: int | None
    optimizer: str | None
    learning_rate: float | None = None
    loss: str | None = None
    validation_split: float = 0.0
    early_stopping: int | None = None
    random_state: int | None = None
    verbose: int = 0

    @classmethod
    def resolve(cls, estimator, family) -> TrainingSettings:
        defaults = family.training_defaults

        def pick(name):
            value = getattr(estimator, name)
            return defaults.get(name) if value is None else value

        return cls(
            epochs=pick("epochs"),
            batch_size=pick("batch_size"),
            optimizer=pick("optimizer"),
            learning_rate=estimator.learning_rate,
            loss=estimator.loss,
            validation_split=estimator.validation_split,
            early_stopping=estimator.early_stopping,
            random_state=estimator.random_state,
            verbose=estimator.verbose,
        )

    def to_dict(self) -> dict:
        return asdict(self)


class Runtime:
    name: ClassVar[str] = ""
    files: ClassVar[tuple[str, ...]] = ()  # what ``save`` writes into the run directory

    def __init__(self, family, model=None) -> None:
        self.family = family
        self.model = model

    def seed(self, random_state: int | None) -> None:
        """Make the next ``fit`` reproducible for ``random_state``."""
        self.random_state = random_state

    def fit(
        self,
        x,
        codes: np.ndarray,
        *,
        n_classes: int,
        inputs: dict,
        settings: TrainingSettings,
        validation=None,
        callbacks=None,
    ) -> dict:
        """Build the family's model from ``inputs`` and fit it; return the history per epoch."""
        raise NotImplementedError

    def predict_proba(self, x) -> np.ndarray:
        raise NotImplementedError

    def count_params(self, *, trainable_only: bool = False) -> int:
        raise NotImplementedError

    def summary(self, print_fn=print) -> None:
        raise NotImplementedError

    def save(self, folder: Path) -> None:
        raise NotImplementedError

    @classmethod
    def load(cls, folder: Path, family) -> Runtime:
        raise NotImplementedError

    @classmethod
    def sketch(cls, family, inputs: dict, n_classes: int) -> tuple[str, int, int]:
        """(description, total, trainable parameters) of an untrained model of these sizes."""
        raise NotImplementedError


def register_runtime(cls: type[Runtime]) -> type[Runtime]:
    _RUNTIMES[cls.name] = cls
    return cls


def runtime_class(name: str) -> type[Runtime]:
    import textclass.runtimes.keras_runtime  # noqa: F401 - register the built-in runtimes
    import textclass.runtimes.sklearn_runtime  # noqa: F401

    if name not in _RUNTIMES:
        raise ArtifactError(
            f"unknown runtime {name!r} (this textclass knows {', '.join(_RUNTIMES)})"
        )
    return _RUNTIMES[name]


def normalized(proba) -> np.ndarray:
    """Non-negative float64 rows that sum to 1."""
    proba = np.clip(np.asarray(proba, dtype=np.float64), 0.0, None)
    return proba / proba.sum(axis=1, keepdims=True)
