"""The parts an audit looks at, each with the row numbers of its own file.

A file is one part, its rows numbered as the readers number them (1-based data rows,
counted before any empty row was dropped). A named dataset is one part per file: one per
publisher's split (IMDB's train and test, GoEmotions' train, dev and test) or, for the UCI
sentences, one per source file; its loader numbers each row in its own file
(``Dataset.rows``), and a subset keeps those numbers. A separate test file is a part of its own. Rows are
findings' addresses: ``(part, row)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from textclass.data.dataset import Dataset

TEST_PARTS = ("test",)  # publisher's splits that are test data (leakage is into these)


@dataclass(frozen=True)
class Part:
    name: str  # the file, or the dataset and its split / source ("imdb[test]")
    role: str  # "train" or "test": leakage is a text in both roles
    dataset: Dataset
    rows: np.ndarray  # 1-based data row of each text in its file


@dataclass(frozen=True)
class Corpus:
    """Every part's rows side by side: position ``i`` is text ``texts[i]`` of
    ``parts[part[i]]`` at data row ``rows[i]``."""

    parts: tuple[Part, ...]
    texts: list[str]
    labels: list  # labels, or tuples of labels (multi-label)
    part: np.ndarray
    rows: np.ndarray

    def where(self, i: int) -> dict:
        """The address of position ``i``: its part and data row."""
        return {"part": self.parts[int(self.part[i])].name, "row": int(self.rows[i])}

    def role(self, i: int) -> str:
        return self.parts[int(self.part[i])].role

    def training(self) -> np.ndarray:
        """Positions of the rows in training parts (what the label audit fits on)."""
        roles = np.array([p.role == "train" for p in self.parts])
        return np.flatnonzero(roles[self.part])


def parts_of(dataset: Dataset, test: Dataset | None = None) -> tuple[Part, ...]:
    """The parts of ``dataset`` (see the module), then ``test`` as a part of its own."""
    from textclass.data import registry

    parts = []
    if dataset.split is not None:
        column = dataset.split
    elif dataset.groups is not None and registry.is_dataset_name(dataset.name):
        column = dataset.groups  # the UCI sentences: one file per source
    else:
        column = None
    if column is None:
        parts.append(Part(dataset.name, "train", dataset, dataset.row_numbers()))
    else:
        values = list(dict.fromkeys(column.tolist()))  # in the order they appear
        for value in values:
            index = np.flatnonzero(column == value)
            rows = dataset.row_numbers()[index]  # the loader's: each row's number in its file
            role = "test" if value in TEST_PARTS else "train"
            name = f"{dataset.name}[{value}]" if len(values) > 1 else dataset.name
            parts.append(Part(name, role, dataset.subset(index, name), rows))
    if test is not None:
        parts.append(Part(test.name, "test", test, test.row_numbers()))
    return tuple(parts)


def corpus_of(parts: tuple[Part, ...]) -> Corpus:
    texts, labels, part, rows = [], [], [], []
    for k, p in enumerate(parts):
        texts += p.dataset.texts
        labels += p.dataset.labels.tolist()
        part.append(np.full(len(p.dataset), k))
        rows.append(np.asarray(p.rows))
    return Corpus(parts, texts, labels, np.concatenate(part), np.concatenate(rows))
