"""Checks of labeled data against each other, run before anything trains.

Errors for what cannot work (test labels the training data lacks); one-line
warnings for what is legal but suspicious (a class under 5 % of the rows).
"""

from __future__ import annotations

import numpy as np

from textclass.data.dataset import Dataset
from textclass.errors import DataError

RARE_CLASS_SHARE = 0.05


def _listed(values, most: int = 10) -> str:
    values = [str(v) for v in values]
    shown = ", ".join(values[:most])
    return shown + (f", ... ({len(values) - most} more)" if len(values) > most else "")


def check_classes(train: Dataset) -> None:
    """A classifier needs at least two classes to learn from."""
    classes = train.label_counts()
    if len(classes) < 2:
        raise DataError(
            f"{train.name}: cannot train a classifier on a single class "
            f"({next(iter(classes))!r}, {len(train)} rows): the labels need at least two "
            "distinct values"
        )


def _labels_of(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _known(labels) -> set:
    return {v for value in np.asarray(labels, dtype=object).tolist() for v in _labels_of(value)}


def unseen_labels(labels, known) -> tuple[np.ndarray, list]:
    """(mask of rows with a label not in ``known``, those labels sorted); rows may hold
    label sets (tuples), and ``known`` may too."""
    values = np.asarray(labels, dtype=object).tolist() if not isinstance(labels, list) else labels
    known_set = _known(known)
    unseen = np.array(
        [any(v not in known_set for v in _labels_of(value)) for value in values], dtype=bool
    )
    names = {v for value in values for v in _labels_of(value) if v not in known_set}
    return unseen, sorted(names, key=str)


def check_known_labels(
    labels, known, *, where: str, lacking: str = "the training data lacks"
) -> None:
    """DataError when ``labels`` hold values outside ``known``; rows and labels counted apart."""
    unseen, names = unseen_labels(labels, known)
    if not names:
        return
    known_names = sorted(_known(known), key=str)
    first = int(np.flatnonzero(unseen)[0]) + 1
    raise DataError(
        f"{where}: {int(unseen.sum())} row(s) carry {len(names)} label(s) {lacking}: "
        f"{_listed(names)} (first at data row {first}); "
        f"known labels ({len(known_names)}): {_listed(known_names)}"
    )


def check_split(train: Dataset, test: Dataset) -> None:
    """Training data with two classes or more, and none in the test part that it lacks."""
    check_classes(train)
    unseen, names = unseen_labels(test.labels, train.labels)
    if names:
        raise DataError(
            f"{test.name}: the split put every row of {len(names)} label(s) into the test "
            f"part ({int(unseen.sum())} row(s)): {_listed(names)}; the model could never "
            "predict them: give more rows of them, drop them, or split with stratify "
            "(CLI: --stratify)"
        )


def rare_class_warning(dataset: Dataset, share: float = RARE_CLASS_SHARE) -> str | None:
    """One line naming the classes (labels) under ``share`` of the rows, or None."""
    counts = dataset.label_counts()
    rows = len(dataset)
    rare = sorted(
        ((label, n) for label, n in counts.items() if n < share * rows), key=lambda x: x[1]
    )
    if not rare:
        return None
    # the rarest three, rarest first: one short line even for 28 labels
    shown = ", ".join(f"{label} ({n} rows)" for label, n in rare[:3])
    if len(rare) > 3:
        shown = f"rarest {shown}"
    what = "labels" if dataset.multilabel else "classes"
    hint = "" if dataset.multilabel else "; consider class_weight='balanced' (--class-weight)"
    return (
        f"{len(rare)} of {len(counts)} {what} have under {share * 100:.0f} % of the {rows:,} "
        f"rows of {dataset.name}: {shown}{hint}"
    )
