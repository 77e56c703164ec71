"""What every model family is: named hyperparameters, its parts, and its defaults.

A family is a small scikit-learn style parameter object: ``__init__`` takes
keyword-only hyperparameters and stores them verbatim, so ``get_params``,
``set_params`` and ``clone`` work, and :class:`textclass.TextClassifier` exposes
them as ``model__<name>`` to ``GridSearchCV``.

As in KerasHub, a family *names its parts* and generic code asks, never branches:

- ``preprocessor_cls``: turns raw texts into model inputs (word-id sequences,
  bag-of-words vectors, ...), see :mod:`textclass.preprocessing.base`;
  ``preprocessor_options()`` configures it for this family;
- ``runtime_cls``: builds, fits, runs, counts and saves the model (a Keras
  network, a scikit-learn estimator), see :mod:`textclass.runtimes.base`;
- ``build(...)``: the backbone and head, from the sizes the preprocessor learned
  (``build_inputs``);
- ``training_defaults``, ``constraints`` and a ``tiny`` configuration for tests.

A family registers itself with ``@register`` in its own file; the registry finds
every module of this package, so a new family is one new file.
"""

from __future__ import annotations

from typing import ClassVar

from sklearn.base import BaseEstimator

from textclass.models.constraints import Constraint

# every family trains this way unless it says otherwise (the tutorials' settings)
TRAINING_DEFAULTS = {"epochs": 20, "batch_size": 32, "optimizer": "adam"}
# what the contract test trains a family with: a handful of texts in a second
TINY_SETTINGS = {"epochs": 3, "batch_size": 4, "maxlen": 6}


class ModelFamily(BaseEstimator):
    """Base class. Subclasses set the class attributes and implement ``build``."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    docs: ClassVar[dict[str, str]] = {}
    constraints: ClassVar[dict[str, Constraint]] = {}
    preprocessor_cls: ClassVar[type]  # a textclass.preprocessing.base.Preprocessor
    runtime_cls: ClassVar[type]  # a textclass.runtimes.base.Runtime
    training_defaults: ClassVar[dict] = TRAINING_DEFAULTS
    # hyperparameter settings that imply other training defaults: {"mode=finetune": {...}}
    training_variants: ClassVar[dict[str, dict]] = {}
    # hyperparameters and classifier settings for a tiny, fast test fit
    tiny_params: ClassVar[dict] = {}
    tiny_settings: ClassVar[dict] = TINY_SETTINGS

    def hyperparameters(self) -> dict:
        return self.get_params(deep=False)

    @classmethod
    def choices(cls) -> dict[str, list[str]]:
        """Named values a hyperparameter takes beyond its help line, for ``textclass
        models``: ``{"weights": ["all-minilm-l6-v2: ...", ...]}`` (none by default)."""
        return {}

    def validate(self) -> None:
        """Raise ConfigError for an invalid hyperparameter (called by ``fit``)."""
        for key, value in self.hyperparameters().items():
            if key in self.constraints:
                self.constraints[key].check(key, value)

    # ------------------------------------------------------------ the parts
    def preprocessor_options(self) -> dict:
        """Keyword arguments for ``preprocessor_cls.from_settings`` (the family's own say)."""
        return {}

    def make_preprocessor(self, settings):
        """An unfitted preprocessor for this family, given the classifier's settings."""
        return self.preprocessor_cls.from_settings(settings, **self.preprocessor_options())

    def build_inputs(self, preprocessor) -> tuple[dict, dict]:
        """``(sizes for build, notes for the artifact)`` from a fitted preprocessor."""
        return preprocessor.model_inputs(), {}

    def longer_text_fixes(self, maxlen: int) -> list[str]:
        """What would let this family read more of texts cut at ``maxlen`` (for the warning)."""
        return ["a larger --maxlen"]

    def sketch_inputs(self, *, vocab_size: int, maxlen: int) -> dict:
        """Stand-in ``build_inputs`` for an untrained model of the given size."""
        return {"vocab_size": vocab_size, "maxlen": maxlen, "n_features": max(vocab_size - 1, 1)}

    def build(self, *, n_classes: int, multilabel: bool = False, **inputs):
        """The model for ``n_classes`` outputs (``multilabel``: one independent sigmoid per
        label, :func:`textclass.models.heads.output_layer`) from ``build_inputs``' sizes."""
        raise NotImplementedError


def as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]
