"""``TextClassifier``: raw texts in, labels out, scikit-learn compatible.

- :mod:`.classifier`: the estimator (fit, predict, explain, save, load);
- :mod:`.settings`: its settings checked before any fitting.

Saving and loading the fitted parts is :mod:`textclass.artifact`'s.
"""

from textclass.estimator.classifier import TextClassifier
from textclass.estimator.settings import ANALYZERS

__all__ = ["ANALYZERS", "TextClassifier"]
