"""Classification heads and compile settings shared by every Keras family."""

from __future__ import annotations


def output_layer(x, n_classes: int):
    """One sigmoid unit for two classes, a softmax over ``n_classes`` otherwise."""
    import keras

    if n_classes == 2:
        return keras.layers.Dense(1, activation="sigmoid", name="output")(x)
    return keras.layers.Dense(n_classes, activation="softmax", name="output")(x)


def default_loss(n_classes: int) -> str:
    return "binary_crossentropy" if n_classes == 2 else "sparse_categorical_crossentropy"


def make_optimizer(name: str, learning_rate: float | None):
    import keras

    from textclass.errors import invalid

    known = {
        "adam": keras.optimizers.Adam,
        "rmsprop": keras.optimizers.RMSprop,
        "sgd": keras.optimizers.SGD,
        "adamw": keras.optimizers.AdamW,
        "adagrad": keras.optimizers.Adagrad,
    }
    if name not in known:
        raise invalid("optimizer", " or ".join(known), name)
    return known[name]() if learning_rate is None else known[name](learning_rate=learning_rate)


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
