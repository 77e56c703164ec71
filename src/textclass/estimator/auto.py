"""``TextClassifier(model="auto", time_limit=...)``: the family chosen in ``fit``.

The choice itself (candidates, their cost, cross-validation, the ensemble) belongs to
the experiments layer (:mod:`textclass.experiments.auto`), which sits above the
estimator: it fits classifiers. So the estimator does not import it statically;
:func:`chooser` imports it by name on the first ``fit`` with ``model="auto"``.

``fit`` then fits the winner (a family with its hyperparameters and settings, or an
``ensemble`` of several) on all the texts, exactly as ``TextClassifier(model=winner)``
would, and keeps ``auto_``: the leaderboard the choice was made on.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textclass.errors import invalid

AUTO = "auto"  # the model name that chooses a family
EXPERIMENTS_AUTO = "textclass.experiments.auto"  # where ``choose`` lives


def chooser() -> Callable:
    """:func:`textclass.experiments.auto.choose`, imported by name when first needed: that
    layer sits above the estimator (it fits classifiers), so a static import here would
    point up the layers, which the import-linter contract forbids."""
    import importlib

    return importlib.import_module(EXPERIMENTS_AUTO).choose


def check_time_limit(value) -> None:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not (number and value > 0):
        raise invalid("time_limit", "a positive number of seconds (model='auto')", value)


def fit_auto(clf, texts: list[str], y, *, validation_data=None, callbacks=None):
    """Choose the family for ``clf`` (whose ``model`` is "auto") on ``texts`` and ``y``
    within ``clf.time_limit`` seconds, fit the winner, and copy its fitted state into
    ``clf`` (with ``auto_``, the leaderboard); returns ``clf``."""
    from sklearn.base import clone

    started = time.monotonic()
    own = clf.get_params(deep=False)
    settings = {k: v for k, v in own.items() if k not in ("model", "time_limit", "random_state")}
    chosen = chooser()(
        texts, y, time_limit_s=clf.time_limit, seed=clf.random_state, settings=settings
    )
    best = chosen.best
    winner = clone(clf).set_params(model=best.model, **best.settings)
    winner.set_params(**{f"model__{k}": v for k, v in best.params.items()})
    winner.fit(texts, y, validation_data=validation_data, callbacks=callbacks)
    for name, value in vars(winner).items():
        if name.endswith("_") and not name.startswith("_"):
            setattr(clf, name, value)
    seconds = time.monotonic() - started
    line = f"auto: {best.name} chosen by {chosen.cv}-fold CV ({chosen.scoring}), {seconds:.0f} s"
    clf.notes_ = {**clf.notes_, "auto": [line]}
    clf.auto_ = {
        "chosen": best.name, "scoring": chosen.scoring, "cv": chosen.cv,
        "seconds": round(seconds, 1), "candidates": chosen.leaderboard,
    }  # fmt: skip
    return clf
