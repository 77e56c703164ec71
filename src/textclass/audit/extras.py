"""The audit's optional dependencies, imported where they are used."""

from __future__ import annotations

import importlib

from textclass.errors import TextclassError


def require(module: str):
    """``module`` imported, or an error naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise TextclassError(
            f"the audit needs {module.split('.')[0]}: pip install 'textclass[audit]'"
        ) from None
