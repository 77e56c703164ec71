"""The word-embedding input of the word-id families (embedding, cnn, rnn).

``PretrainedWords`` is the mixin of families whose ``vectors`` hyperparameter
can start the embedding from pretrained word vectors (GloVe, word2vec): it
looks the fitted vocabulary up and records the coverage in the artifact.
"""

from __future__ import annotations

import numpy as np


def embedded_words(family, *, vocab_size: int, maxlen: int, pretrained=None, mask_zero=False):
    """``(inputs, x)``: padded word ids -> an Embedding layer, optionally pretrained.

    Width and trainability come from the family's ``embedding_dim`` and
    ``trainable``. With ``pretrained`` (a ``(vocab_size, dim)`` matrix) the layer
    takes its width from the matrix and starts from those rows; ``trainable=False``
    keeps them frozen (the tutorials' "GloVe frozen" model).
    """
    import keras

    inputs = keras.Input(shape=(maxlen,), dtype="int32", name="word_ids")
    dim = family.embedding_dim if pretrained is None else pretrained.shape[1]
    layer = keras.layers.Embedding(
        vocab_size, dim, mask_zero=mask_zero, trainable=bool(family.trainable), name="embedding"
    )
    x = layer(inputs)
    if pretrained is not None:
        layer.set_weights([pretrained])
    return inputs, x


class PretrainedWords:
    """Mixin: ``vectors`` (a source name or file) seeds the embedding rows."""

    vectors: str | None

    def build_inputs(self, preprocessor) -> tuple[dict, dict]:
        inputs, notes = super().build_inputs(preprocessor)
        if self.vectors:
            from textclass.pretrained import embedding_rows

            words, first_index = preprocessor.vocabulary()
            rows = embedding_rows(self.vectors, words, preprocessor.vocab_size, first_index)
            inputs["pretrained"] = rows.matrix
            notes = {**notes, "pretrained": rows.coverage}
        return inputs, notes

    def sketch_inputs(self, *, vocab_size: int, maxlen: int) -> dict:
        inputs = super().sketch_inputs(vocab_size=vocab_size, maxlen=maxlen)
        if self.vectors:
            from textclass.pretrained import vector_dimension

            dim = vector_dimension(self.vectors)
            inputs["pretrained"] = np.zeros((vocab_size, dim), dtype="float32")
        return inputs
