"""The ``encoder`` family: a pretrained BERT-style sentence encoder, in Keras 3, plus a head.

Every part of the family lives here, KerasHub-style:

- :mod:`.family`: the ``Encoder`` family (hyperparameters, modes, the head it builds);
- :mod:`.preprocessor`: ``SubwordIds``, texts -> the checkpoint's subword ids;
- :mod:`.backbone`: the BERT encoder (``BertEncoder``, and ``PackedEncoder`` for frozen
  vectors of packed rows), loaded from a Hugging Face folder;
- :mod:`.runtime`: ``EncoderRuntime``, frozen vectors + head, or the fine-tuned network;
- :mod:`.frozen`: sentence vectors, cached on disk; :mod:`.contrastive`: SetFit's pair stage;
- :mod:`.batching` and :mod:`.schedule`: length-grouped batches and the warm-up schedule;
- :mod:`.weights`: finding the checkpoint (installed package, folder, or :mod:`.tiny`'s
  test weights) and checking that a saved head's weights are still the same;
- :mod:`.devices`: what the backend runs on (bfloat16 pays off or not).
"""

from textclass.models.encoder.family import Encoder

__all__ = ["Encoder"]
