"""Train every registered family, or reload saved ones, in a process of its own.

Used by tests/test_roundtrip.py to prove that an artifact loaded in a *new*
process (on the Keras backend chosen by ``KERAS_BACKEND``) predicts exactly what
the original predicted.

    python tests/roundtrip_worker.py train OUT_DIR [--data tiny|real]
    python tests/roundtrip_worker.py predict OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

TINY = {
    "binary": (
        ["great food", "lovely staff", "great value", "good and great"] * 2
        + ["awful food", "rude staff", "awful value", "bad and awful"] * 2,
        ["pos"] * 8 + ["neg"] * 8,
    ),
    "multiclass": (
        ["goal match team", "vote party minister", "stock market profit"] * 4,
        ["sport", "politics", "business"] * 4,
    ),
}
PROBE = ["great food and a lovely team", "rude minister", "zzz qqq", "market profit up"]


def tasks(kind: str) -> dict[str, tuple[list, list]]:
    if kind == "tiny":
        return TINY
    if kind == "tiny-binary":
        return {"binary": TINY["binary"]}
    from textclass import load_dataset, split_dataset

    out = {}
    for task, name in (("binary", "uci-sentiment:yelp"), ("multiclass", "bbc-news")):
        train, _ = split_dataset(load_dataset(name), test_size=0.25, seed=1000)
        out[task] = (train.texts, train.labels)
    return out


def classifier(model: str, kind: str):
    """The family's tiny configuration; on real data its own sizes, 2 epochs if it has epochs."""
    from textclass import TextClassifier
    from textclass.models import family_class, resolve

    cls = family_class(model)
    settings = {**cls.tiny_settings, "random_state": 0}
    if cls.tiny_settings:
        settings["epochs"] = 2
    if kind == "real":
        settings = {k: v for k, v in settings.items() if k in ("epochs", "random_state")}
        return TextClassifier(model=model, **settings)
    return TextClassifier(model=resolve(model, dict(cls.tiny_params)), **settings)


def train(out: Path, kind: str) -> None:
    import keras

    from textclass.models import model_names

    done = []
    for task, (texts, labels) in tasks(kind).items():
        for model in model_names():
            clf = classifier(model, kind).fit(texts, labels)
            run = out / f"{task}-{model}"
            clf.save(run)
            np.save(run / "expected_proba.npy", clf.predict_proba(PROBE))
            done.append(run.name)
    (out / "runs.json").write_text(json.dumps({"backend": keras.backend.backend(), "runs": done}))


def predict(out: Path) -> None:
    """Each run through the light loader first (as ``textclass predict`` does; it must
    not import scikit-learn), then through ``TextClassifier.load``."""
    from textclass.discovery import find_named
    from textclass.inference import Predictor
    from textclass.runtimes import keras_loading
    from textclass.runtimes.base import Runtime

    keras_loading.LEAN_IMPORT = True
    runs = json.loads((out / "runs.json").read_text())["runs"]

    def light(name: str) -> bool:  # does the run's runtime predict without the classifier?
        # (a generic runtime, found without importing the families, with a scorer)
        config = json.loads((out / name / "config.json").read_text())
        runtime = find_named(Runtime, config["runtime"]["name"], ("textclass.runtimes",))
        return runtime is not None and runtime.has_scorer

    light_runs = [name for name in runs if light(name)]
    for name in light_runs + [name for name in runs if name not in light_runs]:
        np.save(out / name / "light_proba.npy", Predictor.load(out / name).predict_proba(PROBE))
        if name == light_runs[-1]:
            imports = {"sklearn": "sklearn" in sys.modules, "light_runs": len(light_runs)}
            (out / "light_imports.json").write_text(json.dumps(imports))

    from textclass import TextClassifier

    for name in runs:
        clf = TextClassifier.load(out / name)
        np.save(out / name / "loaded_proba.npy", clf.predict_proba(PROBE))


if __name__ == "__main__":
    command, out = sys.argv[1], Path(sys.argv[2])
    if command == "train":
        train(out, sys.argv[4] if len(sys.argv) > 4 else "tiny")
    else:
        predict(out)
