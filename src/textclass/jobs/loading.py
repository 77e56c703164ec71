"""Reading a job's data: a named dataset, or a file with the request's column options."""

from __future__ import annotations

from textclass.data import Dataset, load
from textclass.data.preparation import Prepared, prepare
from textclass.jobs.notes import Notes
from textclass.jobs.requests import DataOptions


def load_data(ref: str, options: DataOptions | None = None) -> Dataset:
    from textclass.data import registry

    options = options or DataOptions()
    if registry.is_dataset_name(ref):
        return load(ref)
    return load(
        ref,
        text_col=options.text_col,
        label_col=options.label_col,
        group_col=options.group_col,
        format=options.format,
        encoding=options.encoding,
        on_empty=options.on_empty,
        label_sep=options.label_sep,
        label_cols=None if options.label_cols is None else list(options.label_cols),
    )


def load_noted(ref: str, options: DataOptions, notes: Notes) -> Dataset:
    """``load_data``, passing on what loading did and found (columns chosen, rows dropped)."""
    dataset = load_data(ref, options)
    for line in dataset.notes:
        notes.note(f"{ref}: {line}")
    for line in dataset.warnings:
        notes.warn(f"{ref}: {line}")
    return dataset


def prepare_noted(dataset: Dataset, notes: Notes, **how) -> Prepared:
    """:func:`textclass.data.preparation.prepare`, its warnings passed on."""
    prepared = prepare(dataset, **how)
    for line in prepared.warnings:
        notes.warn(line)
    return prepared
