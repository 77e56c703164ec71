"""Which Keras encoder reads a checkpoint: one class per Hugging Face ``model_type``."""

from __future__ import annotations

from textclass.models.encoder.backbone import BertEncoder
from textclass.models.encoder.mpnet import MPNetEncoder
from textclass.models.encoder.weights import MODEL_TYPES

ARCHITECTURES: dict[str, type[BertEncoder]] = {"bert": BertEncoder, "mpnet": MPNetEncoder}
assert tuple(ARCHITECTURES) == MODEL_TYPES, "weights.MODEL_TYPES names what is built here"


def pretrained_encoder(weights, *, frozen_layers: int = 0, dtype=None, name="encoder"):
    """A built encoder of ``weights``' architecture holding its checkpoint (an
    ``EncoderWeights``)."""
    config = weights.config
    cls = ARCHITECTURES[config.get("model_type", "bert")]
    encoder = cls(config, frozen_layers=frozen_layers, dtype=dtype, name=name)
    encoder.build((None, None))
    encoder.set_hf_weights(weights.tensors())
    return encoder
