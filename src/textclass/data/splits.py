"""Train/test splits that match scikit-learn's, so results compare with tutorials."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import train_test_split

from textclass.data.dataset import Dataset
from textclass.errors import DataError, invalid

DEFAULT_TEST_SIZE = 0.25


def has_publisher_split(dataset: Dataset) -> bool:
    """True when the dataset carries its publisher's train and test rows."""
    return dataset.split is not None and {"train", "test"} <= set(dataset.split.tolist())


def split_dataset(
    dataset: Dataset,
    *,
    test_size: float | None = None,
    seed: int | None = None,
    stratify: bool = False,
) -> tuple[Dataset, Dataset]:
    """Split into (train, test).

    ``test_size=None``: a dataset with a publisher's split (IMDB, both parts
    loaded) keeps it; any other dataset gets the default 25 %. Otherwise the split is exactly ``train_test_split(texts, labels,
    test_size=test_size, random_state=seed)``: it depends only on the row count
    and the seed, so the same rows land in test as in the tutorials.
    """
    if test_size is None and not has_publisher_split(dataset):
        test_size = DEFAULT_TEST_SIZE
    if test_size is None:
        train = dataset.split == "train"
        return dataset.subset(train, dataset.name + "[train]"), dataset.subset(
            ~train, dataset.name + "[test]"
        )
    if not (isinstance(test_size, (int, float)) and 0 < test_size < 1):
        raise invalid("test_size", "a fraction between 0 and 1", test_size)
    index = np.arange(len(dataset))
    try:
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
