"""Save and load a trained classifier as one directory, without pickle.

Layout of an artifact directory::

    config.json      format version, estimator parameters, model family, library versions
    tokenizer.json   tokenizer settings and the learned word list
    labels.json      the classes, in the order of ``predict_proba``'s columns
    model.keras      Keras families: the network in Keras' own format
    linear.npz       linear families: coefficients (numpy arrays, no objects)
    metrics.json     optional: evaluation results written by ``train``
    history.json     training history per epoch (Keras families)
"""

from __future__ import annotations

import json
import platform
import zipfile
from importlib import metadata
from pathlib import Path

import numpy as np

from textclass.errors import ArtifactError

FORMAT = "textclass-model"
FORMAT_VERSION = 1


def library_versions() -> dict:
    versions = {"python": platform.python_version()}
    for dist in ("textclass", "keras", "numpy", "scikit-learn", "jax", "tensorflow", "torch"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    try:
        import keras

        versions["keras_backend"] = keras.backend.backend()
    except ImportError:
        pass
    return versions


def write_json(path: Path, data) -> None:
    """UTF-8, indented JSON; numpy scalars and arrays become plain values."""
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=_jsonable) + "\n", encoding="utf-8"
    )


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in JSON")


def save_classifier(clf, path, *, metrics: dict | None = None, extra: dict | None = None) -> Path:
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    params = clf.get_params(deep=False)
    family = clf.family_
    params["model"] = family.name
    config = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "estimator": params,
        "model": {"name": family.name, "params": family.get_params()},
        "maxlen": clf.maxlen_,
        "vocab_size": clf.tokenizer_.vocab_size,
        "parameters": clf.count_params(),
        "trainable_parameters": clf.count_params(trainable_only=True),
        "pretrained": getattr(clf, "coverage_", None),
        "versions": library_versions(),
        **(extra or {}),
    }
    write_json(path / "config.json", config)
    write_json(path / "tokenizer.json", clf.tokenizer_.to_dict())
    classes = clf.classes_
    write_json(path / "labels.json", {"classes": classes.tolist(), "dtype": classes.dtype.kind})
    if clf.idf_ is not None:
        np.savez(path / "idf.npz", idf=clf.idf_)
    if family.kind == "linear":
        np.savez(
            path / "linear.npz",
            coef=clf.model_.coef_,
            intercept=clf.model_.intercept_,
            classes=np.arange(len(classes)),
        )
    else:
        clf.model_.save(path / "model.keras")
    write_json(path / "history.json", clf.history_)
    if metrics is not None:
        write_json(path / "metrics.json", metrics)
    return path


def read_json(path: Path):
    """JSON from ``path``; a missing or damaged file raises ArtifactError naming it."""
    if not path.exists():
        raise ArtifactError(f"{path}: missing; is {path.parent} a textclass model directory?")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ArtifactError(f"{path}: corrupt or truncated JSON ({exc})") from None


def read_metrics(path) -> dict | None:
    file = Path(path) / "metrics.json"
    return read_json(file) if file.exists() else None


def load_classifier(path):
    from textclass.estimator import TextClassifier
    from textclass.models.registry import resolve
    from textclass.preprocessing import LabelEncoder, Tokenizer

    path = Path(path)
    if not path.is_dir():
        raise ArtifactError(f"{path}: no such model directory")
    config = read_json(path / "config.json")
    if config.get("format") != FORMAT:
        raise ArtifactError(
            f"{path / 'config.json'}: not a textclass model (format={config.get('format')!r})"
        )
    if config.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(
            f"{path / 'config.json'}: format version {config.get('format_version')} is not "
            f"supported by this textclass (reads version {FORMAT_VERSION})"
        )
    try:
        family = resolve(config["model"]["name"], config["model"]["params"])
        params = {**config["estimator"], "model": family}
        clf = TextClassifier(**params)
        tokenizer = Tokenizer.from_dict(read_json(path / "tokenizer.json"))
        labels = read_json(path / "labels.json")
        classes = np.asarray(labels["classes"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ArtifactError(f"{path}: incompatible or incomplete model files ({exc})") from None
    clf.family_ = family
    clf.tokenizer_ = tokenizer
    clf.maxlen_ = config["maxlen"]
    clf.coverage_ = config.get("pretrained")
    clf.label_encoder_ = LabelEncoder(classes)
    clf.classes_ = clf.label_encoder_.classes_
    clf.idf_ = _load_npz(path / "idf.npz")["idf"] if (path / "idf.npz").exists() else None
    history = path / "history.json"
    clf.history_ = read_json(history) if history.exists() else {}
    if family.kind == "linear":
        arrays = _load_npz(path / "linear.npz")
        model = family.build()
        model.coef_, model.intercept_ = arrays["coef"], arrays["intercept"]
        model.classes_ = arrays["classes"]
        clf.model_ = model
    else:
        clf.model_ = _load_keras(path / "model.keras")
    return clf


def _load_npz(path: Path) -> dict:
    if not path.exists():
        raise ArtifactError(f"{path}: missing")
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ArtifactError(f"{path}: corrupt or truncated ({exc})") from None


def _load_keras(path: Path):
    import keras

    if not path.exists():
        raise ArtifactError(f"{path}: missing")
    try:
        return keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as exc:  # Keras raises many types for damaged archives
        raise ArtifactError(
            f"{path}: cannot load the Keras model ({type(exc).__name__}: {exc})"
        ) from None
