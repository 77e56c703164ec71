"""Errors textclass raises on purpose: each one names the problem in one line.

The CLI turns them into a message and an exit status (see :mod:`textclass.cli`);
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class TextclassError(Exception):
    """Base class: a problem with what the user gave us, not a bug."""


class DataError(TextclassError, ValueError):
    """Input data is missing, malformed, or unusable (file, column, row, value)."""


class ConfigError(TextclassError, ValueError):
    """An option or hyperparameter has an invalid value."""


class ArtifactError(TextclassError):
    """A saved model directory is missing, corrupt, truncated, or incompatible."""


class DownloadError(TextclassError):
    """A dataset could not be obtained or failed its checksum."""


def invalid(name: str, expected: str, value: object) -> ConfigError:
    """Keras-style message: names the field, what was expected, and echoes the value."""
    return ConfigError(
        f"Received an invalid value for `{name}`, expected {expected}. Received: {name}={value!r}"
    )
