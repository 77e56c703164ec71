"""Labeled text in: files of every common format and named public datasets."""

from pathlib import Path

from textclass.data.dataset import Dataset
from textclass.data.readers import FORMATS, read_dataset
from textclass.data.registry import dataset_names, load_dataset
from textclass.data.splits import split_dataset


def load(ref: str, **options) -> Dataset:
    """A named dataset (``"uci-sentiment:yelp"``) or a file/folder path with options."""
    from textclass.data import registry

    if registry.is_dataset_name(ref):
        return load_dataset(ref)
    if not Path(ref).exists():
        raise registry.not_found(ref)
    return read_dataset(ref, **options)


__all__ = [
    "FORMATS",
    "Dataset",
    "dataset_names",
    "load",
    "load_dataset",
    "read_dataset",
    "split_dataset",
]
