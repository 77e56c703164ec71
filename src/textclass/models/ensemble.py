"""``ensemble``: the weighted mean of other families' probabilities, each fitted on all the texts.

``members`` lists the models as ``{"model": name, "params": {...}, "settings": {...}}``
(``params``: the family's hyperparameters; ``settings``: ``TextClassifier`` settings such as
``maxlen`` or ``epochs``, over the ensemble's own); ``weights`` their shares (None: equal).
``--model auto`` builds one by greedy ensemble selection on its candidates' out-of-fold
probabilities (Caruana et al. 2004) when it beats the best single candidate; one can also
be asked for by hand::

    TextClassifier(model="ensemble").set_params(model__members=[
        {"model": "ngram"}, {"model": "encoder", "params": {"weights": "all-mpnet-base-v2"}}])

Each member keeps its own preprocessing (the ensemble's preprocessor passes the texts
through), is seeded by the ensemble's ``random_state`` and saved in ``members/<i>/`` of
the run directory as the family's own files; labels, class weights, thresholds and
validation data are the ensemble's, so members predict the same columns.
"""

from __future__ import annotations

import dataclasses
import numbers
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from textclass.errors import ConfigError
from textclass.models.base import ModelFamily
from textclass.models.constraints import Constraint
from textclass.models.registry import register, resolve
from textclass.persistence.files import load_npz, read_json, write_json
from textclass.preprocessing.base import Preprocessor
from textclass.runtimes.base import Runtime, TrainingSettings, normalized

DEFAULT_MEMBERS = ({"model": "ngram"}, {"model": "logreg"})
_OWN = ("model", "threshold", "class_weight", "random_state")  # the ensemble's, not a member's


class PassTexts(Preprocessor):
    """Texts pass through (each member preprocesses its own); keeps the classifier's
    settings, which every member starts from."""

    name = "texts"

    def __init__(self, settings: dict):
        self.settings = settings

    @classmethod
    def from_settings(cls, settings, **options) -> PassTexts:
        params = settings.get_params(deep=False) if hasattr(settings, "get_params") else {}
        return cls({k: v for k, v in params.items() if k not in _OWN and "__" not in k})

    def fit_transform(self, texts):
        return list(texts)

    def transform(self, texts):
        return list(texts)

    def model_inputs(self) -> dict:
        return {"settings": dict(self.settings)}

    def describe(self) -> dict:
        return {}

    def get_config(self) -> dict:
        return {"settings": self.settings}

    @classmethod
    def from_config(cls, config, arrays) -> PassTexts:
        return cls(config["settings"])


def _members_ok(value) -> bool:
    return value is None or (
        isinstance(value, (list, tuple))
        and len(value) >= 1
        and all(isinstance(m, dict) and isinstance(m.get("model"), str) for m in value)
    )


def _weights_ok(value) -> bool:
    if value is None:
        return True
    if not isinstance(value, (list, tuple)) or not value:
        return False
    numbers_ = [v for v in value if isinstance(v, numbers.Real) and not isinstance(v, bool)]
    return len(numbers_) == len(value) and min(value) >= 0 and sum(value) > 0


class EnsembleRuntime(Runtime):
    """Fits, predicts with and saves the members (see the module)."""

    name = "ensemble"
    files = ("ensemble.json", "members")

    def fit(self, x, codes, *, n_classes, inputs, settings: TrainingSettings, validation=None,
            callbacks=None) -> dict:  # fmt: skip
        specs, base = self.family.member_specs(), inputs["settings"]
        for i, spec in enumerate(specs):  # every member's settings, before any training
            unknown = sorted(set(spec.get("settings") or {}) - set(base))
            if unknown:
                raise ConfigError(
                    f"ensemble member {i + 1} ({spec['model']}): unknown setting "
                    f"{', '.join(unknown)}; settings are the classifier's: {', '.join(sorted(base))}"
                )
        self.model = [_fit_member(spec, x, codes, n_classes, base, settings, validation)
                      for spec in specs]  # fmt: skip
        return {}

    def predict_proba(self, x) -> np.ndarray:
        return normalized(self._mean([runtime.predict_proba(prep.transform(x))
                                      for _, prep, runtime in self.model]))  # fmt: skip

    def predict_label_proba(self, x) -> np.ndarray:
        return self._mean([runtime.predict_label_proba(prep.transform(x))
                           for _, prep, runtime in self.model])  # fmt: skip

    def _mean(self, outputs: list[np.ndarray]) -> np.ndarray:
        weights = self.family.shares()
        return sum(w * np.asarray(p, dtype=np.float64) for w, p in zip(weights, outputs))

    def count_params(self, *, trainable_only: bool = False) -> int:
        return sum(r.count_params(trainable_only=trainable_only) for _, _, r in self.model)

    def summary(self, print_fn=print) -> None:
        for (family, _, runtime), share in zip(self.model, self.family.shares()):
            print_fn(f"member {family.name} (weight {share:.3f}):")
            runtime.summary(print_fn=print_fn)

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        write_json(folder / "ensemble.json", {"members": len(self.model)})
        for i, (family, prep, runtime) in enumerate(self.model):
            place = folder / "members" / str(i)
            place.mkdir(parents=True, exist_ok=True)
            write_json(place / "member.json", {"model": family.name, "preprocessor": prep.name,
                                               "config": prep.get_config()})  # fmt: skip
            arrays = prep.get_arrays()
            if arrays:
                np.savez(place / "preprocessor.npz", **arrays)
            runtime.save(place)

    @classmethod
    def load(cls, folder: Path, family) -> EnsembleRuntime:
        n = read_json(Path(folder) / "ensemble.json")["members"]
        specs = family.member_specs()
        if n != len(specs):
            from textclass.errors import ArtifactError

            raise ArtifactError(f"{folder}: {n} members saved, the config names {len(specs)}")
        out = cls(family)
        out.model = [_load_member(spec, Path(folder) / "members" / str(i))
                     for i, spec in enumerate(specs)]  # fmt: skip
        return out

    @classmethod
    def sketch(cls, family, inputs: dict, n_classes: int):
        raise ConfigError("an ensemble has no summary before it is fitted: summarize its members")


