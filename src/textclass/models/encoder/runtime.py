"""A pretrained encoder plus a head: frozen (cached sentence vectors) or fine-tuned end to end.

The input is the ``subword_ids`` matrix. The family's ``mode`` decides:

- ``frozen``: the encoder's mean-pooled vectors (``encoders.frozen.embed``: compiled,
  length-grouped, cached on disk) are the features of a small Keras head, trained by
  :class:`KerasRuntime`. The artifact holds the head (``model.keras``) and, in
  ``encoder.json``, the weights' name, package version and sha256: loading finds the
  installed weights again and fails clearly if they are missing or different.
- ``finetune``: one network, encoder and head, trained end to end with a warm-up then
  linear-decay learning rate, on batches grouped by length (a few compiled shapes, padded
  rows weighted 0). The artifact's ``model.keras`` holds every weight.
- ``contrastive``: the same network, trained in two stages: the encoder on labelled
  sentence pairs (``encoders.contrastive``), then its ``head`` by :class:`KerasRuntime`
  on the tuned encoder's vectors (computed once, not cached: the encoder is this fit's).
  Predicting and the artifact are as for ``finetune``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from textclass.errors import ArtifactError
from textclass.models.encoder.batching import length_batches, rows_within_memory
from textclass.models.encoder.preprocessor import buckets_for
from textclass.models.encoder.schedule import warmup_linear
from textclass.persistence.files import read_json, write_json
from textclass.runtimes.base import TrainingSettings
from textclass.runtimes.keras_predict import predict_function
from textclass.runtimes.keras_runtime import KerasRuntime, count_weights, make_optimizer

FINETUNE_LEARNING_RATE = 4e-5


class EncoderRuntime(KerasRuntime):
    name = "encoder"
    files = ("model.keras", "encoder.json")

    has_scorer = False  # the frozen mode encodes through the family's weights

    def __init__(self, family, model=None, *, state: dict | None = None) -> None:
        super().__init__(family, model)
        self.state = state or {}  # mode, maxlen, pad_id, weights reference

    # ------------------------------------------------------------ training
    def fit(self, x, codes, *, n_classes, inputs, settings, validation=None, callbacks=None):
        weights = self.family.located()
        self.state = {
            "mode": self.family.mode,
            "maxlen": int(inputs["maxlen"]),
            "pad_id": int(inputs["pad_id"]),
            "windows": int(inputs.get("windows", 1)),
            "weights": weights.reference(),
            "encoder_parameters": encoder_parameters(weights.config),
        }
        if self.frozen:
            # decided once: the head learns these vectors, and predictions anywhere
            # (another machine, another backend) compute them the same way
            self.state["bfloat16_products"] = self.family.bfloat16_products()
            x = self.vectors(x)
            if validation is not None:
                validation = (self.vectors(validation[0]), validation[1])
            inputs = {**inputs, "dim": x.shape[1]}
            # building the encoder (first use in this process) draws seeds: seed the head now,
            # so the same seed gives the same head whether the encoder was built or reused
            self.seed(getattr(self, "random_state", None))
        elif self.family.mode == "contrastive":
            return self._fit_contrastive(
                x, codes, n_classes=n_classes, inputs=inputs, settings=settings,
                validation=validation, callbacks=callbacks,
            )  # fmt: skip
        return super().fit(
            x,
            codes,
            n_classes=n_classes,
            inputs=inputs,
            settings=settings,
            validation=validation,
            callbacks=callbacks,
        )

    def _fit_contrastive(self, x, codes, *, n_classes, inputs, settings, validation, callbacks):
        from textclass.models.encoder.contrastive import (
            IN_BATCH,
            PAIR_BATCH,
            tune_in_batches,
            tune_on_pairs,
        )

        network = self.family.build(n_classes=n_classes, multilabel=codes.ndim == 2, **inputs)
        encoder, head = network.get_layer("encoder"), network.get_layer("head")
        common = {
            "n_classes": n_classes,
            "learning_rate": float(self.family.pair_learning_rate),
            "warmup": self.family.warmup,
            "pad_id": self.state["pad_id"],
            "buckets": self.buckets,
            "seed": settings.random_state,
            "verbose": settings.verbose,
        }
        config = self.family.located().config
        if self.family.pair_sampling == "batch":
            common["rows_for"] = rows_within_memory(config)
            epochs, batch_size = IN_BATCH
            history = tune_in_batches(
                encoder, x, codes, epochs=epochs, batch_size=batch_size, **common
            )
        else:
            per_text = int(self.family.pairs)
            common["rows_for"] = rows_within_memory(config, texts_per_row=2)
            history = tune_on_pairs(
                encoder, x, codes, per_text=per_text, batch_size=PAIR_BATCH, **common
            )
        vectors_of = self._vector_function(encoder)
        vectors = vectors_of(x)
        if validation is not None:
            validation = (vectors_of(validation[0]), validation[1])
        trained = KerasRuntime(_Built(head))
        history.update(
            trained.fit(
                vectors,
                codes,
                n_classes=n_classes,
                inputs={},
                settings=settings,
                validation=validation,
                callbacks=callbacks,
            )
        )
        self.model = network  # the encoder and the head it holds, both trained
        return history

    def _vector_function(self, encoder):
        """ids -> the tuned ``encoder``'s sentence vectors (float32), one compiled model."""
        import keras

        from textclass.models.encoder.frozen import grouped_outputs

        tokens = keras.Input((None,), dtype="int32", name="token_ids")
        model = keras.Model(tokens, encoder(tokens), name="tuned_encoder")
        predict = predict_function(model)  # on TensorFlow it holds the model only weakly

        def vectors_of(ids) -> np.ndarray:
            vectors = grouped_outputs(
                predict, ids, pad_id=self.state["pad_id"], buckets=self.buckets
            )
            return vectors.astype(np.float32)

        vectors_of.model = model  # so the model lives as long as this function

        return vectors_of

    @property
    def frozen(self) -> bool:
        return self.state.get("mode", self.family.mode) == "frozen"

    @property
    def buckets(self) -> tuple[int, ...]:
        return buckets_for(self.state["maxlen"])

    def vectors(self, ids, *, store: bool = True) -> np.ndarray:
        """Frozen mode: the sentence vectors of token ids (cached; predictions only read
        the cache, ``store=False``)."""
        from textclass.models.encoder.frozen import embed, window_vectors

        def embed_rows(rows):
            return embed(
                self.family.located(),
                rows,
                pad_id=self.state["pad_id"],
                buckets=self.buckets,
                cache_dir=self.family.cache_dir,
                store=store,
                bfloat16=self.state.get("bfloat16_products", False),  # older artifacts: float32
            )

        windows = self.state.get("windows", 1)
        if windows == 1:
            return embed_rows(ids)
        return window_vectors(embed_rows, ids, windows=windows, pad_id=self.state["pad_id"])

    def training_optimizer(self, settings: TrainingSettings, *, n_rows: int, batches=None):
        if self.frozen:
            return super().training_optimizer(settings, n_rows=n_rows)
        per_epoch = len(batches) if batches is not None else n_rows / (settings.batch_size or 16)
        steps = max(settings.epochs or 1, 1) * math.ceil(per_epoch)
        peak = settings.learning_rate or FINETUNE_LEARNING_RATE
        return make_optimizer(settings.optimizer, warmup_linear(peak, steps, self.family.warmup))

    def training_batches(self, x, y, settings: TrainingSettings):
        if self.frozen:
            return super().training_batches(x, y, settings)
        return length_batches(
            x,
            y,
            settings.batch_size or 16,
            self.state["pad_id"],
            self.buckets,
            settings.random_state,
            rows_for=rows_within_memory(self.family.located().config),
        )

    # ---------------------------------------------------------- predicting
    def outputs(self, x) -> np.ndarray:
        if len(x) == 0:
            return np.zeros((0, self.model.outputs[0].shape[-1]), dtype=np.float64)
        if self.frozen:
            return super().outputs(self.vectors(x, store=False))
        from textclass.models.encoder.frozen import grouped_outputs

        out = grouped_outputs(
            predict_function(self.model), x, pad_id=self.state["pad_id"], buckets=self.buckets
        )
        return out.astype(np.float64)

    def warm_up(self, x) -> None:
        self.outputs(x[:1])

    # ------------------------------------------------------------ counting
    def count_params(self, *, trainable_only: bool = False) -> int:
        head = count_weights(self.model, trainable_only=trainable_only)
        if self.frozen and not trainable_only:
            return head + self.state["encoder_parameters"]
        return head

    def summary(self, print_fn=print) -> None:
        reference = self.state["weights"]
        if self.frozen:
            print_fn(
                f"Frozen encoder {reference['name']} ({self.state['encoder_parameters']:,} "
                f"parameters, not trained; sentence vectors cached) -> head:"
            )
        super().summary(print_fn)

    # ------------------------------------------------------- saving, loading
    def save(self, folder: Path) -> None:
        super().save(folder)
        write_json(Path(folder) / "encoder.json", self.state)

    @classmethod
    def load(cls, folder: Path, family) -> EncoderRuntime:
        import textclass.models.encoder.architectures  # noqa: F401 - Keras must know the encoders
        from textclass.models.encoder.weights import check_reference

        path = Path(folder) / "encoder.json"
        if not path.exists():
            raise ArtifactError(f"{path}: missing")
        state = read_json(path)
        if state.get("mode") == "frozen":  # the head is useless without the same weights
            check_reference(state["weights"], Path(folder))
        runtime = super().load(folder, family)
        return cls(family, runtime.model, state=state)

    @classmethod
    def sketch(cls, family, inputs: dict, n_classes: int) -> tuple[str, int, int]:
        text, total, trainable = super().sketch(family, inputs, n_classes)
        if family.mode == "frozen":
            encoder = encoder_parameters(family.located().config)
            text = f"frozen encoder {family.weights}: {encoder:,} parameters\n{text}"
            total += encoder
        return text, total, trainable


class _Built:
    """A family stand-in whose ``build`` returns a network already built (the head of a
    contrastive network, trained on vectors by :class:`KerasRuntime`)."""

    def __init__(self, network) -> None:
        self.network = network

    def build(self, **_):
        return self.network


def encoder_parameters(config: dict) -> int:
    """Parameters of a BERT or MPNet encoder without pooler, from its ``config.json``."""
    h, inner = config["hidden_size"], config["intermediate_size"]
    embeddings = (config["vocab_size"] + config["max_position_embeddings"]) * h + 2 * h
    if config.get("model_type", "bert") == "mpnet":  # no token types; relative position bias
        embeddings += config["relative_attention_num_buckets"] * config["num_attention_heads"]
    else:
        embeddings += config.get("type_vocab_size", 2) * h
    layer = 4 * (h * h + h) + (h * inner + inner) + (inner * h + h) + 4 * h
    return embeddings + config["num_hidden_layers"] * layer
