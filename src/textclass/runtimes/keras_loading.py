"""Loading Keras fast, for prediction: the import, and a saved network's weights.

- :func:`import_keras`: with ``LEAN_IMPORT`` (set by the ``textclass`` command for its
  own process), keras without the integrations a prediction never uses.
- :func:`load_network`: a ``.keras`` archive built with zero initializers (no random
  initial weights drawn and compiled only to be overwritten), then its saved weights.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

# Set by the ``textclass`` command for its own process: see ``import_keras``.
LEAN_IMPORT = False
# what keras imports at start-up only to offer integrations a prediction never uses:
# its scikit-learn wrappers and its matplotlib image gallery (1.8 s of a cold predict),
# and pandas, for accepting DataFrames in fit/predict (0.4 s; we always pass numpy)
_OPTIONAL_IMPORTS = ("sklearn", "matplotlib", "pandas")


# keras's JAX backend imports Google's TPU flash-attention kernels (Pallas) at start-up for
# ``ops.dot_product_attention`` on a TPU: 0.15-0.2 s of a cold predict on a CPU machine
_TPU_KERNELS = "jax.experimental.pallas.ops.tpu.splash_attention"
_TPU_KERNEL_MODULES = ("splash_attention_kernel", "splash_attention_mask")


def import_keras():
    """``keras``; with ``LEAN_IMPORT``, imported without its optional integrations.

    Keras imports scikit-learn, matplotlib and pandas when they are installed, inside
    ``try: ... except ImportError``. While keras loads, those not yet imported are
    marked absent, then unmarked: later imports of them work as usual, only keras's
    own wrappers and gallery stay off in this process. The TPU attention kernels keras
    imports on the JAX backend are given to it as placeholders that refuse any use
    (``_NotLoaded``), also removed once keras is in: our networks never call them, and a
    later ``import`` of them loads the real modules. Library users never get this.
    """
    import sys

    if not LEAN_IMPORT or "keras" in sys.modules:
        import keras

        return keras
    hidden = [name for name in _OPTIONAL_IMPORTS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # "import name" raises ImportError
    placeholders = _tpu_placeholders() if _TPU_KERNELS not in sys.modules else {}
    sys.modules.update(placeholders)
    try:
        import keras
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return keras


def _tpu_placeholders() -> dict:
    import types

    class _NotLoaded(types.ModuleType):
        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            raise RuntimeError(
                f"{self.__name__} was not loaded by the textclass command (TPU attention "
                "kernels; a CPU or GPU prediction never uses them)"
            )

    package = types.ModuleType(_TPU_KERNELS)
    modules = {_TPU_KERNELS: package}
    for child in _TPU_KERNEL_MODULES:
        modules[f"{_TPU_KERNELS}.{child}"] = module = _NotLoaded(f"{_TPU_KERNELS}.{child}")
        setattr(package, child, module)
    return modules


def load_network(path: Path):
    """A saved network, without drawing random initial weights it would overwrite.

    ``keras.saving.load_model`` builds every layer with its initializer first; on JAX
    each random initializer is a compiled kernel (5 s of a 5.1 s load, here). The same
    architecture with zero initializers, then the saved weights, is the same model.
    """
    import json
    import tempfile
    import zipfile

    keras = import_keras()
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
        config.pop("compile_config", None)  # prediction only: no optimizer to restore
        _zero_initializers(config)
        # a scope, not only the argument: Bidirectional builds its backward layer from the
        # forward layer's config, a second deserialization that sees only the scope, under
        # the class's own name (a bidirectional RNN failed to load without it)
        zeros = {_HOST_ZEROS: _host_zeros_class(), "HostZeros": _host_zeros_class()}
        with keras.saving.custom_object_scope(zeros):
            model = keras.saving.deserialize_keras_object(
                config, safe_mode=True, custom_objects=zeros
            )
        # h5py reading straight out of the zip seeks about in a ZipExtFile, which goes
        # back by reading the member again from its start: a fine-tuned encoder (90 MB)
        # loaded in 2.8-3.4 s so, 1.1 s from the extracted file
        with tempfile.TemporaryDirectory(prefix="textclass-load-") as tmp:
            model.load_weights(archive.extract(_WEIGHTS_FILE, tmp))
    return model


_WEIGHTS_FILE = "model.weights.h5"  # the weights' member in a ``.keras`` archive

# Keras's own Zeros is ``jnp.zeros`` on JAX: a compiled program per weight shape, and the
# saved weights assigned next compile a second one per shape (JAX 0.10 stages numpy arrays
# through a compiled identity); numpy zeros share that second program: half the compiles
_HOST_ZEROS = "textclass>HostZeros"
_ZEROS = {"module": None, "class_name": "HostZeros", "config": {}, "registered_name": _HOST_ZEROS}


@functools.cache
def _host_zeros_class():
    keras = import_keras()

    class HostZeros(keras.initializers.Initializer):
        """Zeros made by numpy: for weights that a saved model overwrites at once."""

        def __call__(self, shape, dtype=None):
            dtype = keras.backend.standardize_dtype(dtype or keras.backend.floatx())
            return np.zeros(shape, dtype=dtype)

    return HostZeros


def _zero_initializers(node) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("_initializer") and isinstance(value, dict):
                node[key] = dict(_ZEROS)
            else:
                _zero_initializers(value)
    elif isinstance(node, list):
        for value in node:
            _zero_initializers(value)
