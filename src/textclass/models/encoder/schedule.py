"""The fine-tune's learning rate: a linear warm-up to a peak, then a linear decay to 0."""

from __future__ import annotations

import functools


def warmup_linear(peak: float, steps: int, warmup: float):
    """Learning rate rising linearly to ``peak`` over ``warmup`` of the steps, then to 0."""
    return _warmup_class()(float(peak), max(int(round(steps * warmup)), 0), max(int(steps), 1))


@functools.cache
def _warmup_class():
    import keras
    from keras import ops

    @keras.saving.register_keras_serializable(package="textclass")
    class WarmupThenLinear(keras.optimizers.schedules.LearningRateSchedule):
        def __init__(self, peak, warmup_steps, total_steps):
            self.peak, self.warmup_steps, self.total_steps = peak, warmup_steps, total_steps

        def __call__(self, step):
            step = ops.cast(step, "float32") + 1.0  # the first step already learns
            warm = step / max(self.warmup_steps, 1)
            rest = (self.total_steps - step + 1.0) / max(self.total_steps - self.warmup_steps, 1)
            return self.peak * ops.clip(ops.minimum(warm, rest), 0.0, 1.0)

        def get_config(self):
            return {
                "peak": self.peak,
                "warmup_steps": self.warmup_steps,
                "total_steps": self.total_steps,
            }

    return WarmupThenLinear
