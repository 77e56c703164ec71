"""One predict call per Keras model that gives the same numbers whatever ran before.

Shared by the runtimes (a network's batches) and the frozen encoder (packed rows), which
sits below them.
"""

from __future__ import annotations

import weakref

_TF_PREDICT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # model -> function


def predict_function(model):
    """``model``'s outputs for one batch, computed the same way whatever came before.

    On TensorFlow, ``predict_on_batch`` retraces with relaxed shapes once it has seen a
    few batch shapes (``reduce_retracing``), and the relaxed graph rounds differently in
    the last bit: a frozen encoder's vectors of the same texts differed by 8e-7 between
    a process that had encoded its training texts first and a fresh one. Here TensorFlow
    gets one graph with every dimension unknown, traced once per model (kept while the
    model lives: the graph holds it only weakly); JAX and PyTorch compute the same either
    way and keep ``predict_on_batch``.
    """
    import keras

    if keras.backend.backend() != "tensorflow":
        return model.predict_on_batch
    fn = _TF_PREDICT.get(model)
    if fn is None:
        import tensorflow as tf

        owner = weakref.ref(model)
        specs = [tf.TensorSpec([None] * len(x.shape), x.dtype) for x in model.inputs]
        graph = tf.function(
            lambda *xs: owner()(list(xs) if len(xs) > 1 else xs[0], training=False),
            input_signature=specs,
        )

        def fn(batch):
            return graph(*batch) if isinstance(batch, (list, tuple)) else graph(batch)

        _TF_PREDICT[model] = fn
    return fn
