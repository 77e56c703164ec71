"""The family's hyperparameters as the classifier's own: ``model__<name>``.

scikit-learn's ``get_params`` / ``set_params`` / ``clone`` and its searches reach a
family's hyperparameters through the classifier (scikeras' routed parameters):
``set_params(model__filters=64)`` sets ``filters`` on a copy of the family, so a
family instance the user passed is never changed behind their back.
"""

from __future__ import annotations

from sklearn.base import clone

from textclass.errors import ConfigError
from textclass.estimator.auto import AUTO
from textclass.models.base import ModelFamily
from textclass.models.registry import resolve


class FamilyParams:
    """Mixin before ``BaseEstimator``: ``model`` names or holds the family."""

    def get_params(self, deep=True):
        params = super().get_params(deep=False)
        if deep and self.model != AUTO:  # "auto" has no family, hence no model__ names yet
            family = resolve(self.model)
            params.update({f"model__{k}": v for k, v in family.get_params().items()})
        return params

    def set_params(self, **params):
        routed = {
            k[len("model__") :]: params.pop(k) for k in list(params) if k.startswith("model__")
        }
        if "model" in params:
            self.model = params.pop("model")
        if routed and self.model == AUTO:
            raise ConfigError(
                f"model='auto' chooses the family in fit: it takes no model__ parameters "
                f"(got {', '.join('model__' + k for k in routed)}); name a family to set them"
            )
        if routed:
            family = resolve(self.model)
            family = clone(family) if family is self.model else family
            self.model = resolve(family, routed)
        return super().set_params(**params) if params else self

    def _family(self) -> ModelFamily:
        if self.model == AUTO:
            raise ConfigError("model='auto' has no family before fit: fit chooses it")
        family = resolve(self.model)
        return clone(family) if isinstance(self.model, ModelFamily) else family
