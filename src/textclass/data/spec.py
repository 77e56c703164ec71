"""What a named dataset is: its files and checksums, where its publisher serves it, how
it is built into the canonical layout and loaded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    description: str
    folder: str
    files: dict[str, str]  # canonical file name -> sha256
    url: str  # the publisher's archive
    archive_sha256: str | None
    # (archive, destination folder) -> canonical files; None: plain files, extra["file_urls"]
    build: Callable[[Path, Path], None] | None
    load: Callable[[Path, str | None], object]  # (folder, part) -> Dataset
    parts: tuple[str, ...] = ()
    license: str = ""
    citation: str = ""
    extra: dict = field(default_factory=dict)
