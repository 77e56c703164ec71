"""``cnn``: Embedding -> Conv1D -> GlobalMaxPooling1D -> Dense -> output."""

from __future__ import annotations

from textclass.models.base import ModelFamily, as_list
from textclass.models.constraints import (
    BOOLEAN,
    FRACTION,
    NAME,
    OPTIONAL_SOURCE,
    POSITIVE_INT,
    POSITIVE_INTS,
)
from textclass.models.heads import output_layer
from textclass.models.registry import register
from textclass.models.word_inputs import PretrainedWords, embedded_words
from textclass.preprocessing.preprocessors import WordIds
from textclass.runtimes.keras_runtime import KerasRuntime


@register
class CNN(PretrainedWords, ModelFamily):
    name = "cnn"
    description = (
        "Embedding -> Conv1D(filters, kernel_size, relu) -> GlobalMaxPooling1D -> Dense -> output"
    )
    preprocessor_cls = WordIds
    runtime_cls = KerasRuntime
    docs = {
        "embedding_dim": "size of each word vector (taken from `vectors` when set)",
        "filters": "convolution filters",
        "kernel_size": "words per convolution window",
        "units": "hidden Dense layer sizes",
        "activation": "activation of the convolution and hidden layers",
        "dropout": "dropout after pooling",
        "vectors": "pretrained word vectors: glove-6b-50d or a GloVe/word2vec .txt/.vec path",
        "trainable": "fine-tune the word vectors (False keeps pretrained vectors frozen)",
    }
    constraints = {
        "embedding_dim": POSITIVE_INT,
        "filters": POSITIVE_INT,
        "kernel_size": POSITIVE_INT,
        "units": POSITIVE_INTS,
        "activation": NAME,
        "dropout": FRACTION,
        "vectors": OPTIONAL_SOURCE,
        "trainable": BOOLEAN,
    }
    tiny_params = {"embedding_dim": 4, "filters": 4, "kernel_size": 2}

    def __init__(
        self,
        *,
        embedding_dim: int = 100,
        filters: int = 128,
        kernel_size: int = 5,
        units=10,
        activation: str = "relu",
        dropout: float = 0.0,
        vectors: str | None = None,
        trainable: bool = True,
    ):
        self.embedding_dim = embedding_dim
        self.filters = filters
        self.kernel_size = kernel_size
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
        # "same" padding: texts shorter than kernel_size still work; parameter
        # counts are those of the tutorial's "valid" convolution.
        x = keras.layers.Conv1D(
            self.filters, self.kernel_size, activation=self.activation, padding="same"
        )(x)
        x = keras.layers.GlobalMaxPooling1D()(x)
        if self.dropout:
            x = keras.layers.Dropout(self.dropout)(x)
        for size in as_list(self.units):
            x = keras.layers.Dense(size, activation=self.activation)(x)
        return keras.Model(
            inputs, output_layer(x, n_classes, multilabel=multilabel), name=self.name
        )
