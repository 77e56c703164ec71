"""JAX's persistent compilation cache, on by default under textclass's cache folder.

A JAX process compiles every function for every input shape it meets: for a saved
network that is a few hundred milliseconds on a cold ``textclass predict``, and seconds
for the encoder's length buckets. XLA can keep the compiled executables on disk and
reuse them in later processes (``jax_compilation_cache_dir``); this module points it at
``<cache>/xla`` (``$TEXTCLASS_CACHE``, else ``~/.cache/textclass``) through JAX's own
environment variables, before JAX is imported, so worker processes (``--jobs``, Dask)
inherit it and share the executables.

- Every compilation is kept, however quick: a cold prediction is many small ones.
- The folder is capped at 1 GiB, least recently used entries evicted first (JAX locks
  it with ``filelock``, so concurrent processes do not read half-written entries).
- A setting of your own wins: any ``JAX_COMPILATION_CACHE_DIR`` already in the
  environment is kept, and ``TEXTCLASS_COMPILE_CACHE=0`` turns the cache off.
- Entries are keyed by the program, the XLA flags, the device and the jax/jaxlib
  versions, so an upgrade or another machine never reuses a stale executable.

Only JAX reads these variables; TensorFlow and PyTorch backends are unaffected.
"""

from __future__ import annotations

import os
from pathlib import Path

MAX_BYTES = 1 << 30


def cache_root(environ=os.environ) -> Path:
    """textclass's cache folder (``data.registry.cache_dir``, without importing it)."""
    if environ.get("TEXTCLASS_CACHE"):
        return Path(environ["TEXTCLASS_CACHE"])
    base = environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "textclass"


def configure_environment(environ=os.environ) -> None:
    """Set JAX's cache variables unless the user set them or turned the cache off."""
    if environ.get("TEXTCLASS_COMPILE_CACHE", "1").strip().lower() in {"0", "false", "no", "off"}:
        return
    if "JAX_COMPILATION_CACHE_DIR" in environ:
        return
    environ["JAX_COMPILATION_CACHE_DIR"] = str(cache_root(environ) / "xla")
    environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
    environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")
    environ.setdefault("JAX_COMPILATION_CACHE_MAX_SIZE", str(MAX_BYTES))
