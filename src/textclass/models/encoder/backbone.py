"""A BERT encoder from Keras layers and ``keras.ops`` only (JAX, TensorFlow, PyTorch).

``BertEncoder`` takes a ``(batch, length)`` int32 matrix of token ids, padded with
``pad_token_id``, and returns the mean of its last hidden states over the real
tokens (sentence-transformers' mean pooling): padding changes no sentence's vector,
because padded keys get no attention weight and padded positions are not averaged.
The attention mask is derived from the ids, so the model has one input.

``BertEncoder.pooled_segments`` runs *packed* rows instead: several sentences side by
side in one row, each with its own segment number and positions restarting at 0. A
token attends only to tokens of its own segment, so every sentence gets exactly the
vector it would get alone, and a batch of short sentences carries almost no padding.

``set_hf_weights`` puts a Hugging Face ``BertModel`` checkpoint (safetensors names,
``[out, in]`` kernels) into the layers.

``use_bfloat16_products(True)`` (inference) feeds the encoder's matrix products
bfloat16 inputs and sums them in float32; every other step stays float32. On a CPU with
AMX that product runs about 2.6x as fast (frozen encoding: 1.7x), and all-MiniLM-L6-v2's
sentence vectors stay within cosine 0.99996 of float32's.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

# masked attention scores: exp(-65000 - max) is exactly 0 in float16, bfloat16 and float32
_MASKED = -65000.0
CONFIG_KEYS = (
    "vocab_size",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "intermediate_size",
    "max_position_embeddings",
    "type_vocab_size",
    "layer_norm_eps",
    "hidden_dropout_prob",
    "attention_probs_dropout_prob",
    "pad_token_id",
)


def bert_config(config: dict) -> dict:
    """The keys a ``BertEncoder`` needs from a Hugging Face ``config.json``."""
    act = config.get("hidden_act", "gelu")
    if act != "gelu":
        from textclass.errors import ConfigError

        raise ConfigError(f"BERT config: hidden_act={act!r}; only 'gelu' is supported")
    defaults = {"layer_norm_eps": 1e-12, "type_vocab_size": 2, "pad_token_id": 0}
    defaults |= {"hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1}
    return {k: config.get(k, defaults.get(k)) for k in CONFIG_KEYS}


def bfloat16_matmul(x, kernel):
    """``x @ kernel`` from bfloat16 inputs, summed and returned in float32."""
    kernel = ops.convert_to_tensor(kernel)
    if keras.backend.backend() == "jax":  # XLA's fast path wants a float32 result type
        import jax.numpy as jnp

        return jnp.matmul(
            x.astype(jnp.bfloat16), kernel.astype(jnp.bfloat16), preferred_element_type=jnp.float32
        )
    return ops.cast(ops.matmul(ops.cast(x, "bfloat16"), ops.cast(kernel, "bfloat16")), "float32")


class _Projection(keras.layers.Dense):
    """A Dense layer (no activation) whose product may run in bfloat16 (see the module)."""

    bfloat16_products = False

    def call(self, inputs, training=None):
        if not self.bfloat16_products:
            return super().call(inputs, training=training)
        return ops.add(bfloat16_matmul(inputs, self.kernel), self.bias)


class _Block(keras.layers.Layer):
    """One transformer layer: self-attention, then the feed-forward net, each post-LayerNorm."""

    def __init__(self, cfg: dict, **kwargs):
        super().__init__(**kwargs)
        h, eps = cfg["hidden_size"], cfg["layer_norm_eps"]
        self.heads = cfg["num_attention_heads"]
        self.head_dim = h // self.heads
        # zeros: a checkpoint or a saved model always overwrites them (random initializers
        # are a compiled kernel each on JAX: seconds per load)
        dense = {"dtype": self.dtype_policy, "kernel_initializer": "zeros"}
        norm = {"dtype": self.dtype_policy}
        self.query = _Projection(h, name="query", **dense)
        self.key = _Projection(h, name="key", **dense)
        self.value = _Projection(h, name="value", **dense)
        self.attention_out = _Projection(h, name="attention_out", **dense)
        self.attention_norm = keras.layers.LayerNormalization(
            epsilon=eps, name="attention_norm", **norm
        )
        self.intermediate = _Projection(cfg["intermediate_size"], name="intermediate", **dense)
        self.output_dense = _Projection(h, name="output_dense", **dense)
        self.output_norm = keras.layers.LayerNormalization(epsilon=eps, name="output_norm", **norm)
        self.attention_dropout = keras.layers.Dropout(cfg["attention_probs_dropout_prob"])
        self.hidden_dropout = keras.layers.Dropout(cfg["hidden_dropout_prob"])

    def build(self, input_shape):
        h = input_shape[-1]
        inner = self.intermediate.units
        for layer in (self.query, self.key, self.value, self.attention_out, self.intermediate):
            layer.build((None, None, h))
        self.output_dense.build((None, None, inner))
        self.attention_norm.build((None, None, h))
        self.output_norm.build((None, None, h))

    def _projections(self) -> tuple:
        # a method, not a property: Keras saves every public attribute holding layers, and
        # a tuple of them would move these weights to another path in the .keras file
        return (self.query, self.key, self.value, self.attention_out, self.intermediate,
                self.output_dense)  # fmt: skip

    def _split(self, x):
        b, n = ops.shape(x)[0], ops.shape(x)[1]
        return ops.transpose(ops.reshape(x, (b, n, self.heads, self.head_dim)), (0, 2, 1, 3))

    def call(self, x, mask, bias=None, training=None):
        """``mask``: ``(batch, length)`` keys to attend to, or ``(batch, length, length)``
        query-key pairs (packed rows); ``bias``: added to the attention scores (MPNet's
        relative positions), ``(batch or 1, heads, length, length)``."""
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        scores = ops.matmul(q, ops.transpose(k, (0, 1, 3, 2))) / math.sqrt(self.head_dim)
        if bias is not None:
            scores = scores + ops.cast(bias, scores.dtype)
        mask = mask[:, None, None, :] if len(mask.shape) == 2 else mask[:, None, :, :]
        scores = ops.where(mask, scores, ops.cast(_MASKED, scores.dtype))
        weights = self.attention_dropout(ops.softmax(scores, axis=-1), training=training)
        context = ops.transpose(ops.matmul(weights, v), (0, 2, 1, 3))
        b, n = ops.shape(x)[0], ops.shape(x)[1]
        context = ops.reshape(context, (b, n, self.heads * self.head_dim))
        attended = self.hidden_dropout(self.attention_out(context), training=training)
        x = self.attention_norm(x + attended)
        inner = keras.activations.gelu(self.intermediate(x), approximate=False)
        out = self.hidden_dropout(self.output_dense(inner), training=training)
        return self.output_norm(x + out)


@keras.saving.register_keras_serializable(package="textclass")
class BertEncoder(keras.layers.Layer):
    """Token ids ``(batch, length)`` -> mean-pooled sentence vectors ``(batch, hidden_size)``.

    ``frozen_layers``: the embeddings and this many lower transformer layers are not
    trained (0: everything trains; ``trainable=False`` freezes the whole encoder).
    """

    kind = "BERT"  # in messages about a checkpoint
    token_types = True  # BERT adds a token type embedding (always type 0 here)
    # Keras layer name -> Hugging Face tensor name, in each transformer layer
    LAYER_TENSORS = {
        "query": "attention.self.query",
        "key": "attention.self.key",
        "value": "attention.self.value",
        "attention_out": "attention.output.dense",
        "attention_norm": "attention.output.LayerNorm",
        "intermediate": "intermediate.dense",
        "output_dense": "output.dense",
        "output_norm": "output.LayerNorm",
    }

    def __init__(self, config: dict, frozen_layers: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.config = self.read_config(config)
        self.frozen_layers = int(frozen_layers)
        cfg, kw = self.config, {"dtype": self.dtype_policy}
        h, emb = cfg["hidden_size"], {**kw, "embeddings_initializer": "zeros"}
        self.word_embeddings = keras.layers.Embedding(cfg["vocab_size"], h, name="word", **emb)
        self.position_embeddings = keras.layers.Embedding(
            cfg["max_position_embeddings"], h, name="position", **emb
        )
        self.token_type_embeddings = (
            keras.layers.Embedding(cfg["type_vocab_size"], h, name="token_type", **emb)
            if self.token_types
            else None
        )
        self.embedding_norm = keras.layers.LayerNormalization(
            epsilon=cfg["layer_norm_eps"], name="embedding_norm", **kw
        )
        self.embedding_dropout = keras.layers.Dropout(cfg["hidden_dropout_prob"])
        self.blocks = [
            _Block(cfg, name=f"layer_{i}", **kw) for i in range(cfg["num_hidden_layers"])
        ]
        if self.frozen_layers:
            for layer in self._embedding_layers() + self.blocks[: self.frozen_layers]:
                layer.trainable = False

    def _embedding_layers(self) -> list:
        """The layers before the first transformer layer (frozen with ``frozen_layers``)."""
        layers = [self.word_embeddings, self.position_embeddings, self.token_type_embeddings]
        return [layer for layer in layers if layer is not None] + [self.embedding_norm]

    def build(self, input_shape):
        h = self.config["hidden_size"]
        for layer in self._embedding_layers()[:-1]:
            layer.build((None, None))
        self.embedding_norm.build((None, None, h))
        for block in self.blocks:
            block.build((None, None, h))

    def call(self, token_ids, training=None):
        token_ids = ops.cast(token_ids, "int32")
        mask = ops.not_equal(token_ids, self.config["pad_token_id"])
        positions = ops.arange(ops.shape(token_ids)[1], dtype="int32")[None, :]
        x = self._hidden(token_ids, positions, mask, training)
        weights = ops.cast(mask, x.dtype)[:, :, None]
        total = ops.sum(x * weights, axis=1)
        count = ops.maximum(ops.sum(weights, axis=1), ops.cast(1e-9, x.dtype))
        return total / count

    def pooled_segments(self, token_ids, segments, positions, max_segments: int):
        """Packed rows -> ``(batch, max_segments, hidden)``: the mean vector of segment
        ``s`` (1-based; 0 marks padding) of each row at ``[:, s - 1]``, zeros where absent."""
        token_ids = ops.cast(token_ids, "int32")
        segments = ops.cast(segments, "int32")
        pairs = ops.equal(segments[:, :, None], segments[:, None, :])
        mask = ops.logical_and(pairs, ops.greater(segments, 0)[:, None, :])
        x = self._hidden(token_ids, ops.cast(positions, "int32"), mask, None)
        numbers = ops.arange(1, max_segments + 1, dtype="int32")[None, None, :]
        member = ops.cast(ops.equal(segments[:, :, None], numbers), x.dtype)  # (b, n, s)
        total = ops.einsum("bns,bnh->bsh", member, x)
        count = ops.maximum(ops.sum(member, axis=1), ops.cast(1e-9, x.dtype))[:, :, None]
        return total / count

    def _hidden(self, token_ids, positions, mask, training):
        """``positions``: each token's place in its sentence, from 0."""
        x = self._embed(token_ids, positions)
        x = self.embedding_dropout(self.embedding_norm(x), training=training)
        bias = self._attention_bias(positions)
        for block in self.blocks:
            x = block(x, mask, bias, training=training)
        return x

    def _embed(self, token_ids, positions):
        x = self.word_embeddings(token_ids) + self.position_embeddings(positions)
        return x + self.token_type_embeddings(ops.zeros_like(token_ids))

    def _attention_bias(self, positions):
        return None  # BERT's positions are all in its embeddings

    def use_bfloat16_products(self, on: bool = True) -> None:
        """Matrix products from bfloat16 inputs, summed in float32 (before the first call:
        compiled functions keep what they were traced with)."""
        for block in self.blocks:
            for layer in block._projections():
                layer.bfloat16_products = bool(on)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.config["hidden_size"])

    def get_config(self):
        return {**super().get_config(), "config": self.config, "frozen_layers": self.frozen_layers}

    @staticmethod
    def read_config(config: dict) -> dict:
        return bert_config(config)

    def set_hf_weights(self, tensors: dict[str, np.ndarray]) -> None:
        """Assign a Hugging Face checkpoint's state (names without the model prefix);
        checks every name and shape."""
        take = _Taker(tensors, self.kind)
        e = "embeddings"
        take.into(self.word_embeddings.embeddings, f"{e}.word_embeddings.weight")
        take.into(self.position_embeddings.embeddings, f"{e}.position_embeddings.weight")
        if self.token_type_embeddings is not None:
            take.into(self.token_type_embeddings.embeddings, f"{e}.token_type_embeddings.weight")
        take.norm(self.embedding_norm, f"{e}.LayerNorm")
        for i, block in enumerate(self.blocks):
            for layer_name, tensor_name in self.LAYER_TENSORS.items():
                layer, prefix = getattr(block, layer_name), f"encoder.layer.{i}.{tensor_name}"
                if isinstance(layer, keras.layers.LayerNormalization):
                    take.norm(layer, prefix)
                else:
                    take.into(layer.kernel, f"{prefix}.weight", transpose=True)
                    take.into(layer.bias, f"{prefix}.bias")
        self._set_more_weights(take)

    def _set_more_weights(self, take) -> None:
        """Weights of an architecture's own layers (none in BERT)."""


