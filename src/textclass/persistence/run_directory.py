"""The layout of a run directory, and one reader/writer per part.

::

    config.json        format and version, estimator settings, model family and
                       hyperparameters, preprocessor and runtime names, sizes,
                       parameter counts, notes (e.g. pretrained coverage), versions
    preprocessor.json  the fitted preprocessor's config (tokenizer words, ...)
    preprocessor.npz   its arrays, if any (TF-IDF weights, ...)
    labels.json        the classes, in the order of ``predict_proba``'s columns, and the
                       decision: multi-label or not, thresholds (and how they were tuned)
    model.keras        the runtime's files: a Keras network ...
    linear.npz         ... or a linear model's coefficients
    history.json       training history per epoch ({} when not trained in epochs)
    metrics.json       evaluation on the test data (``train --out``)
    mistakes.json      the most confident test mistakes
    history.png, confusion.png, pr.png (binary: precision-recall with the threshold),
    report.html        figures and the HTML report
"""

from __future__ import annotations

from pathlib import Path

from textclass.errors import ArtifactError
from textclass.persistence.files import read_json, write_json

FORMAT = "textclass-model"
FORMAT_VERSION = 2


class RunDirectory:
    """Paths and typed access to the parts of one run directory."""

    def __init__(self, path) -> None:
        self.path = Path(path)

    config = property(lambda self: self.path / "config.json")
    preprocessor = property(lambda self: self.path / "preprocessor.json")
    preprocessor_arrays = property(lambda self: self.path / "preprocessor.npz")
    labels = property(lambda self: self.path / "labels.json")
    history = property(lambda self: self.path / "history.json")
    metrics = property(lambda self: self.path / "metrics.json")
    mistakes = property(lambda self: self.path / "mistakes.json")
    history_png = property(lambda self: self.path / "history.png")
    confusion_png = property(lambda self: self.path / "confusion.png")
    pr_png = property(lambda self: self.path / "pr.png")
    report_html = property(lambda self: self.path / "report.html")

    def create(self) -> RunDirectory:
        self.path.mkdir(parents=True, exist_ok=True)
        return self

    def check_exists(self) -> None:
        if not self.path.is_dir():
            raise ArtifactError(f"{self.path}: no such model directory")

    # ---------------------------------------------------------------- parts
    def read_config(self) -> dict:
        """config.json as format 2 (a format 1 config is migrated in memory)."""
        from textclass.persistence import format_v1

        config = read_json(self.config)
        if config.get("format") != FORMAT:
            raise ArtifactError(
                f"{self.config}: not a textclass model (format={config.get('format')!r})"
            )
        version = config.get("format_version")
        if version == 1:
            return format_v1.migrate_config(config)
        if version != FORMAT_VERSION:
            raise ArtifactError(
                f"{self.config}: format version {version} is not supported by this "
                f"textclass (reads versions 1 and {FORMAT_VERSION})"
            )
        return config

    def write_config(self, config: dict) -> None:
        write_json(self.config, {"format": FORMAT, "format_version": FORMAT_VERSION, **config})

    def read_labels(self) -> dict:
        return read_json(self.labels)

    def write_labels(self, classes, decision: dict | None = None) -> None:
        labels = {"classes": classes.tolist(), "dtype": classes.dtype.kind}
        write_json(self.labels, {**labels, "decision": decision} if decision else labels)

    def read_history(self) -> dict:
        return self._optional(self.history, {})

    def write_history(self, history: dict) -> None:
        write_json(self.history, history)

    def read_metrics(self) -> dict | None:
        return self._optional(self.metrics, None)

    def write_metrics(self, metrics: dict) -> None:
        write_json(self.metrics, metrics)

    def read_mistakes(self) -> list:
        return self._optional(self.mistakes, [])

    def write_mistakes(self, mistakes: list) -> None:
        write_json(self.mistakes, mistakes)

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())

    @staticmethod
    def _optional(path: Path, default):
        return read_json(path) if path.exists() else default
