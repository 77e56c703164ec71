"""What every model family is: named hyperparameters plus a way to build the model.

A family is a small scikit-learn style parameter object: ``__init__`` takes
keyword-only hyperparameters and stores them verbatim, so ``get_params``,
``set_params`` and ``clone`` work, and :class:`textclass.TextClassifier` exposes
them as ``model__<name>`` to ``GridSearchCV``.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator

from textclass.errors import invalid


class ModelFamily(BaseEstimator):
    """Base class. Subclasses set the class attributes and implement ``build``.

    ``inputs`` is ``"sequence"`` (padded word indices) or ``"bow"`` (a
    bag-of-words matrix, see ``features``). ``kind`` is ``"keras"`` or
    ``"linear"`` (scikit-learn).
    """

    name: str = ""
    description: str = ""
    kind: str = "keras"
    inputs: str = "sequence"
    analyzer: str = "keras"  # word splitting the family defaults to
    default_optimizer: str = "adam"  # used when the classifier's optimizer is None
    docs: dict[str, str] = {}

    def hyperparameters(self) -> dict:
        return self.get_params(deep=False)

    def validate(self) -> None:
        """Raise ConfigError for an invalid hyperparameter (called by ``fit``)."""
        for key, value in self.hyperparameters().items():
            if key in ("units", "filters", "embedding_dim", "kernel_size", "num_words") and not (
                _positive_ints(value)
            ):
                raise invalid(key, "a positive integer (or a list of them)", value)
            if key in ("dropout", "recurrent_dropout") and not (
                isinstance(value, (int, float)) and 0 <= value < 1
            ):
                raise invalid(key, "a number in [0, 1)", value)
            if key == "trainable" and not isinstance(value, bool):
                raise invalid(key, "True or False", value)
            if key == "vectors" and value is not None and not isinstance(value, str):
                raise invalid(key, "a vector set name or a file path", value)

    @property
    def features(self) -> str:
        return getattr(self, "mode", "count")

    @property
    def vocabulary_limit(self) -> int | None:
        """The family's own ``num_words`` default (the classifier's setting wins)."""
        return None

    @property
    def pretrained_source(self) -> str | None:
        return getattr(self, "vectors", None)

    def build(self, *, vocab_size: int, n_classes: int, maxlen: int, **context):
        raise NotImplementedError


def _positive_ints(value) -> bool:
    values = value if isinstance(value, (list, tuple)) else [value]
    return bool(values) and all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values
    )


def as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]
