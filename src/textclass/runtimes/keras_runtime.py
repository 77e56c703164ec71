"""Keras networks on any backend: compile defaults, seeding, batching, save and load.

The family's ``build(n_classes=..., multilabel=..., **inputs)`` returns a ``keras.Model``; this
runtime compiles it (the family's optimizer unless overridden, binary or sparse
categorical cross-entropy unless a loss is given), fits it with the
classifier's settings and saves it in Keras' own ``.keras`` format.

Multi-label targets (a ``(n, k)`` 0/1 matrix) build the family with ``multilabel=True``
(k sigmoid outputs) and train
with binary cross-entropy, weighted per label when ``class_weight`` is set.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from textclass.errors import ArtifactError, invalid
from textclass.runtimes.base import Runtime, TrainingSettings, normalized
from textclass.runtimes.keras_loading import load_network
from textclass.runtimes.keras_predict import predict_function

# Above this many matrix cells a bag-of-words input is densified batch by batch.
_DENSE_LIMIT = 50_000_000
# Prediction batches: at most _BATCH rows, padded to the next of _BUCKETS.
_BATCH = 256
_BUCKETS = tuple(2**i for i in range(9))  # 1, 2, 4, ..., 256
OPTIMIZERS = ("adam", "rmsprop", "sgd", "adamw", "adagrad")


class KerasRuntime(Runtime):
    name = "keras"
    files = ("model.keras",)
    has_scorer = True

    def seed(self, random_state: int | None) -> None:
        super().seed(random_state)
        if random_state is not None:
            import keras

            keras.utils.set_random_seed(int(random_state))

    def fit(
        self,
        x,
        codes,
        *,
        n_classes,
        inputs,
        settings: TrainingSettings,
        validation=None,
        callbacks=None,
    ) -> dict:
        import keras

        multilabel = codes.ndim == 2
        class_weight = settings.class_weight
        model = self.family.build(n_classes=n_classes, multilabel=multilabel, **inputs)
        if multilabel:
            loss = settings.loss or (
                "binary_crossentropy" if class_weight is None else weighted_bce(class_weight)
            )
            class_weight = None
        else:
            loss = settings.loss or default_loss(n_classes)
        y = _targets(codes, n_classes, loss)
        callbacks = list(callbacks or [])
        has_validation = validation is not None or settings.validation_split > 0
        if settings.early_stopping:
            callbacks.append(
                keras.callbacks.EarlyStopping(
                    monitor="val_loss" if has_validation else "loss",
                    patience=settings.early_stopping,
                    restore_best_weights=True,
                )
            )
        x, y, validation = _with_validation(x, y, validation, settings, n_classes, loss)
        batches = self.training_batches(x, y, settings)
        streamed = isinstance(batches, keras.utils.PyDataset)
        model.compile(
            optimizer=self.training_optimizer(
                settings, n_rows=len(y), batches=batches if streamed else None
            ),
            loss=loss,
            metrics=["accuracy"],
        )
        history = model.fit(
            batches,
            None if streamed else y,
            epochs=settings.epochs,
            batch_size=None if streamed else settings.batch_size,
            validation_data=validation,
            callbacks=callbacks,
            verbose=settings.verbose,
            shuffle=True,
            class_weight=class_weight,
        )
        self.model = model
        return {k: [float(v) for v in vals] for k, vals in history.history.items()}

    def training_optimizer(self, settings: TrainingSettings, *, n_rows: int, batches=None):
        """The optimizer for ``n_rows`` training rows, in ``batches`` (a ``PyDataset``) when
        streamed (a runtime may schedule its rate over the steps)."""
        return make_optimizer(settings.optimizer, settings.learning_rate)

    def training_batches(self, x, y, settings: TrainingSettings):
        """What ``model.fit`` iterates: arrays, or a ``keras.utils.PyDataset`` of batches."""
        return _inputs(x, settings.batch_size, y, shuffle_seed=settings.random_state)

    def predict_proba(self, x) -> np.ndarray:
        out = self.outputs(x)
        if out.shape[1] == 1:  # one sigmoid unit: P(second class)
            out = np.column_stack([1.0 - out[:, 0], out[:, 0]])
        return normalized(out)

    def predict_label_proba(self, x) -> np.ndarray:
        return np.clip(self.outputs(x), 0.0, 1.0)

    def outputs(self, x) -> np.ndarray:
        """The network's outputs, through one compiled predict function per batch bucket.

        Rows go in batches of at most 256, each padded up to a power of two, so a
        model compiles at most nine input shapes in its life (JAX, TensorFlow) and
        every later call reuses them: one text costs a compiled call, not a trace.
        """
        n = x.shape[0]
        if n == 0:
            return np.zeros((0, self.model.outputs[0].shape[-1]), dtype=np.float64)
        out = [self._bucket_call(x[start : start + _BATCH]) for start in range(0, n, _BATCH)]
        return np.concatenate(out).astype(np.float64)

    def _bucket_call(self, rows) -> np.ndarray:
        dense = rows.toarray() if sp.issparse(rows) else np.asarray(rows)
        n = dense.shape[0]
        size = _bucket(n)
        if size > n:
            pad = np.zeros((size - n, *dense.shape[1:]), dtype=dense.dtype)
            dense = np.concatenate([dense, pad])
        return np.asarray(predict_function(self.model)(dense))[:n]

    def warm_up(self, x) -> None:
        """Compile every batch bucket now (a server calls this before it reports ready)."""
        first = x[:1]
        for size in _BUCKETS:
            rows = sp.vstack([first] * size) if sp.issparse(first) else np.repeat(first, size, 0)
            self._bucket_call(rows)

    def count_params(self, *, trainable_only: bool = False) -> int:
        return count_weights(self.model, trainable_only=trainable_only)

    def summary(self, print_fn=print) -> None:
        self.model.summary(print_fn=print_fn)
        # Keras 3 adds the optimizer's state to "Total params"; the tutorials' tables don't
        print_fn(
            f"Model parameters: {self.count_params():,} "
            f"(trainable {self.count_params(trainable_only=True):,}; optimizer state not counted)"
        )

    def save(self, folder: Path) -> None:
        # without the optimizer's slots (two thirds of an embedding artifact): prediction
        # needs none of them, and training always starts from a fresh model
        optimizer = getattr(self.model, "optimizer", None)  # a loaded model has none
        if optimizer is not None:
            self.model.optimizer = None
        try:
            self.model.save(Path(folder) / "model.keras")
        finally:
            if optimizer is not None:
                self.model.optimizer = optimizer

    @classmethod
    def load(cls, folder: Path, family) -> KerasRuntime:
        import zipfile

        path = Path(folder) / "model.keras"
        if not path.exists():
            raise ArtifactError(f"{path}: missing")
        try:
            model = load_network(path)
        except (zipfile.BadZipFile, EOFError, KeyError, ValueError) as exc:
            raise ArtifactError(
                f"{path}: cannot load the Keras model: corrupt or truncated archive "
                f"({type(exc).__name__}: {exc})"
            ) from None
        except Exception as exc:  # Keras raises many types for damaged archives
            raise ArtifactError(
                f"{path}: cannot load the Keras model ({type(exc).__name__}: {exc})"
            ) from None
        return cls(family, model)

    @classmethod
    def load_scorer(cls, folder: Path) -> KerasRuntime:
        return cls.load(folder, None)  # predicting needs the network, not the family

    @classmethod
    def sketch(cls, family, inputs: dict, n_classes: int) -> tuple[str, int, int]:
        net = family.build(n_classes=n_classes, **inputs)
        lines: list[str] = []
        net.summary(print_fn=lambda line, *_, **__: lines.append(line))
        return "\n".join(lines), count_weights(net), count_weights(net, trainable_only=True)


def _bucket(n: int) -> int:
    return next(size for size in _BUCKETS if size >= n)


def default_loss(n_classes: int) -> str:
    return "binary_crossentropy" if n_classes == 2 else "sparse_categorical_crossentropy"


def weighted_bce(weights):
    """Binary cross-entropy per label, rows weighted by ``weights[label, has_label]``."""
    return _weighted_bce_class()(np.asarray(weights, dtype="float32").tolist())


_WEIGHTED_BCE = []


def _weighted_bce_class():
    if _WEIGHTED_BCE:
        return _WEIGHTED_BCE[0]
    import keras
    from keras import ops

    @keras.saving.register_keras_serializable(package="textclass")
    class WeightedBinaryCrossentropy(keras.losses.Loss):
        def __init__(self, weights, name="weighted_binary_crossentropy", **kwargs):
            super().__init__(name=name, **kwargs)
            self.weights = [list(map(float, row)) for row in weights]

        def call(self, y_true, y_pred):
            table = ops.convert_to_tensor(self.weights, dtype=y_pred.dtype)
            y_true = ops.cast(y_true, y_pred.dtype)
            p = ops.clip(y_pred, 1e-7, 1.0 - 1e-7)
            w = y_true * table[:, 1] + (1.0 - y_true) * table[:, 0]
            return ops.mean(-w * (y_true * ops.log(p) + (1.0 - y_true) * ops.log(1.0 - p)), -1)

        def get_config(self):
            return {**super().get_config(), "weights": self.weights}

    _WEIGHTED_BCE.append(WeightedBinaryCrossentropy)
    return WeightedBinaryCrossentropy


def make_optimizer(name: str, learning_rate: float | None):
    import keras

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


def count_weights(model, *, trainable_only: bool = False) -> int:
    """Parameters of a Keras model, without the optimizer's state (Keras 3 counts it)."""
    weights = model.trainable_weights if trainable_only else model.weights
    return int(sum(np.prod(w.shape) for w in weights))


