"""``rnn``: Embedding (masked) -> stacked SimpleRNN / LSTM / GRU -> Dense -> output.

Padding is masked (``mask_zero=True``), so post-padded sequences do not wash
out the final state.
"""

from __future__ import annotations

from textclass.models.base import ModelFamily, as_list
from textclass.models.constraints import (
    BOOLEAN,
    FRACTION,
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

CELLS = ("simple", "lstm", "gru")


@register
class RNN(PretrainedWords, ModelFamily):
    name = "rnn"
    description = "Embedding -> (bidirectional) SimpleRNN/LSTM/GRU layers -> Dense -> output"
    preprocessor_cls = WordIds
    runtime_cls = KerasRuntime
    docs = {
        "cell": "simple, lstm or gru",
        "embedding_dim": "size of each word vector (taken from `vectors` when set)",
        "units": "recurrent units, one int per stacked layer",
        "bidirectional": "read the text both ways",
        "dropout": "input dropout inside each recurrent layer",
        "recurrent_dropout": "state dropout inside each recurrent layer",
        "vectors": "pretrained word vectors: glove-6b-50d or a GloVe/word2vec .txt/.vec path",
        "trainable": "fine-tune the word vectors (False keeps pretrained vectors frozen)",
    }

    constraints = {
        "embedding_dim": POSITIVE_INT,
        "units": POSITIVE_INTS,
        "dropout": FRACTION,
        "vectors": OPTIONAL_SOURCE,
        "trainable": BOOLEAN,
        "cell": one_of(*CELLS),
        "bidirectional": BOOLEAN,
        "recurrent_dropout": FRACTION,
    }
    tiny_params = {"embedding_dim": 4, "units": 4}

    def __init__(
        self,
        *,
        cell: str = "lstm",
        embedding_dim: int = 50,
        units=32,
        bidirectional: bool = False,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        vectors: str | None = None,
        trainable: bool = True,
    ):
        self.cell = cell
        self.embedding_dim = embedding_dim
        self.units = units
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
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

        layer = {
            "simple": keras.layers.SimpleRNN,
            "lstm": keras.layers.LSTM,
            "gru": keras.layers.GRU,
        }[self.cell]
        inputs, x = embedded_words(
            self, vocab_size=vocab_size, maxlen=maxlen, pretrained=pretrained, mask_zero=True
        )
        sizes = as_list(self.units)
        for i, size in enumerate(sizes):
            rnn = layer(
                size,
                return_sequences=i < len(sizes) - 1,
                dropout=self.dropout,
                recurrent_dropout=self.recurrent_dropout,
            )
            x = keras.layers.Bidirectional(rnn)(x) if self.bidirectional else rnn(x)
        return keras.Model(
            inputs, output_layer(x, n_classes, multilabel=multilabel), name=self.name
        )
