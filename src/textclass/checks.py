"""Checks of plain values that every layer shares; nothing of textclass is imported here."""

from __future__ import annotations

import numbers


def is_int(value) -> bool:
    """True for an integer, numpy's included (scikit-learn's searches pass ``np.int64``);
    False for ``True`` and ``False`` (numpy's bools are not integers to begin with)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def python_ints(value):
    """``value`` with numpy integers, alone or in a list or tuple, as Python ints (what
    Keras layers take); anything else as it is."""
    if isinstance(value, (list, tuple)):
        return type(value)(python_ints(v) for v in value)
    return int(value) if is_int(value) and not isinstance(value, int) else value


def is_blank(text) -> bool:
    """What every reader and predictor treats as no text: missing (None), empty or only
    whitespace. A model has nothing to go on, and any label it gave would look confident."""
    return text is None or not text.strip()
