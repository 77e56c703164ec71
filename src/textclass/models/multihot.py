"""``multihot``: the IMDB chapter's net (Chollet, *Deep Learning with Python*).

The 10,000 most frequent training words as a multi-hot vector -> Dense(16, relu)
-> Dense(16, relu) -> sigmoid, trained as the chapter trains it: rmsprop, 4
epochs, batches of 512 (the classifier's settings override these). The
chapter's suggested variations are hyperparameters: more or fewer layers and
units (``units``), ``activation="tanh"``, and ``loss="mse"`` on the classifier.
"""

from __future__ import annotations

from textclass.models.constraints import FRACTION, NAME, POSITIVE_INT, POSITIVE_INTS
from textclass.models.dense import Dense
from textclass.models.registry import register


@register
class MultiHot(Dense):
    name = "multihot"
    description = "Top-N-word multi-hot vector -> Dense(16) -> Dense(16) -> output (rmsprop)"
    training_defaults = {"epochs": 4, "batch_size": 512, "optimizer": "rmsprop"}
    docs = {
        "num_words": "vocabulary size: the most frequent training words kept (index 0 included)",
        "units": "hidden layer sizes, one int per layer",
        "activation": "hidden activation (relu; the chapter suggests trying tanh)",
        "dropout": "dropout after each hidden layer",
    }
    constraints = {
        "num_words": POSITIVE_INT,
        "units": POSITIVE_INTS,
        "activation": NAME,
        "dropout": FRACTION,
    }

    def __init__(
        self,
        *,
        num_words: int = 10_000,
        units=(16, 16),
        activation: str = "relu",
        dropout: float = 0.0,
    ):
        self.num_words = num_words
        self.units = units
        self.activation = activation
        self.dropout = dropout

    def preprocessor_options(self) -> dict:
        # the classifier's num_words, when set, wins over the family's
        return {"mode": "binary", "num_words": self.num_words}
