"""``embedding``: Embedding -> Flatten or global pooling -> Dense -> output."""

from __future__ import annotations

from textclass.models.base import ModelFamily, as_list
from textclass.models.constraints import (
    BOOLEAN,
    FRACTION,
    NAME,
    OPTIONAL_SOURCE,
    POSITIVE_INT,
    POSITIVE_INTS,
    one_of,
)
from textclass.models.heads import output_layer
from textclass.models.registry import register
from textclass.models.word_inputs import PretrainedWords, embedded_words
from textclass.preprocessing.preprocessors import WordIds
from textclass.runtimes.keras_runtime import KerasRuntime

POOLINGS = ("flatten", "max", "average")


@register
class Embedding(PretrainedWords, ModelFamily):
    name = "embedding"
    description = "Embedding -> Flatten / GlobalMax / GlobalAverage pooling -> Dense -> output"
    preprocessor_cls = WordIds
    runtime_cls = KerasRuntime
    docs = {
        "embedding_dim": "size of each word vector (taken from `vectors` when set)",
        "pooling": "flatten, max or average",
        "units": "hidden Dense layer sizes after pooling",
        "activation": "hidden activation",
        "dropout": "dropout after pooling",
        "vectors": "pretrained word vectors: glove-6b-50d or a GloVe/word2vec .txt/.vec path",
        "trainable": "fine-tune the word vectors (False keeps pretrained vectors frozen)",
    }

    constraints = {
        "embedding_dim": POSITIVE_INT,
        "units": POSITIVE_INTS,
        "activation": NAME,
        "dropout": FRACTION,
        "vectors": OPTIONAL_SOURCE,
        "trainable": BOOLEAN,
        "pooling": one_of(*POOLINGS),
    }
    tiny_params = {"embedding_dim": 4}

    def __init__(
        self,
        *,
        embedding_dim: int = 50,
        pooling: str = "max",
        units=10,
        activation: str = "relu",
        dropout: float = 0.0,
        vectors: str | None = None,
        trainable: bool = True,
    ):
        self.embedding_dim = embedding_dim
        self.pooling = pooling
        self.units = units
        self.activation = activation
        self.dropout = dropout
        self.vectors = vectors
        self.trainable = trainable

    def build(
        self,
        *,
        vocab_size: int,
        n_classes: int,
        maxlen: int,
        pretrained=None,
        multilabel=False,
        **_,
    ):
        import keras

        inputs, x = embedded_words(
            self, vocab_size=vocab_size, maxlen=maxlen, pretrained=pretrained
        )
        if self.pooling == "flatten":
            x = keras.layers.Flatten()(x)
        elif self.pooling == "max":
            x = keras.layers.GlobalMaxPooling1D()(x)
        else:
            x = keras.layers.GlobalAveragePooling1D()(x)
        if self.dropout:
            x = keras.layers.Dropout(self.dropout)(x)
        for size in as_list(self.units):
            x = keras.layers.Dense(size, activation=self.activation)(x)
        return keras.Model(
            inputs, output_layer(x, n_classes, multilabel=multilabel), name=self.name
        )
