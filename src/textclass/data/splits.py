"""Train/test splits that match scikit-learn's, so results compare with tutorials."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import train_test_split

from textclass.checks import is_int
from textclass.data.dataset import Dataset
from textclass.errors import DataError, invalid

DEFAULT_TEST_SIZE = 0.25


def check_test_size(test_size):
    """``test_size`` as ``split_dataset`` takes it: None, a fraction in (0, 1), or a row count.

    A whole float of at least 1 (``--test-size 200``) becomes the int count; anything
    else (0, 1.5, -0.2, True) raises ConfigError before any data is read.
    """
    if test_size is None:
        return None
    if isinstance(test_size, (bool, np.bool_)) or not isinstance(
        test_size, (int, float, np.integer, np.floating)
    ):
        raise invalid("test_size", "a fraction in (0, 1) or a number of rows", test_size)
    if 0 < test_size < 1:
        return float(test_size)
    if test_size >= 1 and float(test_size).is_integer():
        return int(test_size)
    raise invalid(
        "test_size", "a fraction in (0, 1) or a number of rows (an integer >= 1)", test_size
    )


def has_publisher_split(dataset: Dataset) -> bool:
    """True when the dataset carries its publisher's train and test rows."""
    return dataset.split is not None and {"train", "test"} <= set(dataset.split.tolist())


DEV_PARTS = ("dev", "validation")


def dev_part(dataset: Dataset) -> Dataset | None:
    """The publisher's dev (validation) rows, when the dataset carries them (GoEmotions)."""
    if dataset.split is None:
        return None
    dev = np.isin(dataset.split, DEV_PARTS)
    return dataset.subset(dev, dataset.name + "[dev]") if dev.any() else None


def split_dataset(
    dataset: Dataset,
    *,
    test_size: float | None = None,
    seed: int | None = None,
    stratify: bool = False,
) -> tuple[Dataset, Dataset]:
    """Split into (train, test).

    ``test_size=None``: a dataset with a publisher's split (IMDB, both parts
    loaded) keeps it (its dev rows, if any, go to neither part: see ``dev_part``); any other dataset gets the default 25 %. A fraction in
    (0, 1) or a number of test rows splits exactly as ``train_test_split(texts,
    labels, test_size=test_size, random_state=seed)``: it depends only on the row
    count and the seed, so the same rows land in test as in the tutorials.
    """
    test_size = check_test_size(test_size)
    if test_size is None and not has_publisher_split(dataset):
        test_size = DEFAULT_TEST_SIZE
    if test_size is None:
        train = dataset.split == "train"
        test = dataset.split == "test"
        return dataset.subset(train, dataset.name + "[train]"), dataset.subset(
            test, dataset.name + "[test]"
        )
    if is_int(test_size) and test_size >= len(dataset):
        raise DataError(
            f"{dataset.name}: test_size={test_size} rows leaves none of its {len(dataset)} "
            "rows for training"
        )
    index = np.arange(len(dataset))
    try:
        if stratify and dataset.multilabel:
            train, test = _label_set_split(dataset.labels, test_size, seed)
        else:
            train, test = train_test_split(
                index,
                test_size=test_size,
                random_state=seed,
                stratify=dataset.labels if stratify else None,
            )
    except ValueError as exc:
        raise DataError(f"{dataset.name}: cannot split {len(dataset)} rows: {exc}") from None
    return dataset.subset(train, dataset.name + "[train]"), dataset.subset(
        test, dataset.name + "[test]"
    )


def _label_set_split(label_sets, test_size, seed) -> tuple[np.ndarray, np.ndarray]:
    """Train and test rows keeping every label's share in both parts (iterative
    stratification, Sechidis et al. 2011, from the ``iterative-stratification`` package)."""
    from iterstrat.ml_stratifiers import MultilabelStratifiedShuffleSplit
    from sklearn.preprocessing import MultiLabelBinarizer

    matrix = MultiLabelBinarizer().fit_transform(list(label_sets))
    splitter = MultilabelStratifiedShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    train, test = next(splitter.split(np.zeros(len(matrix)), matrix))
    return np.sort(train), np.sort(test)
