"""One search trial: the settings every trial shares, and a candidate's cross-validated
score (a fresh fit per fold). Trials run here, in worker processes (``--jobs``) and as
Dask tasks (:mod:`.workers`) alike."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from textclass.checks import is_int
from textclass.errors import invalid
from textclass.experiments.space import candidates, needs_parse, parse_space, trial_key


# ----------------------------------------------------------------- settings
@dataclass
class SearchSettings:
    model: str
    space: dict  # as described (JSON-ready)
    cv: int = 5
    grid: bool = False
    n_iter: int = 10
    seed: int | None = 0
    scoring: str = "accuracy"
    estimator_params: dict = field(default_factory=dict)

    def fingerprint(self) -> dict:
        return asdict(self)

    def check(self) -> SearchSettings:
        """ConfigError for impossible settings, before any data is read or trial runs."""
        from textclass.evaluation.scoring import scorer_names as get_scorer_names
        from textclass.models.registry import family_class

        family_class(self.model)
        if not self.grid and not (is_int(self.n_iter) and self.n_iter >= 1):
            raise invalid("n_iter", "a positive integer (random candidates)", self.n_iter)
        if not (is_int(self.cv) and self.cv >= 2):
            raise invalid("cv", "an integer >= 2 (folds)", self.cv)
        if self.scoring not in get_scorer_names():
            raise invalid(
                "scoring",
                "a scikit-learn scorer name (accuracy, f1_macro, balanced_accuracy, ...)",
                self.scoring,
                get_scorer_names(),
            )
        space = parse_space(self.space) if needs_parse(self.space) else self.space
        for params in candidates(space, grid=self.grid, n_iter=self.n_iter, seed=self.seed):
            make_estimator(self, params).check_params()  # unknown names, impossible values
        return self


def make_estimator(settings: SearchSettings, params: dict):
    """A TextClassifier with the trial's params (classifier-level names or model__ names)."""
    from textclass.estimator import TextClassifier

    clf = TextClassifier(model=settings.model, random_state=settings.seed)
    clf.set_params(**settings.estimator_params)
    own = set(clf.get_params(deep=False))
    clf.set_params(**{(k if k in own else f"model__{k}"): v for k, v in params.items()})
    return clf


# --------------------------------------------------------------- one trial
def run_trial(settings: SearchSettings, params: dict, texts: list[str], labels) -> dict:
    """Mean and spread of the CV score of one candidate (a fresh fit per fold)."""
    from textclass.evaluation.crossval import cross_validate
    from textclass.evaluation.scoring import get_scorer

    result = cross_validate(
        make_estimator(settings, params),
        texts,
        labels,
        cv=settings.cv,
        seed=settings.seed,
        scorer=get_scorer(settings.scoring),
    )
    scores = [fold["score"] for fold in result["folds"]]
    return {
        "key": trial_key(params),
        "params": params,
        "mean_score": float(np.mean(scores)),
        "std_score": float(np.std(scores)),
        "fold_scores": scores,
        "fit_seconds": float(sum(fold["train_seconds"] for fold in result["folds"])),
    }
