"""One train/test preparation for every job that trains (train, search, compare, auto).

The data are checked against each other before any model trains: a separate test set
may hold no label the training part lacks; a split must leave every class in training;
cross-validation needs two classes. A class too rare to learn is a warning, not an
error.
"""

from __future__ import annotations

from dataclasses import dataclass

from textclass.data.checks import (
    check_classes,
    check_known_labels,
    check_split,
    rare_class_warning,
)
from textclass.data.dataset import Dataset
from textclass.data.splits import check_test_size, dev_part, split_dataset


@dataclass(frozen=True)
class Prepared:
    train: Dataset
    test: Dataset | None  # None: cross-validation on all of ``train``
    dev: Dataset | None = None  # the publisher's dev part, with its own split only
    warnings: tuple[str, ...] = ()


def prepare(
    dataset: Dataset,
    *,
    test: Dataset | None = None,
    test_size: float | int | None = None,
    seed: int | None = None,
    stratify: bool = False,
    cv: bool = False,
    where: str | None = None,
) -> Prepared:
    """``dataset`` for training and ``test`` for testing; else all of it for
    cross-validation (``cv``); else a split of it (``test_size``, ``seed``,
    ``stratify``; None: the publisher's split and dev part where it has them, else
    25 %, see :func:`textclass.data.split_dataset`). ``where`` names the test data
    in errors (default: its name)."""
    test_size = check_test_size(test_size)
    dev = None
    if test is not None:
        check_classes(dataset)
        check_known_labels(test.labels, dataset.labels, where=where or test.name)
        train = dataset
    elif cv:
        check_classes(dataset)
        train = dataset
    else:
        train, test = split_dataset(dataset, test_size=test_size, seed=seed, stratify=stratify)
        check_split(train, test)
        dev = dev_part(dataset) if test_size is None else None
    warning = rare_class_warning(train)
    return Prepared(train, test, dev, (warning,) if warning else ())
