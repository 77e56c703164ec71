"""What each job is asked to do: typed, frozen requests.

The CLI (and any other caller) builds one of these from its options; the job reads
nothing else. A field named here is followed by name from the command line into the
estimator: ``ClassifierSettings.maxlen`` is ``TextClassifier(maxlen=...)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path


@dataclass(frozen=True)
class DataOptions:
    """Which columns hold what, for files (named datasets have fixed columns)."""

    text_col: str | None = None
    label_col: str | None = None
    group_col: str | None = None
    format: str | None = None
    encoding: str = "utf-8"
    on_empty: str = "error"
    label_sep: str | None = None  # multi-label: labels separated in the label cell
    label_cols: tuple | None = None  # multi-label: 0/1 columns, one per label

    def to_dict(self) -> dict:
        out = asdict(self)
        out["label_cols"] = None if self.label_cols is None else list(self.label_cols)
        return out

    def check(self) -> DataOptions:
        """ConfigError for an unknown encoding, format or empty-text policy."""
        from textclass.data.multilabel import check_options as check_multilabel
        from textclass.data.readers import check_options

        check_options(encoding=self.encoding, on_empty=self.on_empty, format=self.format)
        check_multilabel(self.label_sep, self.label_cols, self.label_col)
        return self


@dataclass(frozen=True)
class ClassifierSettings:
    """``TextClassifier`` settings a job passes on; None: the classifier's default."""

    model: str | None = None
    epochs: int | None = None
    batch_size: int | None = None
    maxlen: int | str | None = None
    num_words: int | None = None
    validation_split: float | None = None
    early_stopping: int | None = None
    optimizer: str | None = None
    learning_rate: float | None = None
    loss: str | None = None
    class_weight: str | dict | None = None
    threshold: float | str | None = None
    verbose: int | None = None

    def params(self) -> dict:
        """The settings given, as ``TextClassifier`` keyword arguments."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class TrainRequest:
    data: str  # a named dataset or a file/folder
    data_options: DataOptions = DataOptions()
    test_data: str | None = None  # a separate labeled test file instead of a split
    test_size: float | int | None = None  # None: the publisher's split, else 25 %
    seed: int | None = None
    stratify: bool = False
    classifier: ClassifierSettings = ClassifierSettings()
    model_params: dict = field(default_factory=dict)  # the family's hyperparameters
    out: Path | None = None  # the run directory to write
    time_limit_s: float = 600.0  # for model "auto": candidates and the final fit together
    resume: bool = False  # model "auto": take the candidates a killed run logged in out/auto
    jobs: int = 1  # model "auto": candidates run in this many processes
    cluster: str | None = None  # model "auto": candidates run as tasks on this Dask cluster
    audit: bool = False  # the data audit's cheap checks before training (one line a kind)


@dataclass(frozen=True)
class AuditRequest:
    data: str  # a named dataset or a file/folder
    data_options: DataOptions = DataOptions()
    test_data: str | None = None  # a test file to check for leakage
    model: str = "ngram"  # the family whose out-of-fold probabilities find label errors
    folds: int | None = None  # None: 5, or 3 above 10,000 texts
    seed: int | None = 0
    near_threshold: float = 0.8  # MinHash Jaccard estimate for near duplicates
    label_errors: bool = True  # False: only the cheap checks (no model fitted)
    out: Path | None = None  # where audit.json and audit.html go
    write_clean: Path | None = None  # a copy of the data without the flagged rows


@dataclass(frozen=True)
class EvaluateRequest:
    run: Path  # a run directory
    data: str
    data_options: DataOptions = DataOptions()
    cv: int | None = None  # re-fit the run's settings on this many folds instead
    seed: int | None = 0  # of the folds


@dataclass(frozen=True)
class PredictRequest:
    run: Path
    texts: tuple[str, ...] = ()  # texts to classify, or
    input: Path | None = None  # a file of them
    text_col: str | None = None
    input_format: str | None = None
    encoding: str = "utf-8"
    explain: int = 0  # words or n-grams per text that pushed the prediction (0: none)


@dataclass(frozen=True)
class ScoreRequest:
    """Files scored in chunks into a folder (``predict --input FILES --output DIR``)."""

    run: Path
    inputs: tuple[str, ...]  # files, folders or globs
    output_dir: Path
    text_col: str | None = None
    input_format: str | None = None
    encoding: str = "utf-8"
    chunk_rows: int = 10_000
    cluster: str | None = None  # a Dask address: local, local:N, tcp://host:port


@dataclass(frozen=True)
class CompareRequest:
    data: str
    models: tuple[str, ...]
    data_options: DataOptions = DataOptions()
    test_data: str | None = None
    test_size: float | int | None = None
    seed: int = 0
    cv: int | None = None
    stratify: bool = False
    classifier: ClassifierSettings = ClassifierSettings()
    model_params: dict = field(default_factory=dict)  # {family: {name: value}}
    out: Path = Path("runs/compare")


@dataclass(frozen=True)
class SearchRequest:
    data: str
    settings: object  # textclass.experiments.search.SearchSettings (model, space, cv, ...)
    data_options: DataOptions = DataOptions()
    test_data: str | None = None
    test_size: float | int | None = 0.25
    split_seed: int | None = None  # of the train/test split (None: the search's seed)
    stratify: bool = False
    per_group: bool = False
    out: Path = Path("runs/search")
    resume: bool = False
    jobs: int = 1
    cluster: object = None  # a Dask address or client

    @property
    def seed_of_split(self) -> int | None:
        """The train/test split's seed: ``split_seed``, else the search's own."""
        return self.settings.seed if self.split_seed is None else self.split_seed
