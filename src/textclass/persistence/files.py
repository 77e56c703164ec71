"""Reading and writing the files of a run directory: JSON and numpy archives, no pickle."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from textclass.errors import ArtifactError


def write_json(path: Path, data) -> None:
    """UTF-8, indented JSON; numpy scalars and arrays become plain values."""
    Path(path).write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=_jsonable) + "\n", encoding="utf-8"
    )


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in JSON")


def read_json(path: Path):
    """JSON from ``path``; a missing or damaged file raises ArtifactError naming it."""
    path = Path(path)
    if not path.exists():
        raise ArtifactError(f"{path}: missing; is {path.parent} a textclass model directory?")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ArtifactError(f"{path}: corrupt or truncated JSON ({exc})") from None


def load_npz(path: Path) -> dict[str, np.ndarray]:
    """Arrays of an ``.npz`` file (no pickle); a missing or damaged file names itself."""
    path = Path(path)
    if not path.exists():
        raise ArtifactError(f"{path}: missing")
    try:  # our own handle: np.load leaves its file open when the archive is damaged
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ArtifactError(f"{path}: corrupt or truncated ({exc})") from None
