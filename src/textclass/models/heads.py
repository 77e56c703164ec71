"""The classification head every Keras family ends in."""

from __future__ import annotations


def output_layer(x, n_classes: int, *, multilabel: bool = False):
    """One sigmoid unit for two classes, a softmax over ``n_classes`` otherwise;
    ``n_classes`` independent sigmoids for label sets (``multilabel``: the runtime passes
    it to ``family.build`` for a 0/1 target matrix, and the family passes it on here)."""
    import keras

    if multilabel:
        return keras.layers.Dense(n_classes, activation="sigmoid", name="output")(x)
    if n_classes == 2:
        return keras.layers.Dense(1, activation="sigmoid", name="output")(x)
    return keras.layers.Dense(n_classes, activation="softmax", name="output")(x)
