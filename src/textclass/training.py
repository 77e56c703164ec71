"""Keras training for the estimator: seeding, compile defaults, callbacks, batching."""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from textclass.models.heads import default_loss, make_optimizer

# Above this many matrix cells a bag-of-words input is densified batch by batch.
_DENSE_LIMIT = 50_000_000


def fit_keras(
    family, features, codes, *, n_classes, context, settings, validation=None, callbacks=None
):
    """Build, compile and fit ``family``'s network; return (model, history dict).

    ``context`` is what ``family.build`` needs besides the class count
    (``vocab_size``, ``maxlen``, optionally ``pretrained`` rows).
    """
    import keras

    if settings.random_state is not None:
        keras.utils.set_random_seed(int(settings.random_state))
    model = family.build(n_classes=n_classes, **context)
    loss = settings.loss or default_loss(n_classes)
    model.compile(
        optimizer=make_optimizer(
            settings.optimizer or family.default_optimizer, settings.learning_rate
        ),
        loss=loss,
        metrics=["accuracy"],
    )
    y = _targets(codes, n_classes, loss)
    callbacks = list(callbacks or [])
    has_validation = validation is not None or settings.validation_split > 0
    if settings.early_stopping:
        monitor = "val_loss" if has_validation else "loss"
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor=monitor, patience=settings.early_stopping, restore_best_weights=True
            )
        )
    if validation is not None:
        vx, vy = validation
        validation = (_inputs(vx, settings.batch_size, None), _targets(vy, n_classes, loss))
    elif settings.validation_split > 0:
        # Keras' validation_split takes the last rows; shuffle first, with the seed
        rng = np.random.default_rng(settings.random_state)
        order = rng.permutation(len(y))
        cut = len(y) - int(math.floor(len(y) * settings.validation_split))
        train, held = order[:cut], order[cut:]
        validation = (_inputs(features[held], settings.batch_size, None), y[held])
        features, y = features[train], y[train]
    x = _inputs(features, settings.batch_size, y, shuffle_seed=settings.random_state)
    history = model.fit(
        x,
        None if isinstance(x, keras.utils.PyDataset) else y,
        epochs=settings.epochs,
        batch_size=None if isinstance(x, keras.utils.PyDataset) else settings.batch_size,
        validation_data=validation,
        callbacks=callbacks,
        verbose=settings.verbose,
        shuffle=True,
    )
    return model, {k: [float(v) for v in vals] for k, vals in history.history.items()}


def count_weights(model, *, trainable_only: bool = False) -> int:
    """Parameters of a Keras model, without the optimizer's state (Keras 3 counts it)."""
    weights = model.trainable_weights if trainable_only else model.weights
    return int(sum(np.prod(w.shape) for w in weights))


def _targets(codes, n_classes: int, loss) -> np.ndarray:
    """Labels as the loss wants them: 0/1 floats (binary), class ids, or one-hot rows."""
    if n_classes == 2:
        return codes.astype("float32")
    if isinstance(loss, str) and "sparse" not in loss:  # e.g. mse, categorical_crossentropy
        return np.eye(n_classes, dtype="float32")[codes]
    return codes.astype("int32")


def predict_keras(model, features, batch_size: int) -> np.ndarray:
    """Network outputs for ``features``; small inputs skip ``predict``'s set-up cost."""
    if features.shape[0] <= 256:
        x = features.toarray() if sp.issparse(features) else features
        import keras

        # convert_to_numpy: a torch output tensor still tracks gradients
        return keras.ops.convert_to_numpy(model(x, training=False)).astype(np.float64)
    x = _inputs(features, max(batch_size, 256), None)
    return np.asarray(model.predict(x, verbose=0), dtype=np.float64)


def _inputs(features, batch_size, y, shuffle_seed=False):
    """Dense arrays as they are; sparse matrices densified whole or per batch.

    ``shuffle_seed`` other than False: training batches, reshuffled every epoch
    (Keras does not shuffle a ``PyDataset`` itself).
    """
    if not sp.issparse(features):
        return features
    if features.shape[0] * features.shape[1] <= _DENSE_LIMIT:
        return features.toarray()
    return _SparseBatches(features, y, batch_size, shuffle_seed)


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


def _SparseBatches(matrix, y, batch_size, shuffle_seed):  # noqa: N802 - acts as a class
    return _sparse_batches_class()(matrix, y, batch_size, shuffle_seed)
