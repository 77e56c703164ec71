"""Errors textclass raises on purpose: each one names the problem in one line.

The CLI turns them into a message and an exit status (see :mod:`textclass.cli`);
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class TextclassError(Exception):
    """Base class: a problem with what the user gave us, not a bug."""


class DataError(TextclassError, ValueError):
    """Input data is missing, malformed, or unusable (file, column, row, value)."""


class ConfigError(TextclassError, ValueError):
    """An option or hyperparameter has an invalid value."""


class ArtifactError(TextclassError):
    """A saved model directory is missing, corrupt, truncated, or incompatible."""


class TimeLimitError(TextclassError):
    """Work given a deadline (an explanation for a served request) ran out of time."""


class DownloadError(TextclassError):
    """A dataset could not be obtained or failed its checksum."""


def invalid(name: str, expected: str, value: object, choices: Iterable[object] = ()) -> ConfigError:
    """Keras-style message: names the field, what was expected, and echoes the value.

    ``choices``: the valid names, to suggest the closest one to a misspelled ``value``.
    """
    hint = did_you_mean(value, choices) if choices else ""
    return ConfigError(
        f"Received an invalid value for `{name}`, expected {expected}. "
        f"Received: {name}={value!r}{hint}"
    )


def did_you_mean(value: object, choices: Iterable[object]) -> str:
    """``" (did you mean 'x'?)"`` for the choice closest to ``value``, else ``""``.

    Close spellings (difflib), other letter case, or the one choice that starts
    with ``value`` (``bbc`` -> ``bbc-news``).
    """
    names = [str(c) for c in choices]
    typed = str(value)
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches(typed.lower(), list(lowered), n=1, cutoff=0.6)
    if not close:
        close = [n for n in lowered if len(typed) >= 2 and n.startswith(typed.lower())]
    if len(close) != 1 or lowered[close[0]] == typed:
        return ""
    return f" (did you mean {lowered[close[0]]!r}?)"
