"""textclass: text classification with Keras 3, as a library, a CLI and a service."""

import os as _os

_os.environ.setdefault("KERAS_BACKEND", "jax")  # our default; KERAS_BACKEND overrides it

from textclass.data import Dataset, load_dataset, read_dataset, split_dataset  # noqa: E402
from textclass.errors import ArtifactError, ConfigError, DataError, TextclassError  # noqa: E402
from textclass.estimator import TextClassifier  # noqa: E402
from textclass.preprocessing import Tokenizer, pad_sequences  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "ArtifactError",
    "ConfigError",
    "DataError",
    "Dataset",
    "TextClassifier",
    "TextclassError",
    "Tokenizer",
    "load_dataset",
    "pad_sequences",
    "read_dataset",
    "split_dataset",
]
