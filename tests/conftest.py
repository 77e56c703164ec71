import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the project; the end-to-end tests need it."""
    path = Path(os.environ.get("TEXTCLASS_DATA", SHARED_DATA))
    if not (path / "sentiment-labelled-sentences").exists():
        pytest.skip(f"shared datasets not found at {path}")
    return path


# Tests never touch the network: named datasets come from shared/data, and the
# download cache is a fresh empty folder (subprocesses inherit both).
if SHARED_DATA.exists():
    os.environ.setdefault("TEXTCLASS_DATA", str(SHARED_DATA))
os.environ["TEXTCLASS_CACHE"] = tempfile.mkdtemp(prefix="textclass-cache-")


@pytest.fixture(scope="module")
def tiny_weights(tmp_path_factory) -> str:
    """A tiny random BERT folder (tests/tiny_bert.py's config) for the encoder tests."""
    from textclass.models.encoder.tiny import write_tiny_folder
    from tiny_bert import TINY_CONFIG

    return str(write_tiny_folder(tmp_path_factory.mktemp("bert"), TINY_CONFIG, seed=3))
