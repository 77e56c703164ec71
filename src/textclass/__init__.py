"""textclass: text classification with Keras 3, as a library, a CLI and a service.

The public names below are imported on first use (PEP 562), so that a command
that only predicts does not pay for the readers, pandas or scikit-learn's model
selection at start-up.
"""

import importlib as _importlib
import os as _os

_os.environ.setdefault("KERAS_BACKEND", "jax")  # our default; KERAS_BACKEND overrides it

from textclass import compilation_cache as _compilation_cache  # noqa: E402

_compilation_cache.configure_environment()  # before JAX is imported: see the module

try:  # one version, pyproject.toml's, as installed
    from importlib.metadata import PackageNotFoundError as _NotFound
    from importlib.metadata import version as _version

    __version__ = _version("textclass")
except _NotFound:  # a source tree on sys.path without an install
    __version__ = "0+unknown"

_EXPORTS = {
    "ArtifactError": "textclass.errors",
    "ConfigError": "textclass.errors",
    "DataError": "textclass.errors",
    "TextclassError": "textclass.errors",
    "Dataset": "textclass.data",
    "load_dataset": "textclass.data",
    "read_dataset": "textclass.data",
    "split_dataset": "textclass.data",
    "TextClassifier": "textclass.estimator",
    "Tokenizer": "textclass.preprocessing",
    "pad_sequences": "textclass.preprocessing",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'textclass' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