def _fit_member(spec: dict, texts, codes, n_classes, base: dict, settings, validation):
    """``(family, fitted preprocessor, fitted runtime)`` of one member (TextClassifier.fit's
    steps, with the ensemble's labels, class weights and seed)."""
    family = resolve(spec["model"], dict(spec.get("params") or {}))
    options = SimpleNamespace(**{**base, **(spec.get("settings") or {}),
                                 "random_state": settings.random_state})  # fmt: skip
    prep = family.make_preprocessor(options)
    x = prep.fit_transform(texts)
    own = None if validation is None else (prep.transform(validation[0]), validation[1])
    inputs, _ = family.build_inputs(prep)
    member = TrainingSettings.resolve(options, family, n_samples=len(texts),
                                      has_validation_data=own is not None)  # fmt: skip
    member = dataclasses.replace(member, class_weight=settings.class_weight)
    runtime = family.runtime_cls(family)
    runtime.seed(settings.random_state)
    runtime.fit(x, codes, n_classes=n_classes, inputs=inputs, settings=member, validation=own)
    return family, prep, runtime


def _load_member(spec: dict, folder: Path):
    from textclass.errors import ArtifactError

    family = resolve(spec["model"], dict(spec.get("params") or {}))
    saved = read_json(folder / "member.json")
    if saved["preprocessor"] != family.preprocessor_cls.name:
        raise ArtifactError(
            f"{folder}: a {saved['preprocessor']!r} preprocessor, but {family.name} uses "
            f"{family.preprocessor_cls.name!r}"
        )
    arrays = load_npz(folder / "preprocessor.npz") if (folder / "preprocessor.npz").exists() else {}
    prep = family.preprocessor_cls.from_config(saved["config"], arrays)
    return family, prep, family.runtime_cls.load(folder, family)


@register
class Ensemble(ModelFamily):
    name = "ensemble"
    description = (
        "weighted mean of other models' probabilities (what --model auto builds when it wins)"
    )
    preprocessor_cls = PassTexts
    runtime_cls = EnsembleRuntime
    training_defaults = {}  # not trained in epochs: each member has its own
    tiny_settings = {}
    docs = {
        "members": 'the models: [{"model": NAME, "params": {...}, "settings": {...}}, ...] (None: ngram and logreg)',
        "weights": "each member's share of the mean (None: equal)",
    }
    constraints = {
        "members": Constraint('None or a list of {"model": NAME, ...} dicts', _members_ok),
        "weights": Constraint("None or a list of non-negative numbers, not all 0", _weights_ok),
    }

    def __init__(self, *, members=None, weights=None):
        self.members = members
        self.weights = weights

    def member_specs(self) -> list[dict]:
        return [dict(m) for m in (self.members or DEFAULT_MEMBERS)]

    def shares(self) -> np.ndarray:
        specs = self.member_specs()
        raw = np.ones(len(specs)) if self.weights is None else np.asarray(self.weights, float)
        return raw / raw.sum()

    def validate(self) -> None:
        super().validate()
        specs = self.member_specs()
        if self.weights is not None and len(self.weights) != len(specs):
            raise ConfigError(
                f"Received an invalid value for `weights`: {len(self.weights)} weights for "
                f"{len(specs)} members. Received: weights={self.weights!r}"
            )
        for i, spec in enumerate(specs):
            unknown = set(spec) - {"model", "params", "settings"}
            if unknown or spec["model"] == self.name:
                raise ConfigError(
                    f"Received an invalid value for `members` (member {i + 1}): "
                    f'{{"model": NAME, "params": {{...}}, "settings": {{...}}}} with a model '
                    f"other than ensemble. Received: {spec!r}"
                )
            resolve(spec["model"], dict(spec.get("params") or {})).validate()

    def build(self, **_):
        raise ConfigError("an ensemble is built from its members' fits, not as one model")
