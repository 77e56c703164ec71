"""The model registry: one name per family, one class per file."""

from __future__ import annotations

import numpy as np

from textclass.errors import ConfigError
from textclass.models.base import ModelFamily
from textclass.models.cnn import CNN
from textclass.models.dense import Dense
from textclass.models.embedding import Embedding
from textclass.models.logreg import LogReg
from textclass.models.multihot import MultiHot
from textclass.models.rnn import RNN

_FAMILIES: dict[str, type[ModelFamily]] = {}


def register(family: type[ModelFamily]) -> type[ModelFamily]:
    _FAMILIES[family.name] = family
    return family


for _family in (LogReg, Dense, MultiHot, Embedding, CNN, RNN):
    register(_family)


def model_names() -> list[str]:
    return list(_FAMILIES)


def family_class(name: str) -> type[ModelFamily]:
    if name not in _FAMILIES:
        raise ConfigError(
            f"Received an invalid value for `model`, expected one of "
            f"{', '.join(_FAMILIES)}. Received: model={name!r}"
        )
    return _FAMILIES[name]


def resolve(model, params: dict | None = None) -> ModelFamily:
    """A family instance from a name (with optional hyperparameters) or an instance."""
    if isinstance(model, ModelFamily):
        return model.set_params(**params) if params else model
    if isinstance(model, str):
        cls = family_class(model)
        try:
            return cls(**(params or {}))
        except TypeError:
            known = ", ".join(cls().get_params())
            unknown = ", ".join(sorted(set(params) - set(cls().get_params())))
            raise ConfigError(
                f"model {model!r} has no hyperparameter {unknown}; it has: {known}"
            ) from None
    raise ConfigError(f"`model` must be a model name or a ModelFamily, got {type(model).__name__}")


def describe() -> list[dict]:
    """Every family with its hyperparameters, defaults and their meaning."""
    rows = []
    for name, cls in _FAMILIES.items():
        defaults = cls().get_params()
        rows.append(
            {
                "name": name,
                "description": cls.description,
                "inputs": cls.inputs,
                "hyperparameters": {
                    k: {"default": v, "help": cls.docs.get(k, "")} for k, v in defaults.items()
                },
            }
        )
    return rows


def build_summary(
    model, params: dict | None = None, *, vocab_size: int, maxlen: int = 100, n_classes: int = 2
) -> tuple[str, int, int]:
    """(layer table, total parameters, trainable parameters) of an untrained model.

    Sizes are given instead of learned: ``vocab_size`` rows (the tokenizer's
    ``vocab_size``, e.g. 1,747 on the tutorial's yelp split), ``maxlen`` words.
    """
    family = resolve(model, params)
    family.validate()
    n_features = max(vocab_size - 1, 1)
    if family.kind == "linear":
        n_out = 1 if n_classes == 2 else n_classes
        total = n_features * n_out + n_out
        return f"{family.name}: {n_features} features -> {n_out} output(s)", total, total
    context = {"vocab_size": vocab_size, "maxlen": maxlen, "n_features": n_features}
    if family.pretrained_source:
        from textclass.pretrained import vector_dimension

        dim = vector_dimension(family.pretrained_source)
        context["pretrained"] = np.zeros((vocab_size, dim), dtype="float32")
    net = family.build(n_classes=n_classes, **context)
    lines: list[str] = []
    net.summary(print_fn=lambda line, *_, **__: lines.append(line))
    from textclass.training import count_weights

    return "\n".join(lines), count_weights(net), count_weights(net, trainable_only=True)
