"""``cnn``: Embedding -> Conv1D -> GlobalMaxPooling1D -> Dense -> output."""

from __future__ import annotations

from textclass.models.base import ModelFamily, as_list
from textclass.models.heads import output_layer


class CNN(ModelFamily):
    name = "cnn"
    description = (
        "Embedding -> Conv1D(filters, kernel_size, relu) -> GlobalMaxPooling1D -> Dense -> output"
    )
    docs = {
        "embedding_dim": "size of each word vector",
        "filters": "convolution filters",
        "kernel_size": "words per convolution window",
        "units": "hidden Dense layer sizes",
        "dropout": "dropout after pooling",
    }

    def __init__(
        self,
        *,
        embedding_dim: int = 100,
        filters: int = 128,
        kernel_size: int = 5,
        units=10,
        dropout: float = 0.0,
    ):
        self.embedding_dim = embedding_dim
        self.filters = filters
        self.kernel_size = kernel_size
        self.units = units
        self.dropout = dropout

    def build(self, *, vocab_size: int, n_classes: int, maxlen: int, **_):
        import keras

        inputs = keras.Input(shape=(maxlen,), dtype="int32", name="word_ids")
        x = keras.layers.Embedding(vocab_size, self.embedding_dim, name="embedding")(inputs)
        x = keras.layers.Conv1D(self.filters, self.kernel_size, activation="relu", padding="same")(
            x
        )
        x = keras.layers.GlobalMaxPooling1D()(x)
        if self.dropout:
            x = keras.layers.Dropout(self.dropout)(x)
        for size in as_list(self.units):
            x = keras.layers.Dense(size, activation="relu")(x)
        return keras.Model(inputs, output_layer(x, n_classes), name=self.name)
