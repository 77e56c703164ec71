"""Hyperparameter constraints: what a family accepts, checked by ``fit`` before training.

A family lists one constraint per hyperparameter (``constraints = {"units":
POSITIVE_INTS, ...}``); :meth:`ModelFamily.validate` checks them and raises the
Keras-style message that names the field and echoes the value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textclass.checks import is_int
from textclass.errors import invalid


@dataclass(frozen=True)
class Constraint:
    expected: str  # "a positive integer", words that complete "expected ..."
    accepts: Callable[[object], bool]

    def check(self, name: str, value) -> None:
        if not self.accepts(value):
            raise invalid(name, self.expected, value)


def _positive_ints(value) -> bool:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    return bool(values) and all(is_int(v) and v > 0 for v in values)


def one_of(*choices) -> Constraint:
    return Constraint(" or ".join(map(repr, choices)), lambda v: v in choices)


POSITIVE_INT = Constraint("a positive integer", lambda v: is_int(v) and v > 0)
POSITIVE_INTS = Constraint("a positive integer (or a list of them)", _positive_ints)
POSITIVE_NUMBER = Constraint(
    "a positive number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0
)
FRACTION = Constraint(
    "a number in [0, 1)",
    lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < 1,
)
BOOLEAN = Constraint("True or False", lambda v: isinstance(v, bool))
NAME = Constraint("a name (string)", lambda v: isinstance(v, str) and bool(v))
OPTIONAL_SOURCE = Constraint(
    "a vector set name or a file path", lambda v: v is None or isinstance(v, str)
)
