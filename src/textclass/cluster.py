"""A Dask cluster to run on: ``local``, ``local:N`` or a scheduler's address.

``textclass search --cluster`` and ``textclass predict --output --cluster`` (and
the library functions under them) take an address and get a
``distributed.Client`` from :func:`connect`:

- ``local``: a ``LocalCluster`` of one single-threaded worker process per core;
- ``local:N``: N such worker processes;
- ``tcp://host:8786`` (or any scheduler address): a running ``dask scheduler``
  whose ``dask worker`` processes have the same textclass installed.

Library callers may pass a ``distributed.Client`` of their own instead (tests use
an in-process one, ``Client(processes=False)``); it is used, not closed.
Local workers cap their numeric libraries' threads at ``cores // N`` (as
``search --jobs N`` does), re-applied to a worker that restarts.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager

from textclass.errors import ConfigError
from textclass.threads import limit_threads

_LOCAL = re.compile(r"^local(?::(\d+))?$")


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ConfigError(
            "--cluster needs Dask: pip install 'textclass[cluster]' (dask[distributed])"
        ) from None
    return distributed


def check_address(address) -> None:
    """ConfigError for an address that is neither local[:N] nor a scheduler's."""
    if not isinstance(address, str):
        return
    match = _LOCAL.match(address)
    if match and match.group(1) is not None and int(match.group(1)) < 1:
        raise ConfigError(f"--cluster {address}: local:N needs N >= 1 worker processes")
    if not match and "://" not in address and ":" not in address:
        raise ConfigError(
            f"--cluster {address!r}: expected local, local:N or a scheduler address "
            "such as tcp://host:8786"
        )
    _distributed()


try:  # the plugin's base; without Dask, connect() says what to install
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover
    _PluginBase = object


class ThreadLimit(_PluginBase):
    """A worker plugin capping BLAS/XLA/TF threads (before those libraries load)."""

    name = "textclass-thread-limit"

    def __init__(self, threads: int) -> None:
        self.threads = threads

    def setup(self, worker) -> None:
        limit_threads(self.threads)


@contextmanager
def connect(address):
    """A ``distributed.Client`` for ``address`` (closed, with any local cluster, on exit)."""
    distributed = _distributed()
    if isinstance(address, distributed.Client):
        yield address
        return
    check_address(address)
    match = _LOCAL.match(address)
    if match:
        workers = int(match.group(1) or os.cpu_count() or 1)
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        )
        client = distributed.Client(cluster)
        try:
            client.register_plugin(ThreadLimit(max(1, (os.cpu_count() or 1) // workers)))
            yield client
        finally:
            client.close()
            cluster.close()
        return
    try:
        client = distributed.Client(address, timeout="20s")
    except OSError as exc:
        raise ConfigError(f"--cluster {address}: cannot reach the scheduler ({exc})") from None
    try:
        yield client
    finally:
        client.close()