def _targets(codes, n_classes: int, loss) -> np.ndarray:
    """Labels as the loss wants them: 0/1 floats (binary, multi-label), class ids, or one-hot."""
    if codes.ndim == 2 or n_classes == 2:
        return codes.astype("float32")
    if isinstance(loss, str) and "sparse" not in loss:  # e.g. mse, categorical_crossentropy
        return np.eye(n_classes, dtype="float32")[codes]
    return codes.astype("int32")


def _inputs(features, batch_size, y, shuffle_seed=False):
    """Dense arrays as they are; sparse matrices densified whole or per batch.

    ``shuffle_seed`` other than False: training batches, reshuffled every epoch
    (Keras does not shuffle a ``PyDataset`` itself).
    """
    if not sp.issparse(features):
        return features
    if features.shape[0] * features.shape[1] <= _DENSE_LIMIT:
        return features.toarray()
    return _sparse_batches_class()(features, y, batch_size, shuffle_seed)


def _sparse_batches_class():
    import keras

    class SparseBatches(keras.utils.PyDataset):
        """Feeds a large sparse matrix to Keras one dense batch at a time."""

        def __init__(self, matrix, y, batch_size, shuffle_seed):
            super().__init__()
            self.matrix, self.y, self.batch_size = matrix.tocsr(), y, batch_size
            self.order = np.arange(self.matrix.shape[0])
            self.rng = None
            if shuffle_seed is not False:
                self.rng = np.random.default_rng(shuffle_seed)
                self.rng.shuffle(self.order)

        def __len__(self):
            return math.ceil(self.matrix.shape[0] / self.batch_size)

        def __getitem__(self, i):
            rows = self.order[i * self.batch_size : (i + 1) * self.batch_size]
            x = self.matrix[rows].toarray()
            return (x,) if self.y is None else (x, self.y[rows])

        def on_epoch_end(self):
            if self.rng is not None:
                self.rng.shuffle(self.order)

    return SparseBatches


def _with_validation(x, y, validation, settings: TrainingSettings, n_classes: int, loss):
    """``(x, y, validation data)``: the given validation texts' inputs and targets, or
    ``validation_split`` of the training rows held out (shuffled with the seed first:
    Keras' own split takes the last rows), or no validation data."""
    if validation is not None:
        vx, vy = validation
        return x, y, (_inputs(vx, settings.batch_size, None), _targets(vy, n_classes, loss))
    if settings.validation_split > 0:
        rng = np.random.default_rng(settings.random_state)
        order = rng.permutation(len(y))
        cut = len(y) - int(math.floor(len(y) * settings.validation_split))
        train, held = order[:cut], order[cut:]
        return x[train], y[train], (_inputs(x[held], settings.batch_size, None), y[held])
    return x, y, None
