"""Runtimes: what builds, fits, runs, counts and saves a family's model.

``keras_runtime`` runs Keras networks (any backend; ``keras_loading`` imports keras and
loads saved networks quickly for prediction), ``encoder_runtime`` a pretrained encoder and
its head, ``sklearn_runtime`` scikit-learn linear models. A family names its runtime (``runtime_cls``); the
estimator and the artifact only talk to the interface in :mod:`.base`.
"""

from textclass.runtimes.base import Runtime, TrainingSettings, runtime_class

__all__ = ["Runtime", "TrainingSettings", "runtime_class"]
