"""MPNet (all-mpnet-base-v2) as a ``BertEncoder`` with MPNet's embeddings and relative positions.

What MPNet changes against BERT, and nothing else (Hugging Face ``MPNetModel``):

- no token type embedding;
- absolute position ids start after the pad id: the first token of a sentence is at
  ``pad_token_id + 1`` (RoBERTa's convention), so 514 positions read 512 tokens;
- one relative-position bias, ``relative_attention_num_buckets`` buckets by heads, looked
  up once per call from the distance between every query and key token (T5's log-spaced
  buckets, 128 tokens at most apart) and added to every layer's attention scores;
- LayerNorm eps 1e-5, and its own tensor names (``attention.attn.q``, ...).

Distances are taken between the tokens' positions in their own sentence, so packed rows
(several sentences in a row, positions restarting at 0) give each sentence the vector it
gets alone, as with BERT.
"""

from __future__ import annotations

import math

import keras
from keras import ops

from textclass.models.encoder.backbone import BertEncoder, bert_config

MAX_DISTANCE = 128  # Hugging Face's relative_position_bucket default, used by every MPNet


def mpnet_config(config: dict) -> dict:
    """The keys an ``MPNetEncoder`` needs from a Hugging Face ``config.json``."""
    config = {"layer_norm_eps": 1e-5, "pad_token_id": 1, **config}
    out = {k: v for k, v in bert_config(config).items() if k != "type_vocab_size"}
    out["relative_attention_num_buckets"] = int(config.get("relative_attention_num_buckets", 32))
    return out


def relative_buckets(relative, num_buckets: int, max_distance: int = MAX_DISTANCE):
    """Bucket of each ``key - query`` distance: half the buckets for keys before the query,
    half after; in each, exact distances below a quarter of the buckets, log-spaced up to
    ``max_distance``, the last bucket beyond (Hugging Face's ``relative_position_bucket``)."""
    n = -relative
    half = num_buckets // 2
    out = ops.cast(ops.less(n, 0), "int32") * half
    n = ops.abs(n)
    exact = half // 2
    scaled = ops.log(ops.cast(ops.maximum(n, 1), "float32") / exact)
    scaled = scaled / math.log(max_distance / exact) * (half - exact)
    large = ops.minimum(exact + ops.cast(scaled, "int32"), half - 1)
    return out + ops.where(ops.less(n, exact), n, large)


@keras.saving.register_keras_serializable(package="textclass")
class MPNetEncoder(BertEncoder):
    """Token ids ``(batch, length)`` -> mean-pooled MPNet sentence vectors (see the module)."""

    kind = "MPNet"
    token_types = False
    LAYER_TENSORS = {
        "query": "attention.attn.q",
        "key": "attention.attn.k",
        "value": "attention.attn.v",
        "attention_out": "attention.attn.o",
        "attention_norm": "attention.LayerNorm",
        "intermediate": "intermediate.dense",
        "output_dense": "output.dense",
        "output_norm": "output.LayerNorm",
    }

    def __init__(self, config: dict, frozen_layers: int = 0, **kwargs):
        super().__init__(config, frozen_layers=frozen_layers, **kwargs)
        cfg = self.config
        self.relative_attention_bias = keras.layers.Embedding(
            cfg["relative_attention_num_buckets"],
            cfg["num_attention_heads"],
            embeddings_initializer="zeros",
            dtype=self.dtype_policy,
            name="relative_attention_bias",
        )
        if self.frozen_layers:  # shared by every layer: trained only when they all are
            self.relative_attention_bias.trainable = False

    @staticmethod
    def read_config(config: dict) -> dict:
        return mpnet_config(config)

    def build(self, input_shape):
        super().build(input_shape)
        self.relative_attention_bias.build((None, None))

    def _embed(self, token_ids, positions):
        offset = self.config["pad_token_id"] + 1
        return self.word_embeddings(token_ids) + self.position_embeddings(positions + offset)

    def _attention_bias(self, positions):
        """``(batch or 1, heads, length, length)`` from the tokens' sentence positions."""
        relative = positions[:, None, :] - positions[:, :, None]  # key - query
        buckets = relative_buckets(relative, self.config["relative_attention_num_buckets"])
        return ops.transpose(self.relative_attention_bias(buckets), (0, 3, 1, 2))

    def _set_more_weights(self, take) -> None:
        take.into(self.relative_attention_bias.embeddings, "encoder.relative_attention_bias.weight")
