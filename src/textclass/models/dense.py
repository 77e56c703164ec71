"""``dense``: bag of words -> hidden Dense layers -> output (the tutorials' first net)."""

from __future__ import annotations

from textclass.models.base import ModelFamily, as_list
from textclass.models.constraints import FRACTION, NAME, POSITIVE_INTS, one_of
from textclass.models.heads import output_layer
from textclass.models.registry import register
from textclass.preprocessing.preprocessors import BagOfWords
from textclass.preprocessing.vectors import MODES
from textclass.runtimes.keras_runtime import KerasRuntime


@register
class Dense(ModelFamily):
    name = "dense"
    description = "Bag-of-words vector -> Dense hidden layers -> sigmoid/softmax"
    preprocessor_cls = BagOfWords
    runtime_cls = KerasRuntime
    docs = {
        "units": "hidden layer sizes, one int per layer",
        "activation": "hidden activation (relu, tanh, ...)",
        "dropout": "dropout after each hidden layer",
        "mode": "bag-of-words values: count, binary, tfidf or freq",
    }
    constraints = {
        "units": POSITIVE_INTS,
        "activation": NAME,
        "dropout": FRACTION,
        "mode": one_of(*MODES),
    }

    def __init__(
        self, *, units=10, activation: str = "relu", dropout: float = 0.0, mode: str = "count"
    ):
        self.units = units
        self.activation = activation
        self.dropout = dropout
        self.mode = mode

    def preprocessor_options(self) -> dict:
        return {"mode": self.mode}

    def build(self, *, n_features: int, n_classes: int, multilabel=False, **_):
        import keras

        inputs = keras.Input(shape=(n_features,), name="bag_of_words")
        x = inputs
        for size in as_list(self.units):
            x = keras.layers.Dense(size, activation=self.activation)(x)
            if self.dropout:
                x = keras.layers.Dropout(self.dropout)(x)
        return keras.Model(
            inputs, output_layer(x, n_classes, multilabel=multilabel), name=self.name
        )