class _Taker:
    """Checkpoint tensors by name into Keras variables, each name and shape checked."""

    def __init__(self, tensors: dict, kind: str):
        self.tensors, self.kind = tensors, kind

    def into(self, variable, name: str, transpose: bool = False) -> None:
        if name not in self.tensors:
            from textclass.errors import ConfigError

            raise ConfigError(f"{self.kind} checkpoint lacks the tensor {name!r}")
        value = self.tensors[name]
        _assign(variable, value.T if transpose else value, name, self.kind)

    def norm(self, layer, prefix: str) -> None:
        self.into(layer.gamma, f"{prefix}.weight")
        self.into(layer.beta, f"{prefix}.bias")


def _assign(variable, value: np.ndarray, name: str, kind: str) -> None:
    if tuple(variable.shape) != tuple(value.shape):
        from textclass.errors import ConfigError

        raise ConfigError(
            f"{kind} checkpoint tensor {name}: shape {tuple(value.shape)}, the config.json "
            f"implies {tuple(variable.shape)}"
        )
    variable.assign(value.astype(np.float32))


class PackedEncoder(keras.layers.Layer):
    """``[token ids, segments, positions]`` (packed rows) -> per-segment mean vectors.

    Wraps a built ``BertEncoder`` for inference; never saved (the frozen family rebuilds
    it from the installed weights)."""

    def __init__(self, encoder: BertEncoder, max_segments: int, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.max_segments = int(max_segments)

    def call(self, inputs):
        token_ids, segments, positions = inputs
        return self.encoder.pooled_segments(token_ids, segments, positions, self.max_segments)

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], self.max_segments, self.encoder.config["hidden_size"])
