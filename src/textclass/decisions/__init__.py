"""How probabilities become labels: decision thresholds, class weights, label sets.

- :mod:`decision`: :class:`Decision`, a fitted run's probabilities to labels, class
  indices and confidence (argmax, a binary threshold, label sets);
- :mod:`decide`: what ``fit`` decides: label encoding, the threshold held-out
  split, the decision saved with the run;
- :mod:`thresholds`: one threshold per label (multi-label) or on the positive
  class (binary): fixed (``0.7``), or tuned on validation data for a goal
  (``"max-f1"``, ``"precision=0.99"``, ``"recall=0.9"``);
- :mod:`weights`: ``class_weight`` (``"balanced"`` or a mapping) as the weights
  a runtime applies.
"""

from textclass.decisions.decision import Decision

__all__ = ["Decision"]
