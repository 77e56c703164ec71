"""A labeled text dataset: texts, labels, and optional group and split columns."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from textclass.errors import DataError


@dataclass
class Dataset:
    """Texts with their labels, plus an optional group (e.g. ``source``) and split.

    ``notes`` records what loading did to the rows (e.g. "dropped 3 empty
    texts"), so nothing is lost without a count; ``warnings`` what looks wrong
    but is legal (e.g. an empty class folder left out).
    """

    texts: list[str]
    labels: np.ndarray
    groups: np.ndarray | None = None
    group_name: str | None = None
    split: np.ndarray | None = None  # "train"/"test" where the publisher fixed one
    name: str = "dataset"
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # the 1-based data row of each text in the file it was read from (None: row i + 1), and
    # the data rows the reader dropped (empty or missing text): the audit names rows by them
    rows: np.ndarray | None = None
    dropped_rows: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.texts)
        for what, values in (
            ("labels", self.labels),
            ("groups", self.groups),
            ("split", self.split),
            ("rows", self.rows),
        ):
            if values is not None and len(values) != n:
                raise DataError(f"{self.name}: {len(values)} {what} for {n} texts")
        if n == 0:
            raise DataError(f"{self.name}: the dataset is empty (no rows)")

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, index, name: str | None = None) -> Dataset:
        index = np.asarray(index)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        return Dataset(
            texts=[self.texts[i] for i in index.tolist()],
            labels=self.labels[index],
            groups=None if self.groups is None else self.groups[index],
            group_name=self.group_name,
            split=None if self.split is None else self.split[index],
            name=name or self.name,
            notes=list(self.notes),
            warnings=list(self.warnings),
            rows=self.row_numbers()[index],
        )

    def row_numbers(self) -> np.ndarray:
        """The 1-based data row of each text in its file (as the readers' errors count)."""
        return np.arange(1, len(self) + 1) if self.rows is None else self.rows

    @property
    def multilabel(self) -> bool:
        """True when every row holds a tuple of labels (see :mod:`textclass.data.multilabel`)."""
        return self.labels.dtype == object and len(self) > 0 and isinstance(self.labels[0], tuple)

    def label_counts(self) -> dict:
        """Rows per label (for label sets: rows carrying each label)."""
        values = self.labels.tolist()
        if self.multilabel:
            values = [label for labels in values for label in labels]
        return dict(sorted(Counter(values).items(), key=lambda kv: str(kv[0])))

    def flat_labels(self) -> list:
        """Every label of every row (the labels themselves for single-label data)."""
        if self.multilabel:
            return [label for labels in self.labels.tolist() for label in labels]
        return self.labels.tolist()

    def summary(self) -> dict:
        """Rows, labels and groups, JSON-ready."""
        out = {
            "name": self.name,
            "rows": len(self),
            "labels": {str(k): v for k, v in self.label_counts().items()},
        }
        if self.multilabel:
            sizes = Counter(len(labels) for labels in self.labels.tolist())
            out["multilabel"] = True
            out["labels_per_row"] = {str(k): v for k, v in sorted(sizes.items())}
        if self.groups is not None:
            out[self.group_name or "group"] = dict(Counter(map(str, self.groups.tolist())))
        if self.notes:
            out["notes"] = list(self.notes)
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out
