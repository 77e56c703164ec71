"""``multihot``: the IMDB chapter's net (Chollet, *Deep Learning with Python*).

The 10,000 most frequent training words as a multi-hot vector -> Dense(16, relu)
-> Dense(16, relu) -> sigmoid, trained with rmsprop. The chapter's suggested
variations are hyperparameters: more or fewer layers and units (``units``),
``activation="tanh"``, and ``loss="mse"`` on the classifier.
"""

from __future__ import annotations

from textclass.models.dense import Dense


class MultiHot(Dense):
    name = "multihot"
    description = "Top-N-word multi-hot vector -> Dense(16) -> Dense(16) -> output (rmsprop)"
    default_optimizer = "rmsprop"
    docs = {
        "num_words": "vocabulary size: the most frequent training words kept (index 0 included)",
        "units": "hidden layer sizes, one int per layer",
        "activation": "hidden activation (relu; the chapter suggests trying tanh)",
        "dropout": "dropout after each hidden layer",
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

    @property
    def features(self) -> str:
        return "binary"

    @property
    def vocabulary_limit(self) -> int | None:
        return self.num_words
