"""The runtime interface and the training settings every runtime receives.

A runtime holds one model of one family::

    runtime = family.runtime_cls(family)
    runtime.seed(random_state)
    history = runtime.fit(x, codes, n_classes=..., inputs=..., settings=..., validation=...)
    runtime.predict_proba(x)        # (n, n_classes), rows sum to 1
    runtime.predict_label_proba(x)  # multi-label (codes a (n, k) 0/1 matrix): (n, k)
    runtime.count_params(); runtime.summary(print)
    runtime.save(folder); Runtime.load(folder, family)
    Runtime.sketch(family, inputs, n_classes)   # an untrained model's size
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from textclass.errors import ConfigError

# With no fixed epochs, a network stops after this many epochs without a better
# validation loss (a family may set its own "early_stopping" in training_defaults) ...
DEFAULT_PATIENCE = 5
# ... measured on this share of the training texts when no validation data is given.
DEFAULT_VALIDATION_SPLIT = 0.1
_EPOCH_SETTINGS = ("epochs", "batch_size", "optimizer", "learning_rate", "loss", "early_stopping")


@dataclass(frozen=True)
class TrainingSettings:
    """The classifier's training settings with the family's defaults filled in.

    For a family trained in epochs, ``epochs=None`` means "up to the family's
    epochs, with early stopping": the family's patience (``DEFAULT_PATIENCE``)
    on the validation loss, best weights restored. Early stopping without
    validation data holds out ``DEFAULT_VALIDATION_SPLIT`` of the training
    texts. A fixed ``epochs`` without early stopping trains exactly that many.
    ``notes`` says, one line each, what was decided beyond the user's settings.
    """

    epochs: int | None  # None for runtimes not trained in epochs
    batch_size: int | None
    optimizer: str | None
    learning_rate: float | None = None
    loss: str | None = None
    validation_split: float = 0.0
    early_stopping: int | None = None
    random_state: int | None = None
    verbose: int = 0
    notes: tuple[str, ...] = ()
    # from ``class_weight``: {code: weight}, or a (n_labels, 2) array for multi-label
    # targets (the weight of a text without / with each label); None: unweighted
    class_weight: object = None

    @classmethod
    def resolve(
        cls, estimator, family, *, n_samples: int | None = None, has_validation_data: bool = False
    ) -> TrainingSettings:
        """Settings for ``fit``; ``n_samples``: training texts (None: unknown)."""
        defaults = family.training_defaults

        def pick(name):
            value = getattr(estimator, name)
            return defaults.get(name) if value is None else value

        if "epochs" in defaults:  # trained in epochs
            validation_split, early_stopping, notes = _stopping(
                estimator, defaults, n_samples, has_validation_data
            )
        else:
            validation_split, early_stopping = estimator.validation_split, estimator.early_stopping
            ignored = [n for n in _EPOCH_SETTINGS if getattr(estimator, n) is not None]
            ignored += ["validation_split"] if validation_split else []
            notes = [f"{family.name} is not trained in epochs: {', '.join(ignored)} ignored"]
            notes = notes if ignored else []
        return cls(
            epochs=pick("epochs"),
            batch_size=pick("batch_size"),
            optimizer=pick("optimizer"),
            learning_rate=estimator.learning_rate,
            loss=estimator.loss,
            validation_split=validation_split,
            early_stopping=early_stopping,
            random_state=estimator.random_state,
            verbose=estimator.verbose,
            notes=tuple(notes),
        )

    def to_dict(self) -> dict:
        out = asdict(self)
        out["notes"] = list(self.notes)
        if isinstance(self.class_weight, np.ndarray):
            out["class_weight"] = self.class_weight.tolist()
        return out


def _stopping(estimator, defaults: dict, n_samples, has_validation_data: bool):
    """(validation_split, early_stopping, notes) for a family trained in epochs."""
    notes: list[str] = []
    validation_split, early_stopping = estimator.validation_split, estimator.early_stopping
    epochs = defaults.get("epochs") if estimator.epochs is None else estimator.epochs
    automatic = estimator.epochs is None and early_stopping is None
    if automatic:
        early_stopping = defaults.get("early_stopping", DEFAULT_PATIENCE)
    if early_stopping and not validation_split and not has_validation_data:
        held = None if n_samples is None else math.floor(n_samples * DEFAULT_VALIDATION_SPLIT)
        if held is not None and held < 1:
            if not automatic:
                raise ConfigError(
                    f"early stopping needs validation data: {n_samples} training texts are too "
                    f"few to hold out {DEFAULT_VALIDATION_SPLIT * 100:.0f} % of them; give validation "
                    "data or drop early stopping"
                )
            early_stopping = None
            notes.append(
                f"{n_samples} training texts are too few to hold out a validation split: "
                f"training {epochs} epochs without early stopping"
            )
        else:
            validation_split = DEFAULT_VALIDATION_SPLIT
            notes.append(
                f"{DEFAULT_VALIDATION_SPLIT * 100:.0f} % of the training texts held out as validation "
                "data for early stopping"
            )
    if automatic and early_stopping:
        notes.insert(
            0,
            f"epochs not set: up to {epochs} epochs, stopping after {early_stopping} without a "
            "lower validation loss (best weights restored); set epochs (--epochs) to train exactly "
            "that many",
        )
    return validation_split, early_stopping, notes


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

    def predict_label_proba(self, x) -> np.ndarray:
        """Multi-label models (fitted on a 0/1 matrix): one independent probability per label."""
        raise ConfigError(f"the {self.name} runtime cannot predict label sets (multi-label)")

    def count_params(self, *, trainable_only: bool = False) -> int:
        raise NotImplementedError

    def summary(self, print_fn=print) -> None:
        raise NotImplementedError

    def save(self, folder: Path) -> None:
        raise NotImplementedError

    @classmethod
    def load(cls, folder: Path, family) -> Runtime:
        raise NotImplementedError

    # whether ``load_scorer`` gives a light predictor (else prediction loads the classifier)
    has_scorer: ClassVar[bool] = False

    @classmethod
    def load_scorer(cls, folder: Path):
        """The saved model for prediction only: an object with ``predict_proba(x)``.

        It needs neither the family nor training libraries (what a cold
        ``textclass predict`` waits for); None when this runtime has no such path
        or the artifact predates it, and the caller loads the whole classifier.
        """
        return None

    @classmethod
    def sketch(cls, family, inputs: dict, n_classes: int) -> tuple[str, int, int]:
        """(description, total, trainable parameters) of an untrained model of these sizes."""
        raise NotImplementedError


def normalized(proba) -> np.ndarray:
    """Non-negative float64 rows that sum to 1."""
    proba = np.clip(np.asarray(proba, dtype=np.float64), 0.0, None)
    return proba / proba.sum(axis=1, keepdims=True)
