"""The jobs behind the CLI and other callers: one module each, no printing.

Each job takes a typed request (:mod:`.requests`) and checks everything it can
before any model trains: the settings, then the data (columns, labels of a test
file against the training labels). What it decides or finds suspicious it passes
on, one line each, as ``note: ...`` or ``warning: ...`` to a ``report`` callback as
it happens (and keeps in the result).

- :mod:`.train`: ``train(TrainRequest)`` = ``fit_and_score`` + ``write_run``;
- :mod:`.evaluate`: ``evaluate_run`` / ``cross_validate_run(EvaluateRequest)``;
- :mod:`.predict`: ``read_texts`` / ``predict(PredictRequest)`` (the light loader);
- :mod:`.score`: ``score(ScoreRequest)``, files in chunks, here or on Dask;
- :mod:`.compare`: ``compare(CompareRequest)``, a leaderboard of families;
- :mod:`.search`: ``search(SearchRequest)``, CV search and the refitted best run.

This package imports no job until it is used: ``textclass predict`` stays light.
"""

from textclass.jobs.requests import (
    ClassifierSettings,
    CompareRequest,
    DataOptions,
    EvaluateRequest,
    PredictRequest,
    ScoreRequest,
    SearchRequest,
    TrainRequest,
)

__all__ = [
    "ClassifierSettings",
    "CompareRequest",
    "DataOptions",
    "EvaluateRequest",
    "PredictRequest",
    "ScoreRequest",
    "SearchRequest",
    "TrainRequest",
]
