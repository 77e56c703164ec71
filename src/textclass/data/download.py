"""Download a dataset archive from its publisher, verify it, build the canonical files."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import urllib.request
from pathlib import Path

from textclass.data.spec import DatasetSpec
from textclass.errors import DownloadError


def fetch(spec: DatasetSpec, target: Path, *, url: str | None = None) -> None:
    """Download ``spec``'s archive (or ``url``), check it, and write ``target``.

    Files are built in a temporary folder and moved into place only when the
    archive verified, so an interrupted download never leaves a half-filled cache.
    """
    url = url or spec.url
    target.parent.mkdir(parents=True, exist_ok=True)
    if spec.extra.get("file_urls") and spec.build is None:
        return _fetch_files(spec, target)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{spec.folder}-") as tmp:
        archive = Path(tmp) / "archive"
        digest = hashlib.sha256()
        try:
            with urllib.request.urlopen(url, timeout=60) as response, open(archive, "wb") as out:
                for block in iter(lambda: response.read(1 << 20), b""):
                    digest.update(block)
                    out.write(block)
        except OSError as exc:
            raise DownloadError(
                f"cannot download dataset {spec.name!r} from {url}: {exc}. Offline? Set "
                f"TEXTCLASS_DATA to a folder holding {spec.folder}/ "
                f"({', '.join(spec.files)})"
            ) from None
        if spec.archive_sha256 and digest.hexdigest() != spec.archive_sha256:
            raise DownloadError(
                f"{url}: sha256 {digest.hexdigest()} does not match the published "
                f"{spec.archive_sha256}; the download is corrupt or was changed"
            )
        built = Path(tmp) / "built"
        built.mkdir()
        try:
            spec.build(archive, built)
        except Exception as exc:  # a bad archive can fail in many ways
            raise DownloadError(f"{url}: cannot unpack the archive ({exc})") from None
        if target.exists():
            shutil.rmtree(target)
        built.rename(target)


def _fetch_files(spec: DatasetSpec, target: Path) -> None:
    """Datasets published as plain files (no archive): each downloaded and checked."""
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{spec.folder}-") as tmp:
        built = Path(tmp) / "built"
        built.mkdir()
        for name, url in spec.extra["file_urls"].items():
            digest = hashlib.sha256()
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    with open(built / name, "wb") as out:
                        for block in iter(lambda: response.read(1 << 20), b""):
                            digest.update(block)
                            out.write(block)
            except OSError as exc:
                raise DownloadError(
                    f"cannot download {name} of dataset {spec.name!r} from {url}: {exc}. "
                    f"Offline? Set TEXTCLASS_DATA to a folder holding {spec.folder}/ "
                    f"({', '.join(spec.files)})"
                ) from None
            if digest.hexdigest() != spec.files[name]:
                raise DownloadError(
                    f"{url}: sha256 {digest.hexdigest()} does not match {spec.files[name]}"
                )
        if target.exists():
            shutil.rmtree(target)
        built.rename(target)
