"""Runtimes: what builds, fits, runs, counts and saves a family's model.

``keras_runtime`` runs Keras networks (any backend; ``keras_loading`` imports keras and
loads saved networks quickly for prediction, ``keras_predict`` gives one predict call per
network), ``sklearn_runtime`` scikit-learn linear models. A family with a runtime of its
own keeps it in its package (the encoder's: ``textclass.models.encoder.runtime``). Runtimes
import no family: a family names its runtime (``runtime_cls``), and a saved run's runtime
is found by name among the registered families (:func:`textclass.models.registry.runtime_class`).
"""

from textclass.runtimes.base import Runtime, TrainingSettings

__all__ = ["Runtime", "TrainingSettings"]
