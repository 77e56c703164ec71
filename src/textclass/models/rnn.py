"""``rnn``: Embedding (masked) -> stacked SimpleRNN / LSTM / GRU -> Dense -> output.

Padding is masked (``mask_zero=True``), so post-padded sequences do not wash
out the final state.
"""

from __future__ import annotations

from textclass.errors import invalid
from textclass.models.base import ModelFamily, as_list
from textclass.models.heads import output_layer

CELLS = ("simple", "lstm", "gru")


class RNN(ModelFamily):
    name = "rnn"
    description = "Embedding -> (bidirectional) SimpleRNN/LSTM/GRU layers -> Dense -> output"
    docs = {
        "cell": "simple, lstm or gru",
        "embedding_dim": "size of each word vector",
        "units": "recurrent units, one int per stacked layer",
        "bidirectional": "read the text both ways",
        "dropout": "input dropout inside each recurrent layer",
        "recurrent_dropout": "state dropout inside each recurrent layer",
    }

    def __init__(
        self,
        *,
        cell: str = "lstm",
        embedding_dim: int = 50,
        units=32,
        bidirectional: bool = False,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
    ):
        self.cell = cell
        self.embedding_dim = embedding_dim
        self.units = units
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout

    def validate(self) -> None:
        super().validate()
        if self.cell not in CELLS:
            raise invalid("cell", " or ".join(CELLS), self.cell)

    def build(self, *, vocab_size: int, n_classes: int, maxlen: int, **_):
        import keras

        layer = {
            "simple": keras.layers.SimpleRNN,
            "lstm": keras.layers.LSTM,
            "gru": keras.layers.GRU,
        }[self.cell]
        inputs = keras.Input(shape=(maxlen,), dtype="int32", name="word_ids")
        x = keras.layers.Embedding(
            vocab_size, self.embedding_dim, mask_zero=True, name="embedding"
        )(inputs)
        sizes = as_list(self.units)
        for i, size in enumerate(sizes):
            rnn = layer(
                size,
                return_sequences=i < len(sizes) - 1,
                dropout=self.dropout,
                recurrent_dropout=self.recurrent_dropout,
            )
            x = keras.layers.Bidirectional(rnn)(x) if self.bidirectional else rnn(x)
        return keras.Model(inputs, output_layer(x, n_classes), name=self.name)
