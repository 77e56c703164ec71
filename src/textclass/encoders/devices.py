"""Whether the Keras backend computes on an accelerator (mixed precision pays off there)."""

from __future__ import annotations


def has_accelerator() -> bool:
    import keras

    backend = keras.backend.backend()
    try:
        if backend == "jax":
            import jax

            return jax.default_backend() in ("gpu", "tpu")
        if backend == "torch":
            import torch

            return bool(torch.cuda.is_available())
        if backend == "tensorflow":
            import tensorflow as tf

            return bool(tf.config.list_physical_devices("GPU"))
    except Exception:  # a broken accelerator set-up: compute in float32
        return False
    return False
