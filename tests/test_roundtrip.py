"""Save -> load in a new process -> identical predict_proba, for every family and backend
(through ``TextClassifier.load`` and through the light loader ``textclass predict`` uses)."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from textclass.models import model_names

WORKER = Path(__file__).with_name("roundtrip_worker.py")


def run_worker(*args: str, backend: str) -> None:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, str(WORKER), *args], env=env, capture_output=True, text=True, timeout=1800
    )
    assert done.returncode == 0, done.stderr[-3000:]


def check_roundtrip(out: Path, backend: str, data: str = "tiny") -> None:
    run_worker("train", str(out), "--data", data, backend=backend)
    run_worker("predict", str(out), backend=backend)
    runs = json.loads((out / "runs.json").read_text())
    assert runs["backend"] == backend
    kinds = ("binary",) if data == "tiny-binary" else ("binary", "multiclass")
    expected_runs = {f"{task}-{m}" for task in kinds for m in model_names()}
    assert set(runs["runs"]) == expected_runs
    for name in runs["runs"]:
        expected = np.load(out / name / "expected_proba.npy")
        loaded = np.load(out / name / "loaded_proba.npy")
        binary = name.startswith("binary")
        assert expected.shape[0] == 4 and (
            expected.shape[1] == 2 if binary else expected.shape[1] >= 3
        )
        assert np.array_equal(loaded, expected), name
        # the light loader of `textclass predict`: the same probabilities without
        # scikit-learn (a linear model's in float64 numpy, where scikit-learn computes
        # in the float32 its solver kept: equal to 1e-6)
        light = np.load(out / name / "light_proba.npy")
        assert np.allclose(light, expected, rtol=0, atol=1e-6), name
    imports = json.loads((out / "light_imports.json").read_text())
    assert imports["sklearn"] is False and imports["light_runs"] >= len(kinds) * 6  # not encoder


def test_every_family_reloads_identically_in_a_new_process(tmp_path):
    # binary runs here; 3-class runs reload in a new process in the slow variants below
    # (and in process in the contract test)
    check_roundtrip(tmp_path, os.environ.get("KERAS_BACKEND", "jax"), "tiny-binary")


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["jax", "tensorflow", "torch"])
@pytest.mark.parametrize("data", ["tiny", "real"])
def test_every_family_on_every_backend(tmp_path, backend, data, shared_data):
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"Keras backend {backend!r} is not installed (pip install -e '.[{backend}]')")
    check_roundtrip(tmp_path, backend, data)
