"""Named public datasets: where the publisher serves them, and their checksums.

Each dataset is kept as a few canonical files (the layout of ``shared/data``),
each with a sha256. They are looked up, in order, in:

1. ``$TEXTCLASS_DATA`` (a directory laid out like ``shared/data``), then
2. the user cache (``$TEXTCLASS_CACHE``, else ``$XDG_CACHE_HOME/textclass``, else
   ``~/.cache/textclass``), where they are written after a download from the
   publisher and converted to the canonical layout.

Every file is verified by sha256 before use.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from textclass.data.catalog import DATASETS
from textclass.data.spec import DatasetSpec
from textclass.errors import DataError, DownloadError, did_you_mean

__all__ = ["DatasetSpec", "dataset_names", "get_spec", "load_dataset", "locate", "register"]


# every named dataset, from the catalog (``register`` adds one more)
_REGISTRY: dict[str, DatasetSpec] = dict(DATASETS)


def register(spec: DatasetSpec) -> DatasetSpec:
    _REGISTRY[spec.name] = spec
    return spec


def dataset_names() -> list[str]:
    return list(_REGISTRY)


def get_spec(name: str) -> DatasetSpec:
    if name not in _REGISTRY:
        raise DataError(
            f"unknown dataset {name!r}{did_you_mean(name, _REGISTRY)}; "
            f"known datasets: {', '.join(_REGISTRY)}"
        )
    return _REGISTRY[name]


def parse_name(ref: str) -> tuple[DatasetSpec, str | None]:
    """``"uci-sentiment:yelp"`` -> (spec, "yelp")."""
    name, _, part = ref.partition(":")
    spec = get_spec(name)
    if part and part not in spec.parts:
        raise DataError(
            f"dataset {name!r} has no part {part!r}{did_you_mean(part, spec.parts)}; "
            f"parts: {', '.join(spec.parts) or 'none'}"
        )
    return spec, part or None


def is_dataset_name(ref: str) -> bool:
    return ref.partition(":")[0] in _REGISTRY and not Path(ref).exists()


def not_found(ref: str) -> DataError:
    """The error for a path that does not exist; it suggests a dataset name it resembles."""
    message = f"{ref}: no such file or directory"
    name = str(ref).partition(":")[0]
    hint = did_you_mean(name, _REGISTRY) if "/" not in name and "." not in name else ""
    if hint:
        message += f", and no named dataset {name!r}{hint}"
    return DataError(message)


def cache_dir() -> Path:
    from textclass.compilation_cache import cache_root

    return cache_root()  # $TEXTCLASS_CACHE, else $XDG_CACHE_HOME/textclass or ~/.cache/textclass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def candidate_folders(spec: DatasetSpec) -> list[Path]:
    folders = []
    if os.environ.get("TEXTCLASS_DATA"):
        folders.append(Path(os.environ["TEXTCLASS_DATA"]) / spec.folder)
    folders.append(cache_dir() / spec.folder)
    return folders


def verify_folder(spec: DatasetSpec, folder: Path) -> list[str]:
    """Problems with the canonical files in ``folder`` (empty list: all verified)."""
    problems = []
    for file, expected in spec.files.items():
        path = folder / file
        if not path.exists():
            problems.append(f"{path} is missing")
        elif sha256_of(path) != expected:
            problems.append(f"{path} has sha256 {sha256_of(path)}, expected {expected}")
    return problems


def locate(spec: DatasetSpec, *, download: bool = True) -> Path:
    """The folder holding the verified canonical files, downloading them if needed."""
    complaints = []
    for folder in candidate_folders(spec):
        if folder.exists():
            problems = verify_folder(spec, folder)
            if not problems:
                return folder
            complaints.extend(problems)
    if not download:
        raise DataError(
            f"dataset {spec.name!r} is not available offline: "
            + ("; ".join(complaints) or "not found in $TEXTCLASS_DATA or the cache")
        )
    from textclass.data.download import fetch

    target = cache_dir() / spec.folder
    fetch(spec, target)
    problems = verify_folder(spec, target)
    if problems:
        raise DownloadError(f"dataset {spec.name!r} failed verification: {'; '.join(problems)}")
    return target


def status(spec: DatasetSpec) -> dict:
    """Where the dataset is, and whether every file verified (for ``textclass datasets``)."""
    for folder in candidate_folders(spec):
        if folder.exists():
            problems = verify_folder(spec, folder)
            return {"location": str(folder), "verified": not problems, "problems": problems}
    return {"location": None, "verified": False, "problems": ["not downloaded yet"]}


def load_dataset(ref: str, *, download: bool = True):
    """Load a named dataset, e.g. ``"uci-sentiment"`` or ``"uci-sentiment:yelp"``."""
    spec, part = parse_name(ref)
    dataset = spec.load(locate(spec, download=download), part)
    dataset.name = ref
    return dataset
