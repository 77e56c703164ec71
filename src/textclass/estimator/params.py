"""The family's hyperparameters as the classifier's own: ``model__<name>``.

scikit-learn's ``get_params`` / ``set_params`` / ``clone`` and its searches reach a
family's hyperparameters through the classifier (scikeras' routed parameters):
``set_params(model__filters=64)`` sets ``filters`` on a copy of the family, so a
family instance the user passed is never changed behind their back.
"""

from __future__ import annotations

from sklearn.base import clone

from textclass.models.base import ModelFamily
from textclass.models.registry import resolve


class FamilyParams:
    """Mixin before ``BaseEstimator``: ``model`` names or holds the family."""

    def get_params(self, deep=True):
        params = super().get_params(deep=False)
        if deep:
            family = resolve(self.model)
            params.update({f"model__{k}": v for k, v in family.get_params().items()})
        return params

    def set_params(self, **params):
        routed = {
            k[len("model__") :]: params.pop(k) for k in list(params) if k.startswith("model__")
        }
        if "model" in params:
            self.model = params.pop("model")
        if routed:
            family = resolve(self.model)
            family = clone(family) if family is self.model else family
            self.model = resolve(family, routed)
        return super().set_params(**params) if params else self

    def _family(self) -> ModelFamily:
        family = resolve(self.model)
        return clone(family) if isinstance(self.model, ModelFamily) else family
