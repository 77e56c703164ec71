"""The model registry: families register themselves in their own files.

``register`` is a class decorator; the first lookup imports every module of
:mod:`textclass.models` (a family package's ``__init__`` imports its family), so a
family defined in a new file or folder there is found with no list to edit.

A family names its parts (``preprocessor_cls``, ``runtime_cls``); the same discovery
finds the runtime and preprocessor a saved run names (:mod:`textclass.artifact`), so a
family with a runtime of its own needs no other registration.
"""

from __future__ import annotations

from textclass.errors import ConfigError, did_you_mean
from textclass.models.base import ModelFamily

_FAMILIES: dict[str, type[ModelFamily]] = {}


def register(family: type[ModelFamily]) -> type[ModelFamily]:
    """Class decorator: make ``family`` known by its ``name``."""
    if not family.name:
        raise TypeError(f"{family.__name__} has no `name`")
    known = _FAMILIES.get(family.name)
    if known is not None and known.__qualname__ != family.__qualname__:
        raise TypeError(f"model name {family.name!r} is taken by {known.__name__}")
    _FAMILIES[family.name] = family
    return family


def _discover() -> None:
    from textclass.discovery import import_submodules

    import_submodules("textclass.models")  # each family module registers itself


def families() -> dict[str, type[ModelFamily]]:
    _discover()
    return dict(_FAMILIES)


def model_names() -> list[str]:
    return list(families())


def family_class(name: str) -> type[ModelFamily]:
    known = families()
    if name not in known:
        raise ConfigError(
            f"Received an invalid value for `model`, expected one of "
            f"{', '.join(known)}. Received: model={name!r}{did_you_mean(name, known)}"
        )
    return known[name]


def resolve(model, params: dict | None = None) -> ModelFamily:
    """A family instance from a name (with optional hyperparameters) or an instance."""
    if isinstance(model, ModelFamily):
        _check_names(type(model), params or {})
        return model.set_params(**params) if params else model
    if isinstance(model, str):
        cls = family_class(model)
        _check_names(cls, params or {})
        return cls(**(params or {}))
    raise ConfigError(f"`model` must be a model name or a ModelFamily, got {type(model).__name__}")


def _check_names(cls: type[ModelFamily], params: dict) -> None:
    known = cls().get_params()
    unknown = sorted(set(params) - set(known))
    if unknown:
        hints = "".join(did_you_mean(name, known) for name in unknown)
        raise ConfigError(
            f"model {cls.name!r} has no hyperparameter {', '.join(unknown)}{hints}; "
            f"it has: {', '.join(known)}"
        )


def describe() -> list[dict]:
    """Every family with its parts, training defaults, hyperparameters and their meaning."""
    rows = []
    for name, cls in families().items():
        defaults = cls().get_params()
        rows.append(
            {
                "name": name,
                "description": cls.description,
                "preprocessor": cls.preprocessor_cls.name,
                "runtime": cls.runtime_cls.name,
                "training": dict(cls.training_defaults),
                "training_variants": {k: dict(v) for k, v in cls.training_variants.items()},
                "hyperparameters": {
                    k: {"default": v, "help": cls.docs.get(k, "")} for k, v in defaults.items()
                },
                "choices": cls.choices(),
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
    inputs = family.sketch_inputs(vocab_size=vocab_size, maxlen=maxlen)
    return family.runtime_cls.sketch(family, inputs, n_classes)
