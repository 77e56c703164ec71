"""Runtimes: what builds, fits, runs, counts and saves a family's model.

``keras_runtime`` runs Keras networks (any backend), ``sklearn_runtime`` runs
scikit-learn linear models. A family names its runtime (``runtime_cls``); the
estimator and the artifact only talk to the interface in :mod:`.base`.
"""

from textclass.runtimes.base import Runtime, TrainingSettings, runtime_class

__all__ = ["Runtime", "TrainingSettings", "runtime_class"]
