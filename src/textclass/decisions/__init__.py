"""How probabilities become labels: decision thresholds, class weights, label sets.

- :mod:`thresholds`: one threshold per label (multi-label) or on the positive
  class (binary): fixed (``0.7``), or tuned on validation data for a goal
  (``"max-f1"``, ``"precision=0.99"``, ``"recall=0.9"``);
- :mod:`weights`: ``class_weight`` (``"balanced"`` or a mapping) as the weights
  a runtime applies.
"""
